/**
 * Fault injection for the stand-in: what a queued fault looks like, and ready-made faults for the
 * failures the ConnectSafely docs describe.
 */

export interface Fault {
	/** How many matching requests this fault applies to (default 1). */
	times?: number;
	/**
	 * Instead of a count: every matching request until this time (epoch ms), then the fault is gone — an account
	 * whose quota was used up elsewhere answers 429 until its reset, however often it is called.
	 */
	until?: number;

	// Which requests it matches (all given filters must match; none = every request).
	/**
	 * Path relative to the base path, e.g. `/conversations/send` (with or without `/linkedin`),
	 * compared with the path as sent and percent-decoded; `*` stands for one path segment
	 * (`/conversations/*\/messages`, `/conversations/exists/*`).
	 */
	path?: string;
	/** HTTP method, e.g. `GET` (any when omitted). */
	method?: string;
	/**
	 * Equals the body's recipientProfileId, recipientProfileUrn or conversationUrn, or the profile
	 * ID of GET /conversations/exists/{profileId}, or the (decoded) URN of
	 * GET /conversations/{conversationUrn}/messages.
	 */
	recipient?: string;
	/**
	 * Equals the body's accountId, else the `accountId` query parameter (the default account's id
	 * matches requests that name none).
	 */
	accountId?: string;

	// What it does.
	/**
	 * Answer with this status and `body` instead of handling the request. Nothing is delivered and
	 * no quota is used.
	 */
	status?: number;
	/** Object → JSON; string → sent as is with `contentType` (default text/html). */
	body?: unknown;
	contentType?: string;
	headers?: Record<string, string>;
	/** Add the X-RateLimit-* headers to a canned answer of a send endpoint (default true). */
	rateLimitHeaders?: boolean;
	/**
	 * Wait this long before answering. Without `status`, the request is handled (and the message
	 * delivered) at once; only the answer is late: a client that times out has still sent it.
	 */
	delayMs?: number;
	/**
	 * Handle the request normally (the message is delivered), start the answer (status, headers,
	 * half the body), then destroy the socket: the client sees the connection break mid-response.
	 */
	reset?: boolean;
	/**
	 * Destroy the socket without handling or answering the request: nothing is delivered and the
	 * client sees "socket hang up" / ECONNRESET.
	 */
	drop?: boolean;
}

/** Ready-made faults. Spread them with filters: `{ ...faults.serverError(), path: '/messaging/send' }`. */
export const faults = {
	/**
	 * 429 of an account whose daily quota is used up, resetting `resetInMs` from now: the headers and body the
	 * API pages show, fixed so that the node's wait (or refusal to wait) can be checked against a known reset.
	 */
	dailyLimitReached: (resetInMs: number): Fault => {
		const resetAt = new Date(Date.now() + resetInMs).toISOString();
		return {
			status: 429,
			rateLimitHeaders: false,
			headers: {
				'X-RateLimit-Action': 'MESSAGE',
				'X-RateLimit-Limit': '150',
				'X-RateLimit-Used': '150',
				'X-RateLimit-Remaining': '0',
				'X-RateLimit-Reset': resetAt,
			},
			body: {
				success: false,
				error: `Rate limit exceeded for MESSAGE: 150/150 used. Resets at ${resetAt}`,
			},
		};
	},
	/** The daily-limit 429 for every matching request until the reset, as the API answers an exhausted account. */
	quotaUsedUpUntilReset: (resetInMs: number): Fault => ({
		...faults.dailyLimitReached(resetInMs),
		until: Date.now() + resetInMs,
	}),
	/**
	 * LinkedIn's temporary hold (the cookbook's 429 with `holdUntil`): the daily-limit 429 whose body also says
	 * `holdUntil`, `holdInMs` from now, for every matching request until then. With `holdInMs` > `resetInMs` the
	 * hold outlasts the reset. (`standin.holdAccount` is the same hold kept by the server, seen by the quota too.)
	 */
	heldUntil: (resetInMs: number, holdInMs: number): Fault => {
		const limited = faults.dailyLimitReached(resetInMs);
		const holdUntil = Date.now() + holdInMs;
		return {
			...limited,
			body: {
				...(limited.body as Record<string, unknown>),
				holdUntil: new Date(holdUntil).toISOString().replace(/\.000Z$/, 'Z'),
			},
			until: holdUntil,
		};
	},
	/** A redirect to `location` (a moved API, http → https), with no body: what a client must not follow blindly. */
	redirect: (status: 301 | 302 | 307 | 308, location: string): Fault => ({
		status,
		rateLimitHeaders: false,
		headers: { Location: location },
		body: '',
	}),
	/** 500 that the docs say means "reconnect the LinkedIn account". */
	serverError: (): Fault => ({
		status: 500,
		body: { error: 'Failed to get LinkedIn authentication credentials', success: false },
	}),
	trialExpired: (): Fault => ({
		status: 403,
		body: {
			success: false,
			error: 'Your trial has expired. Please subscribe to continue using ConnectSafely.',
		},
	}),
	/** The group endpoint's 403 shape (note: `message`, not `error`). */
	groupForbidden: (
		recipientProfileUrn = 'urn:li:fsd_profile:...',
		groupId = '12345678',
	): Fault => ({
		status: 403,
		body: {
			success: false,
			message: 'Error sending group context message: Request failed with status code 403',
			recipientProfileUrn,
			groupId,
		},
	}),
	/** A proxy in front of the API failing. */
	badGatewayHtml: (): Fault => ({
		status: 502,
		body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
		contentType: 'text/html',
		rateLimitHeaders: false,
	}),
	nonJson200: (): Fault => ({
		status: 200,
		body: 'OK',
		contentType: 'text/plain',
	}),
	successFalse200: (error = 'Failed to send message'): Fault => ({
		status: 200,
		body: { success: false, error },
	}),
	slow: (delayMs: number): Fault => ({ delayMs }),
	connectionReset: (): Fault => ({ reset: true }),
	drop: (): Fault => ({ drop: true }),
};
