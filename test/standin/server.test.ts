/// <reference types="jest" />
// (tsconfig.tools.json compiles test/standin/** with node types only.)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import {
	DISCONNECTED_ACCOUNT_ID,
	INBOX_ACCOUNT_ID,
	SALES_NAV_ACCOUNT_ID,
	UNKNOWN_ACCOUNT_ID,
	closedPortUrl,
	fakeProfileUrn,
	faults,
	startStandin,
} from './server';
import type { StandinServer } from './server';

interface Reply {
	status: number;
	headers: Headers;
	text: string;
	json: unknown;
}

let standin: StandinServer;

async function call(
	method: string,
	path: string,
	body?: unknown,
	key: string | null = standin.apiKey,
	base = standin.url,
): Promise<Reply> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (key !== null) headers.Authorization = `Bearer ${key}`;
	const response = await fetch(base + path, {
		method,
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

const send = (path: string, body: unknown, key?: string | null) => call('POST', path, body, key);

function rateLimit(reply: Reply) {
	return {
		action: reply.headers.get('x-ratelimit-action'),
		limit: reply.headers.get('x-ratelimit-limit'),
		used: reply.headers.get('x-ratelimit-used'),
		remaining: reply.headers.get('x-ratelimit-remaining'),
		reset: reply.headers.get('x-ratelimit-reset'),
	};
}

beforeAll(async () => {
	standin = await startStandin({ controlApi: true });
});

afterEach(() => standin.reset());

afterAll(async () => {
	await standin.close();
});

describe('authentication', () => {
	test('a missing or wrong key is answered 401 with the documented body', async () => {
		for (const key of [null, 'wrong-key']) {
			const reply = await send(
				'/conversations/send',
				{ recipientProfileId: 'a', message: 'x' },
				key,
			);
			expect(reply.status).toBe(401);
			expect(reply.json).toEqual({ error: 'Unauthorized - Invalid credentials' });
		}
		expect((await call('GET', '/accounts', undefined, 'wrong')).status).toBe(401);
		expect((await call('GET', '/account/status', undefined, null)).status).toBe(401);
		expect(standin.delivered).toHaveLength(0);
	});

	test('every configured key is accepted', async () => {
		const multi = await startStandin({ apiKeys: ['key-one', 'key-two'] });
		try {
			for (const key of ['key-one', 'key-two']) {
				const reply = await call('GET', '/account/status', undefined, key, multi.url);
				expect(reply.status).toBe(200);
			}
		} finally {
			await multi.close();
		}
	});
});

describe('success bodies follow each page', () => {
	test('POST /conversations/send echoes the text and adds threadId for a Sales Navigator account', async () => {
		const reply = await send('/conversations/send', {
			recipientProfileId: 'john-doe-123',
			message: 'Hello John',
		});
		expect(reply.status).toBe(200);
		expect(reply.json).toMatchObject({
			success: true,
			message: 'Hello John',
			recipientProfileUrn: fakeProfileUrn('john-doe-123'),
			sentMessage: expect.any(Object),
			threadId: expect.stringMatching(/^\d+$/),
		});
		const inbox = await send('/conversations/send', {
			accountId: INBOX_ACCOUNT_ID,
			recipientProfileId: 'john-doe-123',
			message: 'Hi',
		});
		expect(inbox.json).not.toHaveProperty('threadId');
		expect(fakeProfileUrn('john-doe-123')).toMatch(/^urn:li:fsd_profile:ACoAA[\w-]{34}$/);
	});

	test('POST /conversations/send accepts a conversationUrn alone and attachments', async () => {
		const conversationUrn = 'urn:li:msg_conversation:(urn:li:fsd_profile:ACoAAB,2-abc)';
		const reply = await send('/conversations/send', {
			conversationUrn,
			message: 'Following up',
			attachments: [{ id: 'att-1', name: 'deck.pdf' }],
		});
		expect(reply.status).toBe(200);
		expect(standin.delivered[0]).toMatchObject({
			recipient: conversationUrn,
			attachments: [{ id: 'att-1', name: 'deck.pdf' }],
		});
	});

	test('POST /messaging/send-with-ack reports acknowledgmentSent only with messageUrns', async () => {
		const urn = 'urn:li:fsd_profile:ACoAAFpqSoMB8vTqRbg4mN_wbabO8w0gjgFu-6o';
		const without = await send('/messaging/send-with-ack', {
			recipientProfileUrn: urn,
			message: 'x',
		});
		expect(without.json).toEqual({
			success: true,
			message: 'Message sent successfully',
			recipientProfileUrn: urn,
			acknowledgmentSent: false,
		});
		const withUrns = await send('/messaging/send-with-ack', {
			recipientProfileUrn: urn,
			message: 'x',
			messageUrns: ['urn:li:msg_message:1'],
		});
		expect(withUrns.json).toMatchObject({ acknowledgmentSent: true });
	});

	test('POST /messaging/send-with-typing and /messaging/send', async () => {
		const typing = await send('/messaging/send-with-typing', {
			recipientProfileId: 'jane',
			message: 'x',
			conversationUrn: 'urn:li:msg_conversation:1',
		});
		expect(typing.json).toEqual({
			success: true,
			message: 'Message sent successfully',
			recipientProfileUrn: fakeProfileUrn('jane'),
			typingIndicatorSent: true,
		});
		const plain = await send('/messaging/send', {
			recipientProfileId: 'jane',
			message: 'x',
			subject: 'Hi',
			messageType: 'inmail',
		});
		expect(plain.json).toEqual({
			success: true,
			message: 'Message sent successfully',
			recipientProfileUrn: fakeProfileUrn('jane'),
		});
	});

	test('POST /messaging/send-group-with-ack echoes the groupId', async () => {
		const urn = 'urn:li:fsd_profile:ACoAAFpqSoMB8vTqRbg4mN_wbabO8w0gjgFu-6o';
		const reply = await send('/messaging/send-group-with-ack', {
			recipientProfileUrn: urn,
			groupId: '12345678',
			message: 'Thanks!',
			messageUrns: ['urn:li:msg_message:9'],
		});
		expect(reply.json).toEqual({
			success: true,
			message: 'Group context message sent successfully',
			recipientProfileUrn: urn,
			groupId: '12345678',
			acknowledgmentSent: true,
		});
	});
});

describe('body validation', () => {
	test('a missing message is "message is required" on /messaging and a ZodError on /conversations/send', async () => {
		const messaging = await send('/messaging/send', { recipientProfileId: 'a' });
		expect(messaging.status).toBe(400);
		expect(messaging.json).toEqual({ success: false, error: 'message is required' });
		const blank = await send('/messaging/send-with-ack', {
			recipientProfileId: 'a',
			message: '  ',
		});
		expect(blank.json).toEqual({ success: false, error: 'message is required' });

		const conversations = await send('/conversations/send', { recipientProfileId: 'a' });
		expect(conversations.status).toBe(400);
		expect(conversations.json).toMatchObject({
			success: false,
			error: { name: 'ZodError', issues: [{ path: ['message'], message: 'Required' }] },
		});
	});

	test('a recipient is required (a conversationUrn suffices on /conversations/send)', async () => {
		const messaging = await send('/messaging/send-with-typing', { message: 'x' });
		expect(messaging.status).toBe(400);
		expect(messaging.json).toMatchObject({
			success: false,
			error: expect.stringMatching(/recipientProfileId/),
		});
		const conversations = await send('/conversations/send', { message: 'x' });
		expect(conversations.status).toBe(400);
		expect(conversations.json).toEqual({ error: expect.stringMatching(/conversationUrn/) });
	});

	test('the group endpoint names its three required fields', async () => {
		const reply = await send('/messaging/send-group-with-ack', { message: 'x', groupId: '1' });
		expect(reply.status).toBe(400);
		expect(reply.json).toEqual({
			success: false,
			error: 'recipientProfileUrn, groupId, and message are required',
		});
	});

	test('wrong types and unknown fields are ZodErrors', async () => {
		const urns = await send('/messaging/send-with-ack', {
			recipientProfileId: 'a',
			message: 'x',
			messageUrns: 'urn:li:msg_message:1',
		});
		expect(urns.status).toBe(400);
		expect(urns.json).toMatchObject({
			success: false,
			error: { name: 'ZodError', issues: [{ path: ['messageUrns'], code: 'invalid_type' }] },
		});
		const mixed = await send('/messaging/send-with-ack', {
			recipientProfileId: 'a',
			message: 'x',
			messageUrns: ['ok', 5],
		});
		expect(mixed.json).toMatchObject({ error: { issues: [{ path: ['messageUrns', 1] }] } });
		const attachments = await send('/conversations/send', {
			recipientProfileId: 'a',
			message: 'x',
			attachments: {},
		});
		expect(attachments.json).toMatchObject({ error: { issues: [{ path: ['attachments'] }] } });
		const unknown = await send('/conversations/send', {
			recipientProfileId: 'a',
			message: 'x',
			recipientName: 'A',
		});
		expect(unknown.json).toMatchObject({
			error: { name: 'ZodError', issues: [{ code: 'unrecognized_keys', keys: ['recipientName'] }] },
		});
		const nullSubject = await send('/messaging/send', {
			recipientProfileId: 'a',
			message: 'x',
			subject: null,
		});
		expect(nullSubject.json).toMatchObject({ error: { issues: [{ path: ['subject'] }] } });
		const notJson = await send('/messaging/send', '{"message":');
		expect(notJson.status).toBe(400);
		expect(standin.delivered).toHaveLength(0);
	});

	test('a profile URL passed as a public ID is rejected', async () => {
		const reply = await send('/conversations/send', {
			recipientProfileId: 'https://www.linkedin.com/in/john-doe',
			message: 'x',
		});
		expect(reply.status).toBe(400);
		expect(standin.delivered).toHaveLength(0);
	});
});

describe('accounts', () => {
	test('an unknown accountId is 404 Account not found', async () => {
		const reply = await send('/conversations/send', {
			accountId: UNKNOWN_ACCOUNT_ID,
			recipientProfileId: 'a',
			message: 'x',
		});
		expect(reply.status).toBe(404);
		expect(reply.json).toEqual({ error: 'Account not found' });
		const messaging = await send('/messaging/send', {
			accountId: 'acc_12345',
			recipientProfileId: 'a',
			message: 'x',
		});
		expect(messaging.status).toBe(404);
		expect(messaging.json).toEqual({ success: false, error: 'Account not found' });
	});

	test('sales_navigator on an account without Sales Navigator is 400', async () => {
		const body = { recipientProfileId: 'a', message: 'x', messagingChannel: 'sales_navigator' };
		const inbox = await send('/conversations/send', { ...body, accountId: INBOX_ACCOUNT_ID });
		expect(inbox.status).toBe(400);
		const salesNav = await send('/conversations/send', {
			...body,
			accountId: SALES_NAV_ACCOUNT_ID,
		});
		expect(salesNav.status).toBe(200);
		const bad = await send('/conversations/send', { ...body, messagingChannel: 'email' });
		expect(bad.json).toMatchObject({ error: { issues: [{ code: 'invalid_enum_value' }] } });
	});

	test('a disconnected account answers 500 Failed to get LinkedIn authentication credentials', async () => {
		const reply = await send('/messaging/send', {
			accountId: DISCONNECTED_ACCOUNT_ID,
			recipientProfileId: 'a',
			message: 'x',
		});
		expect(reply.status).toBe(500);
		expect(reply.json).toEqual({
			error: 'Failed to get LinkedIn authentication credentials',
			success: false,
		});
	});

	test('GET /accounts filters by q over names, publicId and id, case-insensitively', async () => {
		const all = await call('GET', '/accounts');
		expect(all.json).toHaveLength(3);
		expect((all.json as Array<{ id: string }>)[0].id).toMatch(/^[0-9a-f]{24}$/);
		const grace = await call('GET', '/accounts?q=HOPPER');
		expect(grace.json).toEqual([
			expect.objectContaining({ id: INBOX_ACCOUNT_ID, firstName: 'Grace' }),
		]);
		const byId = await call('GET', `/accounts?q=${SALES_NAV_ACCOUNT_ID.slice(0, 8)}`);
		expect(byId.json).toEqual([expect.objectContaining({ id: SALES_NAV_ACCOUNT_ID })]);
		expect((await call('GET', '/accounts?q=nobody')).json).toEqual([]);
		expect(standin.requests.at(-1)?.query).toEqual({ q: 'nobody' });
	});

	test('GET /account/status describes the default or the named account', async () => {
		const status = await call('GET', '/account/status');
		expect(status.json).toMatchObject({
			id: SALES_NAV_ACCOUNT_ID,
			status: 'AVAILABLE',
			linkedinPlan: { hasSalesNavigator: true },
		});
		const inbox = await call('GET', `/account/status?accountId=${INBOX_ACCOUNT_ID}`);
		expect(inbox.json).toMatchObject({ linkedinPlan: { hasSalesNavigator: false } });
		const unknown = await call('GET', `/account/status?accountId=${UNKNOWN_ACCOUNT_ID}`);
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({ error: 'Account not found' });
	});
});

describe('rate limiting', () => {
	test('every send response carries X-RateLimit-* headers, success and error', async () => {
		const ok = await send('/conversations/send', { recipientProfileId: 'a', message: 'x' });
		const headers = rateLimit(ok);
		expect(headers).toEqual({
			action: 'MESSAGE',
			limit: '150',
			used: '1',
			remaining: '149',
			reset: expect.stringMatching(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/),
		});
		for (const reply of [
			await send('/messaging/send', {}),
			await send('/messaging/send', { recipientProfileId: 'a', message: 'x' }, 'bad'),
			await send('/messaging/send-group-with-ack', { accountId: UNKNOWN_ACCOUNT_ID }),
		]) {
			expect(reply.status).toBeGreaterThanOrEqual(400);
			expect(rateLimit(reply)).toMatchObject({ action: 'MESSAGE', used: '1', remaining: '149' });
		}
		expect(rateLimit(await call('GET', '/accounts')).action).toBeNull();
	});

	test('a spent quota is 429 with the reset time, and a 429 does not count', async () => {
		standin.setQuota(undefined, { limit: 2 });
		for (const id of ['a', 'b']) {
			expect((await send('/messaging/send', { recipientProfileId: id, message: 'x' })).status).toBe(
				200,
			);
		}
		const limited = await send('/messaging/send', { recipientProfileId: 'c', message: 'x' });
		expect(limited.status).toBe(429);
		const reset = limited.headers.get('x-ratelimit-reset');
		expect(limited.json).toEqual({
			success: false,
			error: `Rate limit exceeded for MESSAGE: 2/2 used. Resets at ${reset}`,
		});
		expect(rateLimit(limited)).toMatchObject({ limit: '2', used: '2', remaining: '0' });
		await send('/messaging/send', { recipientProfileId: 'c', message: 'x' });
		expect(standin.quota().used).toBe(2);
		expect(standin.delivered.map((m) => m.recipient)).toEqual(['a', 'b']);
	});

	test('quotas are per account', async () => {
		standin.setQuota(INBOX_ACCOUNT_ID, { limit: 1, used: 1 });
		const inbox = await send('/messaging/send', {
			accountId: INBOX_ACCOUNT_ID,
			recipientProfileId: 'a',
			message: 'x',
		});
		expect(inbox.status).toBe(429);
		const other = await send('/messaging/send', { recipientProfileId: 'a', message: 'x' });
		expect(other.status).toBe(200);
	});

	test('the window resets after resetInMs', async () => {
		standin.setQuota(undefined, { limit: 1, used: 1, resetInMs: 300 });
		const limited = await send('/messaging/send', { recipientProfileId: 'a', message: 'x' });
		expect(limited.status).toBe(429);
		const resetAt = Date.parse(limited.headers.get('x-ratelimit-reset') ?? '');
		expect(resetAt - Date.now()).toBeLessThanOrEqual(300);
		await new Promise((resolve) => setTimeout(resolve, 350));
		const after = await send('/messaging/send', { recipientProfileId: 'a', message: 'x' });
		expect(after.status).toBe(200);
		expect(rateLimit(after)).toMatchObject({ used: '1', remaining: '0' });
	});

	test('the dailyLimit, limits and resetInMs options set the starting quota', async () => {
		const custom = await startStandin({
			dailyLimit: 5,
			limits: { [INBOX_ACCOUNT_ID]: 1 },
			resetInMs: 2000,
		});
		try {
			expect(custom.quota()).toMatchObject({ limit: 5, used: 0 });
			expect(custom.quota(INBOX_ACCOUNT_ID).limit).toBe(1);
			expect(Date.parse(custom.quota().resetAt) - Date.now()).toBeGreaterThan(1000);
		} finally {
			await custom.close();
		}
	});
});

describe('recording', () => {
	test('every request is recorded with method, path, query, headers and body', async () => {
		await send('/conversations/send', { recipientProfileId: 'a', message: 'x' });
		expect(standin.requests).toEqual([
			{
				method: 'POST',
				path: '/linkedin/conversations/send',
				query: {},
				headers: expect.objectContaining({ authorization: `Bearer ${standin.apiKey}` }),
				body: { recipientProfileId: 'a', message: 'x' },
				rawBody: '{"recipientProfileId":"a","message":"x"}',
				at: expect.any(String),
			},
		]);
		expect(standin.requestsTo('/conversations/send')).toHaveLength(1);
		expect(standin.deliveredTo('a')).toHaveLength(1);
		expect(standin.deliveredTo(fakeProfileUrn('a'))).toHaveLength(1);
	});
});

describe('fault injection', () => {
	test('a status fault answers instead of the server, once, without delivering', async () => {
		standin.injectFault(faults.serverError());
		const first = await send('/conversations/send', { recipientProfileId: 'a', message: 'x' });
		expect(first.status).toBe(500);
		expect(first.json).toEqual({
			error: 'Failed to get LinkedIn authentication credentials',
			success: false,
		});
		expect(rateLimit(first).action).toBe('MESSAGE');
		const second = await send('/conversations/send', { recipientProfileId: 'a', message: 'x' });
		expect(second.status).toBe(200);
		expect(standin.deliveredTo('a')).toHaveLength(1);
	});

	test('faults can target a path, a recipient or an account, and repeat', async () => {
		standin.injectFault({ ...faults.trialExpired(), recipient: 'b', times: 2 });
		standin.injectFault({ ...faults.groupForbidden(), path: '/messaging/send-group-with-ack' });
		standin.injectFault({
			...faults.successFalse200('LinkedIn said no'),
			accountId: INBOX_ACCOUNT_ID,
		});
		const replies = [
			await send('/messaging/send', { recipientProfileId: 'a', message: 'x' }),
			await send('/messaging/send', { recipientProfileId: 'b', message: 'x' }),
			await send('/messaging/send', { recipientProfileId: 'b', message: 'x' }),
			await send('/messaging/send', { recipientProfileId: 'b', message: 'x' }),
			await send('/messaging/send', {
				accountId: INBOX_ACCOUNT_ID,
				recipientProfileId: 'c',
				message: 'x',
			}),
			await send('/messaging/send-group-with-ack', {
				recipientProfileUrn: fakeProfileUrn('d'),
				groupId: '1',
				message: 'x',
			}),
		];
		expect(replies.map((r) => r.status)).toEqual([200, 403, 403, 200, 200, 403]);
		expect(replies[1].json).toMatchObject({ error: expect.stringMatching(/trial has expired/) });
		expect(replies[4].json).toEqual({ success: false, error: 'LinkedIn said no' });
		expect(replies[5].json).toMatchObject({
			success: false,
			message: expect.stringMatching(/403/),
		});
		expect(standin.delivered.map((m) => m.recipient)).toEqual(['a', 'b']);
		expect(standin.pendingFaults()).toEqual([]);
	});

	test('a 502 from a proxy is HTML, and a 200 can be non-JSON', async () => {
		standin.injectFault(faults.badGatewayHtml(), faults.nonJson200());
		const gateway = await send('/conversations/send', { recipientProfileId: 'a', message: 'x' });
		expect(gateway.status).toBe(502);
		expect(gateway.headers.get('content-type')).toMatch(/text\/html/);
		expect(gateway.text).toMatch(/<html>/);
		expect(rateLimit(gateway).action).toBeNull();
		const text = await send('/conversations/send', { recipientProfileId: 'a', message: 'x' });
		expect(text.status).toBe(200);
		expect(text.json).toBeUndefined();
		expect(standin.delivered).toHaveLength(0);
	});

	test('a slow answer still delivers the message', async () => {
		standin.injectFault(faults.slow(1000));
		const controller = new AbortController();
		const pending = fetch(`${standin.url}/conversations/send`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${standin.apiKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ recipientProfileId: 'a', message: 'x' }),
			signal: controller.signal,
		});
		setTimeout(() => controller.abort(), 100);
		await expect(pending).rejects.toThrow();
		expect(standin.deliveredTo('a')).toHaveLength(1);
	});

	test('a reset connection after reading the body delivers; a drop does not', async () => {
		standin.injectFault(
			{ ...faults.connectionReset(), recipient: 'a' },
			{ ...faults.drop(), recipient: 'b' },
		);
		await expect(
			send('/conversations/send', { recipientProfileId: 'a', message: 'x' }),
		).rejects.toThrow();
		await expect(
			send('/conversations/send', { recipientProfileId: 'b', message: 'x' }),
		).rejects.toThrow();
		expect(standin.delivered.map((m) => m.recipient)).toEqual(['a']);
		expect(standin.requests).toHaveLength(2);
	});

	test('closedPortUrl gives a URL that refuses connections', async () => {
		const url = await closedPortUrl();
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/linkedin$/);
		const error = await fetch(`${url}/account/status`).catch((e: unknown) => e);
		expect((error as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
	});
});

describe('control API', () => {
	test('steers and inspects the server over HTTP', async () => {
		const control = `${standin.origin}/__standin`;
		const post = async (path: string, body: unknown) =>
			await fetch(control + path, { method: 'POST', body: JSON.stringify(body) });
		await post('/faults', [{ ...faults.serverError(), recipient: 'x' }]);
		await post('/quota', { limit: 1 });
		expect((await send('/messaging/send', { recipientProfileId: 'x', message: 'm' })).status).toBe(
			500,
		);
		expect((await send('/messaging/send', { recipientProfileId: 'y', message: 'm' })).status).toBe(
			200,
		);
		expect((await send('/messaging/send', { recipientProfileId: 'z', message: 'm' })).status).toBe(
			429,
		);
		const requests = (await (await fetch(`${control}/requests`)).json()) as unknown[];
		expect(requests).toHaveLength(3);
		const delivered = (await (await fetch(`${control}/delivered`)).json()) as Array<{
			recipient: string;
		}>;
		expect(delivered.map((m) => m.recipient)).toEqual(['y']);
		expect(await (await fetch(`${control}/quota`)).json()).toMatchObject({ limit: 1, used: 1 });
		await post('/reset', {});
		expect(standin.requests).toHaveLength(0);
		expect(standin.quota()).toMatchObject({ limit: 150, used: 0 });
	});
});

describe('cli', () => {
	let outDir: string;
	beforeAll(() => {
		outDir = mkdtempSync(join(tmpdir(), 'standin-cli-'));
		// Compile only the stand-in (tsconfig.tools.json also covers scripts/ and bench/).
		execFileSync(
			process.execPath,
			[
				require.resolve('typescript/bin/tsc'),
				'--outDir',
				outDir,
				'--module',
				'commonjs',
				'--target',
				'es2021',
				'--strict',
				'--esModuleInterop',
				'--skipLibCheck',
				'--types',
				'node',
				join(__dirname, 'cli.ts'),
			],
			{ stdio: 'pipe' },
		);
	}, 60000);
	afterAll(() => rmSync(outDir, { recursive: true, force: true }));

	test('prints its URL and key as one JSON line, serves, and exits on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			[join(outDir, 'cli.js'), '--key', 'cli-key', '--quota', '1'],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		const exited = new Promise<number | null>((resolve) =>
			child.once('exit', (code) => resolve(code)),
		);
		const firstLine = await new Promise<string>((resolve) => {
			createInterface({ input: child.stdout }).once('line', resolve);
		});
		const { url, apiKey } = JSON.parse(firstLine) as { url: string; apiKey: string };
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/linkedin$/);
		expect(apiKey).toBe('cli-key');
		const body = { recipientProfileId: 'a', message: 'x' };
		expect((await call('POST', '/messaging/send', body, apiKey, url)).status).toBe(200);
		expect((await call('POST', '/messaging/send', body, apiKey, url)).status).toBe(429);
		const delivered = await fetch(url.replace('/linkedin', '/__standin/delivered'));
		expect(await delivered.json()).toHaveLength(1);
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}, 30000);
});
