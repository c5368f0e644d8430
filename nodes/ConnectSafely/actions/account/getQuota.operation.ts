import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { accountField } from '../../descriptions/fields';
import { readAccountId } from '../../inputs/readFields';
import { fetchQuota, type AccountQuota } from '../../transport/quota';
import { parseApiTime } from '../../transport/rateLimit';
import type { ItemOperation } from '../operation';

/**
 * GET /account/{accountId}/quota — how much of each rate-limited action (messages, profile views, connection
 * requests…) the account has used in the current window. One output item per action. Reading it uses none of it.
 */

const properties: INodeProperties[] = [
	{
		...accountField,
		description:
			"The LinkedIn account whose quota to read. Empty: the API key's default account (one more call finds its ID).",
	},
];

/** A time of the API as ISO 8601 (the quota page writes `2026-08-28 00:00:00+00:00`), else as given. */
function isoTime(ms: number | undefined, given: string | null | undefined): string | null {
	if (ms !== undefined) return new Date(ms).toISOString();
	return given ?? null;
}

function quotaItem(quota: AccountQuota): IDataObject {
	const limitReachedAt = quota.limitReachedAt ?? null;
	return {
		accountId: quota.accountId,
		feature: quota.feature,
		window: quota.window,
		used: quota.used,
		limit: quota.limit,
		remaining: quota.remaining,
		limitReached: quota.limitReached,
		resetAt: isoTime(quota.resetAt, quota.resetAtAsGiven),
		...(quota.linkedinLimit === undefined ? {} : { linkedinLimit: quota.linkedinLimit }),
		limitReachedAt: isoTime(parseApiTime(limitReachedAt), limitReachedAt),
	};
}

export const getQuota: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions(
		{ show: { resource: ['account'], operation: ['getQuota'] } },
		properties,
	),
	async execute({ ctx, read, item, connection }) {
		const accountId = readAccountId(item, read('account'));
		const quotas = await fetchQuota(ctx, connection, accountId, item.itemIndex);
		return quotas.map(quotaItem);
	},
};
