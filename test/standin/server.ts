/**
 * A stand-in for the ConnectSafely LinkedIn API: a real HTTP server on 127.0.0.1 that follows the
 * API pages in /work/shared/api, records what it receives, counts a per-account daily quota, and
 * can be told to fail in the ways the real service fails.
 *
 * Choices where the pages are silent (tests may rely on them):
 * - Every response of the five send endpoints carries X-RateLimit-* headers, including 400, 401,
 *   404 and 500 (the pages: "All responses include rate limit information"). When the request names
 *   no known account, the default account's numbers are used. Injected faults carry them too unless
 *   `rateLimitHeaders: false` (the 502 HTML fault has none: it comes from a proxy).
 * - Order of checks: auth (401) → JSON parse (400) → body schema (400 ZodError) → required fields
 *   (400) → account (404 `Account not found`, on every send endpoint) → account session (ERROR
 *   status: 500 "Failed to get LinkedIn authentication credentials") → quota (429) → Sales
 *   Navigator channel (400) → delivered (200).
 * - Unknown body fields are a 400 ZodError (see validation.ts).
 * - A 429, a 4xx/5xx and any injected `status` fault do not count against the quota; only a
 *   delivered message does.
 * - send-with-typing answers `typingIndicatorSent: true` only when a conversationUrn was given.
 * - GET /accounts and GET /account/status need the key but carry no rate-limit headers.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import {
	DEFAULT_ACCOUNT_ID,
	DEFAULT_API_KEY,
	SEED_ACCOUNTS,
	accountListEntry,
	accountStatusBody,
} from './accounts';
import type { StandinAccount } from './accounts';
import type { Fault } from './faults';
import { SEND_ENDPOINTS, validateSendBody } from './validation';
import type { SendBody, SendEndpoint } from './validation';

export const BASE_PATH = '/linkedin';
export const CONTROL_PATH = '/__standin';
export const DEFAULT_DAILY_LIMIT = 150;

export interface StandinOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Valid API keys (default [DEFAULT_API_KEY]). */
	apiKeys?: string[];
	accounts?: readonly StandinAccount[];
	defaultAccountId?: string;
	/** Daily message quota of every account (default 150). */
	dailyLimit?: number;
	/** Per-account quota overrides. */
	limits?: Record<string, number>;
	/** Quota window length; default: the window ends at the next UTC midnight. */
	resetInMs?: number;
	/** Serve the control API under /__standin/ (the CLI turns it on). */
	controlApi?: boolean;
}

export interface RecordedRequest {
	method: string;
	/** Path without the query string, e.g. `/linkedin/conversations/send`. */
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** Parsed JSON body; undefined when the body was empty or not JSON. */
	body: unknown;
	rawBody: string;
	/** ISO 8601 time the request was received. */
	at: string;
}

export interface DeliveredMessage {
	endpoint: SendEndpoint;
	accountId: string;
	/** recipientProfileId ?? recipientProfileUrn ?? conversationUrn, as sent. */
	recipient: string;
	recipientProfileUrn: string;
	recipientProfileId?: string;
	conversationUrn?: string;
	groupId?: string;
	message: string;
	subject?: string;
	messageUrns?: string[];
	attachments?: Array<Record<string, unknown>>;
	/** Index into `requests` of the request that delivered it. */
	requestIndex: number;
	at: string;
}

export interface QuotaState {
	accountId: string;
	limit: number;
	used: number;
	/** ISO 8601 */
	resetAt: string;
}

export interface QuotaUpdate {
	limit?: number;
	used?: number;
	/** Restart the window now, ending after this many ms (and every window after it). */
	resetInMs?: number;
}

interface QuotaWindow {
	limit: number;
	used: number;
	resetAt: number;
	resetInMs?: number;
}

type QueuedFault = Fault & { remaining: number };

/** A stable fake `urn:li:fsd_profile:ACoAA…` for a public profile ID (same id → same URN). */
export function fakeProfileUrn(recipient: string): string {
	const digest = createHash('sha256').update(recipient).digest('base64url');
	return `urn:li:fsd_profile:ACoAA${digest.slice(0, 34)}`;
}

function nextUtcMidnight(now: number): number {
	const date = new Date(now);
	return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
}

/** A URL on 127.0.0.1 where nothing listens: requests to it fail with ECONNREFUSED. */
export async function closedPortUrl(path = BASE_PATH): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}${path}`;
}

export class StandinServer {
	/** Every request received, in order. */
	readonly requests: RecordedRequest[] = [];

	/** Every message accepted with a 200, in order. */
	readonly delivered: DeliveredMessage[] = [];

	readonly apiKeys: Set<string>;

	private readonly accounts: Map<string, StandinAccount>;

	private readonly defaultAccountId: string;

	private readonly quotas = new Map<string, QuotaWindow>();

	private faultQueue: QueuedFault[] = [];

	private readonly sockets = new Set<Socket>();

	private readonly timers = new Set<NodeJS.Timeout>();

	private readonly server: Server;

	private port = 0;

	private constructor(private readonly options: StandinOptions) {
		this.apiKeys = new Set(options.apiKeys ?? [DEFAULT_API_KEY]);
		this.accounts = new Map((options.accounts ?? SEED_ACCOUNTS).map((a) => [a.id, { ...a }]));
		this.defaultAccountId = options.defaultAccountId ?? DEFAULT_ACCOUNT_ID;
		this.server = createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				if (!res.headersSent && !res.destroyed) {
					this.sendJson(res, 500, { error: `Stand-in failure: ${String(error)}`, success: false });
				}
			});
		});
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	static async start(options: StandinOptions = {}): Promise<StandinServer> {
		const standin = new StandinServer(options);
		await new Promise<void>((resolve, reject) => {
			standin.server.once('error', reject);
			standin.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
		});
		standin.port = (standin.server.address() as AddressInfo).port;
		return standin;
	}

	/** The base URL, same shape as `https://api.connectsafely.ai/linkedin`. */
	get url(): string {
		return `http://127.0.0.1:${this.port}${BASE_PATH}`;
	}

	get origin(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The first valid API key. */
	get apiKey(): string {
		return [...this.apiKeys][0] ?? '';
	}

	/** Queue faults; each applies to the next `times` (default 1) matching requests. */
	injectFault(...faultsToQueue: Fault[]): void {
		for (const fault of faultsToQueue) {
			this.faultQueue.push({ ...fault, remaining: fault.times ?? 1 });
		}
	}

	/** Faults still waiting for a matching request. */
	pendingFaults(): Fault[] {
		return this.faultQueue.map(({ remaining, ...fault }) => ({ ...fault, times: remaining }));
	}

	clearFaults(): void {
		this.faultQueue = [];
	}

	setQuota(accountId: string | undefined, update: QuotaUpdate): QuotaState {
		const id = accountId ?? this.defaultAccountId;
		const window = this.quotaWindow(id);
		if (update.limit !== undefined) window.limit = update.limit;
		if (update.used !== undefined) window.used = update.used;
		if (update.resetInMs !== undefined) {
			window.resetInMs = update.resetInMs;
			window.resetAt = Date.now() + update.resetInMs;
		}
		return this.quota(id);
	}

	quota(accountId?: string): QuotaState {
		const id = accountId ?? this.defaultAccountId;
		const window = this.quotaWindow(id);
		return {
			accountId: id,
			limit: window.limit,
			used: window.used,
			resetAt: new Date(window.resetAt).toISOString(),
		};
	}

	/** Messages delivered to a recipient (matched against id, URN or conversation URN). */
	deliveredTo(recipient: string): DeliveredMessage[] {
		return this.delivered.filter(
			(m) =>
				m.recipient === recipient ||
				m.recipientProfileId === recipient ||
				m.recipientProfileUrn === recipient ||
				m.conversationUrn === recipient,
		);
	}

	/** How many messages each recipient received (key: the recipient as sent). */
	deliveryCounts(): Record<string, number> {
		const counts: Record<string, number> = {};
		for (const { recipient } of this.delivered) counts[recipient] = (counts[recipient] ?? 0) + 1;
		return counts;
	}

	/** Requests to a path relative to the base path (`/conversations/send`) or absolute. */
	requestsTo(path: string): RecordedRequest[] {
		const full = this.fullPath(path);
		return this.requests.filter((r) => r.path === full);
	}

	/** Forget requests, deliveries, faults and quota use (quota overrides too). */
	reset(): void {
		this.requests.length = 0;
		this.delivered.length = 0;
		this.faultQueue = [];
		this.quotas.clear();
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		this.server.closeAllConnections();
		await closed;
	}

	// ---------------------------------------------------------------------------------------------

	private fullPath(path: string): string {
		if (path.startsWith(BASE_PATH + '/') || path.startsWith(CONTROL_PATH)) return path;
		return BASE_PATH + (path.startsWith('/') ? path : `/${path}`);
	}

	private quotaWindow(accountId: string): QuotaWindow {
		const now = Date.now();
		let window = this.quotas.get(accountId);
		if (!window) {
			const resetInMs = this.options.resetInMs;
			window = {
				limit: this.options.limits?.[accountId] ?? this.options.dailyLimit ?? DEFAULT_DAILY_LIMIT,
				used: 0,
				resetAt: resetInMs !== undefined ? now + resetInMs : nextUtcMidnight(now),
				resetInMs,
			};
			this.quotas.set(accountId, window);
		} else if (now >= window.resetAt) {
			window.used = 0;
			window.resetAt =
				window.resetInMs !== undefined ? now + window.resetInMs : nextUtcMidnight(now);
		}
		return window;
	}

	private rateLimitHeaders(accountId: string): Record<string, string> {
		const { limit, used, resetAt } = this.quota(accountId);
		return {
			'X-RateLimit-Action': 'MESSAGE',
			'X-RateLimit-Limit': String(limit),
			'X-RateLimit-Used': String(used),
			'X-RateLimit-Remaining': String(Math.max(0, limit - used)),
			'X-RateLimit-Reset': resetAt,
		};
	}

	private sendJson(
		res: ServerResponse,
		status: number,
		body: unknown,
		headers: Record<string, string> = {},
	): void {
		this.sendRaw(res, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
	}

	private sendRaw(
		res: ServerResponse,
		status: number,
		text: string,
		contentType: string,
		headers: Record<string, string>,
	): void {
		if (res.destroyed || res.headersSent) return;
		res.writeHead(status, {
			...headers,
			'Content-Type': contentType,
			'Content-Length': String(Buffer.byteLength(text)),
		});
		res.end(text);
	}

	private async readBody(req: IncomingMessage): Promise<string> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks).toString('utf8');
	}

	private takeFault(path: string, body: unknown): QueuedFault | undefined {
		const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<
			string,
			unknown
		>;
		const now = Date.now();
		this.faultQueue = this.faultQueue.filter(
			(fault) => fault.until === undefined || now < fault.until,
		);
		const index = this.faultQueue.findIndex((fault) => {
			if (fault.path !== undefined && this.fullPath(fault.path) !== path) return false;
			if (fault.recipient !== undefined) {
				const candidates = [
					fields.recipientProfileId,
					fields.recipientProfileUrn,
					fields.conversationUrn,
				];
				if (!candidates.includes(fault.recipient)) return false;
			}
			if (fault.accountId !== undefined) {
				const accountId = fields.accountId ?? this.defaultAccountId;
				if (accountId !== fault.accountId) return false;
			}
			return true;
		});
		if (index === -1) return undefined;
		const fault = this.faultQueue[index];
		if (fault.until !== undefined) return fault;
		fault.remaining -= 1;
		if (fault.remaining <= 0) this.faultQueue.splice(index, 1);
		return fault;
	}

	private wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname.replace(/\/+$/, '') || '/';
		const rawBody = await this.readBody(req);

		if (this.options.controlApi && path.startsWith(CONTROL_PATH + '/')) {
			this.handleControl(req.method ?? 'GET', path, url, rawBody, res);
			return;
		}

		let body: unknown;
		let bodyIsJson = rawBody.trim() === '';
		if (!bodyIsJson) {
			try {
				body = JSON.parse(rawBody);
				bodyIsJson = true;
			} catch {
				body = undefined;
			}
		}
		const requestIndex = this.requests.length;
		this.requests.push({
			method: req.method ?? 'GET',
			path,
			query: Object.fromEntries(url.searchParams.entries()),
			headers: req.headers,
			body,
			rawBody,
			at: new Date().toISOString(),
		});

		const endpoint = SEND_ENDPOINTS.find((e) => BASE_PATH + e === path);
		const fault = this.takeFault(path, body);

		if (fault?.drop) {
			req.socket.destroy();
			return;
		}
		if (fault?.status !== undefined) {
			if (fault.delayMs) await this.wait(fault.delayMs);
			const headers = { ...(fault.headers ?? {}) };
			if (endpoint && fault.rateLimitHeaders !== false) {
				Object.assign(headers, this.rateLimitHeaders(this.accountIdFor(body)));
			}
			if (typeof fault.body === 'string') {
				this.sendRaw(res, fault.status, fault.body, fault.contentType ?? 'text/html', headers);
			} else {
				this.sendJson(res, fault.status, fault.body ?? {}, headers);
			}
			return;
		}

		const answer = endpoint
			? this.handleSend(endpoint, req, body, bodyIsJson, requestIndex)
			: this.handleRead(req.method ?? 'GET', path, url, req);

		if (fault?.delayMs) await this.wait(fault.delayMs);
		if (fault?.reset) {
			this.breakMidResponse(res, answer);
			return;
		}
		this.sendJson(res, answer.status, answer.body, answer.headers);
	}

	/** Send the status line, headers and half the body, then destroy the socket. */
	private breakMidResponse(res: ServerResponse, answer: Answer): void {
		if (res.destroyed) return;
		const text = JSON.stringify(answer.body);
		res.writeHead(answer.status, {
			...(answer.headers ?? {}),
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Length': String(Buffer.byteLength(text)),
		});
		res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
	}

	private accountIdFor(body: unknown): string {
		if (typeof body === 'object' && body !== null) {
			const { accountId } = body as Record<string, unknown>;
			if (typeof accountId === 'string' && this.accounts.has(accountId)) return accountId;
		}
		return this.defaultAccountId;
	}

	private isAuthorized(req: IncomingMessage): boolean {
		const header = req.headers.authorization;
		if (typeof header !== 'string') return false;
		const match = /^Bearer (.+)$/.exec(header);
		return match !== null && this.apiKeys.has(match[1]);
	}

	private handleRead(method: string, path: string, url: URL, req: IncomingMessage): Answer {
		if (!this.isAuthorized(req)) return unauthorized();
		if (method === 'GET' && path === `${BASE_PATH}/accounts`) {
			const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
			const matches = [...this.accounts.values()].filter((a) =>
				q === ''
					? true
					: [a.firstName, a.lastName, `${a.firstName} ${a.lastName}`, a.publicId, a.id].some((s) =>
							s.toLowerCase().includes(q),
						),
			);
			return { status: 200, body: matches.map(accountListEntry) };
		}
		if (method === 'GET' && path === `${BASE_PATH}/account/status`) {
			const id = url.searchParams.get('accountId') || this.defaultAccountId;
			const account = this.accounts.get(id);
			if (!account) return { status: 404, body: { error: 'Account not found' } };
			return { status: 200, body: accountStatusBody(account) };
		}
		return { status: 404, body: { error: `Cannot ${method} ${path}` } };
	}

	private handleSend(
		endpoint: SendEndpoint,
		req: IncomingMessage,
		rawBody: unknown,
		bodyIsJson: boolean,
		requestIndex: number,
	): Answer {
		const headersFor = (accountId: string) => this.rateLimitHeaders(accountId);
		const fallbackHeaders = () => headersFor(this.accountIdFor(rawBody));

		if (req.method !== 'POST') {
			return {
				status: 404,
				body: { error: `Cannot ${req.method} ${endpoint}` },
				headers: fallbackHeaders(),
			};
		}
		if (!this.isAuthorized(req)) return { ...unauthorized(), headers: fallbackHeaders() };
		if (!bodyIsJson) {
			return {
				status: 400,
				body: { success: false, error: 'Invalid JSON in request body' },
				headers: fallbackHeaders(),
			};
		}
		const validation = validateSendBody(endpoint, rawBody ?? {});
		if (!validation.ok) {
			return { status: validation.status, body: validation.body, headers: fallbackHeaders() };
		}
		const body = validation.body;
		const accountId = body.accountId ?? this.defaultAccountId;
		const account = this.accounts.get(accountId);
		if (!account) {
			const error = 'Account not found';
			return {
				status: 404,
				body: endpoint === '/conversations/send' ? { error } : { success: false, error },
				headers: fallbackHeaders(),
			};
		}
		if (account.status === 'ERROR') {
			return {
				status: 500,
				body: { error: 'Failed to get LinkedIn authentication credentials', success: false },
				headers: headersFor(accountId),
			};
		}
		const window = this.quotaWindow(accountId);
		if (window.used >= window.limit) {
			const resetAt = new Date(window.resetAt).toISOString();
			return {
				status: 429,
				body: {
					success: false,
					error: `Rate limit exceeded for MESSAGE: ${window.used}/${window.limit} used. Resets at ${resetAt}`,
				},
				headers: headersFor(accountId),
			};
		}
		if (body.messagingChannel === 'sales_navigator' && !account.hasSalesNavigator) {
			return {
				status: 400,
				body: {
					error:
						'This account does not have Sales Navigator: use messagingChannel "auto" or "linkedin_inbox"',
				},
				headers: headersFor(accountId),
			};
		}

		window.used += 1;
		const delivered = this.deliver(endpoint, accountId, body, requestIndex);
		return {
			status: 200,
			body: this.successBody(endpoint, account, body, delivered),
			headers: headersFor(accountId),
		};
	}

	private deliver(
		endpoint: SendEndpoint,
		accountId: string,
		body: SendBody,
		requestIndex: number,
	): DeliveredMessage {
		const recipient =
			body.recipientProfileId || body.recipientProfileUrn || body.conversationUrn || '';
		const message: DeliveredMessage = {
			endpoint,
			accountId,
			recipient,
			recipientProfileUrn: body.recipientProfileUrn || fakeProfileUrn(recipient),
			message: body.message,
			requestIndex,
			at: new Date().toISOString(),
		};
		if (body.recipientProfileId) message.recipientProfileId = body.recipientProfileId;
		if (body.conversationUrn) message.conversationUrn = body.conversationUrn;
		if (body.groupId !== undefined) message.groupId = body.groupId;
		if (body.subject !== undefined) message.subject = body.subject;
		if (body.messageUrns !== undefined) message.messageUrns = body.messageUrns;
		if (body.attachments !== undefined) message.attachments = body.attachments;
		this.delivered.push(message);
		return message;
	}

	private successBody(
		endpoint: SendEndpoint,
		account: StandinAccount,
		body: SendBody,
		delivered: DeliveredMessage,
	): Record<string, unknown> {
		const { recipientProfileUrn } = delivered;
		const acknowledgmentSent = (body.messageUrns ?? []).length > 0;
		switch (endpoint) {
			case '/conversations/send': {
				const viaSalesNav =
					account.hasSalesNavigator && (body.messagingChannel ?? 'auto') !== 'linkedin_inbox';
				const result: Record<string, unknown> = {
					success: true,
					message: body.message,
					recipientProfileUrn,
					sentMessage: {
						id: randomUUID(),
						conversationUrn:
							body.conversationUrn ??
							`urn:li:msg_conversation:(${recipientProfileUrn},2-${delivered.requestIndex})`,
						deliveredAt: Date.parse(delivered.at),
					},
				};
				if (viaSalesNav) result.threadId = String(100000 + delivered.requestIndex);
				return result;
			}
			case '/messaging/send-with-ack':
				return {
					success: true,
					message: 'Message sent successfully',
					recipientProfileUrn,
					acknowledgmentSent,
				};
			case '/messaging/send-with-typing':
				return {
					success: true,
					message: 'Message sent successfully',
					recipientProfileUrn,
					typingIndicatorSent: Boolean(body.conversationUrn),
				};
			case '/messaging/send':
				return { success: true, message: 'Message sent successfully', recipientProfileUrn };
			case '/messaging/send-group-with-ack':
				return {
					success: true,
					message: 'Group context message sent successfully',
					recipientProfileUrn,
					groupId: body.groupId,
					acknowledgmentSent,
				};
		}
	}

	private handleControl(
		method: string,
		path: string,
		url: URL,
		rawBody: string,
		res: ServerResponse,
	): void {
		let input: unknown = {};
		if (rawBody.trim() !== '') {
			try {
				input = JSON.parse(rawBody);
			} catch {
				this.sendJson(res, 400, { error: 'Control API expects a JSON body' });
				return;
			}
		}
		const route = `${method} ${path.slice(CONTROL_PATH.length)}`;
		switch (route) {
			case 'GET /requests':
				return this.sendJson(res, 200, this.requests);
			case 'GET /delivered':
				return this.sendJson(res, 200, this.delivered);
			case 'GET /faults':
				return this.sendJson(res, 200, this.pendingFaults());
			case 'POST /reset':
				this.reset();
				return this.sendJson(res, 200, { ok: true });
			case 'POST /faults': {
				const list = (Array.isArray(input) ? input : [input]) as Fault[];
				this.injectFault(...list);
				return this.sendJson(res, 200, { ok: true, pending: this.faultQueue.length });
			}
			case 'DELETE /faults':
				this.clearFaults();
				return this.sendJson(res, 200, { ok: true });
			case 'GET /quota':
				return this.sendJson(res, 200, this.quota(url.searchParams.get('accountId') ?? undefined));
			case 'POST /quota': {
				const { accountId, ...update } = input as QuotaUpdate & { accountId?: string };
				return this.sendJson(res, 200, this.setQuota(accountId, update));
			}
			default:
				return this.sendJson(res, 404, { error: `No control route ${route}` });
		}
	}
}

interface Answer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

function unauthorized(): Answer {
	return { status: 401, body: { error: 'Unauthorized - Invalid credentials' } };
}

/** Start a stand-in server; `close()` it in afterAll. */
export async function startStandin(options: StandinOptions = {}): Promise<StandinServer> {
	return await StandinServer.start(options);
}

export * from './accounts';
export * from './faults';
export type { SendBody, SendEndpoint, ZodIssue } from './validation';
export { SEND_ENDPOINTS, validateSendBody } from './validation';
