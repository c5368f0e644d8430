import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { accountField, ownOptions } from '../../descriptions/fields';
import { pagingFields } from '../../descriptions/paging';
import { readAccountId, readRequiredConversationUrn, readSince } from '../../inputs/readFields';
import { readLimit } from '../../inputs/readPaging';
import { readMessagesPage } from '../../transport/conversationMessages';
import { readOptions, type ItemOperation } from '../operation';
import { collectPages, nextCursor, objectsIn } from './paging';

/**
 * GET /conversations/{conversationUrn}/messages — one conversation's messages, one output item each, newest last.
 * The API pages from the newest back (its cursor returns older messages), so a Limit keeps the newest ones.
 */

const properties: INodeProperties[] = [
	accountField,
	{
		displayName: 'Conversation URN',
		name: 'conversationUrn',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'urn:li:msg_conversation:(urn:li:fsd_profile:…,2-…)',
		description:
			'The conversation to read: its conversationUrn from Get Many, Get by Recipient or the ConnectSafely Trigger',
	},
	...pagingFields,
	ownOptions([
		{
			displayName: 'Since',
			name: 'since',
			type: 'dateTime',
			default: '',
			description: 'Only messages newer than this time, for polling',
		},
	]),
];

function sentAt(message: IDataObject): number {
	const value = message.sentAt;
	const ms =
		typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isFinite(ms) ? ms : 0;
}

export const getMessages: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions(
		{ show: { resource: ['conversation'], operation: ['getMessages'] } },
		properties,
	),
	async execute({ ctx, read, item, connection }) {
		const accountId = readAccountId(item, read('account'));
		const conversationUrn = readRequiredConversationUrn(item, read('conversationUrn'));
		const limit = readLimit(item, read('returnAll'), read('limit'));
		const since = readSince(item, readOptions(read).since);
		const messages = await collectPages(limit, async (cursor, count) => {
			const body = await readMessagesPage(
				ctx,
				connection,
				{ conversationUrn, accountId, since, cursor, count },
				item.itemIndex,
			);
			return { entries: objectsIn(body.messages), next: nextCursor(body, 'cursor') };
		});
		// Newest last, whatever order the pages came in; equal times keep the API's order.
		return messages
			.map((message, index) => ({ message, index }))
			.sort((a, b) => sentAt(a.message) - sentAt(b.message) || b.index - a.index)
			.map(({ message }) => ({ conversationUrn, ...message }));
	},
};
