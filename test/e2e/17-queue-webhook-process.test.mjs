// @ts-check
// The ConnectSafely Trigger in n8n's queue mode as it runs in production (issue 21): PostgreSQL, Redis, a main
// instance that takes no production webhook calls (N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true), one `n8n webhook`
// process that takes them, and two workers that run the executions. A published workflow ConnectSafely Trigger →
// ConnectSafely Send With Typing Indicator (version 1, no Repeat Protection: one execution is one reply) receives
// signed message.received events at the webhook process's Production URL.
//
//   1. One event delivered 4 times (the first delivery and ConnectSafely's 3 redeliveries): at once, 300 ms apart,
//      5 s apart → how many executions and replies.
//   2. Two different events at the same moment, three times: both run; how many of their records n8n's database
//      holds (the webhook process loads the workflow's static data per call and saves it whole: last writer wins);
//      each redelivered to the same webhook process → how many run again.
//   3. The same with three new pairs, but the webhook process restarts (its memory is gone) before the
//      redeliveries: the lost-record case → how many run again.
//   4. Measured only: a second webhook process; each pair split over the two, each event then redelivered to the
//      process that did not take it → how many records were saved and how many run again (the residual).
//
// The counts are reported as `figure …` diagnostics (the results file; docs/scale.md) and asserted where the node
// promises them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { N8nUserFolder } from './lib/n8n.mjs';
import { PostgresServer } from './lib/postgres.mjs';
import { waitUntil } from './lib/processes.mjs';
import { listExecutions, QueueCluster } from './lib/queue.mjs';
import { Standin } from './lib/standin.mjs';
import { loadExample, prepareUserFolder } from './lib/suite.mjs';
import { deliver, messageReceived } from './lib/webhook-events.mjs';

const SECRET = 'whsec_e2e_queue_trigger_7d1e';
const ACCOUNT = '65b2c3d4e5f60718293a4b5c'; // the stand-in's plain LinkedIn account
const WORKFLOW_ID = 'csQueueTrigger01'; // 16 characters: n8n 1.x saves static data only for ids that short
const TRIGGER = 'LinkedIn message received';
const REPLY_PATH = '/linkedin/messaging/send-with-typing';

/** @type {Array<[string, number]>} */
const timings = [];
const suiteStarted = Date.now();

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The example's trigger and reply node, without the AI step: the reply quotes the message it answers. */
async function triggerReplyWorkflow() {
	const example = await loadExample('11-trigger-ai-reply.json');
	const trigger = example.nodes.find((/** @type {{ name: string }} */ node) => node.name === TRIGGER);
	const reply = example.nodes.find((/** @type {{ name: string }} */ node) => node.name === 'Reply in the conversation');
	reply.parameters.message = `=Re: {{ $('${TRIGGER}').item.json.text }}`;
	return {
		...example,
		id: WORKFLOW_ID,
		name: 'ConnectSafely: reply once per LinkedIn message (queue mode)',
		nodes: [trigger, reply],
		connections: { [TRIGGER]: { main: [[{ node: reply.name, type: 'main', index: 0 }]] } },
	};
}

describe('queue mode with an `n8n webhook` process: the ConnectSafely Trigger once per message', () => {
	/** @type {N8nUserFolder} */
	let n8n;
	/** @type {Standin} */
	let standin;
	/** @type {QueueCluster} */
	let cluster;
	/** @type {PostgresServer} */
	let postgres;
	/** @type {import('./lib/queue.mjs').WebhookProcess} */
	let webhookProcess;
	/** @type {string} */
	let webhookId;

	const productionUrl = () => `${webhookProcess.url}/webhook/${webhookId}/webhook`;

	/** Waits until the webhook process serves the Production URL: an unsigned probe is refused (401), nothing runs. */
	async function waitForProductionUrl() {
		await waitUntil(async () => (await fetch(productionUrl(), { method: 'POST' })).status === 401, {
			timeoutMs: 120_000,
			intervalMs: 500,
			what: `the Production URL ${productionUrl()}`,
		}).catch((error) => {
			throw new Error(`${error.message}\n${webhookProcess.server.output.slice(-4000)}`);
		});
	}

	/**
	 * Waits until n8n lists `count` executions of the workflow, all settled, then 3 s more in case another is on
	 * its way; returns them all.
	 * @param {number} count
	 */
	async function settledExecutions(count) {
		/** @type {import('./lib/queue.mjs').ExecutionSummary[]} */
		let executions = [];
		const settled = async () => {
			executions = await listExecutions(cluster.main, WORKFLOW_ID);
			return executions.length >= count && executions.every((e) => !['new', 'running', 'waiting'].includes(e.status));
		};
		await waitUntil(settled, { timeoutMs: 180_000, intervalMs: 500, what: `${count} settled executions` });
		await sleep(3000);
		await waitUntil(settled, { timeoutMs: 180_000, intervalMs: 500, what: `${count} settled executions` });
		return executions;
	}

	/**
	 * The replies the stand-in received for one message (the reply quotes the message's text).
	 * @param {string} text
	 */
	async function repliesTo(text) {
		return (await standin.requests()).filter((request) => request.path === REPLY_PATH && request.body?.message === `Re: ${text}`);
	}

	/** @param {string} id */
	const event = (id) =>
		messageReceived({ messageUrn: `urn:li:messagingMessage:2-queue-${id}==`, accountId: ACCOUNT, text: `Message ${id}` });

	/** What n8n's database holds as the trigger's record: the message URNs it saved. */
	async function savedUrns() {
		const [json] = await postgres.query(`SELECT "staticData" FROM workflow_entity WHERE id = '${WORKFLOW_ID}'`);
		const staticData = json ? JSON.parse(json) : {};
		return Object.keys(staticData[`node:${TRIGGER}`]?.messageUrns ?? {});
	}

	before(async () => {
		const started = Date.now();
		standin = await Standin.start({ own: true, quota: 100_000 });
		postgres = await PostgresServer.start();
		n8n = await N8nUserFolder.create({ name: 'queue-webhook', from: process.env.E2E_TEMPLATE_USER_FOLDER });
		n8n.useDatabase(postgres.n8nEnv());
		await prepareUserFolder(n8n, { withPackage: !process.env.E2E_TEMPLATE_USER_FOLDER, standin });
		await n8n.importCredentials([
			{ id: 'csWebhookCred001', name: 'ConnectSafely webhook', type: 'connectSafelyWebhookApi', data: { signingSecret: SECRET } },
		]);
		const workflow = await triggerReplyWorkflow();
		webhookId = workflow.nodes[0].webhookId;
		await n8n.importWorkflows(workflow);
		await n8n.publishWorkflow(WORKFLOW_ID);
		timings.push(['PostgreSQL, user folder, credentials, workflow published', (Date.now() - started) / 1000]);

		const clusterStarted = Date.now();
		cluster = await QueueCluster.start(n8n, {
			workers: 2,
			concurrency: 5,
			env: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		});
		webhookProcess = await cluster.startWebhookProcess('webhook-1');
		await waitForProductionUrl();
		timings.push(['Redis + main + webhook process + 2 workers started', (Date.now() - clusterStarted) / 1000]);
	});

	after(async () => {
		await cluster?.stop();
		await standin?.stop();
		await n8n?.dispose();
		await postgres?.stop();
		timings.push(['the whole file', (Date.now() - suiteStarted) / 1000]);
		process.stderr.write(
			`[e2e queue trigger] timings:\n${timings.map(([what, s]) => `  ${s.toFixed(1).padStart(6)} s  ${what}`).join('\n')}\n`,
		);
	});

	it('the main instance takes no production call: only the webhook process serves the Production URL', async () => {
		const onMain = await fetch(`${cluster.url}/webhook/${webhookId}/webhook`, { method: 'POST' });
		assert.equal(onMain.status, 404, 'N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true: the main instance does not serve it');
		const onWebhookProcess = await fetch(productionUrl(), { method: 'POST' });
		assert.equal(onWebhookProcess.status, 401, 'the trigger refuses the unsigned probe');
	});

	for (const [label, gapMs] of /** @type {Array<[string, number | null]>} */ ([
		['at once', null],
		['300 ms apart', 300],
		['5 s apart', 5000],
	])) {
		it(`one event delivered 4 times ${label} (ConnectSafely's 3 redeliveries): one execution on a worker, one reply`, async (t) => {
			const started = Date.now();
			const known = (await listExecutions(cluster.main, WORKFLOW_ID)).length;
			const id = `redelivered-${gapMs ?? 0}`;
			const message = event(id);
			/** @type {Array<{ status: number, body: string }>} */
			let answers;
			if (gapMs === null) {
				answers = await Promise.all([1, 2, 3, 4].map(() => deliver(productionUrl(), message, { secret: SECRET })));
			} else {
				answers = [];
				for (let attempt = 0; attempt < 4; attempt++) {
					if (attempt > 0) await sleep(gapMs);
					answers.push(await deliver(productionUrl(), message, { secret: SECRET }));
				}
			}
			assert.deepEqual(
				answers.map((answer) => answer.status),
				[200, 200, 200, 200],
				answers.map((answer) => answer.body).join(' | '),
			);
			const fresh = (await settledExecutions(known + 1)).slice(known);
			const replies = await repliesTo(message.data.body);
			t.diagnostic(`figure trigger-redelivery-${gapMs ?? 0}ms ${fresh.length} of 4 deliveries ran (${replies.length} replies)`);
			timings.push([`one event 4 times ${label}`, (Date.now() - started) / 1000]);
			assert.equal(fresh.length, 1, `executions: ${JSON.stringify(fresh)}`);
			assert.equal(fresh[0].status, 'success');
			assert.equal(fresh[0].mode, 'webhook');
			assert.ok(cluster.workerOf(fresh[0].id), `a worker ran execution ${fresh[0].id}`);
			assert.equal(replies.length, 1);
			assert.equal(answers.filter((answer) => /Already received/.test(answer.body)).length, 3);
		});
	}

	/**
	 * Three pairs of different events, the two of a pair posted at the same moment: all six run once, one reply
	 * each. Returns the six events and how many of their records n8n's database holds afterwards.
	 * @param {string} name
	 * @param {import('node:test').TestContext} t
	 * @param {string[]} [urls] where the first and the second event of each pair go (default: the webhook process)
	 */
	async function threePairsAtOnce(name, t, urls = [productionUrl(), productionUrl()]) {
		const known = (await listExecutions(cluster.main, WORKFLOW_ID)).length;
		const pairs = [1, 2, 3].map((pair) => [event(`${name}${pair}-a`), event(`${name}${pair}-b`)]);
		for (const pair of pairs) {
			/** @type {Array<{ status: number, body: string }>} */
			const answers = await Promise.all(pair.map((message, index) => deliver(urls[index], message, { secret: SECRET })));
			assert.deepEqual(
				answers.map((answer) => answer.status),
				[200, 200],
			);
			await sleep(1500); // the next pair after this one's records were saved
		}
		const fresh = (await settledExecutions(known + 6)).slice(known);
		assert.equal(fresh.length, 6, 'both events of each pair ran');
		assert.ok(fresh.every((execution) => execution.status === 'success'));
		const events = pairs.flat();
		for (const message of events) assert.equal((await repliesTo(message.data.body)).length, 1, message.data.message_urn);
		const perWorker = cluster.workers.map((worker) => fresh.filter((execution) => worker.started.includes(execution.id)).length);
		const saved = await savedUrns();
		const kept = events.filter((message) => saved.includes(message.data.message_urn)).length;
		t.diagnostic(`figure trigger-${name}-saved ${kept} of 6 records in the database after 3 pairs at once (workers ${perWorker.join('/')})`);
		return { events, kept };
	}

	it('two different events at the same moment, three times: all six run once, and a redelivery of each to the webhook process starts nothing', async (t) => {
		const started = Date.now();
		const { events } = await threePairsAtOnce('pairs', t);
		const before = (await listExecutions(cluster.main, WORKFLOW_ID)).length;
		for (const message of events) {
			const answer = await deliver(productionUrl(), message, { secret: SECRET });
			assert.match(answer.body, /Already received/, message.data.message_urn);
		}
		assert.equal((await settledExecutions(before)).length, before, 'no redelivery ran');
		const saved = await savedUrns();
		const kept = events.filter((message) => saved.includes(message.data.message_urn)).length;
		t.diagnostic(`figure trigger-pairs-saved-after-redelivery ${kept} of 6 records in the database after each was redelivered once`);
		timings.push(['two events at once ×3, redeliveries', (Date.now() - started) / 1000]);
		assert.equal(kept, 6, 'every record is in the database');
	});

	it('two different events at the same moment, three times, then the webhook process restarts (its memory gone) before any redelivery: a redelivery of each starts nothing (the lost-record case)', async (t) => {
		const started = Date.now();
		const { events, kept } = await threePairsAtOnce('restart', t);
		const restarting = Date.now();
		await webhookProcess.stop();
		webhookProcess = await cluster.startWebhookProcess('webhook-2');
		await waitForProductionUrl();
		timings.push(['  webhook process restarted', (Date.now() - restarting) / 1000]);
		const before = (await listExecutions(cluster.main, WORKFLOW_ID)).length;
		for (const message of events) await deliver(productionUrl(), message, { secret: SECRET });
		const rerun = (await settledExecutions(before)).length - before;
		t.diagnostic(`figure trigger-restart-rerun ${rerun} of 6 redeliveries ran again after the webhook process restarted`);
		timings.push(['two events at once ×3, restart, redeliveries', (Date.now() - started) / 1000]);
		assert.equal(rerun, 6 - kept, 'exactly the events whose record was lost ran again');
		assert.equal(rerun, 0, 'nothing ran twice');
	});

	it('measured, not promised: two webhook processes, two different events at the same moment, one to each (three pairs), then each redelivered to the other process', async (t) => {
		const started = Date.now();
		const second = await cluster.startWebhookProcess('webhook-3');
		const secondUrl = `${second.url}/webhook/${webhookId}/webhook`;
		await waitUntil(async () => (await fetch(secondUrl, { method: 'POST' })).status === 401, {
			timeoutMs: 120_000,
			intervalMs: 500,
			what: `the Production URL ${secondUrl}`,
		});
		try {
			const { events, kept } = await threePairsAtOnce('split', t, [productionUrl(), secondUrl]);
			const before = (await listExecutions(cluster.main, WORKFLOW_ID)).length;
			// The first of each pair went to the first process: its redelivery goes to the second, and the other way.
			for (const [index, message] of events.entries()) {
				await deliver(index % 2 === 0 ? secondUrl : productionUrl(), message, { secret: SECRET });
			}
			const rerun = (await settledExecutions(before)).length - before;
			t.diagnostic(`figure trigger-split-rerun ${rerun} of 6 redeliveries to the other webhook process ran again`);
			timings.push(['two webhook processes: 3 split pairs, crossed redeliveries', (Date.now() - started) / 1000]);
			assert.ok(rerun <= 6 - kept, `only events whose record was missing ran again (${rerun} ran, ${kept} of 6 saved)`);
		} finally {
			await second.stop();
		}
	});
});
