// @ts-check
// "Pause Between Messages" in the real n8n app: the CSV workflow of example 2, cut to three rows, with a pause of
// 1–2 s sends three messages at least 1 s apart; and n8n's own execution timeout ends a long pause.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertSentOnceEach } from './lib/assertions.mjs';
import { loadExample, NODE_TYPE, nodesOfType, Suite } from './lib/suite.mjs';

const THREE = ['jane-doe', 'omar-farouk', 'sofia-rossi'];

/**
 * Example 2 with a Limit node keeping the sheet's first three rows, and the pause set on the send.
 * @param {{ minSeconds: number, maxSeconds: number }} pause
 * @param {Record<string, unknown>} [settings] workflow settings to add
 */
async function threeRowSheet(pause, settings = {}) {
	const workflow = await loadExample('02-spreadsheet-csv.json');
	const [node] = nodesOfType(workflow, NODE_TYPE);
	node.parameters.options = { pauseBetweenMessages: { pause } };
	const rows = workflow.nodes.find((/** @type {{ name: string }} */ each) => each.name === 'Extract rows');
	workflow.nodes.push({
		id: 'a5d7c0de-0000-4000-8000-000000000013',
		name: 'First three rows',
		type: 'n8n-nodes-base.limit',
		typeVersion: 1,
		position: [rows.position[0] + 110, rows.position[1] + 160],
		parameters: { maxItems: 3 },
	});
	workflow.connections['Extract rows'].main[0][0].node = 'First three rows';
	workflow.connections['First three rows'] = {
		main: [[{ node: node.name, type: 'main', index: 0 }]],
	};
	workflow.settings = { ...workflow.settings, ...settings };
	return { workflow, nodeName: node.name };
}

/** @param {Array<{ at: string }>} requests */
function gaps(requests) {
	const times = requests.map((request) => Date.parse(request.at));
	return times.slice(1).map((time, index) => time - times[index]);
}

describe('pause between messages, in the real n8n app', () => {
	/** @type {Suite} */
	let suite;

	before(async () => {
		suite = await Suite.start({ name: 'pause-between-messages' });
	});
	after(() => suite?.dispose());

	it('a three-row sheet with a pause of 1–2 s sends three messages, in order, at least 1 s apart', async () => {
		await suite.api.reset();
		const { workflow, nodeName } = await threeRowSheet({ minSeconds: 1, maxSeconds: 2 });
		const run = await suite.run(workflow);
		assert.equal(run.status, 'success', run.describe());

		const items = run.items(nodeName);
		assert.equal(items.length, 3);
		items.forEach((item) => assert.equal(item.success, true, JSON.stringify(item)));

		const requests = /** @type {Array<{ at: string, body: any }>} */ (await suite.api.requests());
		assert.deepEqual(
			requests.map((request) => request.body.recipientProfileId),
			THREE,
		);
		const between = gaps(requests);
		for (const gap of between) {
			assert.ok(gap >= 999, `messages ${between.join(' ms, ')} ms apart: each at least 1 s`);
			assert.ok(gap <= 2000 + 1000, `messages ${between.join(' ms, ')} ms apart: none much over 2 s`);
		}
		await assertSentOnceEach(suite.api, THREE);
	});

	it('the workflow setting "Timeout Workflow" ends a long pause: what was sent stays sent, nothing more goes out', async () => {
		await suite.api.reset();
		const { workflow } = await threeRowSheet(
			{ minSeconds: 20, maxSeconds: 20 },
			{ executionTimeout: 4 },
		);
		const run = await suite.run(workflow);
		const ended = Date.now();
		const requests = /** @type {Array<{ at: string }>} */ (await suite.api.requests());
		assert.equal(requests.length, 1, `one message before the first pause; ${run.describe()}`);
		assert.notEqual(run.exitCode, 0, run.describe());
		assert.match(run.stdout, /The execution was cancelled because it timed out/);
		// n8n stopped it at its 4 s timeout, in the first 20 s pause (n8n's own start-up is before the first send).
		const afterFirstMs = ended - Date.parse(requests[0].at);
		assert.ok(afterFirstMs < 12_000, `the execution ended ${afterFirstMs} ms after the first message`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		assert.equal((await suite.api.requests()).length, 1, 'nothing was sent after the timeout');
		await assertSentOnceEach(suite.api, THREE.slice(0, 1));
	});
});
