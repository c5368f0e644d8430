import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import {
	accountField,
	messageField,
	messageTypeOption,
	optionsCollection,
	recipientField,
	subjectOption,
} from '../../descriptions/fields';
import { directMessageBody, readOptions, RECIPIENT_REQUIRED, type SendOperation } from '../operation';
import { addSubjectAndType } from './messageTypeFields';

/** POST /messaging/send — deprecated by ConnectSafely; kept so that saved workflows keep working. */

const deprecationNotice: INodeProperties = {
	displayName:
		'ConnectSafely has deprecated this endpoint (POST /messaging/send). Use the "Send" operation instead: it sends the same message through POST /conversations/send.',
	name: 'deprecationNotice',
	type: 'notice',
	default: '',
};

const properties: INodeProperties[] = [
	deprecationNotice,
	accountField,
	recipientField(true),
	messageField,
	optionsCollection([subjectOption, messageTypeOption]),
];

export const sendLegacy: SendOperation = {
	path: '/messaging/send',
	description: updateDisplayOptions(
		{ show: { resource: ['message'], operation: ['sendLegacy'] } },
		properties,
	),
	buildBody(read, item) {
		const options = readOptions(read);
		const body = directMessageBody(read, item, RECIPIENT_REQUIRED);
		addSubjectAndType(body, options, item);
		return body;
	},
};
