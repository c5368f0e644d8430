import type { IDataObject } from 'n8n-workflow';

import type { RateLimitInfo } from './types';

function headerText(headers: IDataObject, name: string): string | undefined {
	const value = headers[name];
	if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
	if (value === undefined || value === null || value === '') return undefined;
	return String(value);
}

function headerNumber(headers: IDataObject, name: string): number | undefined {
	const text = headerText(headers, name);
	if (text === undefined) return undefined;
	const value = Number(text);
	return Number.isFinite(value) ? value : undefined;
}

/**
 * Reads ConnectSafely's `X-RateLimit-*` headers (axios lower-cases header names).
 * Limits differ by plan and action, so the node never assumes a number: it reports what the API says.
 */
export function readRateLimit(headers: IDataObject | undefined): RateLimitInfo | undefined {
	if (!headers) return undefined;
	const info: RateLimitInfo = {};
	const action = headerText(headers, 'x-ratelimit-action');
	const limit = headerNumber(headers, 'x-ratelimit-limit');
	const used = headerNumber(headers, 'x-ratelimit-used');
	const remaining = headerNumber(headers, 'x-ratelimit-remaining');
	const reset = headerText(headers, 'x-ratelimit-reset');
	if (action !== undefined) info.action = action;
	if (limit !== undefined) info.limit = limit;
	if (used !== undefined) info.used = used;
	if (remaining !== undefined) info.remaining = remaining;
	if (reset !== undefined && Number.isFinite(Date.parse(reset))) info.resetsAt = reset;
	return Object.keys(info).length > 0 ? info : undefined;
}

const RESETS_AT_IN_TEXT = /resets at (\d{4}-\d{2}-\d{2}T[0-9:.]+Z?)/i;

/** When the limit resets: the header first, else the time written in the 429 body ("… Resets at <ISO>"). */
export function resetTime(
	rateLimit: RateLimitInfo | undefined,
	errorText: string,
): number | undefined {
	const fromHeader = rateLimit?.resetsAt ? Date.parse(rateLimit.resetsAt) : NaN;
	if (Number.isFinite(fromHeader)) return fromHeader;
	const match = RESETS_AT_IN_TEXT.exec(errorText);
	const fromText = match ? Date.parse(match[1]) : NaN;
	return Number.isFinite(fromText) ? fromText : undefined;
}

/** "in 3 h 12 min", "in 45 s", "now": how long until a reset, for people reading an error. */
export function describeDelay(ms: number): string {
	if (ms <= 0) return 'now';
	const seconds = Math.ceil(ms / 1000);
	if (seconds < 60) return `in ${seconds} s`;
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 60) return `in ${minutes} min`;
	const hours = Math.floor(minutes / 60);
	const rest = minutes % 60;
	return rest === 0 ? `in ${hours} h` : `in ${hours} h ${rest} min`;
}

/** "2024-01-02T00:00:00.000Z (in 3 h 12 min)", or a fallback when the API named no time. */
export function describeReset(resetAt: number | undefined, now: number): string {
	if (resetAt === undefined) return 'at a time the API did not name';
	return `at ${new Date(resetAt).toISOString()} (${describeDelay(resetAt - now)})`;
}

const HAS_ZONE = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * A time the API gives, as epoch ms: ISO 8601 (`2026-04-27T15:42:11Z`, the cookbook's `holdUntil`), the quota
 * page's `2026-08-28 00:00:00+00:00` (a space instead of `T`), or a number (epoch ms; a number below 10^11 is taken
 * as epoch seconds). A date and time without a zone is UTC, as every time of the API is. Else undefined.
 */
export function parseApiTime(value: unknown): number | undefined {
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value <= 0) return undefined;
		return value < 1e11 ? value * 1000 : value;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return parseApiTime(Number(text));
	if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
	let iso = text.replace(/^(\d{4}-\d{2}-\d{2})[ ]+(\d)/, '$1T$2');
	if (iso.includes('T') && !HAS_ZONE.test(iso)) iso += 'Z';
	const ms = Date.parse(iso);
	return Number.isFinite(ms) ? ms : undefined;
}
