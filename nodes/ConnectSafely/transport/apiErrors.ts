import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { describeDelay, describeReset, parseApiTime, readRateLimit, resetTime } from './rateLimit';
import type { ApiResponse, RateLimitInfo } from './types';

/**
 * What became of a request that did not succeed, in the terms that decide what the node may do next:
 * - `rejected`: the API refused it (4xx, `success: false`): nothing went out, running it again is safe;
 * - `rateLimited`: a 429: nothing went out, and nothing for that account should be tried before the reset;
 * - `uncertain`: the request reached the server and the answer was bad or missing (5xx, a 200 that is not
 *   JSON, a timeout, a broken connection): the message may have been delivered, so nothing may resend it.
 */
export type FailureKind = 'rejected' | 'rateLimited' | 'uncertain';

export interface SendFailure {
	kind: FailureKind;
	error: NodeApiError;
	rateLimit?: RateLimitInfo;
	/** For `rateLimited`: when the API said the limit resets (epoch ms). */
	resetAt?: number;
	/**
	 * For `rateLimited`: the 429 body's `holdUntil` (epoch ms), when it names one. ConnectSafely's rate-limit guide:
	 * LinkedIn put the account on a temporary hold, "do not retry until that timestamp" — it may be later than
	 * `resetAt`, and then it, not the reset, is the first moment worth trying the account again.
	 */
	holdUntil?: number;
}

const TEXT_SHOWN = 300;

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function shorten(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > TEXT_SHOWN ? `${flat.slice(0, TEXT_SHOWN)}…` : flat;
}

/** A ZodError's issues as "message: Required; groupId: Expected string". */
function zodIssues(error: IDataObject): string | undefined {
	if (!Array.isArray(error.issues)) return undefined;
	const parts = error.issues.filter(isObject).map((issue) => {
		const path = Array.isArray(issue.path) ? issue.path.join('.') : '';
		const message = typeof issue.message === 'string' ? issue.message : 'invalid';
		return path ? `${path}: ${message}` : message;
	});
	return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * The API's own words from any of its three error shapes: `{error: "…"}`, `{success: false, error: "…"}`
 * and `{success: false, error: {name: "ZodError", issues: […]}}` (and the group endpoint's `{message}`).
 */
export function apiErrorText(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body);
		if (title) return shorten(title[1]) || undefined;
		if (/^\s*</.test(body)) return undefined;
		return body.trim() === '' ? undefined : shorten(body);
	}
	if (!isObject(body)) return undefined;
	const { error, message } = body;
	if (typeof error === 'string' && error.trim() !== '') return shorten(error);
	if (isObject(error)) {
		const issues = zodIssues(error);
		if (issues) return shorten(`invalid request: ${issues}`);
		if (typeof error.message === 'string') return shorten(error.message);
	}
	if (typeof message === 'string' && message.trim() !== '') return shorten(message);
	return undefined;
}

/** The base URL as errors show it: no query string or credentials, which could carry secrets. */
export function showBaseUrl(baseUrl: string): string {
	try {
		const url = new URL(baseUrl);
		return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
	} catch {
		return 'the base URL set in the credential';
	}
}

export function apiError(
	node: INode,
	itemIndex: number,
	statusCode: number,
	body: unknown,
	message: string,
	description: string,
): NodeApiError {
	// Only the status and the API's body go in: never the request, whose headers hold the API key.
	const response: JsonObject = {
		statusCode,
		body: isObject(body) ? (body as JsonObject) : String(body ?? ''),
	};
	return new NodeApiError(node, response, {
		message,
		description,
		httpCode: String(statusCode),
		itemIndex,
	});
}

const MAY_HAVE_BEEN_DELIVERED =
	'The message may have been delivered. Check the conversation on LinkedIn before you run this item again: the node does not resend it by itself.';

export function rateLimitFailure(
	node: INode,
	itemIndex: number,
	response: ApiResponse,
	text: string,
	rateLimit: RateLimitInfo | undefined,
	now: number,
): SendFailure {
	const resetAt = resetTime(rateLimit, text);
	const holdUntil = isObject(response.body) ? parseApiTime(response.body.holdUntil) : undefined;
	const hold =
		holdUntil === undefined
			? ''
			: `; LinkedIn holds the account until ${new Date(holdUntil).toISOString()} (${describeDelay(holdUntil - now)}): do not retry before then`;
	const usage =
		rateLimit?.limit !== undefined && rateLimit.used !== undefined
			? ` for ${rateLimit.action ?? 'MESSAGE'}: ${rateLimit.used}/${rateLimit.limit} used`
			: (/ for ([A-Z_]+: \d+\/\d+ used)/.exec(text)?.[0] ?? '');
	const error = apiError(
		node,
		itemIndex,
		response.statusCode,
		response.body,
		`Rate limit reached${usage}. It resets ${describeReset(resetAt, now)}${hold}`,
		'ConnectSafely allows each LinkedIn account a limited number of actions per period, and advises not to retry before the reset. ' +
			'Wait for the reset (a Wait node, or the "Max Wait for Rate Limit" option when the reset is near), send from another account, or spread the list over several days. ' +
			'Retry On Fail helps only with short limits.',
	);
	return holdUntil === undefined
		? { kind: 'rateLimited', error, rateLimit, resetAt }
		: { kind: 'rateLimited', error, rateLimit, resetAt, holdUntil };
}

export function isRedirect(statusCode: number): boolean {
	return statusCode >= 300 && statusCode < 400;
}

/** What a redirect answer says, with the address it names when it names one. */
export function redirectText(response: ApiResponse): string {
	const location = response.headers.location;
	const to = typeof location === 'string' && location !== '' ? ` to ${shorten(location)}` : '';
	return `ConnectSafely's address answered with a redirect (${response.statusCode})${to}`;
}

/** Maps an HTTP response that is not a success into the node's error for it. */
export function failureFromResponse(
	node: INode,
	itemIndex: number,
	response: ApiResponse,
	now: number,
): SendFailure {
	const { statusCode, body } = response;
	const rateLimit = readRateLimit(response.headers);
	const text = apiErrorText(body);
	const said = text ? `: ${text}` : '';
	const fail = (kind: FailureKind, message: string, description: string): SendFailure => ({
		kind,
		error: apiError(node, itemIndex, statusCode, body, message, description),
		rateLimit,
	});

	if (statusCode === 429)
		return rateLimitFailure(node, itemIndex, response, text ?? '', rateLimit, now);
	if (statusCode >= 200 && statusCode < 300) {
		if (!isObject(body)) {
			return fail(
				'uncertain',
				`ConnectSafely answered ${statusCode} but its answer is not JSON`,
				MAY_HAVE_BEEN_DELIVERED,
			);
		}
		return fail(
			'rejected',
			`ConnectSafely did not send the message${said}`,
			'The API answered with success: false. Check the fields it names, then run the item again.',
		);
	}
	if (isRedirect(statusCode)) {
		// The node does not follow redirects (transport.ts): the request went no further, and the key with it.
		return fail(
			'rejected',
			redirectText(response),
			'Set the Base URL in the ConnectSafely credential to the address the API now lives at (for example https:// instead of http://). The node does not follow redirects, so the API key is never sent elsewhere. Nothing was sent.',
		);
	}
	if (statusCode === 401) {
		return fail(
			'rejected',
			`ConnectSafely rejected the API key${said}`,
			'Check the API key in the ConnectSafely credential (ConnectSafely dashboard → API). Nothing was sent.',
		);
	}
	if (statusCode === 403) {
		if (text && /trial/i.test(text)) {
			return fail(
				'rejected',
				`ConnectSafely refused the request: the trial has expired${said}`,
				'Subscribe to a ConnectSafely plan, then run the workflow again. Nothing was sent.',
			);
		}
		return fail(
			'rejected',
			`Not allowed to send this message${said}`,
			'LinkedIn does not allow this account to message this member (for group messages: the group does not permit it, or the member is not in it). Send a normal message instead. Nothing was sent.',
		);
	}
	if (statusCode === 404) {
		return fail(
			'rejected',
			`The LinkedIn account was not found${said}`,
			'Pick the sending account from the Account list, or leave Account empty to use the default one. Nothing was sent.',
		);
	}
	if (statusCode >= 400 && statusCode < 500) {
		return fail(
			'rejected',
			`ConnectSafely rejected the request (${statusCode})${said}`,
			'Correct the fields the API names, then run the item again. Nothing was sent.',
		);
	}
	if (text && /linkedin authentication credentials/i.test(text)) {
		// Documented meaning: ConnectSafely holds no working LinkedIn session, so nothing reached LinkedIn.
		return fail(
			'rejected',
			`ConnectSafely could not log in to LinkedIn with this account${said}`,
			'Reconnect the LinkedIn account in the ConnectSafely dashboard, then run the workflow again. Nothing was sent.',
		);
	}
	const kindOfAnswer = isObject(body) ? '' : ' with a page that is not JSON';
	return fail(
		'uncertain',
		`ConnectSafely answered ${statusCode}${kindOfAnswer}${said}`,
		MAY_HAVE_BEEN_DELIVERED,
	);
}

/** Network failures that prove the request never reached the server: the only ones safe to retry. */
const NEVER_REACHED = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);
const TIMED_OUT = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/**
 * The Node.js error code of a failed request (ECONNREFUSED, ECONNABORTED, …). n8n's helper wraps the axios
 * error in a NodeApiError that keeps the code as its `httpCode`; a raw error carries it as `code`.
 */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && isObject(current); depth++) {
		for (const field of ['httpCode', 'code']) {
			const code = (current as IDataObject)[field];
			if (typeof code === 'string' && /^(E[A-Z_]+|ERR_[A-Z_]+)$/.test(code)) return code;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export function neverReachedServer(code: string | undefined): boolean {
	return code !== undefined && NEVER_REACHED.has(code);
}

export function isCancellation(code: string | undefined): boolean {
	return code === 'ERR_CANCELED';
}

/** A request that got no HTTP answer. The error names the base URL, never the request or its headers. */
export function failureFromNetwork(
	node: INode,
	itemIndex: number,
	code: string | undefined,
	baseUrl: string,
	timeoutMs: number,
): SendFailure {
	const where = showBaseUrl(baseUrl);
	const make = (kind: FailureKind, message: string, description: string): SendFailure => ({
		kind,
		error: new NodeApiError(node, { networkError: code ?? 'unknown' } as JsonObject, {
			message,
			description,
			itemIndex,
		}),
	});
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
		return make(
			'rejected',
			`Could not find the ConnectSafely server at ${where}`,
			'The host name could not be resolved. Check the Base URL in the ConnectSafely credential and the network of your n8n. Nothing was sent.',
		);
	}
	if (neverReachedServer(code)) {
		return make(
			'rejected',
			`Could not connect to ConnectSafely at ${where}: the connection was refused`,
			'Check the Base URL in the ConnectSafely credential and that the service is reachable from your n8n. Nothing was sent.',
		);
	}
	if (code !== undefined && TIMED_OUT.has(code)) {
		return make(
			'uncertain',
			`No answer from ConnectSafely at ${where} within ${Math.round(timeoutMs / 1000)} s`,
			`${MAY_HAVE_BEEN_DELIVERED} If sends are often slow, raise the Timeout option.`,
		);
	}
	return make(
		'uncertain',
		`The connection to ConnectSafely at ${where} broke before its answer arrived`,
		MAY_HAVE_BEEN_DELIVERED,
	);
}
