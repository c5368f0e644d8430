/**
 * The stand-in's answer to GET /account/{accountId}/quota, as read-and-webhooks.md section 11 describes it (a
 * third-party copy of the docs: likely, not certain), and the time forms the API uses for quotas and holds.
 *
 * Choices where the docs are silent (tests may rely on them):
 * - The messaging feature is named `MESSAGE`. The quota page lists `PROFILE_VIEW`, `COMMENT`, `CONNECT`,
 *   `SEARCH_PEOPLE` "e.g." and does not name the messaging one; `MESSAGE` is the name the 429 bodies and
 *   `X-RateLimit-Action` use. Its `used`, `limit` and `resetAt` are the stand-in's own message quota (the one sends
 *   count against and 429 at), so a send shows up in the next quota answer.
 * - Two more entries that no send changes (`used` 0): `PROFILE_VIEW` (daily) and `CONNECT` (weekly, resetting
 *   Monday 00:00 UTC), so a client has to pick its feature by name.
 * - `limitReached` / `limitReachedAt` are LinkedIn's own 429 ("LinkedIn itself returned 429"): set by a hold
 *   (`holdAccount`), cleared when the window resets. The stand-in's own quota 429 does not set them.
 * - `resetAt` and `limitReachedAt` use the documented form `2026-08-28 00:00:00+00:00`; a window that does not end
 *   on a whole second (a test's `resetInMs`) shows its milliseconds (`2026-08-28 00:00:00.250+00:00`) rather than
 *   a rounded time.
 */

/** The feature name the stand-in gives messaging (a choice: the quota page does not name it). */
export const MESSAGE_FEATURE = 'MESSAGE';

/** LinkedIn's own ceiling for messages, "for information only" (never below the ConnectSafely limit). */
export const LINKEDIN_MESSAGE_LIMIT = 250;

export type QuotaWindowName = 'daily' | 'weekly';

/** One entry of `quotas[]`, exactly the fields section 11 lists. */
export interface QuotaEntry {
	feature: string;
	window: QuotaWindowName;
	used: number;
	limit: number;
	linkedinLimit: number;
	remaining: number;
	limitReached: boolean;
	limitReachedAt: string | null;
	resetAt: string;
}

/** The whole 200 answer (no `success` field: section 11's list has none). */
export interface QuotaAnswer {
	accountId: string;
	quotas: QuotaEntry[];
}

/** The message window of one account, as the server keeps it. */
export interface MessageWindow {
	limit: number;
	used: number;
	resetAt: number;
	/** When LinkedIn answered 429 in this window (a hold), epoch ms. */
	limitReachedAt?: number;
}

/** `2026-08-28 00:00:00+00:00`: the quota page's form (space, not `T`; `+00:00`, not `Z`). */
export function formatQuotaTime(epochMs: number): string {
	return new Date(epochMs)
		.toISOString()
		.replace('T', ' ')
		.replace(/\.000Z$/, 'Z')
		.replace(/Z$/, '+00:00');
}

/** ISO 8601 as the cookbook's `holdUntil` shows it (`2026-04-27T15:42:11Z`); milliseconds only when not zero. */
export function formatHoldTime(epochMs: number): string {
	return new Date(epochMs).toISOString().replace(/\.000Z$/, 'Z');
}

function nextUtcMidnight(now: number): number {
	const date = new Date(now);
	return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
}

/** The next Monday 00:00 UTC strictly after `now` (weekly windows). */
export function nextUtcMonday(now: number): number {
	const date = new Date(now);
	const daysToMonday = (8 - date.getUTCDay()) % 7 || 7;
	return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + daysToMonday);
}

function fixedEntry(
	feature: string,
	window: QuotaWindowName,
	limit: number,
	linkedinLimit: number,
	resetAt: number,
): QuotaEntry {
	return {
		feature,
		window,
		used: 0,
		limit,
		linkedinLimit,
		remaining: limit,
		limitReached: false,
		limitReachedAt: null,
		resetAt: formatQuotaTime(resetAt),
	};
}

export function quotaAnswer(accountId: string, message: MessageWindow, now: number): QuotaAnswer {
	return {
		accountId,
		quotas: [
			fixedEntry('PROFILE_VIEW', 'daily', 120, 150, nextUtcMidnight(now)),
			{
				feature: MESSAGE_FEATURE,
				window: 'daily',
				used: message.used,
				limit: message.limit,
				linkedinLimit: Math.max(LINKEDIN_MESSAGE_LIMIT, message.limit),
				remaining: Math.max(0, message.limit - message.used),
				limitReached: message.limitReachedAt !== undefined,
				limitReachedAt:
					message.limitReachedAt === undefined ? null : formatQuotaTime(message.limitReachedAt),
				resetAt: formatQuotaTime(message.resetAt),
			},
			fixedEntry('CONNECT', 'weekly', 90, 200, nextUtcMonday(now)),
		],
	};
}
