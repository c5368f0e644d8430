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

	it('sends to the first three once, calls nothing more on n8n\'s retries (none that could only earn a 429), and fails naming what was sent', async () => {
		await suite.api.reset();
		await suite.api.quota({ limit: 3 }); // resets at the next UTC midnight: too far to wait for
		const example = await loadExample('05-daily-limit-retry-on-fail.json');
		const node = example.nodes.find((/** @type {{ name: string }} */ n) => n.name === NODE);
		assert.equal(node.retryOnFail, true, 'the example has Retry On Fail on');
		assert.equal(node.maxTries, 3);

		// At debug level n8n logs each try of a node: the proof that its Retry On Fail really re-ran the node.
		const run = await suite.run(example, { env: { N8N_LOG_LEVEL: 'debug' } });
		assert.equal(run.exitCode, 1, run.describe());
		assert.equal(run.status, 'error', run.describe());

		await assertSentOnceEach(suite.api, prospects.slice(0, 3));
		const requests = await suite.api.requests();
		assert.deepEqual(
			requests.map((request) => request.body.recipientProfileId),
			['farah-haddad', 'goran-petrov', 'hana-suzuki'],
			'three sends; the third said 0 remaining, so no call for the fourth and none on the two retries',
		);
		const tries = `${run.stdout}\n${run.stderr}`.split(`Running node "${NODE}" started`).length - 1;
		assert.equal(tries, 3, 'n8n ran the node three times (Retry On Fail, Max Tries 3)');

		const message = run.error?.message ?? '';
		assert.equal(run.error?.node?.name, NODE, run.describe());
		assert.match(message, /^Not sent: the default account has no messages left until its reset/);
		assert.match(message, /3 items were sent before it; the items after it were not attempted/);
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
		assert.equal(requests.length, 5, 'five sends: the third said 0 remaining, so the fourth waited without a 429');
		const items = run.items(NODE);
		assert.equal(items.length, 5);
		assertRateLimit(items[2].rateLimit, { limit: 3, used: 3 }, 'third item');
		assertRateLimit(items[4].rateLimit, { limit: 3, used: 2 }, 'fifth item, after the reset');
	});
});
