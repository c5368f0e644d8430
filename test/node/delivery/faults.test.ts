/**
 * Each way a send can fail, with its defined outcome and the exact number of requests the API received.
 * The rule behind them: only a failure that provably never reached the server is retried by the node;
 * anything that may have been delivered is reported, never resent.
 */
import { Socket } from 'node:net';

import { closedPortUrl, startStandin } from '../../standin/server';
import { faults } from '../../standin/faults';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const sendTo = (recipient: string, options: Record<string, number> = {}) => ({
	resource: 'message',
	operation: 'send',
	recipient: byId(recipient),
	message: 'Hello from the fault tests',
	options,
});

describe('a 429 whose reset is 2 s away', () => {
	test('is waited for and the item sent once when Max Wait for Rate Limit allows it', async () => {
		bed.standin.injectFault(faults.dailyLimitReached(2000));
		const started = Date.now();
		const result = await bed.run({ parameters: sendTo('jane-doe', { maxWaitForRateLimit: 10 }) });
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
		expect(bed.standin.requests).toHaveLength(2);
		expect(bed.standin.deliveredTo('jane-doe')).toHaveLength(1);
		expect(result.output[0].json.success).toBe(true);
	});

	test('is not waited for when Max Wait for Rate Limit is 0: the node stops with a 429 error', async () => {
		bed.standin.injectFault(faults.dailyLimitReached(2000));
		const result = await bed.run({ parameters: sendTo('jane-doe') });
		expect(bed.standin.requests).toHaveLength(1);
		expect(bed.standin.delivered).toHaveLength(0);
		expect(result.nodeError).toMatchObject({ name: 'NodeApiError', httpCode: '429' });
		expect(result.nodeError?.message).toMatch(
			/Rate limit reached for MESSAGE: 150\/150 used\. It resets at .+ \(in 2 s\)/,
		);
	});
});

test('a 429 whose reset is hours away is not waited for, even with a Max Wait, and says when it resets', async () => {
	bed.standin.injectFault(faults.dailyLimitReached(3 * 3600_000 + 12 * 60_000));
	const started = Date.now();
	const result = await bed.run({ parameters: sendTo('jane-doe', { maxWaitForRateLimit: 60 }) });
	expect(Date.now() - started).toBeLessThan(2000);
	expect(bed.standin.requests).toHaveLength(1);
	expect(result.nodeError?.message).toMatch(/\(in 3 h 12 min\)/);
	expect(result.nodeError?.description).toMatch(/Wait for the reset/);
});

describe('answers that may mean the message went out are reported, never retried', () => {
	test.each([
		[
			'a 500 with a JSON body',
			{ status: 500, body: { success: false, error: 'Internal error while sending' } },
			/ConnectSafely answered 500: Internal error while sending/,
		],
		[
			'a 502 with an HTML page',
			faults.badGatewayHtml(),
			/ConnectSafely answered 502 with a page that is not JSON: 502 Bad Gateway/,
		],
		[
			'a 200 whose body is not JSON',
			faults.nonJson200(),
			/answered 200 but its answer is not JSON/,
		],
	])('%s: one request, and the error says to check LinkedIn', async (_name, fault, message) => {
		bed.standin.injectFault(fault);
		const result = await bed.run({ parameters: sendTo('jane-doe') });
		expect(bed.standin.requests).toHaveLength(1);
		expect(result.nodeError?.message).toMatch(message);
		expect(result.nodeError?.description).toMatch(/may have been delivered/);
	});

	test('a response slower than the Timeout option: one request, delivered, reported as maybe delivered', async () => {
		bed.standin.injectFault(faults.slow(3000));
		const result = await bed.run({ parameters: sendTo('jane-doe', { timeout: 1 }) });
		expect(bed.standin.requests).toHaveLength(1);
		expect(bed.standin.deliveredTo('jane-doe')).toHaveLength(1);
		expect(result.nodeError?.message).toMatch(
			/No answer from ConnectSafely at http:\/\/127\.0\.0\.1:\d+\/linkedin within 1 s/,
		);
		expect(result.nodeError?.description).toMatch(/may have been delivered/);
	});

	test('a connection reset after the request was read: one request, reported as maybe delivered', async () => {
		bed.standin.injectFault(faults.connectionReset());
		const result = await bed.run({ parameters: sendTo('jane-doe') });
		expect(bed.standin.requests).toHaveLength(1);
		expect(result.nodeError?.message).toMatch(
			/connection to ConnectSafely at .* broke before its answer arrived/,
		);
		expect(result.nodeError?.description).toMatch(/may have been delivered/);
	});
});

describe('a 502 from a proxy is a maybe-sent failure, not a refusal', () => {
	// The proxy may have passed the request on before it failed: the kind decides what a re-run does.
	const rows = [{ id: 'jane-doe' }, { id: 'john-roe' }];
	const send = { ...sendTo('jane-doe'), recipient: byId('={{ $json.id }}') };
	const requestsFor = (id: string) =>
		bed.standin.requests.filter(
			(request) => (request.body as { recipientProfileId?: string }).recipientProfileId === id,
		);

	test('Retry On Fail does not send it again; the error says it may have been delivered', async () => {
		bed.standin.injectFault({ ...faults.badGatewayHtml(), recipient: 'jane-doe', times: 10 });
		const result = await bed.run({
			parameters: send,
			items: rows,
			nodeSettings: {
				retryOnFail: true,
				maxTries: 3,
				waitBetweenTries: 0,
				onError: 'continueRegularOutput',
			},
		});
		expect(requestsFor('jane-doe')).toHaveLength(1);
		expect(bed.standin.deliveredTo('john-roe')).toHaveLength(1);
		expect(result.output[0].json).toMatchObject({
			httpCode: '502',
			error: expect.stringMatching(/502 Bad Gateway .*not sent again\)$/),
			description: expect.stringMatching(/may have been delivered/),
		});
	});

	test("n8n's Retry of the failed execution skips it as maybe sent, and sends nothing", async () => {
		bed.standin.injectFault({ ...faults.badGatewayHtml(), recipient: 'jane-doe' });
		const failed = await bed.run({ parameters: send, items: rows, executionId: 'exec-502' });
		expect(failed.nodeError).toMatchObject({ name: 'NodeApiError', httpCode: '502' });
		const retried = await bed.run({
			parameters: send,
			items: rows,
			executionId: 'exec-502-retry',
			mode: 'retry',
		});
		expect(retried.error).toBeUndefined();
		expect(requestsFor('jane-doe')).toHaveLength(1);
		expect(retried.output[0].json).toMatchObject({
			skipped: true,
			uncertain: true,
			executionId: 'exec-502',
			reason: expect.stringMatching(/may have gone out .*502 Bad Gateway/),
		});
		expect(retried.output[1].json.success).toBe(true);
	});
});

test('a 200 with success: false is an error, sent once', async () => {
	bed.standin.injectFault(faults.successFalse200('Recipient cannot be messaged'));
	const result = await bed.run({ parameters: sendTo('jane-doe') });
	expect(bed.standin.requests).toHaveLength(1);
	expect(result.nodeError?.message).toBe(
		'ConnectSafely did not send the message: Recipient cannot be messaged',
	);
});

test('connection refused is retried twice, then reported with the base URL; nothing was sent', async () => {
	const url = await closedPortUrl();
	const port = Number(new URL(url).port);
	// Count the node's connection attempts to that port where Node makes them: a refused connection reaches no server.
	const connect = jest.spyOn(Socket.prototype, 'connect');
	try {
		const result = await bed.run({ parameters: sendTo('jane-doe'), baseUrl: url });
		const attempts = connect.mock.calls.filter(([first]) => {
			// net passes its normalised arguments as one array: [options, callback].
			const options = (Array.isArray(first) ? first[0] : first) as { port?: number | string };
			return typeof options === 'object' && options !== null && Number(options.port) === port;
		});
		expect(attempts).toHaveLength(3);
		expect(result.nodeError?.message).toBe(
			`Could not connect to ConnectSafely at ${url}: the connection was refused`,
		);
		expect(result.nodeError?.description).toMatch(/Nothing was sent/);
	} finally {
		connect.mockRestore();
	}
});

test('connection refused while the API restarts: a later attempt gets through and sends once', async () => {
	const url = await closedPortUrl();
	const port = Number(new URL(url).port);
	let late: Awaited<ReturnType<typeof startStandin>> | undefined;
	const starting = new Promise<void>((resolve) => {
		setTimeout(() => {
			void startStandin({ port }).then((server) => {
				late = server;
				resolve();
			});
		}, 200);
	});
	try {
		const result = await bed.run({
			parameters: sendTo('jane-doe'),
			baseUrl: url,
			apiKey: bed.standin.apiKey,
		});
		await starting;
		expect(result.error).toBeUndefined();
		expect(late?.requests).toHaveLength(1);
		expect(late?.deliveredTo('jane-doe')).toHaveLength(1);
	} finally {
		await starting;
		await late?.close();
	}
});

test('a redirect is not followed: the key never goes to the other address, and the error says where the API points', async () => {
	const elsewhere = await startStandin();
	try {
		const target = `${elsewhere.url}/conversations/send`;
		bed.standin.injectFault(faults.redirect(307, target));
		const result = await bed.run({ parameters: sendTo('jane-doe') });
		expect(result.nodeError?.message).toBe(
			`ConnectSafely's address answered with a redirect (307) to ${target}`,
		);
		expect(result.nodeError?.description).toMatch(/Base URL.*Nothing was sent\.$/);
		expect(bed.standin.requests).toHaveLength(1);
		expect(elsewhere.requests).toHaveLength(0);
		expect(bed.standin.delivered).toHaveLength(0);
	} finally {
		await elsewhere.close();
	}
});
