// @ts-check
// examples/01-every-operation.json in the real n8n app: each operation once, each reaching its documented endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertRateLimit, assertSentOnceEach } from './lib/assertions.mjs';
import { loadExample, Suite } from './lib/suite.mjs';

describe('example 1: every operation once', () => {
	/** @type {Suite} */
	let suite;
	/** @type {import('./lib/n8n.mjs').Execution} */
	let run;
	/** @type {Awaited<ReturnType<import('./lib/standin.mjs').Standin['requests']>>} */
	let requests;

	before(async () => {
		suite = await Suite.start({ name: 'every-operation' });
		run = await suite.run('01-every-operation.json');
		requests = await suite.api.requests();
	});
	after(() => suite?.dispose());

	it('runs to the end in n8n', () => {
		assert.equal(run.exitCode, 0, run.describe());
		assert.equal(run.status, 'success', run.describe());
	});

	it('makes exactly one request per operation, in workflow order, with the API key as a Bearer token', () => {
		assert.deepEqual(
			requests.map((request) => `${request.method} ${request.path}`),
			[
				'POST /linkedin/conversations/send',
				'POST /linkedin/messaging/send-with-ack',
				'POST /linkedin/messaging/send-with-typing',
				'POST /linkedin/messaging/send',
				'POST /linkedin/messaging/send-group-with-ack',
			],
		);
		for (const request of requests) {
			assert.equal(request.headers.authorization, `Bearer ${suite.api.apiKey}`);
			assert.match(String(request.headers['content-type']), /^application\/json/);
		}
	});

	it('sends the documented body of each endpoint, with nothing left empty and no account (the default one)', () => {
		assert.deepEqual(
			requests.map((request) => request.body),
			[
				{
					recipientProfileId: 'jane-doe',
					message: 'Hi Jane, thanks for connecting. Would a short call next week suit you?',
				},
				{
					recipientProfileId: 'john-smith',
					message: "Thanks John, got your note. I'll send the deck today.",
					messageUrns: ['urn:li:msg_message:(urn:li:fsd_profile:ACoAAJohnSmith,2-MTcwMDAwMDAwMDAwMA==)'],
				},
				{
					recipientProfileUrn: 'urn:li:fsd_profile:ACoAAMariaGarcia',
					message: 'Sounds good, Maria: Thursday at 10 works for me.',
					conversationUrn:
						'urn:li:msg_conversation:(urn:li:fsd_profile:ACoAAMariaGarcia,2-ZmFrZS1jb252ZXJzYXRpb24=)',
				},
				{
					recipientProfileId: 'li-wei',
					message:
						'Hello Li, I lead partnerships at Analytical Engines and would value your view on our pilot.',
					subject: 'A pilot you might like',
					messageType: 'inmail',
				},
				{
					recipientProfileUrn: 'urn:li:fsd_profile:ACoAAPriyaPatel',
					groupId: '9876543',
					message: "Hi Priya, we're both in the Revenue Ops group: happy to swap notes on tooling.",
				},
			],
		);
	});

	it('delivers one message to each of the five recipients', async () => {
		await assertSentOnceEach(suite.api, [
			'jane-doe',
			'john-smith',
			'urn:li:fsd_profile:ACoAAMariaGarcia',
			'li-wei',
			'urn:li:fsd_profile:ACoAAPriyaPatel',
		]);
	});

	it("outputs ConnectSafely's answer plus the rate limit it reported, one item per node", async () => {
		const nodes = [
			'Send',
			'Send With Acknowledgment',
			'Send With Typing Indicator',
			'Send (Legacy) as InMail',
			'Group Message With Acknowledgment',
		];
		nodes.forEach((name, index) => {
			const items = run.items(name);
			assert.equal(items.length, 1, `${name}: ${JSON.stringify(items)}`);
			const [item] = items;
			assert.equal(item.success, true, `${name}: ${JSON.stringify(item)}`);
			assertRateLimit(item.rateLimit, { used: index + 1 }, name);
		});
		const [send] = run.items('Send');
		assert.match(send.sentMessage?.conversationUrn ?? '', /^urn:li:msg_conversation:/);
		assert.equal(run.items('Send With Acknowledgment')[0].acknowledgmentSent, true);
		assert.equal(run.items('Send With Typing Indicator')[0].typingIndicatorSent, true);
		assert.equal(run.items('Group Message With Acknowledgment')[0].groupId, '9876543');
	});

	it('sends as the account picked in the node when one is set', async () => {
		const workflow = await loadExample('01-every-operation.json');
		workflow.id = 'csEveryOpAccount';
		workflow.name += ' (account set)';
		const graceHopper = '65b2c3d4e5f60718293a4b5c'; // the stand-in's account without Sales Navigator
		for (const node of workflow.nodes) {
			if (node.parameters.account) node.parameters.account = { __rl: true, mode: 'id', value: graceHopper };
		}
		await suite.api.reset();
		const second = await suite.run(workflow);
		assert.equal(second.status, 'success', second.describe());
		const bodies = (await suite.api.requests()).map((request) => request.body);
		assert.equal(bodies.length, 5);
		for (const body of bodies) assert.equal(body.accountId, graceHopper);
		assert.equal(second.items('Send')[0].threadId, undefined, 'no Sales Navigator thread for this account');
	});
});
