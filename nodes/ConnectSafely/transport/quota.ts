/**
 * GET /account/{accountId}/quota: how much of each rate-limited action an account has used in the current window
 * (read-and-webhooks.md section 11; only a third-party copy of the docs describes it: likely, not certain). It
 * reads ConnectSafely's database only and uses none of the quotas it reports. Used by Account → Get Quota, and
 * meant for a daily-limit check before an account's first send of a run.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiError } from './apiErrors';
import { parseApiTime } from './rateLimit';
import { accountAskedFor, readApi } from './readRequest';
import type { Connection } from './request';

/** One entry of the API's `quotas[]`, checked and typed. */
export interface AccountQuota {
	/** The account the quota belongs to (the default account's ID when none was named). */
	accountId: string;
	/** Action name as the API gives it, e.g. `PROFILE_VIEW`, `CONNECT`; messages: see MESSAGE_FEATURE. */
	feature: string;
	/** `daily` (resets at midnight UTC) or `weekly` (Monday midnight UTC), as the API gives it; '' when absent. */
	window: string;
	used: number;
	/** The ceiling ConnectSafely enforces: calls get 429 at this value. */
	limit: number;
	/** `limit - used`, never below 0 (computed when the API leaves it out). */
	remaining: number;
	/** True when LinkedIn itself answered 429 for this action in the current window (false when absent). */
	limitReached: boolean;
	/** LinkedIn's own, higher ceiling, for information only. */
	linkedinLimit?: number;
	/** When LinkedIn answered 429, as the API gives it (null or absent: it did not). */
	limitReachedAt?: string | null;
	/** When the window resets, epoch ms; undefined when the API gives no readable time. */
	resetAt: number | undefined;
	/** `resetAt` exactly as the API gives it, e.g. `2026-08-28 00:00:00+00:00`. */
	resetAtAsGiven: string | undefined;
}

/**
 * The feature name messages are counted under. The quota page does not name it; `MESSAGE` is the name the 429
 * bodies and `X-RateLimit-Action` use for messages, so it is the likely one — a guess until the live API shows it.
 */
export const MESSAGE_FEATURE = 'MESSAGE';

/** The messaging entry of a quota list (feature compared without regard to case), if there is one. */
export function messageQuota(quotas: readonly AccountQuota[]): AccountQuota | undefined {
	return quotas.find((quota) => quota.feature.toUpperCase() === MESSAGE_FEATURE);
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** One `quotas[]` entry as an AccountQuota, or what is wrong with it. */
function toQuota(entry: unknown, where: string, accountId: string): AccountQuota | string {
	if (!isObject(entry)) return `${where} is not an object`;
	if (typeof entry.feature !== 'string' || entry.feature === '')
		return `${where}.feature is missing`;
	const { used, limit } = entry;
	if (!isCount(used)) return `${where}.used is not a number`;
	if (!isCount(limit)) return `${where}.limit is not a number`;
	const given = entry.resetAt;
	const quota: AccountQuota = {
		accountId,
		feature: entry.feature,
		window: typeof entry.window === 'string' ? entry.window : '',
		used,
		limit,
		remaining: isCount(entry.remaining) ? entry.remaining : Math.max(0, limit - used),
		limitReached: entry.limitReached === true,
		resetAt: parseApiTime(given),
		resetAtAsGiven:
			typeof given === 'string' ? given : typeof given === 'number' ? String(given) : undefined,
	};
	if (isCount(entry.linkedinLimit)) quota.linkedinLimit = entry.linkedinLimit;
	if (typeof entry.limitReachedAt === 'string' || entry.limitReachedAt === null) {
		quota.limitReachedAt = entry.limitReachedAt;
	}
	return quota;
}

/** The answer's quotas, or what is wrong with the answer. */
function readQuotas(body: IDataObject, accountId: string): AccountQuota[] | string {
	if (!Array.isArray(body.quotas)) return 'quotas is not a list';
	const owner =
		typeof body.accountId === 'string' && body.accountId !== '' ? body.accountId : accountId;
	const quotas: AccountQuota[] = [];
	for (const [index, entry] of body.quotas.entries()) {
		const quota = toQuota(entry, `quotas[${index}]`, owner);
		if (typeof quota === 'string') return quota;
		quotas.push(quota);
	}
	return quotas;
}

/**
 * The ID of the API key's default account: what `GET /account/status` describes when no account is named (the
 * API's rule for every endpoint with an optional accountId). The quota path needs an ID, and no list marks the
 * default account, so this costs one more call.
 */
export async function defaultAccountId(
	ctx: IExecuteFunctions,
	connection: Connection,
	itemIndex: number,
): Promise<string> {
	const { body } = await readApi(
		ctx,
		connection,
		{
			method: 'GET',
			path: '/account/status',
			notFound: 'The API key has no default LinkedIn account',
			notFoundHint:
				'Connect a LinkedIn account in the ConnectSafely dashboard, or pick the account from the Account list.',
		},
		itemIndex,
	);
	if (typeof body.id !== 'string' || body.id.trim() === '') {
		throw apiError(
			ctx.getNode(),
			itemIndex,
			200,
			body,
			"ConnectSafely did not say which account is the API key's default one",
			'Pick the account from the Account list, or enter its ID. Nothing was changed on LinkedIn.',
		);
	}
	return body.id.trim();
}

/**
 * The account's quotas, one per action. `accountId` undefined: the API key's default account (found first with
 * `GET /account/status`). Errors are the read path's (readRequest.ts): 404 names the account; a 429 its reset.
 */
export async function fetchQuota(
	ctx: IExecuteFunctions,
	connection: Connection,
	accountId: string | undefined,
	itemIndex: number,
): Promise<AccountQuota[]> {
	const id = accountId ?? (await defaultAccountId(ctx, connection, itemIndex));
	const { body } = await readApi(
		ctx,
		connection,
		{
			method: 'GET',
			path: `/account/${encodeURIComponent(id)}/quota`,
			notFound: `${accountAskedFor(id)} was not found`,
			notFoundHint:
				'Pick the account from the Account list (the API key must own it or share it through a workspace), or leave Account empty for the default one.',
		},
		itemIndex,
	);
	const quotas = readQuotas(body, id);
	if (typeof quotas !== 'string') return quotas;
	throw apiError(
		ctx.getNode(),
		itemIndex,
		200,
		body,
		`ConnectSafely's quota answer is not in the expected shape: ${quotas}`,
		"The API may have changed: report it to the node's maintainers. Nothing was changed on LinkedIn.",
	);
}
