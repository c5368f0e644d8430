// @ts-check
// examples/15-follow-up-sequence.json in the real n8n app: a three-step sequence (day 0 intro, day 3 follow-up, day
// 7 last note) on a weekday schedule, inside sending hours, with a daily limit per account. One person replies after
// the intro and gets no follow-up; everyone else gets each step once, even when a day's run happens twice.
// The days: each run is the example with its sheet's sequence start moved 0, 3 and 7 days back, run from its
// Schedule Trigger inside `n8n start` the way the editor's "Execute workflow" does (`n8n execute` cannot start at a
// Schedule Trigger; example 4's test shows n8n firing a published schedule itself). The sending hours are widened to
// the whole week so that the test passes at any hour; what happens outside them is the engine tests'
// (test/node/delivery/).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { waitUntil } from './lib/processes.mjs';
import { executionDetails, isSettled, OWNER } from './lib/queue.mjs';
import { loadExample, NODE_TYPE, nodesOfType, Suite } from './lib/suite.mjs';

const ZONE = 'Europe/Berlin';
const DANA = 'dana-whitfield';
const ELI = 'eli-navarro';
const FARAH = 'farah-quinn';
const EVERYONE = [DANA, ELI, FARAH];
const TRIGGER = 'Every weekday at 10:00';
const INTRO = 'Day 0: intro';
const FOLLOW_UP = 'Day 3: follow-up';
const LAST_NOTE = 'Day 7: last note';

/**
 * Which step a message text is.
 * @param {string} text
 */
function stepOf(text) {
	if (text.includes('I enjoyed your post')) return 'intro';
	if (text.includes('following up on my note')) return 'follow-up';
	if (text.includes('last note from me')) return 'last note';
	return text;
}

/**
 * The calendar date `daysAgo` days before today in the workflow's time zone, as the sheet writes it.
 * @param {number} daysAgo
 */
function dateInZone(daysAgo) {
	const parts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
	const [year, month, day] = parts.split('-').map(Number);
	return new Date(Date.UTC(year, month - 1, day - daysAgo)).toISOString().slice(0, 10);
}

const EVERY_DAY = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** Sending hours that hold at any time of the test: every day, midnight to midnight. */
const WHOLE_WEEK = { days: EVERY_DAY, from: '00:00', to: '00:00' };

/**
 * Sending hours that start `fromHours` hours from now and last an hour, as HH:mm in the workflow's time zone.
 * @param {number} fromHours
 */
function closedNow(fromHours) {
	/** @param {number} ms */
	const clock = (ms) => new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
	return { days: EVERY_DAY, from: clock(Date.now() + fromHours * 3600_000), to: clock(Date.now() + (fromHours + 1) * 3600_000) };
}

/**
 * The example as the schedule would run it `day` days into everyone's sequence.
 * @param {any} example
 * @param {number} day
 * @param {Record<string, unknown>} [window] the Sending Hours window to use
 */
function onDay(example, day, window = WHOLE_WEEK) {
	const workflow = structuredClone(example);
	const code = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === 'Steps due today');
	const starts = code.parameters.jsCode.match(/sequenceStart: '\d{4}-\d{2}-\d{2}'/g) ?? [];
	assert.equal(starts.length, 3, 'the sheet has three prospects with a sequence start');
	code.parameters.jsCode = code.parameters.jsCode.replace(/sequenceStart: '\d{4}-\d{2}-\d{2}'/g, `sequenceStart: '${dateInZone(day)}'`);
	for (const node of nodesOfType(workflow, NODE_TYPE)) {
		const hours = node.parameters.options.sendingHours?.window;
		if (hours) Object.assign(hours, window);
	}
	return workflow;
}

describe('example 15: a three-step follow-up sequence that stops for whoever replied', () => {
	/** @type {Suite} */
	let suite;
	/** @type {any} */
	let example;
	/** @type {import('./lib/n8n.mjs').Editor} */
	let editor;
	/** @type {string} */
	let workflowId;

	/** Messages delivered so far, as [recipient, step]. */
	async function delivered() {
		return (await suite.api.delivered()).map((message) => [message.recipient, stepOf(String(message.message))]);
	}

	/**
	 * Runs the example on a day of the sequence from its Schedule Trigger, and waits for the end.
	 * @param {number} day
	 * @param {Record<string, unknown>} [window] the Sending Hours window
	 * @param {boolean} [failing] the run is expected to fail (else it must succeed)
	 * @returns {Promise<{ items: (node: string) => any[], nodeError: (node: string) => any, status: string, error: unknown }>}
	 */
	async function runDay(day, window = WHOLE_WEEK, failing = false) {
		const response = await fetch(`${editor.url}/rest/workflows/${workflowId}/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: editor.cookie ?? '' },
			body: JSON.stringify({ workflowData: { ...onDay(example, day, window), id: workflowId }, triggerToStartFrom: { name: TRIGGER } }),
		});
		const started = await response.json();
		const executionId = started.data?.executionId;
		assert.ok(executionId, JSON.stringify(started));
		await waitUntil(
			async () => {
				const execution = (await editor.executions(workflowId)).find((candidate) => candidate.id === executionId);
				return execution !== undefined && isSettled(execution.status);
			},
			{ timeoutMs: 60_000, intervalMs: 500, what: `day ${day}'s run ${executionId}` },
		);
		const details = await executionDetails(editor, suite.n8n, executionId);
		const runData = details.data?.resultData?.runData ?? {};
		const result = {
			status: details.status,
			error: details.data?.resultData?.error,
			/** @param {string} node */
			nodeError: (node) => runData[node]?.at(-1)?.error,
			/** @param {string} node */
			items: (node) => (runData[node]?.at(-1)?.data?.main?.[0] ?? []).map((/** @type {{ json: any }} */ item) => item.json),
		};
		if (!failing) assert.equal(result.status, 'success', JSON.stringify(result.error ?? details.status));
		return result;
	}

	before(async () => {
		suite = await Suite.start({ name: 'follow-up-sequence' });
		example = await loadExample('15-follow-up-sequence.json');
		[workflowId] = await suite.n8n.importWorkflows(example);
		editor = await suite.n8n.startEditor();
		await editor.signIn(OWNER);
		await suite.api.reset();
	});
	after(async () => {
		await editor?.stop();
		await suite?.dispose();
	});

	it('the example as shipped: a weekday schedule, a daily limit and sending hours on every step, the follow-ups only if they have not replied', () => {
		const trigger = example.nodes.find((/** @type {{ type: string }} */ node) => node.type === 'n8n-nodes-base.scheduleTrigger');
		assert.deepEqual(trigger.parameters.rule.interval, [{ field: 'cronExpression', expression: '0 10 * * 1-5' }]);
		const sends = nodesOfType(example, NODE_TYPE);
		assert.deepEqual(sends.map((node) => node.name), [INTRO, FOLLOW_UP, LAST_NOTE]);
		for (const node of sends) {
			assert.equal(node.parameters.options.dailyLimitPerAccount, 20, node.name);
			assert.deepEqual(node.parameters.options.sendingHours?.window, {
				days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
				from: '09:00',
				to: '17:00',
				timeZone: ZONE,
			}, node.name);
			assert.equal(node.parameters.options.skipAlreadyMessaged, 'recipientAndMessage', node.name);
		}
		for (const node of sends.slice(1)) {
			assert.equal(node.parameters.options.onlyIfNotReplied, true, node.name);
			assert.equal(node.parameters.options.onlyIfNotRepliedSince, '={{ $json.sequenceStartedAt }}', node.name);
		}
		assert.equal(sends[0].parameters.options.onlyIfNotReplied, undefined);
	});

	it('day 0: everyone gets the intro, once, with the daily limit read from ConnectSafely first', async () => {
		const run = await runDay(0);
		assert.deepEqual(run.items(INTRO).map((item) => item.success), [true, true, true]);
		assert.deepEqual(await delivered(), EVERYONE.map((person) => [person, 'intro']));
		const requests = await suite.api.requests();
		assert.equal(requests.filter((request) => /\/account\/[^/]+\/quota$/.test(request.path)).length, 1, 'one quota read for the run');
	});

	it('Eli replies; day 3: Dana and Farah get the follow-up, Eli is skipped with the time of his reply', async () => {
		const reply = await suite.api.reply(ELI, { text: 'Thanks, not for us right now.' });
		const run = await runDay(3);
		const items = run.items(FOLLOW_UP);
		assert.equal(items.length, 3);
		assert.equal(items[0].success, true, JSON.stringify(items[0]));
		assert.equal(items[2].success, true, JSON.stringify(items[2]));
		assert.equal(items[1].skipped, true, JSON.stringify(items[1]));
		assert.equal(Date.parse(items[1].repliedAt), reply.sentAt, JSON.stringify(items[1]));
		assert.deepEqual((await delivered()).slice(3), [
			[DANA, 'follow-up'],
			[FARAH, 'follow-up'],
		]);
	});

	it('day 3 run a second time (a schedule that fires twice): nothing is sent again', async () => {
		const before = (await suite.api.delivered()).length;
		const run = await runDay(3);
		assert.deepEqual(run.items(FOLLOW_UP).map((item) => item.success === true), [false, false, false]);
		assert.equal((await suite.api.delivered()).length, before);
	});

	it('day 7 before the sending hours open: nothing is sent and no call is made, each item says when the window opens', async () => {
		const requestsBefore = (await suite.api.requests()).length;
		const run = await runDay(7, closedNow(2));
		const items = run.items(LAST_NOTE);
		assert.equal(items.length, 3);
		for (const item of items) {
			assert.equal(item.notSent, true, JSON.stringify(item));
			const opensInMs = Date.parse(item.nextWindowAt) - Date.now();
			assert.ok(opensInMs > 3600_000 && opensInMs <= 2 * 3600_000, JSON.stringify(item));
		}
		assert.equal((await suite.api.requests()).length, requestsBefore);
	});

	it('day 7: Dana and Farah get the last note; over the whole sequence each step reached each of them once, and Eli only the intro', async () => {
		const run = await runDay(7);
		const items = run.items(LAST_NOTE);
		assert.deepEqual(items.map((item) => item.success === true), [true, false, true]);
		assert.equal(items[1].skipped, true, JSON.stringify(items[1]));
		const all = await delivered();
		assert.deepEqual(all.filter(([person]) => person === ELI), [[ELI, 'intro']]);
		for (const person of [DANA, FARAH]) {
			assert.deepEqual(all.filter(([who]) => who === person), [
				[person, 'intro'],
				[person, 'follow-up'],
				[person, 'last note'],
			]);
		}
	});

	it('a run on a day the account already sent 20 messages elsewhere: the daily limit stops it before any send, saying until when', async () => {
		await suite.api.quota({ used: 20 });
		const before = (await suite.api.delivered()).length;
		const requestsBefore = (await suite.api.requests()).length;
		const run = await runDay(0, WHOLE_WEEK, true);
		assert.equal(run.status, 'error');
		const error = run.nodeError(INTRO);
		assert.match(String(error?.message), /^Not sent: the default account reached your daily limit of 20 messages \("Daily Limit per Account"\)\. It resets at /, JSON.stringify(error));
		assert.equal((await suite.api.delivered()).length, before);
		// The account's status and quota were read; no send was tried.
		const paths = (await suite.api.requests()).slice(requestsBefore).map((request) => request.path);
		assert.deepEqual(paths.map((path) => path.replace(/^\/linkedin/, '').replace(/\/account\/[^/]+\/quota$/, '/account/…/quota')), ['/account/status', '/account/…/quota']);
	});
});
