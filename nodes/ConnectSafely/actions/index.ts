/**
 * actions/: every resource and operation (one file each), and the router that runs them. May import descriptions/,
 * inputs/, delivery/ and transport/; nothing imports actions/ but the node class.
 */
import type { INodeProperties } from 'n8n-workflow';

import { getQuota } from './account/getQuota.operation';
import { upload } from './attachment/upload.operation';
import { getByRecipient } from './conversation/getByRecipient.operation';
import { getMany } from './conversation/getMany.operation';
import { getMessages } from './conversation/getMessages.operation';
import { sendGroupWithAck } from './groupMessage/sendWithAck.operation';
import { send } from './message/send.operation';
import { sendLegacy } from './message/sendLegacy.operation';
import { sendWithAck } from './message/sendWithAck.operation';
import { sendWithTyping } from './message/sendWithTyping.operation';
import type { Operation } from './operation';

/** Every resource and operation of the node. These names are saved in users' workflows: add, never rename. */
export const operations: Record<string, Record<string, Operation>> = {
	message: { send, sendWithAck, sendWithTyping, sendLegacy },
	groupMessage: { sendWithAck: sendGroupWithAck },
	conversation: { getMany, getMessages, getByRecipient },
	attachment: { upload },
	account: { getQuota },
};

const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Account', value: 'account' },
		{ name: 'Attachment', value: 'attachment' },
		{ name: 'Conversation', value: 'conversation' },
		{ name: 'Group Message', value: 'groupMessage' },
		{ name: 'Message', value: 'message' },
	],
	default: 'message',
};

const conversationOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['conversation'] } },
	options: [
		{
			name: 'Get by Recipient',
			value: 'getByRecipient',
			action: 'Check for a conversation with a person',
			description:
				'Whether the account already has a conversation with this person, and its URN (before cold outreach)',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many conversations',
			description: "List the account's recent conversations, optionally only unread ones",
		},
		{
			name: 'Get Messages',
			value: 'getMessages',
			action: 'Get the messages of a conversation',
			description: 'Read one conversation, newest message last',
		},
	],
	default: 'getMany',
};

const attachmentOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['attachment'] } },
	options: [
		{
			name: 'Upload',
			value: 'upload',
			action: 'Upload a file to attach to a message',
			description:
				"Upload a file from the item's binary data, to send with Send's Attachments option",
		},
	],
	default: 'upload',
};

const accountOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['account'] } },
	options: [
		{
			name: 'Get Quota',
			value: 'getQuota',
			action: 'Get the quota usage of an account',
			description:
				'How much of each daily or weekly limit (messages, profile views, connection requests…) the account has used, and when it resets',
		},
	],
	default: 'getQuota',
};

const messageOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	options: [
		{
			name: 'Send',
			value: 'send',
			action: 'Send a message',
			description:
				'Send a direct message (recommended; uses Sales Navigator when the account has it)',
		},
		{
			name: 'Send (Legacy)',
			value: 'sendLegacy',
			action: 'Send a message through the deprecated endpoint',
			description: 'Deprecated by ConnectSafely: use Send',
		},
		{
			name: 'Send With Acknowledgment',
			value: 'sendWithAck',
			action: 'Send a message and acknowledge received messages',
			description: 'Reply and mark received messages as acknowledged',
		},
		{
			name: 'Send With Typing Indicator',
			value: 'sendWithTyping',
			action: 'Send a message after a typing indicator',
			description: 'Show a typing indicator first, for a more natural reply',
		},
	],
	default: 'send',
};

const groupMessageOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['groupMessage'] } },
	options: [
		{
			name: 'Send With Acknowledgment',
			value: 'sendWithAck',
			action: 'Send a group message and acknowledge received messages',
			description: 'Message a fellow member of a LinkedIn group',
		},
	],
	default: 'sendWithAck',
};

export const nodeProperties: INodeProperties[] = [
	resourceSelector,
	messageOperations,
	groupMessageOperations,
	conversationOperations,
	attachmentOperations,
	accountOperations,
	...Object.values(operations).flatMap((byName) =>
		Object.values(byName).flatMap((operation) => operation.description),
	),
];
