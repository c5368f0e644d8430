import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import {
	accountField,
	messageField,
	onlyIfNoConversationYetOption,
	onlyIfNotRepliedOption,
	onlyIfNotRepliedSinceOption,
	optionsCollection,
	recipientField,
	subjectOption,
} from '../../descriptions/fields';
import {
	readAttachments,
	readChoice,
	readConversationUrn,
	readSubject,
} from '../../inputs/readFields';
import { directMessageBody, readOptions, type SendOperation } from '../operation';

/** POST /conversations/send — ConnectSafely's recommended send; routes through Sales Navigator when the account has it. */

const conversationUrnOption: INodeProperties = {
	displayName: 'Conversation URN',
	name: 'conversationUrn',
	type: 'string',
	default: '',
	placeholder: 'urn:li:msg_conversation:(urn:li:fsd_profile:…,2-…)',
	description:
		'Reply in this existing conversation; skips the recipient lookup, so Recipient may stay empty',
};

const attachmentsOption: INodeProperties = {
	displayName: 'Attachments',
	name: 'attachments',
	type: 'json',
	default: '[]',
	description:
		'The output of the Upload operation (Resource: Attachment), mapped as it is: one attachment or a list',
};

const messagingChannelOption: INodeProperties = {
	displayName: 'Messaging Channel',
	name: 'messagingChannel',
	type: 'options',
	default: 'auto',
	options: [
		{
			name: 'Auto',
			value: 'auto',
			description: 'Sales Navigator when the account has it, else the LinkedIn inbox',
		},
		{ name: 'LinkedIn Inbox', value: 'linkedin_inbox' },
		{
			name: 'Sales Navigator',
			value: 'sales_navigator',
			description: 'Fails when the account has no Sales Navigator',
		},
	],
};

const CHANNELS = ['auto', 'linkedin_inbox', 'sales_navigator'];

const properties: INodeProperties[] = [
	accountField,
	recipientField(false),
	messageField,
	optionsCollection([
		subjectOption,
		conversationUrnOption,
		attachmentsOption,
		messagingChannelOption,
		onlyIfNoConversationYetOption,
		onlyIfNotRepliedOption,
		onlyIfNotRepliedSinceOption,
	]),
];

export const send: SendOperation = {
	path: '/conversations/send',
	description: updateDisplayOptions(
		{ show: { resource: ['message'], operation: ['send'] } },
		properties,
	),
	buildBody(read, item) {
		const options = readOptions(read);
		const conversationUrn = readConversationUrn(item, options.conversationUrn);
		const body = directMessageBody(
			read,
			item,
			conversationUrn === undefined
				? 'Enter who receives the message (profile URL, public ID or URN), or set a Conversation URN under Options.'
				: undefined,
		);
		if (conversationUrn !== undefined) body.conversationUrn = conversationUrn;
		const subject = readSubject(item, options.subject, undefined);
		if (subject !== undefined) body.subject = subject;
		const attachments = readAttachments(item, options.attachments);
		if (attachments !== undefined) body.attachments = attachments;
		const channel = readChoice(item, 'Messaging Channel', options.messagingChannel, CHANNELS);
		if (channel !== undefined) body.messagingChannel = channel;
		return body;
	},
};
