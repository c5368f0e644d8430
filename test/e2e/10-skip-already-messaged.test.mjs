// @ts-check
// "Skip Recipients Already Messaged" in the real n8n app: n8n's own deduplication store (in its database)
// remembers whom the workflow messaged, so the next run of the same sheet sends nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertSentOnceEach } from './lib/assertions.mjs';
import { loadExample, NODE_TYPE, nodesOfType, Suite } from './lib/suite.mjs';

const PROSPECTS = ['jane-doe', 'omar-farouk', 'sofia-rossi', 'tom-becker-42'];

describe('skip recipients already messaged, across two runs of the CSV workflow', () => {
	/** @type {Suite} */
	let suite;
	/** @type {import('./lib/n8n.mjs').Execution} */
	let first;
	/** @type {import('./lib/n8n.mjs').Execution} */
	let second;
	let nodeName = '';

	before(async () => {
		suite = await Suite.start({ name: 'skip-already-messaged' });
		const workflow = await loadExample('02-spreadsheet-csv.json');
		const [node] = nodesOfType(workflow, NODE_TYPE);
		node.parameters.options = { skipAlreadyMessaged: 'recipient' };
		nodeName = node.name;
		first = await suite.run(workflow);
		second = await suite.run(workflow);
	});
	after(() => suite?.dispose());

	it('the first run messages each prospect once', async () => {
		assert.equal(first.status, 'success', first.describe());
		assert.ok(first.items(nodeName).every((item) => item.success === true));
	});

	it('the second run sends nothing and outputs every item as skipped', async () => {
		assert.equal(second.status, 'success', second.describe());
		const items = second.items(nodeName);
		assert.equal(items.length, PROSPECTS.length);
		for (const item of items) {
			assert.equal(item.skipped, true, JSON.stringify(item));
			assert.match(String(item.reason), /^Not sent: this workflow already messaged /);
		}
		assert.deepEqual(items.map((item) => item.recipient), PROSPECTS);
		await assertSentOnceEach(suite.api, PROSPECTS);
	});
});
