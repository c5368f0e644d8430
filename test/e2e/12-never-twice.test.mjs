// @ts-check
// Never the same message twice, in the real n8n app: n8n's Retry On Fail re-running the node while its first output
// item is an error item (On Error "Continue"), and n8n's Retry of a failed execution through its REST API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertSentOnceEach } from './lib/assertions.mjs';
import { loadExample, Suite } from './lib/suite.mjs';

const OWNER = { email: 'owner@example.com', password: 'E2e-passw0rd' };

describe('never twice in real n8n', () => {
	/** @type {Suite} */
	let suite;
	before(async () => {
		suite = await Suite.start({ name: 'never-twice' });
	});
	after(() => suite?.dispose());

	it('Retry On Fail with On Error "Continue" and a bad first row: n8n re-runs the node, each good row goes out once', async () => {
		await suite.api.reset();
		const workflow = await loadExample('07-bad-input.json');
		workflow.id = 'csRetryBadFirstRow';
		workflow.name = 'Retry On Fail, bad first row';
		const rows = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === 'Rows with a bad URL');
		rows.parameters.jsCode = `return [
  { name: 'Acme Corp', profile: 'https://www.linkedin.com/company/acme-corp/' },
  { name: 'Acme Bot', profile: 'https://www.linkedin.com/in/acme-bot' },
  { name: 'Kim Larsen', profile: 'https://www.linkedin.com/in/kim-larsen' },
  { name: 'Lea Moreau', profile: 'https://fr.linkedin.com/in/lea-moreau/details/experience/' },
  { name: 'Mia Chen', profile: 'https://www.linkedin.com/mwlite/in/mia-chen' },
].map((row) => ({ json: row }));`;
		const send = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === 'Send');
		Object.assign(send, { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000, onError: 'continueRegularOutput' });
		// The first row is not a profile URL: its error item makes n8n re-run the node (it re-runs a node whose first
		// output item carries json.error). The API refuses the second row every time, and a refusal is safe to try
		// again, so each run asks again: its requests count n8n's runs of the node.
		await suite.api.faults([
			{ recipient: 'acme-bot', times: 10, status: 400, body: { success: false, error: 'Recipient cannot be messaged' } },
		]);

		const run = await suite.run(workflow);
		assert.equal(run.status, 'success', run.describe());
		const calls = (await suite.api.requests()).map((request) => request.body.recipientProfileId);
		assert.equal(calls.filter((id) => id === 'acme-bot').length, 3, `n8n ran the node three times: ${calls.join(', ')}`);
		await assertSentOnceEach(suite.api, ['kim-larsen', 'lea-moreau', 'mia-chen']);
		assert.equal(calls.length, 6, 'three sends, and the refused row once per run');
		const items = run.items('Send');
		assert.match(String(items[0].error), /is not a LinkedIn profile URL$/);
		assert.match(String(items[1].error), /Recipient cannot be messaged/);
		assert.deepEqual(
			items.slice(2).map((/** @type {{ success?: boolean }} */ item) => item.success),
			[true, true, true],
		);
	});

	it("n8n's Retry of a failed execution (REST API) sends nothing the failed one sent or may have sent", async () => {
		await suite.api.reset();
		const workflow = await loadExample('08-webhook-queue-mode.json');
		workflow.id = 'csRetryFailedExecution';
		workflow.name = 'Retry of a failed execution';
		const webhook = workflow.nodes.find((/** @type {{ type: string }} */ node) => node.type === 'n8n-nodes-base.webhook');
		webhook.parameters.path = 'connectsafely-retry-e2e';
		webhook.webhookId = 'c0ffee00-0000-4000-8000-00000000e2e1';
		const send = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === 'Send');
		send.parameters.options = {}; // the send ledger alone, without n8n's deduplication store
		const [id] = await suite.n8n.importWorkflows(workflow);
		await suite.n8n.publishWorkflow(id);

		const editor = await suite.n8n.startEditor();
		try {
			await editor.signIn(OWNER);
			// The third recipient's send gets a 500: it may have gone out, and the execution fails there.
			await suite.api.faults([{ recipient: 'c-carter', status: 500, body: { success: false, error: 'Upstream timeout' } }]);
			const recipients = ['a-adams', 'b-baker', 'c-carter', 'd-dunn'].map((id) => ({ id, firstName: id.slice(2) }));
			const posted = await fetch(`${editor.url}/webhook/connectsafely-retry-e2e`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ recipients }),
			});
			assert.equal(posted.status, 200, await posted.text());
			const failed = await waitForExecution(editor, id, (execution) => execution.status === 'error');
			assert.deepEqual(
				(await suite.api.delivered()).map((message) => message.recipient),
				['a-adams', 'b-baker'],
			);

			const retry = await fetch(`${editor.url}/rest/executions/${failed.id}/retry`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie: editor.cookie ?? '' },
				body: JSON.stringify({ loadWorkflow: false }),
			});
			assert.equal(retry.status, 200, await retry.text());
			const retried = await waitForExecution(
				editor,
				id,
				(execution) => execution.mode === 'retry' && ['success', 'error', 'crashed'].includes(execution.status),
			);
			assert.equal(retried.status, 'success');

			await assertSentOnceEach(suite.api, ['a-adams', 'b-baker', 'd-dunn']);
			const calls = (await suite.api.requests()).filter((request) => request.path.endsWith('/conversations/send'));
			assert.deepEqual(
				calls.map((request) => request.body.recipientProfileId),
				['a-adams', 'b-baker', 'c-carter', 'd-dunn'],
				'the retry called the API only for the recipient the failed execution never reached',
			);
			const { data } = await editor.get(`/rest/executions/${retried.id}`);
			const output = JSON.stringify(data);
			assert.match(output, /Not sent: the same message went to a-adams/);
			assert.match(output, /may have gone out to c-carter/);
			assert.match(output, new RegExp(`in execution ${failed.id} of this workflow`));
		} finally {
			await editor.stop();
		}
	});
});

/**
 * The newest execution of a workflow that matches, waiting up to 60 s.
 * @param {import('./lib/n8n.mjs').Editor} editor
 * @param {string} workflowId
 * @param {(execution: { id: string, mode: string, status: string }) => boolean} matches
 */
async function waitForExecution(editor, workflowId, matches) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const found = (await editor.executions(workflowId)).find(matches);
		if (found) return found;
		if (Date.now() > deadline) {
			throw new Error(`no matching execution: ${JSON.stringify(await editor.executions(workflowId))}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
