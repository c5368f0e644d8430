/**
 * The signing secret never leaves the credential: not in an answer to the caller, an item, the static data
 * n8n saves, or a log line — for every kind of delivery, accepted or refused.
 */
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { ConnectSafelyTrigger } from '../../nodes/ConnectSafelyTrigger/ConnectSafelyTrigger.node';
import { logMark, logsSince } from '../harness/logs';
import { messageEvent, sign, TriggerHarness } from './webhookHarness';

const SECRET = 'whsec_SECRET_c0ffee_9a8b7c6d5e4f';

test('no answer, item, saved static data or log line holds the secret, whatever was delivered', async () => {
	const mark = logMark();
	const trigger = await TriggerHarness.start({ signingSecret: SECRET });
	const manual = await TriggerHarness.start({ signingSecret: SECRET, mode: 'manual' });
	const body = JSON.stringify(messageEvent());
	try {
		const answers = [
			await trigger.deliver(messageEvent(), SECRET),
			await trigger.deliver(messageEvent(), SECRET), // a redelivery
			await trigger.post(body, { 'x-webhook-signature': sign(body, `${SECRET}x`) }),
			await trigger.post(body, {}),
			await trigger.post(body, { 'x-webhook-signature': `sha1=${SECRET}` }),
			await trigger.post(body.replace('Jane', 'June'), {
				'x-webhook-signature': sign(body, SECRET),
			}),
			await trigger.post('not json', {
				'content-type': 'text/plain',
				'x-webhook-signature': sign('not json', SECRET),
			}),
			await trigger.deliver({ event: 'other' }, SECRET),
			await manual.deliver(messageEvent({ message_urn: 'urn:li:messagingMessage:m' }), SECRET),
		];
		expect(answers.map((answer) => answer.status)).toEqual([
			200, 200, 401, 401, 401, 401, 400, 200, 200,
		]);
		const logText = logsSince(mark)
			.map((log) => log.text)
			.join('\n');
		// Refusals are logged: the capture has lines, so this check can fail.
		expect(logText).toContain('ConnectSafely Trigger refused a delivery (401)');
		for (const trace of [
			answers.map((answer) => answer.text).join('\n'),
			JSON.stringify([trigger.executions, manual.executions]),
			trigger.database.staticData,
			logText,
		]) {
			expect(trace).not.toContain(SECRET);
		}
	} finally {
		await trigger.close();
		await manual.close();
	}
});

describe('the credential test', () => {
	const check = async (signingSecret: string) =>
		await new ConnectSafelyTrigger().methods.credentialTest.checkSigningSecret.call(
			{} as ICredentialTestFunctions,
			{ id: '1', name: 'c', type: 'connectSafelyWebhookApi', data: { signingSecret } },
		);

	test('an empty secret fails', async () => {
		expect(await check('')).toEqual({ status: 'Error', message: 'The signing secret is empty' });
	});

	test('a secret pasted with a line break fails, and the message does not repeat it', async () => {
		const result = await check(`${SECRET}\n`);
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(SECRET);
	});

	test('a set secret passes, saying the first delivery tells whether it is right', async () => {
		const result = await check(SECRET);
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/first delivery/);
		expect(result.message).not.toContain(SECRET);
	});
});
