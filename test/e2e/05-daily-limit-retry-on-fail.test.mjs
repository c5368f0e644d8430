// @ts-check
// examples/05-daily-limit-retry-on-fail.json: the stand-in's daily quota runs out mid-list while n8n's Retry On Fail
// re-runs the node. Nobody may get two messages, and the run must say what was and wasn't sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertRateLimit, assertSentOnceEach } from './lib/assertions.mjs';
import { loadExample, Suite } from './lib/suite.mjs';

const prospects = ['farah-haddad', 'goran-petrov', 'hana-suzuki', 'ivan-horvat', 'jamal-reed'];
const NODE = 'Send (Retry On Fail)';

describe('example 5: the daily limit with Retry On Fail', () => {
	/** @type {Suite} */
	let suite;
	before(async () => {
		suite = await Suite.start({ name: 'daily-limit' });
	});
	after(() => suite?.dispose());

	it('sends to the first three once, never calls again on the retries, and fails naming what was sent', async () => {
		await suite.api.reset();
		await suite.api.quota({ limit: 3 }); // resets at the next UTC midnight: too far to wait for
		const example = await loadExample('05-daily-limit-retry-on-fail.json');
		const node = example.nodes.find((/** @type {{ name: string }} */ n) => n.name === NODE);
		assert.equal(node.retryOnFail, true, 'the example has Retry On Fail on');
		assert.equal(node.maxTries, 3);

		const started = Date.now();
		const run = await suite.run(example);
		assert.equal(run.exitCode, 1, run.describe());
		assert.equal(run.status, 'error', run.describe());

		await assertSentOnceEach(suite.api, prospects.slice(0, 3));
		const requests = await suite.api.requests();
		assert.deepEqual(
			requests.map((request) => request.body.recipientProfileId),
			['farah-haddad', 'goran-petrov', 'hana-suzuki', 'ivan-horvat'],
			'three sends, one 429 for the fourth, and no call at all on the two retries',
		);

		const message = run.error?.message ?? '';
		assert.equal(run.error?.node?.name, NODE, run.describe());
		assert.match(message, /rate limit/i);
		assert.match(message, /3 items were sent before it; the items after it were not attempted/);
		assert.ok(Date.now() - started >= 2000, 'n8n waited between its three tries (1 s each)');
	});

	it('with Max Wait for Rate Limit covering the reset, waits for it and sends everyone exactly once', async () => {
		await suite.api.reset();
		await suite.api.quota({ limit: 3, resetInMs: 4000 });
		const workflow = await loadExample('05-daily-limit-retry-on-fail.json');
		workflow.id = 'csDailyLimitWait';
		workflow.name += ' (waits for the reset)';
		const node = workflow.nodes.find((/** @type {{ name: string }} */ n) => n.name === NODE);
		node.parameters.options = { maxWaitForRateLimit: 30 };

		const run = await suite.run(workflow);
		assert.equal(run.status, 'success', run.describe());
		await assertSentOnceEach(suite.api, prospects);
		const requests = await suite.api.requests();
		assert.equal(requests.length, 6, 'five sends and the one 429 that started the wait');
		const items = run.items(NODE);
		assert.equal(items.length, 5);
		assertRateLimit(items[2].rateLimit, { limit: 3, used: 3 }, 'third item');
		assertRateLimit(items[4].rateLimit, { limit: 3, used: 2 }, 'fifth item, after the reset');
	});
});
