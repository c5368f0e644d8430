import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { accountField, recipientField } from '../../descriptions/fields';
import { readAccountId, readLookupProfileId } from '../../inputs/readFields';
import { conversationWith } from '../../transport/conversationCheck';
import type { ItemOperation } from '../operation';

/**
 * GET /conversations/exists/{profileId} — whether the account already talks with this person, and in which
 * conversation. One output item: the API's answer (`hasConversation`, `conversationUrn`, `profileUrn`, `accountId`).
 */

const properties: INodeProperties[] = [
	accountField,
	{
		...recipientField(true),
		description: 'The person to look up, by profile URL or public ID (not by URN)',
	},
];

export const getByRecipient: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions(
		{ show: { resource: ['conversation'], operation: ['getByRecipient'] } },
		properties,
	),
	async execute({ ctx, read, item, connection }) {
		const accountId = readAccountId(item, read('account'));
		const profileId = readLookupProfileId(item, read('recipient'), 'Recipient');
		const answer = await conversationWith(ctx, connection, profileId, accountId, item.itemIndex);
		return [answer];
	},
};
