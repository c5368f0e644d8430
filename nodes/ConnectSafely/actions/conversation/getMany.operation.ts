import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { accountField } from '../../descriptions/fields';
import { pagingFields } from '../../descriptions/paging';
import { readAccountId } from '../../inputs/readFields';
import { readLimit } from '../../inputs/readPaging';
import { accountAskedFor, readApi } from '../../transport/readRequest';
import type { ItemOperation } from '../operation';
import { collectPages, nextCursor, objectsIn } from './paging';

/** GET /conversations — the account's recent conversations, newest activity first, one output item each. */

const properties: INodeProperties[] = [
	accountField,
	...pagingFields,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Label ID',
				name: 'labelId',
				type: 'string',
				default: '',
				description: 'Only conversations carrying this label',
			},
			{
				displayName: 'Unread Only',
				name: 'unreadOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return only conversations with unread messages',
			},
		],
	},
];

export const getMany: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions(
		{ show: { resource: ['conversation'], operation: ['getMany'] } },
		properties,
	),
	async execute({ ctx, read, item, connection }) {
		const accountId = readAccountId(item, read('account'));
		const limit = readLimit(item, read('returnAll'), read('limit'));
		const filters = (read('filters') ?? {}) as IDataObject;
		const qs: IDataObject = {};
		if (accountId !== undefined) qs.accountId = accountId;
		if (filters.unreadOnly === true) qs.unreadOnly = true;
		if (typeof filters.labelId === 'string' && filters.labelId.trim() !== '')
			qs.labelId = filters.labelId.trim();
		return await collectPages(limit, async (cursor, count) => {
			const { body } = await readApi(
				ctx,
				connection,
				{
					method: 'GET',
					path: '/conversations',
					qs: { ...qs, count, ...(cursor === undefined ? {} : { nextCursor: cursor }) },
					notFound: `${accountAskedFor(accountId)} was not found`,
					notFoundHint:
						'Pick the account from the Account list, or leave Account empty to use the default one.',
				},
				item.itemIndex,
			);
			return { entries: objectsIn(body.conversations), next: nextCursor(body, 'nextCursor') };
		});
	},
};
