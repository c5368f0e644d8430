// @ts-check
// examples/07-bad-input.json: a company page where a profile URL belongs stops the run before anything is sent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { loadExample, Suite } from './lib/suite.mjs';

describe('bad input in real n8n', () => {
	/** @type {Suite} */
	let suite;
	before(async () => {
		suite = await Suite.start({ name: 'bad-input' });
	});
	after(() => suite?.dispose());

	it("fails the run with the node's own message naming the item, the field and the value, and sends nothing", async () => {
		await suite.api.reset();
		const run = await suite.run('07-bad-input.json');
		assert.equal(run.exitCode, 1, run.describe());
		assert.equal(run.status, 'error', run.describe());
		const error = run.error;
		assert.equal(error?.node?.name, 'Send', run.describe());
		assert.equal(
			error?.message,
			'Recipient (By URL): "https://www.linkedin.com/company/acme-corp/" is not a LinkedIn profile URL',
		);
		assert.match(String(error?.description), /linkedin\.com\/in\/.*Nothing was sent for this item\./s);
		assert.deepEqual(await suite.api.requests(), [], 'not even the valid first row was sent');
	});

	it('with On Error set to continue, sends the valid row and outputs the bad one as an error item', async () => {
		await suite.api.reset();
		const workflow = await loadExample('07-bad-input.json');
		workflow.id = 'csBadInputContin';
		workflow.name += ' (continue on error)';
		const send = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === 'Send');
		send.onError = 'continueRegularOutput';
		const run = await suite.run(workflow);
		assert.equal(run.status, 'success', run.describe());
		const requests = await suite.api.requests();
		assert.deepEqual(
			requests.map((request) => request.body.recipientProfileId),
			['kim-larsen'],
		);
		const [kim, acme] = run.items('Send');
		assert.equal(kim.success, true);
		assert.match(acme.error, /^Recipient \(By URL\): .*acme-corp.* is not a LinkedIn profile URL$/);
	});
});
