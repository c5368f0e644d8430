import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import {
	accountField,
	messageField,
	messageTypeOption,
	optionsCollection,
	recipientField,
	subjectOption,
} from '../../descriptions/fields';
import { readConversationUrn } from '../../inputs';
import { directMessageBody, readOptions, RECIPIENT_REQUIRED, type SendOperation } from '../operation';
import { addSubjectAndType } from './messageTypeFields';

/** POST /messaging/send-with-typing — shows a typing indicator first, for a more natural reply. */

const conversationUrnField: INodeProperties = {
	displayName: 'Conversation URN',
	name: 'conversationUrn',
	type: 'string',
	default: '',
	placeholder: 'urn:li:msg_conversation:(urn:li:fsd_profile:…,2-…)',
	description: 'The existing conversation to type in. The typing indicator needs it.',
};

const properties: INodeProperties[] = [
	accountField,
	recipientField(true),
	messageField,
	conversationUrnField,
	optionsCollection([subjectOption, messageTypeOption]),
];

export const sendWithTyping: SendOperation = {
	path: '/messaging/send-with-typing',
	description: updateDisplayOptions(
		{ show: { resource: ['message'], operation: ['sendWithTyping'] } },
		properties,
	),
	buildBody(read, item) {
		const options = readOptions(read);
		const body = directMessageBody(read, item, RECIPIENT_REQUIRED);
		addSubjectAndType(body, options, item);
		const conversationUrn = readConversationUrn(item, read('conversationUrn'));
		if (conversationUrn !== undefined) body.conversationUrn = conversationUrn;
		return body;
	},
};
