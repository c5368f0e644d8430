import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import {
	accountField,
	messageField,
	messageTypeOption,
	messageUrnsField,
	optionsCollection,
	recipientField,
	subjectOption,
} from '../../descriptions/fields';
import { readMessageUrns } from '../../inputs';
import { directMessageBody, readOptions, RECIPIENT_REQUIRED, type SendOperation } from '../operation';
import { addSubjectAndType } from './messageTypeFields';

/** POST /messaging/send-with-ack — reply and mark received messages as acknowledged. */

const properties: INodeProperties[] = [
	accountField,
	recipientField(true),
	messageField,
	messageUrnsField,
	optionsCollection([subjectOption, messageTypeOption]),
];

export const sendWithAck: SendOperation = {
	path: '/messaging/send-with-ack',
	description: updateDisplayOptions(
		{ show: { resource: ['message'], operation: ['sendWithAck'] } },
		properties,
	),
	buildBody(read, item) {
		const options = readOptions(read);
		const body = directMessageBody(read, item, RECIPIENT_REQUIRED);
		addSubjectAndType(body, options, item);
		const messageUrns = readMessageUrns(item, read('messageUrns'));
		if (messageUrns !== undefined) body.messageUrns = messageUrns;
		return body;
	},
};
