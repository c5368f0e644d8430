/**
 * "Only If They Haven't Replied": before a follow-up, the node looks at the conversation with the person and skips
 * anyone who wrote in it — ever, or since a time the user gives (the start of the sequence). Real n8n-core against
 * the stand-in's inbox, seeded with who wrote what and when.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { SeedMessage } from '../../standin/conversations';
import { byId, byUrn, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const HOUR = 3600_000;
const T0 = Date.parse('2026-11-02T09:00:00Z');

function followUp(options: IDataObject = {}, operation = 'send'): INodeParameters {
	return {
		resource: 'message',
		operation,
		recipient: byId('={{ $json.id }}'),
		message: 'Just following up',
		options: { onlyIfNotReplied: true, ...options },
	};
}

function seed(profileId: string, messages: SeedMessage[]) {
	return bed.standin.seedConversation({ profileId, messages });
}

const intro: SeedMessage = { text: 'Hi, a quick question', fromOwner: true, sentAt: T0 };

test('someone who replied is skipped (with when they replied); someone who did not, or has no conversation yet, gets the message', async () => {
	const replied = seed('replied-person', [intro, { text: 'Thanks, not now', sentAt: T0 + HOUR }]);
	seed('silent-person', [intro]);
	const result = await bed.run({
		parameters: followUp(),
		items: [{ id: 'replied-person' }, { id: 'silent-person' }, { id: 'new-person' }],
	});
	expect(result.error).toBeUndefined();
	expect(bed.standin.delivered.map((m) => m.recipient)).toEqual(['silent-person', 'new-person']);
	expect(result.output[0]).toEqual({
		json: {
			skipped: true,
			reason: `Not sent: replied-person replied to the default account ("Only If They Haven't Replied" is on)`,
			recipient: 'replied-person',
			conversationUrn: replied.conversationUrn,
			repliedAt: new Date(T0 + HOUR).toISOString(),
		},
		pairedItem: { item: 0 },
	});
	expect(result.output[1]).toMatchObject({ json: { success: true }, pairedItem: { item: 1 } });
	// Per item: the exists check; the messages only where a conversation is.
	expect(bed.standin.requests.map((r) => r.path)).toEqual([
		'/linkedin/conversations/exists/replied-person',
		expect.stringMatching(/^\/linkedin\/conversations\/.+\/messages$/),
		'/linkedin/conversations/exists/silent-person',
		expect.stringMatching(/^\/linkedin\/conversations\/.+\/messages$/),
		'/linkedin/conversations/send',
		'/linkedin/conversations/exists/new-person',
		'/linkedin/conversations/send',
	]);
});

test('a sequence: day 0 goes to everyone, one person replies, and only the others get the follow-up', async () => {
	const people = [{ id: 'ada-lovelace' }, { id: 'grace-hopper' }, { id: 'alan-turing' }];
	const day0 = await bed.run({
		parameters: { ...followUp({ onlyIfNotReplied: false }), message: 'Hi, a quick question' },
		items: people,
	});
	expect(day0.output.map((item) => item.json.success)).toEqual([true, true, true]);
	const started = Date.now();
	const reply = bed.standin.reply('grace-hopper', { text: 'Not interested' });
	const day3 = await bed.run({
		parameters: followUp({ onlyIfNotRepliedSince: new Date(started).toISOString() }),
		items: people,
	});
	expect(day3.output.map((item) => item.json.skipped ?? false)).toEqual([false, true, false]);
	expect(day3.output[1].json).toMatchObject({
		conversationUrn: reply.conversationUrn,
		repliedAt: new Date(reply.sentAt).toISOString(),
	});
	expect(bed.standin.deliveryCounts()).toEqual({
		'ada-lovelace': 2,
		'grace-hopper': 1,
		'alan-turing': 2,
	});
});

test('with a time given, a reply before it does not count; one at or after it does', async () => {
	const start = T0 + 24 * HOUR;
	const earlier = { text: 'Old chat', sentAt: T0 };
	seed('wrote-before', [earlier, { ...intro, sentAt: start }]);
	seed('wrote-after', [
		{ ...intro, sentAt: start },
		{ text: 'Sure, call me', sentAt: start + HOUR },
	]);
	seed('wrote-at', [
		{ ...intro, sentAt: start - 60_000 },
		{ text: 'Quick answer', sentAt: start },
	]);
	const result = await bed.run({
		parameters: followUp({ onlyIfNotRepliedSince: new Date(start).toISOString() }),
		items: [{ id: 'wrote-before' }, { id: 'wrote-after' }, { id: 'wrote-at' }],
	});
	expect(bed.standin.delivered.map((m) => m.recipient)).toEqual(['wrote-before']);
	expect(result.output[2].json.repliedAt).toBe(new Date(start).toISOString());
	expect(result.output[1].json).toMatchObject({
		skipped: true,
		repliedAt: new Date(start + HOUR).toISOString(),
		reason: expect.stringContaining(`since ${new Date(start).toISOString()}`),
	});
	// The time goes to the API as its `since` ("newer than"), in epoch milliseconds, a millisecond early.
	const reads = bed.standin.requests.filter((r) => r.path.endsWith('/messages'));
	expect(reads.map((r) => r.query.since)).toEqual(Array(3).fill(String(start - 1)));
});

test('a reply further back than the first page is found: the check pages back through the conversation', async () => {
	const followUps = Array.from({ length: 120 }, (_, index) => ({
		text: `Note ${index}`,
		fromOwner: true,
		sentAt: T0 + (index + 2) * HOUR,
	}));
	seed('long-thread', [intro, { text: 'Early reply', sentAt: T0 + HOUR }, ...followUps]);
	const result = await bed.run({ parameters: followUp(), items: [{ id: 'long-thread' }] });
	expect(result.output[0].json).toMatchObject({
		skipped: true,
		repliedAt: new Date(T0 + HOUR).toISOString(),
	});
	expect(bed.standin.requests.filter((r) => r.path.endsWith('/messages'))).toHaveLength(3);
	expect(bed.standin.delivered).toHaveLength(0);
});

test('the check stops at the newest 500 messages: a conversation that long without a word from them fails the item, nothing sent', async () => {
	seed(
		'monologue',
		Array.from({ length: 501 }, (_, index) => ({
			text: `Note ${index}`,
			fromOwner: true,
			sentAt: T0 + index * 1000,
		})),
	);
	const result = await bed.run({ parameters: followUp(), items: [{ id: 'monologue' }] });
	expect(result.nodeError?.message).toMatch(/newest 500 messages/);
	expect(result.nodeError?.description).toMatch(/could not check, so nothing was sent/);
	expect(bed.standin.delivered).toHaveLength(0);
});

describe('when the check fails, nothing is sent and the error says why', () => {
	test('the conversation check', async () => {
		bed.standin.injectFault({
			path: '/conversations/exists/*',
			status: 500,
			body: { error: 'LinkedIn unavailable' },
		});
		const result = await bed.run({ parameters: followUp(), items: [{ id: 'jane-doe' }] });
		expect(result.nodeError?.message).toMatch(/LinkedIn unavailable/);
		expect(result.nodeError?.description).toMatch(
			/"Only If They Haven't Replied" could not check, so nothing was sent/,
		);
		expect(bed.standin.delivered).toHaveLength(0);
	});

	test("reading the conversation's messages", async () => {
		seed('jane-doe', [intro]);
		bed.standin.injectFault({
			path: '/conversations/*/messages',
			status: 500,
			body: { error: 'Messages unavailable' },
		});
		const result = await bed.run({
			parameters: followUp(),
			items: [{ id: 'jane-doe' }],
			nodeSettings: { continueOnFail: true },
		});
		expect(result.output[0].json.error).toMatch(/Messages unavailable/);
		expect(bed.standin.delivered).toHaveLength(0);
	});
});

test('the four Message operations that take a recipient all check', async () => {
	seed('replied-person', [intro, { text: 'No thanks', sentAt: T0 + HOUR }]);
	for (const operation of ['send', 'sendLegacy', 'sendWithAck', 'sendWithTyping']) {
		const result = await bed.run({
			parameters: followUp({}, operation),
			items: [{ id: 'replied-person' }],
		});
		expect({ operation, skipped: result.output[0]?.json.skipped }).toEqual({
			operation,
			skipped: true,
		});
	}
	expect(bed.standin.delivered).toHaveLength(0);
});

describe('bad input: a clear error, nothing sent', () => {
	test('a recipient given by URN cannot be checked', async () => {
		const result = await bed.run({
			parameters: { ...followUp(), recipient: byUrn('urn:li:fsd_profile:ACoAAB1234') },
		});
		expect(result.nodeError?.message).toMatch(
			/^Only If They Haven't Replied: "urn:li:fsd_profile:ACoAAB1234" needs a profile URL or public ID, not a URN/,
		);
		expect(bed.standin.requests).toHaveLength(0);
	});

	test('a Since time with the option off', async () => {
		const result = await bed.run({
			parameters: followUp({
				onlyIfNotReplied: false,
				onlyIfNotRepliedSince: '2026-11-02T09:00:00Z',
			}),
			items: [{ id: 'jane-doe' }],
		});
		expect(result.nodeError?.message).toMatch(
			/^Only If They Haven't Replied Since: "2026-11-02T09:00:00Z" is set, but "Only If They Haven't Replied" is off/,
		);
		expect(bed.standin.requests).toHaveLength(0);
	});

	test('a Since that is not a time', async () => {
		const result = await bed.run({
			parameters: followUp({ onlyIfNotRepliedSince: 'last week' }),
			items: [{ id: 'jane-doe' }],
		});
		expect(result.nodeError?.message).toMatch(
			/^Only If They Haven't Replied Since: "last week" is not a date and time/,
		);
	});
});

test('with the option off, no read call is made', async () => {
	seed('replied-person', [intro, { text: 'No thanks', sentAt: T0 + HOUR }]);
	const result = await bed.run({
		parameters: followUp({ onlyIfNotReplied: false }),
		items: [{ id: 'replied-person' }],
	});
	expect(result.output[0].json.success).toBe(true);
	expect(bed.standin.requests.map((r) => r.path)).toEqual(['/linkedin/conversations/send']);
});
