/**
 * What a workflow gets: one item per message, with the fields the send node takes (named as its fields
 * are) on top and ConnectSafely's `data` as sent; and only the messages the options let through.
 */
import { INBOX_ACCOUNT_ID } from '../standin/accounts';
import { byUrn, useNodeTestBed } from '../node/setup';
import { messageEvent, TriggerHarness } from './webhookHarness';

const SECRET = 'whsec_output_tests_5d2e';

const opened: TriggerHarness[] = [];
async function startTrigger(options: Parameters<typeof TriggerHarness.start>[0] = {}) {
	const trigger = await TriggerHarness.start({ signingSecret: SECRET, ...options });
	opened.push(trigger);
	return trigger;
}
afterEach(async () => {
	await Promise.all(opened.splice(0).map(async (trigger) => await trigger.close()));
});

describe('the item', () => {
	test('carries the send node fields on top and the event data exactly as sent', async () => {
		const trigger = await startTrigger();
		const event = messageEvent(
			{ attachments: [{ type: 'image', url: 'https://media.licdn.com/a.png' }], extra: { x: 1 } },
			{ profile_url: 'https://www.linkedin.com/in/jane-doe/' },
		);
		await trigger.deliver(event, SECRET);
		expect(trigger.executions).toHaveLength(1);
		const [item] = trigger.executions[0].items;
		expect(trigger.executions[0].items).toHaveLength(1);
		expect(item.json).toEqual({
			event: 'message.received',
			conversationUrn: 'urn:li:messagingThread:2-ThReAd456==',
			messageUrn: 'urn:li:messagingMessage:2-AbC123==',
			accountId: '696ce9e780e0483585e4e553',
			senderProfileUrn: 'urn:li:fsd_profile:ACoAABcdEf123',
			senderProfileId: 'jane-doe',
			senderProfileUrl: 'https://www.linkedin.com/in/jane-doe/',
			senderName: 'Jane Doe',
			text: 'Thanks for reaching out! Can we talk on Thursday?',
			receivedAt: '2026-05-12T14:33:21.000Z',
			data: event.data,
		});
	});

	test('a field the event lacks is null, so expressions on it do not break', async () => {
		const trigger = await startTrigger();
		await trigger.deliver(
			{ event: 'message.received', data: { message_urn: 'urn:li:x:1' } },
			SECRET,
		);
		expect(trigger.executions[0].items[0].json).toEqual({
			event: 'message.received',
			conversationUrn: null,
			messageUrn: 'urn:li:x:1',
			accountId: null,
			senderProfileUrn: null,
			senderProfileId: null,
			senderProfileUrl: null,
			senderName: null,
			text: null,
			receivedAt: null,
			data: { message_urn: 'urn:li:x:1' },
		});
	});
});

describe('Only These Accounts', () => {
	const parameters = {
		options: { accountIds: '65a1b2c3d4e5f60718293a4b,\n696CE9E780E0483585E4E553' },
	};

	test('a message to a listed account starts an execution (IDs compared case-insensitively)', async () => {
		const trigger = await startTrigger({ parameters });
		expect((await trigger.deliver(messageEvent(), SECRET)).status).toBe(200);
		expect(trigger.executions).toHaveLength(1);
	});

	test('a message to another account is acknowledged with 200 and starts nothing', async () => {
		const trigger = await startTrigger({ parameters });
		const delivery = await trigger.deliver(messageEvent({ account_id: INBOX_ACCOUNT_ID }), SECRET);
		expect(delivery.status).toBe(200);
		expect(delivery.json?.message).toMatch(/does not listen to/);
		expect(trigger.executions).toHaveLength(0);
	});
});

describe('Ignore Messages From', () => {
	test.each([
		['the profile URN', 'urn:li:fsd_profile:ACoAABcdEf123'],
		['the bare profile ID of the URN', 'acoaabcdef123'],
		['the public ID of the profile URL', 'someone-else, jane-doe'],
	])('a message from a sender listed by %s starts nothing', async (_name, ignoreSenders) => {
		const trigger = await startTrigger({ parameters: { options: { ignoreSenders } } });
		const event = messageEvent({}, { profile_url: 'https://www.linkedin.com/in/jane-doe' });
		const delivery = await trigger.deliver(event, SECRET);
		expect(delivery.status).toBe(200);
		expect(delivery.json?.message).toMatch(/Ignore Messages From/);
		expect(trigger.executions).toHaveLength(0);
	});

	test('a message from anyone else starts an execution', async () => {
		const trigger = await startTrigger({
			parameters: { options: { ignoreSenders: 'urn:li:fsd_profile:ACoAAOwnAccount' } },
		});
		await trigger.deliver(messageEvent(), SECRET);
		expect(trigger.executions).toHaveLength(1);
	});
});

describe('the item maps straight into the send node', () => {
	const bed = useNodeTestBed();

	test('Send With Typing Indicator replies in the conversation, from the account, to the sender', async () => {
		const trigger = await startTrigger();
		await trigger.deliver(messageEvent({ account_id: INBOX_ACCOUNT_ID }), SECRET);
		const result = await bed.run({
			items: trigger.executions[0].items.map((item) => item.json),
			parameters: {
				resource: 'message',
				operation: 'sendWithTyping',
				account: { __rl: true, mode: 'id', value: '={{ $json.accountId }}' },
				recipient: byUrn('={{ $json.senderProfileUrn }}'),
				message: '=Thanks {{ $json.senderName }}, Thursday works.',
				conversationUrn: '={{ $json.conversationUrn }}',
			},
		});
		expect(result.status).toBe('success');
		expect(bed.standin.requests.map((request) => [request.path, request.body])).toEqual([
			[
				'/linkedin/messaging/send-with-typing',
				{
					accountId: INBOX_ACCOUNT_ID,
					recipientProfileUrn: 'urn:li:fsd_profile:ACoAABcdEf123',
					message: 'Thanks Jane Doe, Thursday works.',
					conversationUrn: 'urn:li:messagingThread:2-ThReAd456==',
				},
			],
		]);
	});

	test('Send With Acknowledgment acknowledges the message it answers', async () => {
		const trigger = await startTrigger();
		await trigger.deliver(messageEvent({ account_id: INBOX_ACCOUNT_ID }), SECRET);
		const result = await bed.run({
			items: trigger.executions[0].items.map((item) => item.json),
			parameters: {
				resource: 'message',
				operation: 'sendWithAck',
				account: { __rl: true, mode: 'id', value: '={{ $json.accountId }}' },
				recipient: byUrn('={{ $json.senderProfileUrn }}'),
				message: 'Got it, thanks!',
				messageUrns: '={{ $json.messageUrn }}',
			},
		});
		expect(result.status).toBe('success');
		expect(bed.standin.requests[0].body).toMatchObject({
			messageUrns: ['urn:li:messagingMessage:2-AbC123=='],
		});
	});
});
