// @ts-check
// The harness itself, with n8n's core nodes only: if these fail, the other e2e failures say nothing about the node.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Suite } from './lib/suite.mjs';

/**
 * @param {string} id
 * @param {string} jsCode
 */
function manualThenCode(id, jsCode) {
	return {
		id,
		name: `harness ${id}`,
		active: false,
		settings: {},
		nodes: [
			{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'n2',
				name: 'Set',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					assignments: { assignments: [{ id: 'a1', name: 'greeting', value: 'hello', type: 'string' }] },
					options: {},
				},
			},
			{ id: 'n3', name: 'Code', type: 'n8n-nodes-base.code', typeVersion: 2, position: [440, 0], parameters: { jsCode } },
		],
		connections: {
			Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
			Set: { main: [[{ node: 'Code', type: 'main', index: 0 }]] },
		},
	};
}

describe('the n8n harness (core nodes only)', () => {
	/** @type {Suite} */
	let suite;
	before(async () => {
		suite = await Suite.start({ name: 'harness', withPackage: false, withStandin: false });
	});
	after(() => suite?.dispose());

	it('imports a workflow, runs it with n8n execute and reads every node’s output', async () => {
		const run = await suite.run(
			manualThenCode('harnessSuccess01', 'return $input.all().map((item) => ({ json: { ...item.json, n: 42 } }));'),
		);
		assert.equal(run.exitCode, 0, run.describe());
		assert.equal(run.status, 'success', run.describe());
		assert.deepEqual(run.items('Set'), [{ greeting: 'hello' }]);
		assert.deepEqual(run.items('Code'), [{ greeting: 'hello', n: 42 }]);
	});

	it('reports a failing workflow with exit code 1, the failing node and its message', async () => {
		const run = await suite.run(manualThenCode('harnessFailure01', 'throw new Error("deliberate failure");'));
		assert.equal(run.exitCode, 1, run.describe());
		assert.equal(run.status, 'error', run.describe());
		assert.match(run.error?.message ?? '', /deliberate failure/);
		assert.deepEqual(run.items('Set'), [{ greeting: 'hello' }], 'nodes before the failure still report output');
	});
});
