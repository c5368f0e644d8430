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
 * - Attachments on /conversations/send: an item `{ file: { assetUrn, … } }` must name an asset this
 *   account uploaded (else 400 `{"error": …}`, checked after the Sales Navigator check); an upload
 *   result passed without the `file` wrapper is 400; objects of any other shape pass unchanged.
 * - The inbox (conversations, messages, uploads, reads): see conversations.ts and README.md.
 * - GET /account/{accountId}/quota: see quota.ts. It needs the key, answers for a disconnected account too (it
 *   reads ConnectSafely's database only, no LinkedIn call), 404 `{"error": "Account not found"}` for an account
 *   the key does not have, and carries the account's X-RateLimit-* headers (MESSAGE) like a send answer: the
 *   cookbook says every response includes them.
 * - A hold (`holdAccount`, LinkedIn's temporary hold): until `holdUntil`, every send of that account answers 429
 *   with the usual rate-limit text and `holdUntil` (ISO 8601) in the body — also after the window's reset, which
 *   is the point: a client that retries at the reset is refused again. Checked just before the quota.
 */
import { randomUUID } from 'node:crypto';
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
import {
	ConversationStore,
	SLUG_PATTERN,
	SeedError,
	fakeProfileUrn,
	normalizeSlug,
} from './conversations';
import type {
	SeedConversationSpec,
	SeededConversation,
	StoredConversation,
	UploadedAttachment,
} from './conversations';
import type { Fault } from './faults';
import { formatHoldTime, quotaAnswer } from './quota';
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
	/** The body decoded as UTF-8 (lossy for binary bodies: use rawBytes). */
	rawBody: string;
	/**
	 * The body exactly as received (a non-enumerable property, so toEqual on whole requests ignores
	 * it). The control API sends it as `rawBodyBase64`.
	 */
	rawBytes: Buffer;
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
	/** URN of the stand-in conversation the message went into (none for an unknown conversationUrn alone). */
	conversation?: string;
	/** URN the message has in that conversation (as GET /conversations/{urn}/messages lists it). */
	messageUrn?: string;
	/** How many unread messages of the conversation its messageUrns marked read. */
	acknowledged?: number;
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
	/** When LinkedIn last answered 429 in this window (a hold began); cleared at the reset. */
	limitReachedAt?: number;
}

/** What a test makes a person write in a conversation (`reply`). */
export interface ReplySpec {
	/** Default: "Thanks, but no thanks." */
	text?: string;
	/** Epoch ms; default now (after the conversation's newest message). */
	sentAt?: number;
	/** Default: the default account. */
	accountId?: string;
}

export interface Reply {
	conversationUrn: string;
	messageUrn: string;
	sentAt: number;
}

type QueuedFault = Fault & { remaining: number };

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

	/** LinkedIn holds: account id → end of the hold (epoch ms). */
	private readonly holds = new Map<string, number>();

	private readonly inbox: ConversationStore;

	private faultQueue: QueuedFault[] = [];

	private readonly sockets = new Set<Socket>();

	private readonly timers = new Set<NodeJS.Timeout>();

	private readonly server: Server;

	private port = 0;

	private constructor(private readonly options: StandinOptions) {
		this.apiKeys = new Set(options.apiKeys ?? [DEFAULT_API_KEY]);
		this.accounts = new Map((options.accounts ?? SEED_ACCOUNTS).map((a) => [a.id, { ...a }]));
		this.defaultAccountId = options.defaultAccountId ?? DEFAULT_ACCOUNT_ID;
		this.inbox = new ConversationStore((id) => this.accounts.get(id));
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

	/**
	 * LinkedIn puts the account on a temporary hold until `holdUntil` (epoch ms): every send of the account answers
	 * 429 with `holdUntil` in the body until then, even after the quota window resets; the quota answer shows
	 * `limitReached: true` for MESSAGE until the window resets. A `holdUntil` in the past lifts the hold.
	 */
	holdAccount(accountId: string | undefined, holdUntil: number): void {
		const id = accountId ?? this.defaultAccountId;
		if (holdUntil <= Date.now()) {
			this.holds.delete(id);
			return;
		}
		this.holds.set(id, holdUntil);
		this.quotaWindow(id).limitReachedAt = Date.now();
	}

	/** The end of the account's hold (epoch ms), or undefined when there is none (any more). */
	holdOf(accountId?: string): number | undefined {
		const id = accountId ?? this.defaultAccountId;
		const until = this.holds.get(id);
		if (until !== undefined && Date.now() >= until) {
			this.holds.delete(id);
			return undefined;
		}
		return until;
	}

	/**
	 * The person writes in their conversation with the account (a message with `isSentByOwner: false`, unread),
	 * creating the conversation when there is none. `person`: a public slug or a profile URN. Throws SeedError
	 * for an unknown account or a `sentAt` another message of the conversation already has.
	 */
	reply(person: string, spec: ReplySpec = {}): Reply {
		const accountId = spec.accountId ?? this.defaultAccountId;
		if (!this.accounts.has(accountId)) throw new SeedError(`unknown account ${accountId}`);
		let resolved;
		if (person.startsWith('urn:li:')) {
			if (!/^urn:li:fsd_profile:[\w-]+$/.test(person)) {
				throw new SeedError('a person is a public slug or urn:li:fsd_profile:…');
			}
			resolved = this.inbox.personFor(undefined, person);
		} else {
			if (!SLUG_PATTERN.test(person)) throw new SeedError(`not a public profile slug: ${person}`);
			resolved = this.inbox.personFor(normalizeSlug(person));
		}
		const conversation = this.inbox.getOrCreate(accountId, resolved);
		const message = this.inbox.addMessage(conversation, {
			text: spec.text ?? 'Thanks, but no thanks.',
			sentAt: spec.sentAt,
			fromOwner: false,
		});
		return {
			conversationUrn: conversation.conversationUrn,
			messageUrn: message.messageUrn,
			sentAt: message.sentAt,
		};
	}

	/** The body of GET /account/{accountId}/quota for an account (the default one when none is named). */
	quotaAnswer(accountId?: string) {
		const id = accountId ?? this.defaultAccountId;
		return quotaAnswer(id, this.quotaWindow(id), Date.now());
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

	/**
	 * Add a conversation (or messages to the existing one with that person) for tests. Incoming
	 * messages (fromOwner false) are unread. Throws SeedError for a bad spec or an unknown account.
	 */
	seedConversation(spec: SeedConversationSpec): SeededConversation {
		return this.inbox.seed(spec, this.defaultAccountId);
	}

	/** Every conversation with its messages (oldest first), read state and labels. */
	conversations(accountId?: string): ReturnType<ConversationStore['stateJson']>[] {
		return this.inbox
			.sorted(this.inbox.all())
			.filter((c) => accountId === undefined || c.accountId === accountId)
			.map((c) => this.inbox.stateJson(c));
	}

	/** The conversation with a person (slug or profile URN), if any. */
	conversationWith(
		person: string,
		accountId = this.defaultAccountId,
	): ReturnType<ConversationStore['stateJson']> | undefined {
		const resolved = person.startsWith('urn:li:')
			? this.inbox.personFor(undefined, person)
			: this.inbox.personFor(person);
		const conversation = this.inbox.withPerson(accountId, resolved);
		return conversation ? this.inbox.stateJson(conversation) : undefined;
	}

	/** Every file uploaded with POST /conversations/upload-attachment (bytes as received). */
	uploadedAttachments(): UploadedAttachment[] {
		return [...this.inbox.attachments.values()];
	}

	/** Forget requests, deliveries, faults, quota use (quota overrides too), holds, conversations, uploads. */
	reset(): void {
		this.requests.length = 0;
		this.delivered.length = 0;
		this.faultQueue = [];
		this.quotas.clear();
		this.holds.clear();
		this.inbox.clear();
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
			window.limitReachedAt = undefined;
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

	private async readBody(req: IncomingMessage): Promise<Buffer> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks);
	}

	private pathMatches(filter: string, path: string): boolean {
		const full = this.fullPath(filter);
		const decoded = safeDecode(path);
		if (!full.includes('*')) return full === path || full === decoded;
		const pattern = new RegExp(
			'^' +
				full
					.split('*')
					.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
					.join('[^/]+') +
				'$',
		);
		return pattern.test(path) || pattern.test(decoded);
	}

	private takeFault(
		method: string,
		path: string,
		url: URL,
		body: unknown,
	): QueuedFault | undefined {
		const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<
			string,
			unknown
		>;
		const now = Date.now();
		this.faultQueue = this.faultQueue.filter(
			(fault) => fault.until === undefined || now < fault.until,
		);
		// Read endpoints name the person or conversation in the path.
		const segments = path
			.slice(BASE_PATH.length + 1)
			.split('/')
			.map(safeDecode);
		const pathRecipient =
			segments[0] === 'conversations' && segments.length === 3
				? segments[1] === 'exists'
					? segments[2]
					: segments[1]
				: undefined;
		// GET /account/{accountId}/quota names the account in the path.
		const pathAccount =
			segments.length === 3 && segments[0] === 'account' && segments[2] === 'quota'
				? segments[1]
				: undefined;
		const index = this.faultQueue.findIndex((fault) => {
			if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false;
			if (fault.path !== undefined && !this.pathMatches(fault.path, path)) return false;
			if (fault.recipient !== undefined) {
				const candidates = [
					fields.recipientProfileId,
					fields.recipientProfileUrn,
					fields.conversationUrn,
					pathRecipient,
				];
				if (!candidates.includes(fault.recipient)) return false;
			}
			if (fault.accountId !== undefined) {
				const accountId =
					fields.accountId ??
					pathAccount ??
					(url.searchParams.get('accountId') || this.defaultAccountId);
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
		const rawBytes = await this.readBody(req);
		const rawBody = rawBytes.toString('utf8');

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
		const recorded = {
			method: req.method ?? 'GET',
			path,
			query: Object.fromEntries(url.searchParams.entries()),
			headers: req.headers,
			body,
			rawBody,
			at: new Date().toISOString(),
		} as RecordedRequest;
		// Not enumerable: comparisons of whole recorded requests (toEqual) stay as they were.
		Object.defineProperty(recorded, 'rawBytes', { value: rawBytes, enumerable: false });
		this.requests.push(recorded);

		const method = req.method ?? 'GET';
		const endpoint = SEND_ENDPOINTS.find((e) => BASE_PATH + e === path);
		const fault = this.takeFault(method, path, url, body);

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
			: path === `${BASE_PATH}/conversations` || path.startsWith(`${BASE_PATH}/conversations/`)
				? this.handleConversations(method, path, url, req, rawBytes)
				: this.handleRead(method, path, url, req);

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

	/** The account a read names (`accountId` query, default account) or the error answer. */
	private readAccount(url: URL): { account: StandinAccount } | { answer: Answer } {
		const id = url.searchParams.get('accountId') || this.defaultAccountId;
		const account = this.accounts.get(id);
		if (!account) return { answer: { status: 404, body: { error: 'Account not found' } } };
		if (account.status === 'ERROR') return { answer: sessionBroken() };
		return { account };
	}

	private handleConversations(
		method: string,
		path: string,
		url: URL,
		req: IncomingMessage,
		rawBytes: Buffer,
	): Answer {
		if (!this.isAuthorized(req)) return unauthorized();
		const segments = path.slice(`${BASE_PATH}/conversations`.length).split('/').slice(1);
		const notFound: Answer = { status: 404, body: { error: `Cannot ${method} ${path}` } };
		if (method === 'POST' && segments.length === 1 && segments[0] === 'upload-attachment') {
			return this.handleUpload(url, req, rawBytes);
		}
		if (method !== 'GET') return notFound;
		if (segments.length === 0) return this.listConversations(url);
		if (segments.length === 2 && segments[0] === 'exists') {
			return this.conversationExists(url, safeDecode(segments[1]));
		}
		if (segments.length === 2 && segments[1] === 'messages') {
			return this.conversationMessages(url, safeDecode(segments[0]));
		}
		return notFound;
	}

	private listConversations(url: URL): Answer {
		const batch = url.searchParams.get('linkedinAccountIds');
		const ids = new Set<string>();
		if (url.searchParams.get('accountId')) ids.add(url.searchParams.get('accountId') as string);
		for (const id of (batch ?? '').split(',')) if (id.trim() !== '') ids.add(id.trim());
		if (ids.size === 0) ids.add(this.defaultAccountId);
		const accounts: StandinAccount[] = [];
		for (const id of ids) {
			const account = this.accounts.get(id);
			if (!account) return { status: 404, body: { error: 'Account not found' } };
			if (account.status === 'ERROR') return sessionBroken();
			accounts.push(account);
		}
		const count = parseCount(url.searchParams.get('count'), 20);
		if (count === undefined) return badRead('count must be a positive whole number');
		const unreadOnly = parseFlag(url.searchParams.get('unreadOnly'));
		const labeledOnly = parseFlag(url.searchParams.get('labeledOnly'));
		if (unreadOnly === undefined) return badRead('unreadOnly must be true or false');
		if (labeledOnly === undefined) return badRead('labeledOnly must be true or false');
		const labelId = url.searchParams.get('labelId') || undefined;

		let after: { t: number; s: number } | undefined;
		const cursor = url.searchParams.get('nextCursor');
		if (cursor) {
			after = decodeListCursor(cursor);
			if (!after) return badRead('Invalid nextCursor');
		}
		const matching = this.inbox
			.sorted(this.inbox.all())
			.filter((c) => ids.has(c.accountId))
			.filter((c) => !unreadOnly || this.inbox.unreadCount(c) > 0)
			.filter((c) => !labeledOnly || c.labels.length > 0)
			.filter((c) => labelId === undefined || c.labels.includes(labelId))
			.filter((c) => {
				if (!after) return true;
				const t = this.inbox.lastActivityAt(c);
				return t < after.t || (t === after.t && c.activitySeq < after.s);
			});
		const page = matching.slice(0, count);
		const hasMore = matching.length > page.length;
		const last = page[page.length - 1];
		return {
			status: 200,
			body: {
				success: true,
				conversations: page.map((c) => this.inbox.conversationJson(c)),
				accounts: accounts.map((a) => ({ id: a.id, name: `${a.firstName} ${a.lastName}` })),
				nextCursor:
					hasMore && last
						? encodeListCursor({ t: this.inbox.lastActivityAt(last), s: last.activitySeq })
						: null,
				hasMore,
				fromCache: true,
			},
		};
	}

	private conversationMessages(url: URL, urn: string): Answer {
		const read = this.readAccount(url);
		if ('answer' in read) return read.answer;
		const conversation = this.inbox.find(read.account.id, urn);
		if (!conversation) return { status: 404, body: { error: 'Conversation not found' } };
		const count = parseCount(url.searchParams.get('count'), 50);
		if (count === undefined) return badRead('count must be a positive whole number');
		const cursorText = url.searchParams.get('cursor');
		const sinceText = url.searchParams.get('since');
		const cursor = cursorText ? parseEpochMs(cursorText) : Infinity;
		const since = sinceText ? parseEpochMs(sinceText) : -Infinity;
		if (cursor === undefined) return badRead('cursor must be the cursor of a previous answer');
		if (since === undefined) return badRead('since must be a timestamp in epoch milliseconds');
		const newestFirst = [...conversation.messages]
			.reverse()
			.filter((m) => m.sentAt < cursor && m.sentAt > since);
		const page = newestFirst.slice(0, count);
		const hasMore = newestFirst.length > page.length;
		const oldest = page[page.length - 1];
		const { profileId, name, headline, profilePicture } = this.inbox.participantJson(
			conversation.person,
		);
		return {
			status: 200,
			body: {
				success: true,
				messages: page.map((m) => this.inbox.messageJson(conversation, m)),
				participants: [{ profileId, name, headline, profilePicture }],
				hasMore,
				cursor: hasMore && oldest ? String(oldest.sentAt) : null,
			},
		};
	}

	private conversationExists(url: URL, profileId: string): Answer {
		const read = this.readAccount(url);
		if ('answer' in read) return read.answer;
		if (!SLUG_PATTERN.test(profileId)) {
			return { status: 404, body: { error: `Profile not found: ${profileId}` } };
		}
		const person = this.inbox.personFor(normalizeSlug(profileId));
		const conversation = this.inbox.withPerson(read.account.id, person);
		return {
			status: 200,
			body: {
				success: true,
				hasConversation: conversation !== undefined,
				conversationUrn: conversation?.conversationUrn ?? null,
				profileUrn: person.profileUrn,
				accountId: read.account.id,
			},
		};
	}

	/** POST /conversations/upload-attachment: errors in the (T) shape `{ success, code, message }`. */
	private handleUpload(url: URL, req: IncomingMessage, bytes: Buffer): Answer {
		const fail = (status: number, code: string, message: string): Answer => ({
			status,
			body: { success: false, code, message },
		});
		const contentType = req.headers['content-type'];
		if (typeof contentType !== 'string' || contentType.trim() === '') {
			return fail(
				400,
				'BAD_REQUEST',
				"Content-Type header is required: the file's MIME type, with the file as the raw body",
			);
		}
		const mediaType = contentType.split(';')[0].trim().toLowerCase();
		if (mediaType.startsWith('multipart/')) {
			return fail(
				400,
				'BAD_REQUEST',
				'Send the file as the raw request body with its own Content-Type, not multipart/form-data',
			);
		}
		if (!/^[\w.+-]+\/[\w.+-]+$/.test(mediaType)) {
			return fail(400, 'BAD_REQUEST', `Invalid Content-Type "${contentType}"`);
		}
		if (bytes.length === 0) return fail(400, 'BAD_REQUEST', 'The request body (the file) is empty');
		const accountId = url.searchParams.get('accountId') || this.defaultAccountId;
		const account = this.accounts.get(accountId);
		if (!account) return fail(404, 'NOT_FOUND', 'Account not found');
		if (account.status === 'ERROR') {
			return fail(500, 'INTERNAL_ERROR', 'Failed to get LinkedIn authentication credentials');
		}
		const attachment = this.inbox.registerAttachment({
			accountId,
			mediaType,
			name: url.searchParams.get('filename') || 'attachment',
			contentType,
			bytes: Buffer.from(bytes),
		});
		const { assetUrn, byteSize, name } = attachment;
		return {
			status: 200,
			body: { success: true, attachment: { assetUrn, byteSize, mediaType, name } },
		};
	}

	/** GET /account/{accountId}/quota (section 11): the account's own numbers, with its rate-limit headers. */
	private handleQuota(accountId: string): Answer {
		if (!this.accounts.has(accountId)) {
			return {
				status: 404,
				body: { error: 'Account not found' },
				headers: this.rateLimitHeaders(this.defaultAccountId),
			};
		}
		return {
			status: 200,
			body: this.quotaAnswer(accountId),
			headers: this.rateLimitHeaders(accountId),
		};
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
		const quotaPath = /^\/account\/([^/]+)\/quota$/.exec(path.slice(BASE_PATH.length));
		if (method === 'GET' && quotaPath) return this.handleQuota(safeDecode(quotaPath[1]));
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
		const holdUntil = this.holdOf(accountId);
		if (holdUntil !== undefined) {
			const resetAt = new Date(window.resetAt).toISOString();
			return {
				status: 429,
				body: {
					success: false,
					error: `Rate limit exceeded for MESSAGE: ${window.used}/${window.limit} used. Resets at ${resetAt}`,
					holdUntil: formatHoldTime(holdUntil),
				},
				headers: headersFor(accountId),
			};
		}
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
		const attachmentError = this.checkAttachments(accountId, body.attachments);
		if (attachmentError !== undefined) {
			return { status: 400, body: { error: attachmentError }, headers: headersFor(accountId) };
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

		// Into the inbox: the named conversation (conversationUrn skips the recipient lookup), else
		// the conversation with the recipient, created by the first message.
		let conversation: StoredConversation | undefined = body.conversationUrn
			? this.inbox.find(accountId, body.conversationUrn)
			: undefined;
		if (!conversation && (body.recipientProfileId || body.recipientProfileUrn)) {
			const person = this.inbox.personFor(body.recipientProfileId, body.recipientProfileUrn);
			conversation = this.inbox.getOrCreate(accountId, person);
		}
		if (conversation) {
			if (body.messageUrns !== undefined) {
				message.acknowledged = this.inbox.acknowledge(conversation, body.messageUrns);
			}
			const stored = this.inbox.addMessage(conversation, {
				text: body.message,
				fromOwner: true,
				attachments: body.attachments ?? [],
			});
			message.conversation = conversation.conversationUrn;
			message.messageUrn = stored.messageUrn;
			message.recipientProfileUrn = conversation.person.profileUrn;
		}
		this.delivered.push(message);
		return message;
	}

	/** An error text when an attachment names an asset this account did not upload. */
	private checkAttachments(
		accountId: string,
		attachments: Array<Record<string, unknown>> | undefined,
	): string | undefined {
		for (const [index, item] of (attachments ?? []).entries()) {
			const { file } = item;
			if (file === undefined) {
				if ('assetUrn' in item) {
					return `attachments[${index}]: wrap the upload result in "file": [{ "file": { "assetUrn", "byteSize", "mediaType", "name" } }]`;
				}
				// Objects of another shape pass through unchanged (the stand-in did so before uploads existed).
				continue;
			}
			if (typeof file !== 'object' || file === null || Array.isArray(file)) {
				return `attachments[${index}].file must be the attachment object from upload-attachment`;
			}
			const { assetUrn } = file as Record<string, unknown>;
			if (typeof assetUrn !== 'string' || assetUrn === '') {
				return `attachments[${index}].file.assetUrn is required`;
			}
			const asset = this.inbox.attachments.get(assetUrn);
			if (!asset || asset.accountId !== accountId) {
				return `Attachment not found: ${assetUrn} (upload it for this account with POST /conversations/upload-attachment first)`;
			}
		}
		return undefined;
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
							delivered.conversation ??
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
				return this.sendJson(
					res,
					200,
					this.requests.map((request) => ({
						...request,
						rawBodyBase64: request.rawBytes.toString('base64'),
					})),
				);
			case 'GET /conversations':
				return this.sendJson(
					res,
					200,
					this.conversations(url.searchParams.get('accountId') ?? undefined),
				);
			case 'POST /conversations': {
				try {
					const seeded = Array.isArray(input)
						? (input as SeedConversationSpec[]).map((spec) => this.seedConversation(spec))
						: this.seedConversation(input as SeedConversationSpec);
					return this.sendJson(res, 200, seeded);
				} catch (error) {
					if (!(error instanceof SeedError)) throw error;
					return this.sendJson(res, 400, { error: error.message });
				}
			}
			case 'GET /attachments':
				return this.sendJson(
					res,
					200,
					this.uploadedAttachments().map(({ bytes, ...attachment }) => ({
						...attachment,
						bytesBase64: bytes.toString('base64'),
					})),
				);
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
			case 'POST /reply': {
				const { person, ...spec } = input as ReplySpec & { person?: unknown };
				if (typeof person !== 'string') {
					return this.sendJson(res, 400, { error: 'person (a slug or a profile URN) is required' });
				}
				try {
					return this.sendJson(res, 200, this.reply(person, spec));
				} catch (error) {
					if (!(error instanceof SeedError)) throw error;
					return this.sendJson(res, 400, { error: error.message });
				}
			}
			case 'POST /hold': {
				const { accountId, holdUntil, holdInMs } = input as {
					accountId?: string;
					holdUntil?: number;
					holdInMs?: number;
				};
				const until = holdUntil ?? (holdInMs === undefined ? undefined : Date.now() + holdInMs);
				if (typeof until !== 'number' || !Number.isFinite(until)) {
					return this.sendJson(res, 400, { error: 'holdUntil (epoch ms) or holdInMs is required' });
				}
				this.holdAccount(accountId, until);
				return this.sendJson(res, 200, { ok: true, holdUntil: this.holdOf(accountId) ?? null });
			}
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

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
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

function sessionBroken(): Answer {
	return {
		status: 500,
		body: { error: 'Failed to get LinkedIn authentication credentials', success: false },
	};
}

function badRead(error: string): Answer {
	return { status: 400, body: { error } };
}

/** Largest page the read endpoints return (larger counts are cut to it; hasMore tells). */
export const MAX_READ_COUNT = 100;

function parseCount(value: string | null, fallback: number): number | undefined {
	if (value === null || value === '') return fallback;
	if (!/^\d+$/.test(value) || Number(value) < 1) return undefined;
	return Math.min(Number(value), MAX_READ_COUNT);
}

function parseFlag(value: string | null): boolean | undefined {
	if (value === null || value === '' || value === 'false') return false;
	if (value === 'true') return true;
	return undefined;
}

function parseEpochMs(value: string): number | undefined {
	return /^\d+$/.test(value) ? Number(value) : undefined;
}

function encodeListCursor(position: { t: number; s: number }): string {
	return `cs1.${Buffer.from(JSON.stringify(position)).toString('base64url')}`;
}

function decodeListCursor(cursor: string): { t: number; s: number } | undefined {
	if (!cursor.startsWith('cs1.')) return undefined;
	try {
		const value = JSON.parse(Buffer.from(cursor.slice(4), 'base64url').toString('utf8')) as {
			t?: unknown;
			s?: unknown;
		};
		if (typeof value.t === 'number' && typeof value.s === 'number') {
			return { t: value.t, s: value.s };
		}
	} catch {
		// fall through
	}
	return undefined;
}

/** Start a stand-in server; `close()` it in afterAll. */
export async function startStandin(options: StandinOptions = {}): Promise<StandinServer> {
	return await StandinServer.start(options);
}

export * from './accounts';
export * from './faults';
export * from './conversations';
export * from './quota';
export type { SendBody, SendEndpoint, ZodIssue } from './validation';
export { SEND_ENDPOINTS, validateSendBody } from './validation';
