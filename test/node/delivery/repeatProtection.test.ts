/**
 * Repeat Protection (node version 1.1, on by default): the same call arriving twice — a webhook sender retrying,
 * n8n starting two executions for one call, a double-click, an overlapping schedule — sends one message. Each
 * workflow runs through n8n-core's real WorkflowExecute against the stand-in API; n8n's deduplication store is the
 * harness's in-memory one behind n8n-core's real helpers.
 */
import type { INodeParameters, INodeType, WorkflowExecuteMode } from 'n8n-workflow';

import { clearRecentSends, repeatClock } from '../../../nodes/ConnectSafely/delivery/repeatMemory';
import { clearLedger } from '../../../nodes/ConnectSafely/delivery/sendLedger';
import type { NodeRunResult } from '../../harness';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const HOUR = 60 * 60 * 1000;
const PERSON = 'ada-lovelace';

function parameters(options: INodeParameters = {}): INodeParameters {
	return {
		resource: 'message',
		operation: 'send',
		recipient: byId('={{ $json.id }}'),
		message: '={{ $json.note }}',
		options,
	};
}

/** One call of a published workflow (mode `webhook`), as a CRM posts it. */
async function call(
	note = 'Thanks for signing up!',
	extra: {
		options?: INodeParameters;
		mode?: WorkflowExecuteMode;
		typeVersion?: number;
		continueOnFail?: boolean;
		node?: INodeType;
	} = {},
): Promise<NodeRunResult> {
	return await bed.run({
		parameters: parameters(extra.options),
		items: [{ id: PERSON, note }],
		mode: extra.mode ?? 'webhook',
		typeVersion: extra.typeVersion,
		node: extra.node,
		nodeSettings: extra.continueOnFail ? { onError: 'continueRegularOutput' } : undefined,
	});
}

function sends(): number {
	return bed.standin.requestsTo('/conversations/send').length;
}

afterEach(() => {
	jest.restoreAllMocks();
});

describe('the same call twice sends one message', () => {
	test('two executions at the same moment: one message; the other item is skipped, naming when and where it went', async () => {
		const [first, second] = await Promise.all([call(), call()]);
		expect(first.status).toBe('success');
		expect(second.status).toBe('success');
		expect(bed.standin.deliveredTo(PERSON)).toHaveLength(1);
		const items = [...first.output, ...second.output];
		const sent = items.filter((item) => item.json.success === true);
		const skipped = items.filter((item) => item.json.skipped === true);
		expect(sent).toHaveLength(1);
		expect(skipped).toHaveLength(1);
		expect(skipped[0].pairedItem).toEqual({ item: 0 });
		expect(skipped[0].json).toMatchObject({
			skipped: true,
			recipient: PERSON,
			executionId: expect.stringMatching(/^harness-\d+$/),
			repeatWindowHours: 24,
		});
		expect(skipped[0].json.sentAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
		expect(skipped[0].json.reason).toMatch(
			/^Not sent: the same message went to ada-lovelace at .+, in execution .+ of this workflow \(Repeat Protection/,
		);
	});

	test('one execution after the other: the second sends nothing', async () => {
		const first = await call();
		const second = await call();
		expect(first.output[0].json.success).toBe(true);
		expect(second.status).toBe('success');
		expect(second.output[0].json).toMatchObject({ skipped: true, recipient: PERSON });
		expect(sends()).toBe(1);
	});

	test('three executions at once, as n8n sometimes starts for one call: one message', async () => {
		const runs = await Promise.all([call(), call(), call()]);
		expect(runs.map((run) => run.status)).toEqual(['success', 'success', 'success']);
		expect(sends()).toBe(1);
	});

	test('a scheduled run, a retried execution and a sub-workflow call count as production too', async () => {
		await call('Hi', { mode: 'trigger' });
		const retried = await call('Hi', { mode: 'retry' });
		const sub = await call('Hi', { mode: 'integrated' });
		expect(retried.output[0].json.skipped).toBe(true);
		expect(sub.output[0].json.skipped).toBe(true);
		expect(sends()).toBe(1);
	});

	test('a different text to the same person is another message: both go out', async () => {
		await call('Thanks for signing up!');
		await call('Your trial ends tomorrow');
		expect(bed.standin.deliveredTo(PERSON)).toHaveLength(2);
	});
});

describe('what counts as sent', () => {
	test('a message that may have gone out (a 500) blocks the repeat; the skipped item says to check LinkedIn', async () => {
		bed.standin.injectFault({ status: 500, body: { success: false, error: 'Upstream timeout' } });
		const first = await call('Hi', { continueOnFail: true });
		expect(first.output[0].json.error).toBeDefined();
		const second = await call('Hi');
		expect(second.output[0].json).toMatchObject({ skipped: true, uncertain: true });
		expect(second.output[0].json.reason).toMatch(
			/may have gone out .*Check the conversation on LinkedIn/,
		);
		expect(sends()).toBe(1);
	});

	test('a definite refusal (a 400) does not: the next execution sends it', async () => {
		bed.standin.injectFault({
			status: 400,
			body: { success: false, error: 'Recipient not reachable' },
		});
		const first = await call('Hi', { continueOnFail: true });
		expect(first.output[0].json.error).toMatch(/Recipient not reachable/);
		const second = await call('Hi');
		expect(second.output[0].json.success).toBe(true);
		expect(bed.standin.deliveredTo(PERSON)).toHaveLength(1);
	});
});

describe('the window', () => {
	test('24 hours by default: a repeat just inside is skipped, just outside it is sent', async () => {
		const before = Date.now();
		await call();
		const after = Date.now();
		const clock = jest.spyOn(repeatClock, 'now');
		clock.mockReturnValue(before + 24 * HOUR - 60_000);
		expect((await call()).output[0].json.skipped).toBe(true);
		clock.mockReturnValue(after + 24 * HOUR + 60_000);
		expect((await call()).output[0].json.success).toBe(true);
		expect(sends()).toBe(2);
	});

	test('a window of 2 hours: 1 h 59 min later skipped, 2 h 1 min later sent', async () => {
		const options = { repeatWindowHours: 2 };
		const before = Date.now();
		await call('Hi', { options });
		const after = Date.now();
		const clock = jest.spyOn(repeatClock, 'now');
		clock.mockReturnValue(before + 2 * HOUR - 60_000);
		expect((await call('Hi', { options })).output[0].json.skipped).toBe(true);
		clock.mockReturnValue(after + 2 * HOUR + 60_000);
		expect((await call('Hi', { options })).output[0].json.success).toBe(true);
	});

	test('0 turns the protection off: the same call twice sends twice, and the store is not used', async () => {
		await Promise.all([
			call('Hi', { options: { repeatWindowHours: 0 } }),
			call('Hi', { options: { repeatWindowHours: 0 } }),
		]);
		expect(sends()).toBe(2);
		expect(bed.store.calls).toHaveLength(0);
	});

	test('a window that is not a whole number of hours from 0 to 168 stops the run before anything is sent', async () => {
		const result = await call('Hi', { options: { repeatWindowHours: -1 } });
		expect(result.nodeError?.message).toBe(
			'Repeat Protection Window (Hours): number -1 is not a whole number of hours from 0 to 168',
		);
		expect(sends()).toBe(0);
	});
});

describe('manual executions from the editor neither block nor are blocked', () => {
	test('a manual run sends after a production send, and a production send goes out after manual runs', async () => {
		await call('Hi', { mode: 'manual' });
		await call('Hi', { mode: 'manual' });
		expect(sends()).toBe(2);
		expect(bed.store.calls).toHaveLength(0);
		const production = await call('Hi');
		expect(production.output[0].json.success).toBe(true);
		const manual = await call('Hi', { mode: 'manual' });
		expect(manual.output[0].json.success).toBe(true);
		expect(sends()).toBe(4);
	});
});

describe('version 1 is unchanged', () => {
	test('a node saved with version 1 sends the same call twice, as it always did, and uses no store', async () => {
		await Promise.all([call('Hi', { typeVersion: 1 }), call('Hi', { typeVersion: 1 })]);
		await call('Hi', { typeVersion: 1 });
		expect(sends()).toBe(3);
		expect(bed.store.calls).toHaveLength(0);
	});
});

describe("after a restart: n8n's deduplication store remembers", () => {
	/** What restarting n8n does to the node: its memory in the process is gone, the database is not. */
	function restart(): void {
		clearLedger();
		clearRecentSends();
	}

	test('the repeat after a restart is skipped, naming the hour it went out in', async () => {
		await call();
		restart();
		const again = await call();
		expect(again.status).toBe('success');
		expect(again.output[0].pairedItem).toEqual({ item: 0 });
		expect(again.output[0].json).toMatchObject({
			skipped: true,
			recipient: PERSON,
			sentAt: null,
			executionId: null,
			sentBetween: { from: expect.any(String), to: expect.any(String) },
		});
		expect(again.output[0].json.reason).toMatch(/remembered in n8n's deduplication store/);
		expect(sends()).toBe(1);
	});

	test('the store rounds the window up to the next whole hour: 24 h 59 min after the hour started, still skipped; 25 h 1 min after, sent', async () => {
		const before = Date.now();
		await call();
		restart();
		const hourStarted = Math.floor(before / HOUR) * HOUR;
		const clock = jest.spyOn(repeatClock, 'now');
		clock.mockReturnValue(hourStarted + 25 * HOUR - 60_000);
		expect((await call()).output[0].json.skipped).toBe(true);
		clock.mockReturnValue(hourStarted + 25 * HOUR + 60_000);
		expect((await call()).output[0].json.success).toBe(true);
	});

	test('a refused message leaves nothing in the store', async () => {
		bed.standin.injectFault({
			status: 400,
			body: { success: false, error: 'Recipient not reachable' },
		});
		await call('Hi', { continueOnFail: true });
		restart();
		expect((await call('Hi')).output[0].json.success).toBe(true);
	});

	test('a store that fails stops the item with an error saying how to fix it, and nothing is sent', async () => {
		jest
			.spyOn(bed.store, 'checkProcessedAndRecord')
			.mockRejectedValue(
				new Error(
					'Deduplication data was originally saved with an incompatible setting of the ‘Keep Items Where’ parameter.',
				),
			);
		const result = await call('Hi', { continueOnFail: true });
		expect(result.output[0].json.error).toMatch(
			/^Repeat Protection could not use n8n's deduplication store: Deduplication data was originally saved/,
		);
		expect(result.output[0].json.description).toMatch(/Nothing was sent\..*set .*to 0/);
		expect(sends()).toBe(0);
	});
});

describe('with "Skip Recipients Already Messaged" on', () => {
	test("its record already blocks every repeat: Repeat Protection writes nothing of its own to n8n's store", async () => {
		const options = { skipAlreadyMessaged: 'recipientAndMessage' };
		await call('Hi', { options });
		const again = await call('Hi', { options });
		expect(again.output[0].json.reason).toMatch(/Repeat Protection/);
		const written = bed.store.calls.flatMap((call) => call.items.map(String));
		expect(written.length).toBeGreaterThan(0);
		expect(written.filter((item) => item.includes('|repeat'))).toEqual([]);
		expect(sends()).toBe(1);
	});
});

describe('on an n8n without a deduplication store (before 1.60)', () => {
	test('the memory of the process still sends the same call once', async () => {
		const helpers = jest.requireActual<
			typeof import('n8n-core/dist/execution-engine/node-execution-context/utils/deduplication-helper-functions')
		>('n8n-core/dist/execution-engine/node-execution-context/utils/deduplication-helper-functions');
		jest.spyOn(helpers, 'getDeduplicationHelperFunctions').mockReturnValue({} as never);
		const runs = await Promise.all([call(), call()]);
		await call();
		expect(runs.map((run) => run.status)).toEqual(['success', 'success']);
		expect(sends()).toBe(1);
	});
});

/** The node as another n8n process (a queue-mode worker) loads it: a new module registry, so nothing in memory. */
function nodeOfAnotherProcess(): INodeType {
	let nodeType: INodeType | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const loaded = require('../../../nodes/ConnectSafely/ConnectSafely.node') as {
			ConnectSafely: new () => INodeType;
		};
		nodeType = new loaded.ConnectSafely();
	});
	return nodeType!;
}

describe('two processes sharing one database (queue-mode workers), whose store keeps the last write', () => {
	test('the same call on two workers at the same moment: one message (the claim read back tells who yields)', async () => {
		const other = nodeOfAnotherProcess();
		const [first, second] = await Promise.all([
			call(),
			call('Thanks for signing up!', { node: other }),
		]);
		expect([first.status, second.status]).toEqual(['success', 'success']);
		expect(sends()).toBe(1);
		const skipped = [...first.output, ...second.output].filter((item) => item.json.skipped);
		expect(skipped).toHaveLength(1);
		expect(skipped[0].json.reason).toMatch(
			/another execution of this workflow is sending the same message to ada-lovelace at this moment/,
		);
	});

	test('two different messages on two workers at the same moment: both go out, though one write overwrote the other', async () => {
		const other = nodeOfAnotherProcess();
		await Promise.all([call('First note'), call('Second note', { node: other })]);
		expect(bed.standin.deliveredTo(PERSON)).toHaveLength(2);
	});

	test('the same call on the second worker a moment later: skipped from the store', async () => {
		await call();
		const later = await call('Thanks for signing up!', { node: nodeOfAnotherProcess() });
		expect(later.output[0].json).toMatchObject({ skipped: true, executionId: null });
		expect(sends()).toBe(1);
	});
});
