/**
 * Once per message: ConnectSafely delivers an event up to 3 times, in no guaranteed order. A message URN
 * seen before starts no second execution, and the redelivery is answered 200 so ConnectSafely stops.
 */
import type { INodeType } from 'n8n-workflow';

import { STATIC_DATA_LIMIT } from '../../nodes/ConnectSafelyTrigger/redelivery';
import { messageEvent, TriggerHarness } from './webhookHarness';

const SECRET = 'whsec_redelivery_tests_91c3';

/** The node as a freshly started n8n process loads it: a new module registry, so nothing in memory. */
function nodeOfAFreshProcess(): INodeType {
	let nodeType: INodeType | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const loaded = require('../../nodes/ConnectSafelyTrigger/ConnectSafelyTrigger.node') as {
			ConnectSafelyTrigger: new () => INodeType;
		};
		nodeType = new loaded.ConnectSafelyTrigger();
	});
	return nodeType!;
}

const opened: TriggerHarness[] = [];
async function startTrigger(
	options: Parameters<typeof TriggerHarness.start>[0] = {},
): Promise<TriggerHarness> {
	const trigger = await TriggerHarness.start({ signingSecret: SECRET, ...options });
	opened.push(trigger);
	return trigger;
}
afterEach(async () => {
	await Promise.all(opened.splice(0).map(async (trigger) => await trigger.close()));
});

const urn = (n: number) => `urn:li:messagingMessage:2-redelivery-${n}==`;

test('the same message delivered three times starts one execution; each redelivery gets 200', async () => {
	const trigger = await startTrigger();
	const event = messageEvent({ message_urn: urn(1) });
	const answers = [];
	for (let attempt = 0; attempt < 3; attempt++) answers.push(await trigger.deliver(event, SECRET));
	expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
	expect(answers[1].json?.message).toBe(
		'Already received: this message started an execution before',
	);
	expect(trigger.executions).toHaveLength(1);
});

test('three deliveries of one message at the same moment start one execution', async () => {
	const trigger = await startTrigger();
	const event = messageEvent({ message_urn: urn(2) });
	const answers = await Promise.all(
		[1, 2, 3].map(async () => await trigger.deliver(event, SECRET)),
	);
	expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
	expect(trigger.executions).toHaveLength(1);
});

test('redeliveries out of order, interleaved with other messages: each message runs once', async () => {
	const trigger = await startTrigger();
	const order = [1, 2, 1, 3, 2, 1, 3, 3, 2].map((n) => urn(10 + n));
	for (const messageUrn of order)
		await trigger.deliver(messageEvent({ message_urn: messageUrn }), SECRET);
	expect(trigger.executions.map((execution) => execution.items[0].json.messageUrn)).toEqual([
		urn(11),
		urn(12),
		urn(13),
	]);
});

test('a message whose data.message_urn is missing is recognised by data.id', async () => {
	const trigger = await startTrigger();
	const event = messageEvent({ message_urn: undefined, id: urn(4) });
	await trigger.deliver(event, SECRET);
	await trigger.deliver(event, SECRET);
	expect(trigger.executions).toHaveLength(1);
});

test('after n8n restarts, a redelivery still starts nothing (the record is in the workflow, in the database)', async () => {
	const before = await startTrigger();
	await before.deliver(messageEvent({ message_urn: urn(5) }), SECRET);
	await before.close();
	expect(Object.keys(before.savedStaticData['node:ConnectSafely Trigger'] as object)).toEqual([
		'messageUrns',
	]);

	const after = await startTrigger({
		database: before.database,
		workflowId: before.workflowId,
		nodeType: nodeOfAFreshProcess(),
	});
	expect((await after.deliver(messageEvent({ message_urn: urn(5) }), SECRET)).status).toBe(200);
	expect(after.executions).toHaveLength(0);
	await after.deliver(messageEvent({ message_urn: urn(6) }), SECRET);
	expect(after.executions).toHaveLength(1);
});

test('queue mode: a redelivery that reaches another webhook process starts nothing', async () => {
	const first = await startTrigger();
	const second = await startTrigger({
		database: first.database,
		workflowId: first.workflowId,
		nodeType: nodeOfAFreshProcess(),
	});
	await first.deliver(messageEvent({ message_urn: urn(7) }), SECRET);
	await second.deliver(messageEvent({ message_urn: urn(7) }), SECRET);
	await first.deliver(messageEvent({ message_urn: urn(7) }), SECRET);
	expect(first.executions.length + second.executions.length).toBe(1);
});

test('known limit: two processes saving at the same moment keep one record; each process still knows its own', async () => {
	// Both read the static data before either saves it: n8n writes the whole object back, last one wins.
	let arrived = 0;
	let releaseBoth = () => {};
	const bothLoaded = new Promise<void>((resolve) => (releaseBoth = resolve));
	const afterLoad = async () => {
		if (++arrived === 2) releaseBoth();
		if (arrived <= 2) await bothLoaded;
	};
	const first = await startTrigger({ afterLoad });
	const second = await startTrigger({
		database: first.database,
		workflowId: first.workflowId,
		nodeType: nodeOfAFreshProcess(),
		afterLoad,
	});
	await Promise.all([
		first.deliver(messageEvent({ message_urn: urn(8) }), SECRET),
		second.deliver(messageEvent({ message_urn: urn(9) }), SECRET),
	]);
	const saved = Object.keys(
		(first.savedStaticData['node:ConnectSafely Trigger'] as { messageUrns: object }).messageUrns,
	);
	expect(saved).toHaveLength(1);
	// A redelivery to the process that took the message: its memory knows it, and it puts the record back.
	const lost =
		saved[0] === urn(8) ? { urn: urn(9), process: second } : { urn: urn(8), process: first };
	await lost.process.deliver(messageEvent({ message_urn: lost.urn }), SECRET);
	expect(first.executions.length + second.executions.length).toBe(2);
	expect(
		Object.keys(
			(first.savedStaticData['node:ConnectSafely Trigger'] as { messageUrns: object }).messageUrns,
		).sort(),
	).toEqual([urn(8), urn(9)]);
});

/** The message URNs n8n's database holds for the trigger. */
function savedUrns(trigger: TriggerHarness): string[] {
	const record = trigger.savedStaticData['node:ConnectSafely Trigger'] as
		{ messageUrns?: object } | undefined;
	return Object.keys(record?.messageUrns ?? {}).sort();
}

test('one process (one `n8n webhook` process in queue mode): two messages whose calls load the record before either saves, saved in the reverse order, both stay recorded and no redelivery runs after a restart', async () => {
	// n8n loads the static data per call and saves it whole after queueing the execution: the call that ran
	// first may save last, with the copy it loaded before the other message was recorded.
	let loaded = 0;
	let releaseLoads = () => {};
	const bothLoaded = new Promise<void>((resolve) => (releaseLoads = resolve));
	let secondSaved = () => {};
	const secondHasSaved = new Promise<void>((resolve) => (secondSaved = resolve));
	const trigger = await startTrigger({
		afterLoad: async () => {
			if (++loaded === 2) releaseLoads();
			if (loaded <= 2) await bothLoaded;
		},
		beforeSave: async (messageUrn) => {
			if (messageUrn === urn(40)) await secondHasSaved;
		},
	});
	const first = trigger.deliver(messageEvent({ message_urn: urn(40) }), SECRET);
	const second = trigger
		.deliver(messageEvent({ message_urn: urn(41) }), SECRET)
		.finally(() => secondSaved());
	await Promise.all([first, second]);
	expect(trigger.executions).toHaveLength(2);
	expect(savedUrns(trigger)).toEqual([urn(40), urn(41)]);

	const restarted = await startTrigger({
		database: trigger.database,
		workflowId: trigger.workflowId,
		nodeType: nodeOfAFreshProcess(),
	});
	await restarted.deliver(messageEvent({ message_urn: urn(40) }), SECRET);
	await restarted.deliver(messageEvent({ message_urn: urn(41) }), SECRET);
	expect(restarted.executions).toHaveLength(0);
});

test('two processes: a record the other process overwrote comes back with the next delivery of any message to the process that took it', async () => {
	let arrived = 0;
	let releaseBoth = () => {};
	const bothLoaded = new Promise<void>((resolve) => (releaseBoth = resolve));
	const afterLoad = async () => {
		if (++arrived === 2) releaseBoth();
		if (arrived <= 2) await bothLoaded;
	};
	const first = await startTrigger({ afterLoad });
	const second = await startTrigger({
		database: first.database,
		workflowId: first.workflowId,
		nodeType: nodeOfAFreshProcess(),
		afterLoad,
	});
	await Promise.all([
		first.deliver(messageEvent({ message_urn: urn(42) }), SECRET),
		second.deliver(messageEvent({ message_urn: urn(43) }), SECRET),
	]);
	expect(savedUrns(first)).toHaveLength(1);
	const lostOn = savedUrns(first)[0] === urn(42) ? second : first;
	// Another message, not the lost one, reaches the process that took the lost one.
	await lostOn.deliver(messageEvent({ message_urn: urn(44) }), SECRET);
	expect(savedUrns(first)).toEqual([urn(42), urn(43), urn(44)]);
	// And the other process, which has never seen the lost message, takes no redelivery of it.
	const other = lostOn === first ? second : first;
	await other.deliver(messageEvent({ message_urn: lostOn === first ? urn(42) : urn(43) }), SECRET);
	expect(first.executions.length + second.executions.length).toBe(3);
});

describe('the 24-hour window', () => {
	const HOUR = 60 * 60 * 1000;
	let clock = Date.now();
	beforeEach(() => {
		clock = Date.now();
		jest.spyOn(Date, 'now').mockImplementation(() => clock);
	});
	afterEach(() => jest.restoreAllMocks());

	test('a redelivery 23 hours later still starts nothing', async () => {
		const trigger = await startTrigger();
		await trigger.deliver(messageEvent({ message_urn: urn(30) }), SECRET);
		clock += 23 * HOUR;
		const answer = await trigger.deliver(messageEvent({ message_urn: urn(30) }), SECRET);
		expect(answer.json?.message).toBe('Already received: this message started an execution before');
		expect(trigger.executions).toHaveLength(1);
	});

	test('the same message 25 hours later runs again, in this process and after a restart', async () => {
		const trigger = await startTrigger();
		await trigger.deliver(messageEvent({ message_urn: urn(31) }), SECRET);
		await trigger.deliver(messageEvent({ message_urn: urn(32) }), SECRET);
		clock += 25 * HOUR;
		await trigger.deliver(messageEvent({ message_urn: urn(31) }), SECRET);
		expect(trigger.executions).toHaveLength(3);

		const restarted = await startTrigger({
			database: trigger.database,
			workflowId: trigger.workflowId,
			nodeType: nodeOfAFreshProcess(),
		});
		await restarted.deliver(messageEvent({ message_urn: urn(32) }), SECRET);
		expect(restarted.executions).toHaveLength(1);
	});
});

test('"Listen for test event" shows every delivery and records nothing', async () => {
	const trigger = await startTrigger({ mode: 'manual' });
	const event = messageEvent({ message_urn: urn(20) });
	await trigger.deliver(event, SECRET);
	await trigger.deliver(event, SECRET);
	expect(trigger.executions).toHaveLength(2);
	expect(trigger.savedStaticData).toEqual({});

	const live = await startTrigger({ database: trigger.database, workflowId: trigger.workflowId });
	await live.deliver(event, SECRET);
	expect(live.executions).toHaveLength(1);
});

test(`the record stays bounded: the newest ${STATIC_DATA_LIMIT} message URNs`, async () => {
	const trigger = await startTrigger();
	const total = STATIC_DATA_LIMIT + 5;
	for (let n = 0; n < total; n++) {
		await trigger.deliver(messageEvent({ message_urn: urn(1000 + n) }), SECRET);
	}
	const record = (trigger.savedStaticData['node:ConnectSafely Trigger'] as { messageUrns: object })
		.messageUrns;
	expect(Object.keys(record)).toHaveLength(STATIC_DATA_LIMIT);
	expect(Object.keys(record)[0]).toBe(urn(1005));
	expect(trigger.executions).toHaveLength(total);
}, 120_000);
