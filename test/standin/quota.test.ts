/// <reference types="jest" />
// The stand-in's quota endpoint, LinkedIn holds (429 with holdUntil) and replies, as the later send options
// ("Daily Limit per Account", holdUntil, "Only If They Haven't Replied") and their tests rely on them.
import {
	DISCONNECTED_ACCOUNT_ID,
	INBOX_ACCOUNT_ID,
	SALES_NAV_ACCOUNT_ID,
	UNKNOWN_ACCOUNT_ID,
	MESSAGE_FEATURE,
	SeedError,
	faults,
	formatQuotaTime,
	nextUtcMonday,
	startStandin,
} from './server';
import type { QuotaAnswer, StandinServer } from './server';

let standin: StandinServer;

interface Reply {
	status: number;
	headers: Headers;
	json: unknown;
}

async function call(
	method: string,
	path: string,
	body?: unknown,
	key: string | null = standin.apiKey,
): Promise<Reply> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (key !== null) headers.Authorization = `Bearer ${key}`;
	const response = await fetch(standin.url + path, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}

const quotaOf = (accountId: string) => call('GET', `/account/${accountId}/quota`);
const sendTo = (recipientProfileId: string, accountId?: string) =>
	call('POST', '/conversations/send', {
		...(accountId ? { accountId } : {}),
		recipientProfileId,
		message: 'Hi',
	});

function messageEntry(reply: Reply) {
	return (reply.json as QuotaAnswer).quotas.find((q) => q.feature === MESSAGE_FEATURE);
}

beforeAll(async () => {
	standin = await startStandin({ controlApi: true });
});
afterEach(() => standin.reset());
afterAll(async () => {
	await standin.close();
});

describe('GET /account/{accountId}/quota', () => {
	test('answers the documented fields, resetAt in the form 2026-08-28 00:00:00+00:00, no success field', async () => {
		const reply = await quotaOf(SALES_NAV_ACCOUNT_ID);
		expect(reply.status).toBe(200);
		const body = reply.json as QuotaAnswer;
		expect(Object.keys(body).sort()).toEqual(['accountId', 'quotas']);
		expect(body.accountId).toBe(SALES_NAV_ACCOUNT_ID);
		for (const entry of body.quotas) {
			expect(Object.keys(entry).sort()).toEqual(
				[
					'feature',
					'window',
					'used',
					'limit',
					'linkedinLimit',
					'remaining',
					'limitReached',
					'limitReachedAt',
					'resetAt',
				].sort(),
			);
			expect(entry.resetAt).toMatch(/^\d{4}-\d\d-\d\d 00:00:00\+00:00$/);
		}
		expect(body.quotas.map((q) => [q.feature, q.window])).toEqual([
			['PROFILE_VIEW', 'daily'],
			['MESSAGE', 'daily'],
			['CONNECT', 'weekly'],
		]);
		expect(messageEntry(reply)).toEqual({
			feature: 'MESSAGE',
			window: 'daily',
			used: 0,
			limit: 150,
			linkedinLimit: 250,
			remaining: 150,
			limitReached: false,
			limitReachedAt: null,
			resetAt: formatQuotaTime(Date.parse(standin.quota().resetAt)),
		});
	});

	test("MESSAGE counts the stand-in's own sends, per account; remaining never goes below 0", async () => {
		await sendTo('ann-1');
		await sendTo('bob-2');
		await sendTo('cy-3', INBOX_ACCOUNT_ID);
		expect(messageEntry(await quotaOf(SALES_NAV_ACCOUNT_ID))).toMatchObject({
			used: 2,
			remaining: 148,
		});
		expect(messageEntry(await quotaOf(INBOX_ACCOUNT_ID))).toMatchObject({
			used: 1,
			remaining: 149,
		});
		standin.setQuota(INBOX_ACCOUNT_ID, { limit: 1, used: 3 });
		expect(messageEntry(await quotaOf(INBOX_ACCOUNT_ID))).toMatchObject({
			used: 3,
			limit: 1,
			remaining: 0,
		});
	});

	test('reading the quota uses none of it, and carries the X-RateLimit-* headers of the account', async () => {
		await sendTo('ann-1');
		const reply = await quotaOf(SALES_NAV_ACCOUNT_ID);
		await quotaOf(SALES_NAV_ACCOUNT_ID);
		expect(standin.quota().used).toBe(1);
		expect(reply.headers.get('x-ratelimit-action')).toBe('MESSAGE');
		expect(reply.headers.get('x-ratelimit-used')).toBe('1');
		expect(reply.headers.get('x-ratelimit-remaining')).toBe('149');
	});

	test('a window of a test (resetInMs) shows its milliseconds instead of rounding', async () => {
		standin.setQuota(undefined, { resetInMs: 1234 });
		const entry = messageEntry(await quotaOf(SALES_NAV_ACCOUNT_ID));
		const resetAt = Date.parse(standin.quota().resetAt);
		expect(entry?.resetAt).toBe(formatQuotaTime(resetAt));
		expect(Date.parse((entry?.resetAt ?? '').replace(' ', 'T'))).toBe(resetAt);
	});

	test('CONNECT resets on the next Monday 00:00 UTC', () => {
		// 2026-12-05 is a Saturday; a Monday itself moves on a week.
		expect(new Date(nextUtcMonday(Date.UTC(2026, 11, 5, 14))).toISOString()).toBe(
			'2026-12-07T00:00:00.000Z',
		);
		expect(new Date(nextUtcMonday(Date.UTC(2026, 11, 7, 0))).toISOString()).toBe(
			'2026-12-14T00:00:00.000Z',
		);
	});

	test('an account the key does not have: 404 {"error": "Account not found"}; a bad key: 401', async () => {
		const unknown = await quotaOf(UNKNOWN_ACCOUNT_ID);
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({ error: 'Account not found' });
		const unauthorized = await call(
			'GET',
			`/account/${SALES_NAV_ACCOUNT_ID}/quota`,
			undefined,
			'x',
		);
		expect(unauthorized.status).toBe(401);
		expect(unauthorized.json).toEqual({ error: 'Unauthorized - Invalid credentials' });
	});

	test('a disconnected account still has a quota (the endpoint reads no LinkedIn session)', async () => {
		expect((await quotaOf(DISCONNECTED_ACCOUNT_ID)).status).toBe(200);
	});

	test('faults match the account named in the path', async () => {
		standin.injectFault({ ...faults.serverError(), accountId: INBOX_ACCOUNT_ID });
		expect((await quotaOf(SALES_NAV_ACCOUNT_ID)).status).toBe(200);
		expect((await quotaOf(INBOX_ACCOUNT_ID)).status).toBe(500);
		standin.injectFault({ status: 503, body: { error: 'down' }, path: '/account/*/quota' });
		expect((await quotaOf(SALES_NAV_ACCOUNT_ID)).status).toBe(503);
	});
});

describe('LinkedIn holds: a 429 whose body names holdUntil', () => {
	test('holdAccount: every send of the account is refused with holdUntil, even after the reset', async () => {
		standin.setQuota(undefined, { resetInMs: 150 });
		const holdUntil = Date.now() + 600;
		standin.holdAccount(undefined, holdUntil);
		const held = await sendTo('ann-1');
		expect(held.status).toBe(429);
		const body = held.json as { success: boolean; error: string; holdUntil: string };
		expect(body.success).toBe(false);
		expect(body.error).toMatch(/^Rate limit exceeded for MESSAGE: 0\/150 used\. Resets at /);
		expect(Date.parse(body.holdUntil)).toBe(holdUntil);
		expect(Date.parse(body.holdUntil)).toBeGreaterThan(
			Date.parse(held.headers.get('x-ratelimit-reset') ?? ''),
		);
		expect(messageEntry(await quotaOf(SALES_NAV_ACCOUNT_ID))).toMatchObject({
			limitReached: true,
			limitReachedAt: expect.stringMatching(/\+00:00$/),
		});
		// Other accounts send.
		expect((await sendTo('ann-1', INBOX_ACCOUNT_ID)).status).toBe(200);

		await new Promise((resolve) => setTimeout(resolve, 250)); // past the reset, not the hold
		expect((await sendTo('ann-1')).status).toBe(429);
		expect(messageEntry(await quotaOf(SALES_NAV_ACCOUNT_ID))).toMatchObject({
			limitReached: false,
			limitReachedAt: null,
		});

		await new Promise((resolve) => setTimeout(resolve, holdUntil - Date.now() + 20));
		expect((await sendTo('ann-1')).status).toBe(200);
		expect(standin.holdOf()).toBeUndefined();
		expect(standin.delivered.map((m) => m.accountId)).toEqual([
			INBOX_ACCOUNT_ID,
			SALES_NAV_ACCOUNT_ID,
		]);
	});

	test('faults.heldUntil: the same 429 as a fault, holdUntil later than the reset it names', async () => {
		standin.injectFault({ ...faults.heldUntil(1_000, 60_000), accountId: INBOX_ACCOUNT_ID });
		for (let i = 0; i < 2; i++) {
			const reply = await sendTo('ann-1', INBOX_ACCOUNT_ID);
			expect(reply.status).toBe(429);
			const { holdUntil } = reply.json as { holdUntil: string };
			expect(Date.parse(holdUntil)).toBeGreaterThan(
				Date.parse(reply.headers.get('x-ratelimit-reset') ?? ''),
			);
			expect(holdUntil).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
		}
		expect(standin.delivered).toEqual([]);
	});

	test('control API: POST /__standin/hold', async () => {
		const reply = await fetch(`${standin.origin}/__standin/hold`, {
			method: 'POST',
			body: JSON.stringify({ accountId: INBOX_ACCOUNT_ID, holdInMs: 60_000 }),
		});
		expect(reply.status).toBe(200);
		expect(standin.holdOf(INBOX_ACCOUNT_ID)).toBeGreaterThan(Date.now());
		expect((await sendTo('ann-1', INBOX_ACCOUNT_ID)).status).toBe(429);
	});
});

describe('a person replies', () => {
	test('reply adds a message with isSentByOwner false at the given time, unread', async () => {
		await sendTo('ann-1');
		const reply = standin.reply('ann-1', { text: 'Not interested', sentAt: Date.now() + 5_000 });
		const { conversationUrn } = standin.conversationWith('ann-1') ?? {};
		expect(reply.conversationUrn).toBe(conversationUrn);
		const messages = await call(
			'GET',
			`/conversations/${encodeURIComponent(reply.conversationUrn)}/messages`,
		);
		const [newest, first] = (messages.json as { messages: Array<Record<string, unknown>> })
			.messages;
		expect(newest).toMatchObject({
			messageUrn: reply.messageUrn,
			text: 'Not interested',
			sentAt: reply.sentAt,
			isSentByOwner: false,
		});
		expect(first).toMatchObject({ text: 'Hi', isSentByOwner: true });
		expect(standin.conversationWith('ann-1')?.unreadCount).toBe(1);
	});

	test('a person never written to can reply (the conversation is created), by slug or URN, per account', async () => {
		const bySlug = standin.reply('zoe-9', { accountId: INBOX_ACCOUNT_ID });
		expect(standin.conversationWith('zoe-9', INBOX_ACCOUNT_ID)?.conversationUrn).toBe(
			bySlug.conversationUrn,
		);
		expect(standin.conversationWith('zoe-9')).toBeUndefined();
		const urn = 'urn:li:fsd_profile:ACoAAB1234';
		const byUrn = standin.reply(urn);
		expect(standin.conversationWith(urn)?.conversationUrn).toBe(byUrn.conversationUrn);
		const exists = await call('GET', '/conversations/exists/zoe-9?accountId=' + INBOX_ACCOUNT_ID);
		expect(exists.json).toMatchObject({ hasConversation: true });
	});

	test('an unknown account or a bad person is a SeedError', () => {
		expect(() => standin.reply('ann-1', { accountId: UNKNOWN_ACCOUNT_ID })).toThrow(SeedError);
		expect(() => standin.reply('https://linkedin.com/in/x')).toThrow(SeedError);
	});

	test('control API: POST /__standin/reply', async () => {
		const at = Date.now() - 60_000;
		const reply = await fetch(`${standin.origin}/__standin/reply`, {
			method: 'POST',
			body: JSON.stringify({ person: 'ann-1', sentAt: at }),
		});
		expect(reply.status).toBe(200);
		expect(await reply.json()).toMatchObject({ sentAt: at });
		expect(standin.conversationWith('ann-1')?.messages).toMatchObject([
			{ sentAt: at, fromOwner: false },
		]);
		const bad = await fetch(`${standin.origin}/__standin/reply`, { method: 'POST', body: '{}' });
		expect(bad.status).toBe(400);
	});
});
