// @ts-check
// Repeat Protection across queue-mode workers (issue 21): the same webhook call, 50 recipients, posted twice — at
// once, 300 ms apart and 5 s apart — to a published workflow whose ConnectSafely node is a new one (version 1.1, its
// defaults), run by two workers at --concurrency=1 (so the two executions surely run side by side on two workers),
// with PostgreSQL and Redis as 08-queue-mode sets them up. No n8n helper is atomic across workers: the node records
// a claim with its reservation and reads it back after 100–250 ms (docs/never-twice.md). Measured: how many
// recipients got two messages, and none; asserted: every execution succeeds and nobody gets three.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { N8nUserFolder } from './lib/n8n.mjs';
import { PostgresServer } from './lib/postgres.mjs';
import { executionDetails, listExecutions, postAll, QueueCluster, waitForFinishedExecutions, waitForWebhook } from './lib/queue.mjs';
import { Standin } from './lib/standin.mjs';
import { loadExample, prepareUserFolder } from './lib/suite.mjs';

const SEND = 'Send';
const RECIPIENTS = 50;

describe('Repeat Protection in queue mode: the same call on two workers', () => {
	/** @type {N8nUserFolder} */
	let n8n;
	/** @type {Standin} */
	let standin;
	/** @type {QueueCluster} */
	let cluster;
	/** @type {PostgresServer} */
	let postgres;
	/** @type {any} */
	let workflow;
	let url = '';

	before(async () => {
		standin = await Standin.start({ own: true, quota: 100_000 });
		postgres = await PostgresServer.start();
		n8n = await N8nUserFolder.create({ name: 'repeat-queue', from: process.env.E2E_TEMPLATE_USER_FOLDER });
		n8n.useDatabase(postgres.n8nEnv());
		await prepareUserFolder(n8n, { withPackage: !process.env.E2E_TEMPLATE_USER_FOLDER, standin });
		workflow = await loadExample('08-webhook-queue-mode.json');
		workflow.id = 'csRepeatQueue001';
		workflow.name = 'Repeat Protection across workers';
		const hook = workflow.nodes.find((/** @type {{ type: string }} */ node) => node.type === 'n8n-nodes-base.webhook');
		hook.parameters.path = 'connectsafely-repeat-queue';
		hook.webhookId = '5d1f3c9a-2b7e-4f60-8c1d-3e9a7b2c1601';
		// A ConnectSafely node added today: version 1.1 with its defaults (Repeat Protection on, 24 h).
		const send = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === SEND);
		send.typeVersion = 1.1;
		send.parameters.options = {};
		delete send.retryOnFail;
		delete send.maxTries;
		await n8n.importWorkflows([workflow]);
		await n8n.publishWorkflow(workflow.id);
		cluster = await QueueCluster.start(n8n, { workers: 2, concurrency: 1 });
		url = `${cluster.url}/webhook/connectsafely-repeat-queue`;
		await waitForWebhook(url, 60_000);
	});

	after(async () => {
		await cluster?.stop();
		await standin?.stop();
		await n8n?.dispose();
		await postgres?.stop();
	});

	/**
	 * Posts the same call twice, `apartMs` apart; returns how many recipients got 0, 1, 2 or more messages.
	 * @param {string} batch
	 * @param {number} apartMs
	 */
	async function postTwice(batch, apartMs) {
		await standin.reset();
		const known = (await listExecutions(cluster.main, workflow.id)).length;
		const recipients = Array.from({ length: RECIPIENTS }, (_, index) => ({ id: `${batch}-r${index}`, firstName: `R${index}` }));
		const body = { batch, recipients };
		const answers = await Promise.all([
			postAll(url, [body]),
			new Promise((resolve) => setTimeout(resolve, apartMs)).then(() => postAll(url, [body])),
		]);
		assert.deepEqual(answers.flat().map((answer) => answer.status), [200, 200]);
		const executions = (await waitForFinishedExecutions(cluster.main, workflow.id, known + 2, 300_000)).slice(known);
		const failed = [];
		for (const execution of executions.filter((execution) => execution.status !== 'success')) {
			const details = await executionDetails(cluster.main, n8n, execution.id);
			failed.push(`${execution.id} ${execution.status}: ${details.data?.resultData?.error?.message ?? '?'}`);
		}
		assert.deepEqual(failed, [], 'every execution succeeds');
		const workers = executions.map((execution) => cluster.workerOf(execution.id)?.name);
		/** @type {Record<string, number>} */
		const counts = {};
		for (const message of await standin.delivered()) counts[message.recipient] = (counts[message.recipient] ?? 0) + 1;
		const got = (/** @type {number} */ n) => recipients.filter((recipient) => (counts[recipient.id] ?? 0) === n).length;
		return { none: got(0), once: got(1), twice: got(2), more: RECIPIENTS - got(0) - got(1) - got(2), workers };
	}

	for (const [label, apartMs] of /** @type {Array<[string, number]>} */ ([
		['at once', 0],
		['300 ms apart', 300],
		['5 s apart', 5000],
	])) {
		it(`the same call of ${RECIPIENTS} recipients posted twice ${label}, on two workers: measured; nobody gets three`, async (t) => {
			const slug = label.replace(/\s+/g, '-');
			const figures = await postTwice(`repeat-${slug}`, apartMs);
			t.diagnostic(
				`figure repeat-queue-${slug} ${figures.twice} of ${RECIPIENTS} recipients got two messages, ${figures.none} none (workers: ${figures.workers.join(', ')})`,
			);
			assert.equal(figures.more, 0, 'nobody got three messages');
		});
	}
});
