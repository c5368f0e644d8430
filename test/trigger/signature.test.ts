/**
 * Signature first: only a delivery signed with the webhook's secret over its exact bytes starts an
 * execution. Everything else is refused with 401 before the body is even read; a signed body that is not
 * a ConnectSafely event gets 400. Neither starts an execution.
 */
import * as crypto from 'node:crypto';

import { messageEvent, sign, TriggerHarness } from './webhookHarness';

// The node's `crypto`, with timingSafeEqual observed (jest cannot spy on the module's own property).
jest.mock('crypto', () => {
	const actual = jest.requireActual<typeof crypto>('crypto');
	return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const SECRET = 'whsec_trigger_tests_4b9e2d7a1c';

let trigger: TriggerHarness;

beforeEach(async () => {
	trigger = await TriggerHarness.start({ signingSecret: SECRET });
});
afterEach(async () => {
	await trigger.close();
});

describe('a delivery signed with the secret', () => {
	test('starts one execution and is answered 200 at once', async () => {
		const started = Date.now();
		const delivery = await trigger.deliver(messageEvent(), SECRET);
		expect(delivery.status).toBe(200);
		// What n8n answers (docs/trigger.md): the name of its default response data, not a message.
		expect(delivery.text).toBe('firstEntryJson');
		expect(Date.now() - started).toBeLessThan(2000);
		expect(trigger.executions).toHaveLength(1);
		expect(trigger.executions[0].error).toBeUndefined();
	});

	test('is checked over the bytes as sent, not over JSON written again', async () => {
		// Spacing, key order and a \u escape that JSON.stringify(JSON.parse(body)) would all change.
		const body =
			'{ "event" : "message.received",\n  "data": {"message_urn": "urn:li:messagingMessage:raw-1", "body": "caf\\u00e9" } }';
		const delivery = await trigger.post(body, { 'x-webhook-signature': sign(body, SECRET) });
		expect(delivery.status).toBe(200);
		expect(trigger.executions).toHaveLength(1);
		expect(trigger.executions[0].items[0].json.text).toBe('café');
	});

	test('compares the digests with crypto.timingSafeEqual (constant time)', async () => {
		const { timingSafeEqual } = jest.requireMock<{ timingSafeEqual: jest.Mock }>('crypto');
		timingSafeEqual.mockClear();
		await trigger.deliver(messageEvent(), SECRET);
		expect(timingSafeEqual).toHaveBeenCalledTimes(1);
		expect(trigger.executions).toHaveLength(1);
	});
});

describe('is refused with 401 and starts nothing', () => {
	const body = JSON.stringify(messageEvent());

	test.each([
		['a signature made with another secret', { 'x-webhook-signature': sign(body, 'another') }],
		['no X-Webhook-Signature header', {}],
		['an empty X-Webhook-Signature header', { 'x-webhook-signature': '' }],
		['the hex digest without "sha256="', { 'x-webhook-signature': sign(body, SECRET).slice(7) }],
		[
			'another scheme (sha1=)',
			{
				'x-webhook-signature': `sha1=${crypto.createHmac('sha1', SECRET).update(body).digest('hex')}`,
			},
		],
		[
			'the right digest under another scheme name (sha512=)',
			{ 'x-webhook-signature': `sha512=${sign(body, SECRET).slice(7)}` },
		],
		['a digest cut short', { 'x-webhook-signature': sign(body, SECRET).slice(0, 40) }],
		[
			'the right signature in a second header value',
			{ 'x-webhook-signature': `sha256=00, ${sign(body, SECRET)}` },
		],
	])('%s', async (_name, headers: Record<string, string>) => {
		const delivery = await trigger.post(body, headers);
		expect(delivery.status).toBe(401);
		expect(delivery.json?.message).toMatch(/^Refused: /);
		expect(trigger.executions).toHaveLength(0);
	});

	test('a body changed after it was signed', async () => {
		const signature = sign(body, SECRET);
		const tampered = body.replace('Thursday', 'Friday');
		expect(tampered).not.toBe(body);
		const delivery = await trigger.post(tampered, { 'x-webhook-signature': signature });
		expect(delivery.status).toBe(401);
		expect(delivery.json?.message).toBe(
			'Refused: X-Webhook-Signature does not match the body and the signing secret',
		);
		expect(trigger.executions).toHaveLength(0);
	});

	test('every delivery, when the credential has an empty secret (even one signed with an empty key)', async () => {
		const open = await TriggerHarness.start({ signingSecret: '' });
		try {
			const delivery = await open.post(body, { 'x-webhook-signature': sign(body, '') });
			expect(delivery.status).toBe(401);
			expect(delivery.json?.message).toBe('Refused: the credential has no signing secret');
			expect(open.executions).toHaveLength(0);
		} finally {
			await open.close();
		}
	});

	test('every delivery, when the node has no credential', async () => {
		const bare = await TriggerHarness.start({});
		try {
			const delivery = await bare.deliver(messageEvent(), SECRET);
			expect(delivery.status).toBe(401);
			expect(delivery.json?.message).toBe(
				'Refused: the trigger has no ConnectSafely Webhook API credential',
			);
			expect(bare.executions).toHaveLength(0);
		} finally {
			await bare.close();
		}
	});
});

describe('a signed body that is not a ConnectSafely message', () => {
	test('not JSON: 400, nothing starts', async () => {
		const body = 'event=message.received';
		const delivery = await trigger.post(body, {
			'content-type': 'text/plain',
			'x-webhook-signature': sign(body, SECRET),
		});
		expect(delivery.status).toBe(400);
		expect(delivery.json?.message).toMatch(/^Refused: the body is not JSON/);
		expect(trigger.executions).toHaveLength(0);
	});

	test.each([
		['a JSON array', '[1, 2]'],
		['JSON without "event"', '{"data": {}}'],
		['message.received without "data"', '{"event": "message.received"}'],
	])('%s: 400, nothing starts', async (_name, body) => {
		const delivery = await trigger.post(body, { 'x-webhook-signature': sign(body, SECRET) });
		expect(delivery.status).toBe(400);
		expect(trigger.executions).toHaveLength(0);
	});

	test('another event type: acknowledged with 200 (so ConnectSafely does not retry), nothing starts', async () => {
		const delivery = await trigger.deliver({ event: 'message.deleted', data: {} }, SECRET);
		expect(delivery.status).toBe(200);
		expect(delivery.json?.message).toMatch(/not message\.deleted/);
		expect(trigger.executions).toHaveLength(0);
	});

	test('an unsigned body that is not JSON is refused for its signature first (401, not 400)', async () => {
		const delivery = await trigger.post('not json', { 'content-type': 'text/plain' });
		expect(delivery.status).toBe(401);
		expect(trigger.executions).toHaveLength(0);
	});
});
