// @ts-check
// n8n's queue mode the way it runs in production (issues 7 and 17): Debian's PostgreSQL (its own cluster, run as the
// postgres user) and redis-server, a main instance with EXECUTIONS_MODE=queue and two `n8n worker --concurrency=5`,
// each worker with its own n8n folder, all on 127.0.0.1 and started and stopped here.
// examples/08-webhook-queue-mode.json is published before `n8n start` and fired over its Webhook trigger.
//
//   1. 50 calls, 4 recipients each: every execution succeeds, each message goes out once, both workers run them.
//   2. The daily limit runs out mid-way: each execution stops at its 429 (or without calling, when its own last
//      answer said none are left) as in one process (no resend, no call after it even on Retry On Fail's second
//      try, the error says how many were sent).
//   3. Skip Recipients Already Messaged: the same recipients posted again, one call at a time, on the other worker.
//   4. A worker killed (SIGKILL) mid-run while the main instance runs on: its executions stay "running", then
//      "error"; nothing re-runs them; the editor's Retry sends nothing; posting the same calls again resends what
//      the killed worker had delivered (option off). n8n 1.x instead runs them again on another worker, which
//      resends what the dead worker had delivered (option off).
//   5. Everything killed mid-run (workers and main) and started again: "crashed" (1.x: run again by the new
//      worker); the editor's Retry resends what had gone out with the option off, and only what had not with it on.
//   6. Overlapping executions on two workers, same 50 recipients (a CRM firing the same webhook twice): measured
//      with the option off and on; asserted is what the node guarantees there (docs/scale.md).
//
// Bull's lock is shortened (10 s instead of 60 s, stalled check every 5 s instead of 30 s) so that a dead worker's
// jobs are given up within seconds; docs/scale.md gives the times with n8n's defaults.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertSentOnceEach } from './lib/assertions.mjs';
import { N8nUserFolder } from './lib/n8n.mjs';
import { waitUntil } from './lib/processes.mjs';
import {
	executionDetails,
	isSettled,
	listExecutions,
	postAll,
	QueueCluster,
	retryExecution,
	waitForFinishedExecutions,
	waitForWebhook,
} from './lib/queue.mjs';
import { PostgresServer } from './lib/postgres.mjs';
import { Standin } from './lib/standin.mjs';
import { loadExample, prepareUserFolder } from './lib/suite.mjs';

const EXAMPLE = '08-webhook-queue-mode.json';
const SEND = 'Send';
const LOCK = { QUEUE_WORKER_LOCK_DURATION: '10000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };
/** What n8n 2.8.4 writes into an execution whose worker died while the main instance waited for it. */
const STALLED_MESSAGE = /failed to be processed too many times and will no longer retry/;

/** @type {Array<[string, number]>} */
const timings = [];
const suiteStarted = Date.now();

/**
 * @param {string} batch
 * @param {number} count
 */
function recipientsOf(batch, count) {
	return Array.from({ length: count }, (_, index) => ({ id: `${batch}-r${index}`, firstName: `R${index}` }));
}

/** @param {Array<Record<string, any>>} delivered */
function countByRecipient(delivered) {
	/** @type {Record<string, number>} */
	const counts = {};
	for (const message of delivered) counts[message.recipient] = (counts[message.recipient] ?? 0) + 1;
	return counts;
}

/**
 * The `batch` a webhook call carried, as n8n stored it with the execution (undefined when n8n dropped the data).
 * @param {any} details
 */
function batchOf(details) {
	const match = /"batch":"([^"]+)"/.exec(JSON.stringify(details.data ?? {}));
	return match?.[1];
}

/** @param {Standin} standin */
async function clearFaults(standin) {
	const response = await fetch(`${standin.origin}/__standin/faults`, { method: 'DELETE' });
	assert.equal(response.status, 200);
}

describe('queue mode: main + two workers + Redis + PostgreSQL', () => {
	/** @type {N8nUserFolder} */
	let n8n;
	/** @type {Standin} */
	let standin;
	/** @type {QueueCluster} */
	let cluster;
	/** @type {PostgresServer} */
	let postgres;
	/** @type {any} */
	let withSkip;
	/** @type {any} */
	let noSkip;

	/** @param {string} path */
	const hook = (path) => `${cluster.url}/webhook/${path}`;
	/** @param {any} workflow */
	const pathOf = (workflow) =>
		workflow.nodes.find((/** @type {{ type: string }} */ node) => node.type === 'n8n-nodes-base.webhook').parameters
			.path;

	before(async () => {
		const started = Date.now();
		standin = await Standin.start({ own: true, quota: 100_000 });
		// run.sh's prepared folder (package installed) when there is one. Its sqlite database is not used: every
		// command of this folder and every worker talks to this file's own PostgreSQL, whose first n8n command runs
		// n8n's migrations; the credential is imported there, pointing at this file's own stand-in.
		const pgStarted = Date.now();
		postgres = await PostgresServer.start();
		timings.push(['PostgreSQL: initdb, started, database created', (Date.now() - pgStarted) / 1000]);
		const template = process.env.E2E_TEMPLATE_USER_FOLDER;
		n8n = await N8nUserFolder.create({ name: 'queue', from: template });
		n8n.useDatabase(postgres.n8nEnv());
		await prepareUserFolder(n8n, { withPackage: !template, standin });

		// The example as shipped: Skip Recipients Already Messaged on, Retry On Fail (2 tries).
		withSkip = await loadExample(EXAMPLE);
		const shipped = withSkip.nodes.find((/** @type {{ name: string }} */ node) => node.name === SEND);
		assert.deepEqual(shipped.parameters.options, { skipAlreadyMessaged: 'recipient' });
		assert.equal(shipped.retryOnFail, true);
		// The node's default (option off), on a webhook path of its own; the text names the execution, so that the
		// stand-in's deliveries can be traced to executions.
		noSkip = structuredClone(withSkip);
		noSkip.id = 'csQueueNoSkipWf1';
		noSkip.name = 'ConnectSafely: send from a webhook (option off)';
		const noSkipHook = noSkip.nodes.find((/** @type {{ type: string }} */ node) => node.type === 'n8n-nodes-base.webhook');
		noSkipHook.parameters.path = 'connectsafely-outreach-option-off';
		noSkipHook.webhookId = '5d1f3c9a-2b7e-4f60-8c1d-3e9a7b2c0802';
		const noSkipSend = noSkip.nodes.find((/** @type {{ name: string }} */ node) => node.name === SEND);
		noSkipSend.parameters.options = {};
		noSkipSend.parameters.message = '=Hi {{ $json.firstName }}, shall we talk next week? (execution {{ $execution.id }})';

		await n8n.importWorkflows([withSkip, noSkip]);
		await n8n.publishWorkflow(withSkip.id);
		await n8n.publishWorkflow(noSkip.id);
		timings.push(['setup: user folder, credential, 2 workflows imported and published', (Date.now() - started) / 1000]);

		const clusterStarted = Date.now();
		cluster = await QueueCluster.start(n8n, { workers: 2, concurrency: 5, env: LOCK });
		for (const workflow of [withSkip, noSkip]) await waitForWebhook(hook(pathOf(workflow)), 60_000);
		timings.push(['Redis + main + 2 workers started, webhooks registered', (Date.now() - clusterStarted) / 1000]);
	});

	after(async () => {
		const stopping = Date.now();
		await cluster?.stop();
		await standin?.stop();
		await n8n?.dispose();
		await postgres?.stop();
		timings.push(['everything stopped', (Date.now() - stopping) / 1000]);
		timings.push(['the whole file', (Date.now() - suiteStarted) / 1000]);
		process.stderr.write(
			`[e2e queue] timings:\n${timings.map(([what, seconds]) => `  ${seconds.toFixed(1).padStart(6)} s  ${what}`).join('\n')}\n`,
		);
	});

	/**
	 * @param {string} name
	 * @param {(t: import('node:test').TestContext) => Promise<void>} body
	 */
	const timed = (name, body) => async (/** @type {import('node:test').TestContext} */ t) => {
		const started = Date.now();
		try {
			await body(t);
		} finally {
			timings.push([name, (Date.now() - started) / 1000]);
		}
	};

	it(
		'50 webhook calls with 4 recipients each: every execution succeeds, each message goes out once, both workers run them',
		timed('50 calls × 4 recipients', async () => {
			await standin.reset();
			const startedBefore = cluster.workers.map((worker) => worker.started.length);
			const bodies = Array.from({ length: 50 }, (_, index) => {
				const batch = `load-b${String(index).padStart(2, '0')}`;
				return { batch, recipients: recipientsOf(batch, 4) };
			});
			const answers = await postAll(hook(pathOf(noSkip)), bodies, { parallel: 10 });
			assert.deepEqual(
				answers.map((answer) => answer.status),
				bodies.map(() => 200),
			);

			const executions = await waitForFinishedExecutions(cluster.main, noSkip.id, 50, 180_000);
			assert.equal(executions.length, 50);
			const notSuccessful = executions.filter((execution) => execution.status !== 'success');
			const why = await Promise.all(
				notSuccessful.map(async (execution) => {
					const details = await executionDetails(cluster.main, n8n, execution.id);
					const error = details.data?.resultData?.error;
					return `${execution.id} ${execution.status}: ${error?.message ?? 'no error recorded'} (${error?.node?.name ?? 'no node'})`;
				}),
			);
			assert.deepEqual(why, [], 'every execution succeeded');
			assert.ok(executions.every((execution) => execution.mode === 'webhook'));

			const everyone = bodies.flatMap((body) => body.recipients.map((recipient) => recipient.id));
			await assertSentOnceEach(standin, everyone);
			assert.equal((await standin.requests()).length, 200, 'one request a message, no other call');

			// Which worker ran what: each execution was started by exactly one worker, and both took part.
			const ranBy = cluster.workers.map((worker, index) => worker.started.slice(startedBefore[index]));
			for (const execution of executions) {
				const owners = ranBy.filter((ids) => ids.includes(execution.id));
				assert.equal(owners.length, 1, `execution ${execution.id} was started by ${owners.length} workers`);
			}
			const perWorker = ranBy.map((ids) => ids.length);
			assert.ok(perWorker.every((count) => count > 0), `both workers ran executions: ${perWorker.join(' / ')}`);

			// A worker's output is the node's usual output: the API's answer plus the quota from the headers.
			const details = await executionDetails(cluster.main, n8n, executions[0].id);
			const items = details.data.resultData.runData[SEND][0].data.main[0].map((/** @type {any} */ item) => item.json);
			assert.equal(items.length, 4);
			for (const item of items) assert.equal(item.rateLimit?.action, 'MESSAGE');
		}),
	);

	it(
		'the daily limit runs out mid-way: each execution stops at its 429, or before calling when its last answer left zero, as in one process; nothing is sent twice',
		timed('daily limit mid-way (8 calls, quota 18)', async () => {
			await standin.reset();
			await standin.quota({ limit: 18, used: 0 }); // resets at the next UTC midnight: nothing waits for it
			const known = new Set((await listExecutions(cluster.main, noSkip.id)).map((execution) => execution.id));
			const bodies = Array.from({ length: 8 }, (_, index) => {
				const batch = `quota-b${index}`;
				return { batch, recipients: recipientsOf(batch, 4) };
			});
			await postAll(hook(pathOf(noSkip)), bodies, { parallel: 8 });
			const all = await waitForFinishedExecutions(cluster.main, noSkip.id, known.size + 8, 120_000);
			const executions = all.filter((execution) => !known.has(execution.id));
			assert.equal(executions.length, 8);

			const delivered = await standin.delivered();
			const requests = await standin.requests();
			assert.equal(delivered.length, 18, 'exactly the quota went out');
			assert.deepEqual(
				Object.entries(countByRecipient(delivered)).filter(([, count]) => count > 1),
				[],
				'nobody messaged twice',
			);

			let stopped = 0;
			let zeroLeft = 0;
			for (const execution of executions) {
				const details = await executionDetails(cluster.main, n8n, execution.id);
				const batch = batchOf(details);
				assert.ok(batch, `execution ${execution.id} kept its input`);
				const list = bodies.find((body) => body.batch === batch)?.recipients.map((recipient) => recipient.id) ?? [];
				const sent = delivered.filter((message) => list.includes(message.recipient)).map((message) => message.recipient);
				const asked = requests.filter((request) => list.includes(request.body?.recipientProfileId));
				// Delivered in list order: a prefix of the list.
				assert.deepEqual(sent, list.slice(0, sent.length), `${batch}: sent in order`);
				if (execution.status === 'success') {
					assert.equal(sent.length, 4, `${batch} succeeded with all four sent`);
					assert.equal(asked.length, 4);
					continue;
				}
				stopped++;
				assert.equal(execution.status, 'error', `${batch}: ${execution.status}`);
				const message = details.data.resultData.error?.message ?? '';
				// Stopped by a 429, or, when its own last answer said X-RateLimit-Remaining: 0, before calling at all.
				const sawZeroLeft = /has no messages left until its reset/.test(message);
				if (sawZeroLeft) zeroLeft++;
				assert.match(message, /rate limit|no messages left/i, `${batch}: ${message}`);
				const counted = /(\d+) items? (?:was|were) sent before it; the items after it were not attempted/.exec(message);
				assert.ok(counted, `${batch}: the error says what was sent: ${message}`);
				assert.equal(Number(counted[1]), sent.length, `${batch}: ${message}`);
				// One request for each sent item (and one for the 429); Retry On Fail's second try made no call.
				const expected = sent.length + (sawZeroLeft ? 0 : 1);
				assert.equal(asked.length, expected, `${batch}: ${asked.length} requests for ${sent.length} sent`);
				assert.deepEqual(
					asked.map((request) => request.body.recipientProfileId),
					list.slice(0, expected),
				);
				assert.equal(details.data.resultData.runData[SEND]?.length, 1, 'one node run (its tries stay inside it)');
			}
			assert.ok(stopped >= 1, '32 messages for a quota of 18: some executions stopped');
			assert.equal(requests.length, 18 + stopped - zeroLeft, 'the quota, plus one 429 for each execution stopped by one');
		}),
	);

	it(
		'Skip Recipients Already Messaged, one call at a time: recipients posted again are skipped, also on the other worker',
		timed('skip option, 5 payloads posted twice one at a time', async () => {
			await standin.reset();
			let count = (await listExecutions(cluster.main, withSkip.id)).length;
			/** @type {Array<{ batch: string, first: string, second: string }>} */
			const pairs = [];
			for (let index = 0; index < 5; index++) {
				const batch = `again-b${index}`;
				const body = { batch, recipients: recipientsOf(batch, 3) };
				const ids = [];
				for (let post = 0; post < 2; post++) {
					await postAll(hook(pathOf(withSkip)), [body]);
					count++;
					const executions = await waitForFinishedExecutions(cluster.main, withSkip.id, count, 60_000);
					ids.push(executions[executions.length - 1].id);
				}
				pairs.push({ batch, first: ids[0], second: ids[1] });
			}
			const everyone = pairs.flatMap(({ batch }) => recipientsOf(batch, 3).map((recipient) => recipient.id));
			await assertSentOnceEach(standin, everyone);
			assert.equal((await standin.requests()).length, 15, 'no call for a skipped recipient');

			let crossed = 0;
			for (const { batch, first, second } of pairs) {
				const [one, two] = await Promise.all([
					executionDetails(cluster.main, n8n, first),
					executionDetails(cluster.main, n8n, second),
				]);
				assert.equal(one.status, 'success');
				assert.equal(two.status, 'success');
				const output = two.data.resultData.runData[SEND][0].data.main[0].map((/** @type {any} */ item) => item.json);
				assert.deepEqual(
					output.map((/** @type {any} */ item) => [item.skipped, item.recipient]),
					recipientsOf(batch, 3).map((recipient) => [true, recipient.id]),
				);
				if (cluster.workerOf(first) !== cluster.workerOf(second)) crossed++;
			}
			// Bull hands queued jobs to the workers in turn: the second call of a pair ran on the other worker.
			assert.ok(crossed >= 1, `a second call ran on the other worker in ${crossed} of 5 pairs`);
		}),
	);

	it(
		'a worker killed mid-run: its executions stay "running", then 2.x marks them "error" and runs nothing again (Retry sends nothing; posting the same calls again resends what it had delivered), 1.x runs them again on another worker (resending what it had delivered)',
		timed('worker killed mid-run (10 calls × 6, option off)', async () => {
			await standin.reset();
			await standin.faults({ path: '/conversations/send', delayMs: 600, times: 10_000 }); // slow answers
			const [victim, survivor] = cluster.workers.filter((worker) => worker.alive);
			const startedBefore = victim.started.length;
			const known = new Set((await listExecutions(cluster.main, noSkip.id)).map((execution) => execution.id));
			const bodies = Array.from({ length: 10 }, (_, index) => {
				const batch = `kill-b${index}`;
				return { batch, recipients: recipientsOf(batch, 6) };
			});
			await postAll(hook(pathOf(noSkip)), bodies, { parallel: 10 });

			/** @param {string} id */
			const deliveredBy = async (id) =>
				(await standin.delivered()).filter((message) => message.message.endsWith(`(execution ${id})`));
			// Kill when the victim runs five executions (its concurrency) and each has sent something.
			await waitUntil(
				async () => {
					const running = victim.started.slice(startedBefore);
					if (running.length < 5) return false;
					for (const id of running) if ((await deliveredBy(id)).length === 0) return false;
					return true;
				},
				{ timeoutMs: 60_000, intervalMs: 50, what: 'the victim worker running five executions that each sent something' },
			);
			const held = victim.started.slice(startedBefore).filter((id) => !victim.finished.includes(id));
			const killedAt = Date.now();
			await victim.kill();
			const deliveredAtKill = await standin.delivered();
			/** @type {Record<string, string[]>} */
			const sentBeforeKill = {};
			for (const id of held) {
				sentBeforeKill[id] = deliveredAtKill
					.filter((message) => message.message.endsWith(`(execution ${id})`))
					.map((message) => message.recipient);
			}
			process.stderr.write(
				`[e2e queue] killed ${victim.name} holding executions ${held.join(', ')}; they had sent ` +
					`${held.map((id) => sentBeforeKill[id].length).join(', ')} of 6\n`,
			);
			assert.ok(held.length >= 1);
			assert.ok(
				held.some((id) => sentBeforeKill[id].length > 0 && sentBeforeKill[id].length < 6),
				'the kill caught executions mid-list',
			);

			// A replacement worker joins while n8n works out what happened.
			const replacement = cluster.startWorker('worker-3').then(
				() => undefined,
				(/** @type {unknown} */ error) => error,
			);
			const firstLook = await listExecutions(cluster.main, noSkip.id);
			const heldStatusesAfterKill = firstLook.filter((execution) => held.includes(execution.id)).map((e) => e.status);
			const executions = (await waitForFinishedExecutions(cluster.main, noSkip.id, known.size + 10, 180_000)).filter(
				(execution) => !known.has(execution.id),
			);
			const settledAfter = (Date.now() - killedAt) / 1000;
			const replacementFailed = await replacement;
			if (replacementFailed) throw replacementFailed;
			process.stderr.write(`[e2e queue] the killed worker's executions were settled ${settledAfter.toFixed(1)} s after the kill\n`);

			assert.deepEqual(heldStatusesAfterKill, held.map(() => 'running'), 'right after the kill n8n still shows them running');
			if (cluster.line.rerunsDeadWorkersJobs) {
				// n8n 1.x: Bull hands the dead worker's jobs to another worker, which runs each execution again from
				// its first node. With the option off, everyone the dead worker had messaged gets a second message.
				for (const execution of executions) {
					assert.equal(execution.status, 'success', `execution ${execution.id}, run again after the kill`);
				}
				for (const id of held) {
					const got = (await deliveredBy(id)).map((message) => message.recipient);
					const list = [...new Set(got)];
					assert.equal(list.length, 6, `execution ${id} messaged all six in the end`);
					assert.deepEqual(
						list.filter((recipient) => got.indexOf(recipient) !== got.lastIndexOf(recipient)).sort(),
						[...sentBeforeKill[id]].sort(),
						`execution ${id}: exactly the ones sent before the kill got two messages`,
					);
				}
				return;
			}
			for (const execution of executions) {
				if (!held.includes(execution.id)) {
					assert.equal(execution.status, 'success', `execution ${execution.id} on ${survivor.name}`);
					assert.equal((await deliveredBy(execution.id)).length, 6);
					continue;
				}
				assert.equal(execution.status, 'error', `execution ${execution.id} of the killed worker`);
				const details = await executionDetails(cluster.main, n8n, execution.id);
				assert.match(details.data.resultData.error?.message ?? '', STALLED_MESSAGE);
				// n8n replaced the execution's data: what it had received and sent is no longer shown.
				assert.deepEqual(Object.keys(details.data.resultData.runData ?? {}), []);
				assert.equal(batchOf(details), undefined, 'the posted recipients are gone from the execution');
			}
			assert.deepEqual(await cluster.redis.bullCounts(), { waiting: 0, active: 0, failed: 0, completed: 0 });

			// Nobody ran them again: the stand-in got nothing more for the killed worker's executions.
			const deliveredAfter = await standin.delivered();
			for (const id of held) {
				const after = deliveredAfter.filter((message) => message.message.endsWith(`(execution ${id})`));
				assert.deepEqual(
					after.map((message) => message.recipient),
					sentBeforeKill[id],
				);
			}
			assert.deepEqual(
				Object.entries(countByRecipient(deliveredAfter)).filter(([, count]) => count > 1),
				[],
			);

			// The editor's Retry on such an execution: n8n accepts it, runs nothing and sends nothing.
			await clearFaults(standin);
			const requestsBeforeRetry = (await standin.requests()).length;
			const retried = await retryExecution(cluster.main, held[0]);
			assert.equal(retried.status, 200, JSON.stringify(retried.body).slice(0, 500));
			assert.equal(retried.body.data.mode, 'retry');
			assert.equal(retried.body.data.status, 'error');
			assert.equal((await standin.requests()).length, requestsBeforeRetry, 'the retry made no call');

			// Running it again by hand means posting the same recipients again (n8n no longer has them). With the
			// option off, everyone the killed worker had already messaged gets a second message.
			const heldBatches = bodies.filter((body) =>
				held.some((id) => sentBeforeKill[id].some((recipient) => recipient.startsWith(`${body.batch}-`))),
			);
			assert.equal(heldBatches.length, held.filter((id) => sentBeforeKill[id].length > 0).length);
			const count = (await listExecutions(cluster.main, noSkip.id)).length;
			await postAll(hook(pathOf(noSkip)), heldBatches, { parallel: 5 });
			await waitForFinishedExecutions(cluster.main, noSkip.id, count + heldBatches.length, 120_000);
			const twice = Object.entries(countByRecipient(await standin.delivered()))
				.filter(([, n]) => n > 1)
				.map(([recipient]) => recipient)
				.sort();
			assert.deepEqual(twice, Object.values(sentBeforeKill).flat().sort(), 'exactly the ones sent before the kill');
		}),
	);

	it(
		'the whole installation killed mid-run (workers and main), then restarted: run again (Retry in 2.x, the new worker in 1.x), it resends what had gone out with the option off, and only what had not with it on',
		timed('everything killed, restarted, Retry (2 calls × 8)', async () => {
			await standin.reset();
			await standin.faults({ path: '/conversations/send', delayMs: 600, times: 10_000 });
			const alive = cluster.workers.filter((worker) => worker.alive);
			const knownOff = (await listExecutions(cluster.main, noSkip.id)).map((execution) => execution.id);
			const knownOn = (await listExecutions(cluster.main, withSkip.id)).map((execution) => execution.id);
			const off = { batch: 'crash-off', recipients: recipientsOf('crash-off', 8) };
			const on = { batch: 'crash-on', recipients: recipientsOf('crash-on', 8) };
			await Promise.all([postAll(hook(pathOf(noSkip)), [off]), postAll(hook(pathOf(withSkip)), [on])]);

			/** @param {{ batch: string }} body */
			const sentTo = async (body) =>
				(await standin.delivered())
					.map((message) => message.recipient)
					.filter((recipient) => recipient.startsWith(`${body.batch}-`));
			await waitUntil(async () => (await sentTo(off)).length >= 2 && (await sentTo(on)).length >= 2, {
				timeoutMs: 60_000,
				intervalMs: 50,
				what: 'both executions running with two messages sent each',
			});
			/** @param {string} workflowId @param {string[]} known */
			const newExecution = async (workflowId, known) => {
				const fresh = (await listExecutions(cluster.main, workflowId)).filter((e) => !known.includes(e.id));
				assert.equal(fresh.length, 1, JSON.stringify(fresh));
				return fresh[0].id;
			};
			const offId = await newExecution(noSkip.id, knownOff);
			const onId = await newExecution(withSkip.id, knownOn);
			await Promise.all([...alive.map((worker) => worker.kill()), cluster.killMain()]);
			const sentOff = await sentTo(off);
			const sentOn = await sentTo(on);
			process.stderr.write(
				`[e2e queue] killed ${alive.map((worker) => worker.name).join(', ')} and main; execution ${offId} (option off) ` +
					`had sent ${sentOff.length} of 8, execution ${onId} (option on) ${sentOn.length} of 8\n`,
			);
			assert.ok(sentOff.length < 8 && sentOn.length < 8, 'killed mid-list');

			// Back up: the main instance and a fresh worker. n8n finds executions left "running" without a Bull job by
			// its queue recovery, at the main instance's startup and every N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL
			// minutes (180 by default; 0.1 here). The worker's stalled check first gives up the dead jobs.
			const restarted = Date.now();
			await Promise.all([
				cluster.restartMain({ N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.1' }),
				cluster.startWorker('worker-4'),
			]);
			timings.push(['  main + a worker restarted', (Date.now() - restarted) / 1000]);
			for (const [workflowId, id] of [
				[noSkip.id, offId],
				[withSkip.id, onId],
			]) {
				await waitUntil(
					async () => {
						const execution = (await listExecutions(cluster.main, workflowId)).find((e) => e.id === id);
						return execution !== undefined && isSettled(execution.status);
					},
					{ timeoutMs: 120_000, intervalMs: 500, what: `execution ${id} settled` },
				);
				const crashed = await executionDetails(cluster.main, n8n, id);
				// n8n 1.x: the new worker takes the dead worker's jobs and runs the executions again from the start.
				assert.equal(crashed.status, cluster.line.rerunsDeadWorkersJobs ? 'success' : 'crashed', `execution ${id}`);
				assert.ok(batchOf(crashed), 'the execution keeps its input');
			}
			timings.push(['  until both executions were settled', (Date.now() - restarted) / 1000]);
			/** The execution whose output says what was skipped: n8n 1.x's own re-run, or the editor's Retry. */
			let rerunOn = onId;
			if (!cluster.line.rerunsDeadWorkersJobs) {
				assert.deepEqual(await sentTo(off), sentOff, 'nothing re-ran them');
				assert.deepEqual(await sentTo(on), sentOn, 'nothing re-ran them');

				// The editor's Retry re-runs a crashed execution with its input: every recipient again.
				await clearFaults(standin);
				for (const id of [offId, onId]) {
					const retried = await retryExecution(cluster.main, id);
					assert.equal(retried.status, 200, JSON.stringify(retried.body).slice(0, 500));
					assert.equal(retried.body.data.mode, 'retry');
					assert.equal(retried.body.data.status, 'success', JSON.stringify(retried.body).slice(0, 800));
				}
				const retriedOn = (await listExecutions(cluster.main, withSkip.id)).find((e) => e.retryOf === onId);
				assert.ok(retriedOn, 'the retry of the option-on execution is listed');
				rerunOn = retriedOn.id;
			}
			const counts = countByRecipient(await standin.delivered());
			// Option off: everyone it had sent to before the kill gets a second message.
			assert.deepEqual(
				off.recipients.map((recipient) => counts[recipient.id]),
				off.recipients.map((recipient) => (sentOff.includes(recipient.id) ? 2 : 1)),
			);
			// Option on: one message each. Everyone skipped was reserved before the kill: the ones sent before it, plus
			// at most the one the worker had reserved but not yet sent when it died (then missed, never doubled).
			const onList = on.recipients.map((recipient) => recipient.id);
			assert.deepEqual(
				Object.entries(counts).filter(([recipient, n]) => recipient.startsWith('crash-on-') && n > 1),
				[],
				'nobody got a second message',
			);
			const output = (await executionDetails(cluster.main, n8n, rerunOn)).data.resultData.runData[SEND][0].data.main[0].map(
				(/** @type {any} */ item) => item.json,
			);
			const skipped = output.filter((/** @type {any} */ item) => item.skipped).map((/** @type {any} */ item) => item.recipient);
			assert.deepEqual(skipped, onList.slice(0, skipped.length));
			assert.ok(skipped.length >= sentOn.length && skipped.length <= sentOn.length + 1, `${skipped.length} skipped`);
			assert.deepEqual(
				onList.filter((recipient) => counts[recipient] === 1),
				onList.filter((recipient) => sentOn.includes(recipient) || !skipped.includes(recipient)),
			);
		}),
	);

	/**
	 * The same call posted twice at once to a workflow, so that its two executions run on two workers side by side.
	 * Returns how many messages each recipient got and the two executions.
	 * @param {any} workflow
	 * @param {string} batch
	 */
	async function postTwiceAtOnce(workflow, batch) {
		await standin.reset();
		const known = (await listExecutions(cluster.main, workflow.id)).length;
		const body = { batch, recipients: recipientsOf(batch, 50) };
		const answers = await postAll(hook(pathOf(workflow)), [body, body], { parallel: 2 });
		assert.deepEqual(
			answers.map((answer) => answer.status),
			[200, 200],
		);
		const executions = (await waitForFinishedExecutions(cluster.main, workflow.id, known + 2, 180_000)).slice(known);
		assert.deepEqual(
			executions.map((execution) => execution.status),
			['success', 'success'],
			'both executions succeeded',
		);
		const workers = executions.map((execution) => cluster.workerOf(execution.id)?.name);
		assert.ok(workers[0] && workers[1] && workers[0] !== workers[1], `the two executions ran on ${workers.join(' and ')}`);
		const counts = countByRecipient(await standin.delivered());
		return { recipients: body.recipients.map((recipient) => recipient.id), counts, executions, body };
	}

	it(
		'overlapping executions on two workers, same 50 recipients, option off: everyone gets two messages (the node keeps nothing across executions)',
		timed('overlap on two workers, option off (2 × 50)', async (t) => {
			// One slot per worker: while one worker runs the first call, the second call can only go to the other. With
			// five slots Bull may hand both to one worker, where the node serialises its store calls (an engine test).
			await cluster.replaceWorkers(2, 1);
			const { recipients, counts } = await postTwiceAtOnce(noSkip, 'overlap-off');
			const twice = recipients.filter((recipient) => counts[recipient] === 2).length;
			// The figure, for docs/scale.md's table (scripts/compat-table.mjs reads the diagnostics of the results file).
			t.diagnostic(`figure overlap-option-off ${twice} of 50 recipients got two messages`);
			assert.deepEqual(
				recipients.map((recipient) => counts[recipient]),
				recipients.map(() => 2),
				'each of the two executions messaged all 50, once each',
			);
		}),
	);

	it(
		'overlapping executions on two workers, same 50 recipients, Skip Recipients Already Messaged: nobody gets more than two, nobody is missed, each skip is a recipient the other execution sent to',
		timed('overlap on two workers, option on (2 × 50)', async (t) => {
			const { recipients, counts, executions, body } = await postTwiceAtOnce(withSkip, 'overlap-on');
			const twice = recipients.filter((recipient) => counts[recipient] === 2).length;
			// What each execution says it did: sent (the API's answer) or skipped (the other one had recorded it).
			/** @type {Record<string, number>} */
			const sentPerOutput = {};
			for (const execution of executions) {
				const details = await executionDetails(cluster.main, n8n, execution.id);
				const items = details.data.resultData.runData[SEND][0].data.main[0].map((/** @type {any} */ item) => item.json);
				assert.equal(items.length, 50, `execution ${execution.id} output one item per recipient`);
				items.forEach((/** @type {any} */ item, /** @type {number} */ index) => {
					if (item.skipped) {
						assert.equal(item.recipient, recipients[index]);
						assert.match(String(item.reason), /^Not sent: this workflow already messaged /);
					} else {
						assert.equal(item.success, true, JSON.stringify(item));
						sentPerOutput[recipients[index]] = (sentPerOutput[recipients[index]] ?? 0) + 1;
					}
				});
			}
			assert.deepEqual(
				recipients.map((recipient) => counts[recipient] ?? 0),
				recipients.map((recipient) => sentPerOutput[recipient] ?? 0),
				'the stand-in got exactly the messages the two executions report as sent',
			);
			assert.deepEqual(
				recipients.filter((recipient) => !(counts[recipient] >= 1 && counts[recipient] <= 2)),
				[],
				'every recipient got one message or two: never none, never three',
			);
			// Once both have finished, the same call again: who is in the store by now?
			const before = (await standin.delivered()).length;
			const known = (await listExecutions(cluster.main, withSkip.id)).length;
			await postAll(hook(pathOf(withSkip)), [body]);
			const [later] = (await waitForFinishedExecutions(cluster.main, withSkip.id, known + 1, 120_000)).slice(known);
			assert.equal(later.status, 'success');
			const sentLater = (await standin.delivered()).length - before;
			t.diagnostic(`figure overlap-option-on ${twice} of 50 recipients got two messages`);
			t.diagnostic(`figure overlap-option-on-later ${sentLater} of 50 sent again by the same call posted after both finished`);
			// Only If No Conversation Yet (not in the node yet) would be measured here the same way.
		}),
	);
});
