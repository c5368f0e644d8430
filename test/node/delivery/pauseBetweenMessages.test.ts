/**
 * "Pause Between Messages": a random pause between two messages from one account, the accounts side by side.
 * Every duration is read from the stand-in's own receive times (`requests[i].at`) and checked against bounds,
 * never against an exact timing.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { installMemoryDeduplication, type MemoryDeduplicator } from '../../harness';
import { INBOX_ACCOUNT_ID, SALES_NAV_ACCOUNT_ID } from '../../standin/accounts';
import { faults } from '../../standin/faults';
import type { RecordedRequest } from '../../standin/server';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();
let store: MemoryDeduplicator;

beforeAll(async () => {
	store = await installMemoryDeduplication();
});
beforeEach(() => store.clear());

/** What the pause may overrun by on a loaded machine (the answer's latency, timers, the engine). */
const SLACK_MS = 300;

const pause = (minSeconds: number, maxSeconds: number) => ({
	pauseBetweenMessages: { pause: { minSeconds, maxSeconds } },
});

function send(options: INodeParameters = {}): INodeParameters {
	return {
		resource: 'message',
		operation: 'send',
		account: { __rl: true, mode: 'id', value: '={{ $json.account }}' },
		recipient: byId('={{ $json.id }}'),
		message: '={{ $json.note }}',
		options,
	};
}

const NAMES = ['ada-lovelace', 'grace-hopper', 'alan-turing', 'edsger-dijkstra', 'barbara-liskov'];
/** `count` people, all from one account, or alternating between the two when `accounts` has two. */
function people(count: number, accounts: string[] = [SALES_NAV_ACCOUNT_ID]): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		id: `${NAMES[index % NAMES.length]}-${index + 1}`,
		note: `Hi number ${index + 1}`,
		account: accounts[index % accounts.length],
	}));
}

const at = (request: RecordedRequest) => Date.parse(request.at);
const accountOf = (request: RecordedRequest) => String((request.body as IDataObject).accountId);

/** Gaps between consecutive requests (ms), all of them or one account's. */
function gaps(requests: RecordedRequest[], account?: string): number[] {
	const times = requests
		.filter((request) => account === undefined || accountOf(request) === account)
		.map(at);
	return times.slice(1).map((time, index) => time - times[index]);
}

function span(requests: RecordedRequest[]): number {
	return at(requests[requests.length - 1]) - at(requests[0]);
}

async function timedRun(options: Parameters<typeof bed.run>[0]) {
	const started = Date.now();
	const result = await bed.run(options);
	return { result, started, ended: Date.now() };
}

describe('pauses between one account’s messages', () => {
	test('each pause is drawn at random inside the bounds (0.3–0.6 s)', async () => {
		const { result } = await timedRun({ parameters: send(pause(0.3, 0.6)), items: people(6) });
		expect(result.error).toBeUndefined();
		expect(bed.standin.delivered).toHaveLength(6);
		const between = gaps(bed.standin.requests);
		expect(between).toHaveLength(5);
		for (const gap of between) {
			// ISO times are whole milliseconds: a gap may read 1 ms short.
			expect(gap).toBeGreaterThanOrEqual(299);
			expect(gap).toBeLessThanOrEqual(600 + SLACK_MS);
		}
		// Drawn, not fixed: five equal draws (within 25 ms) would be a one in millions chance.
		expect(Math.max(...between) - Math.min(...between)).toBeGreaterThan(25);
	});

	test('equal bounds are a fixed pause, with none before the first message and none after the last', async () => {
		const { result, started, ended } = await timedRun({
			parameters: send(pause(0.8, 0.8)),
			items: people(3),
		});
		expect(result.error).toBeUndefined();
		const { requests } = bed.standin;
		expect(requests).toHaveLength(3);
		for (const gap of gaps(requests)) {
			expect(gap).toBeGreaterThanOrEqual(799);
			expect(gap).toBeLessThanOrEqual(800 + SLACK_MS);
		}
		expect(at(requests[0]) - started).toBeLessThan(800);
		expect(ended - at(requests[2])).toBeLessThan(800);
	});

	test('off by default: a list goes out without pauses', async () => {
		const { result } = await timedRun({ parameters: send(), items: people(4) });
		expect(result.error).toBeUndefined();
		expect(span(bed.standin.requests)).toBeLessThan(300);
	});

	test.each<[string, INodeParameters]>([
		[
			'Message → Send With Acknowledgment',
			{ resource: 'message', operation: 'sendWithAck', recipient: byId('={{ $json.id }}') },
		],
		[
			'Message → Send With Typing Indicator',
			{ resource: 'message', operation: 'sendWithTyping', recipient: byId('={{ $json.id }}') },
		],
		[
			'Message → Send (Legacy)',
			{ resource: 'message', operation: 'sendLegacy', recipient: byId('={{ $json.id }}') },
		],
		[
			'Group Message → Send With Acknowledgment',
			{
				resource: 'groupMessage',
				operation: 'sendWithAck',
				recipientProfileUrn: '=urn:li:fsd_profile:ACoAA{{ $json.id.replace(/-/g, "") }}',
				groupId: '12345678',
			},
		],
	])('%s pauses too', async (_, parameters) => {
		const result = await bed.run({
			parameters: { ...parameters, message: '={{ $json.note }}', options: pause(0.4, 0.4) },
			items: people(2),
		});
		expect(result.error).toBeUndefined();
		expect(bed.standin.requests).toHaveLength(2);
		expect(gaps(bed.standin.requests)[0]).toBeGreaterThanOrEqual(399);
	});
});

describe('per sending account', () => {
	test('two accounts interleaved finish in about half the time of one: neither waits for the other’s pauses', async () => {
		const options = pause(0.4, 0.5);
		await bed.run({ parameters: send(options), items: people(6) });
		const oneAccount = span(bed.standin.requests);
		// Five pauses of at least 0.4 s.
		expect(oneAccount).toBeGreaterThanOrEqual(5 * 400 - 5);

		bed.standin.reset();
		const result = await bed.run({
			parameters: send(options),
			items: people(6, [SALES_NAV_ACCOUNT_ID, INBOX_ACCOUNT_ID]),
		});
		expect(result.error).toBeUndefined();
		const { requests } = bed.standin;
		expect(requests).toHaveLength(6);
		// Each account still pauses inside the bounds between its own messages…
		for (const account of [SALES_NAV_ACCOUNT_ID, INBOX_ACCOUNT_ID]) {
			const own = gaps(requests, account);
			expect(own).toHaveLength(2);
			for (const gap of own) {
				expect(gap).toBeGreaterThanOrEqual(399);
				expect(gap).toBeLessThanOrEqual(500 + SLACK_MS);
			}
		}
		// …and the two send side by side: both first messages at once, the whole list in two pauses, not five.
		expect(accountOf(requests[0])).not.toBe(accountOf(requests[1]));
		expect(at(requests[1]) - at(requests[0])).toBeLessThan(200);
		const twoAccounts = span(requests);
		expect(twoAccounts).toBeGreaterThanOrEqual(2 * 400 - 5);
		expect(twoAccounts).toBeLessThanOrEqual(2 * 500 + SLACK_MS);
		expect(twoAccounts).toBeLessThan(oneAccount * 0.65);
	});

	test('a list sorted by account: the second account’s messages start at once, not after the first account’s pauses', async () => {
		const items = [...people(3, [SALES_NAV_ACCOUNT_ID]), ...people(6, [INBOX_ACCOUNT_ID]).slice(3)];
		const result = await bed.run({ parameters: send(pause(0.4, 0.5)), items });
		expect(result.error).toBeUndefined();
		const { requests } = bed.standin;
		expect(requests).toHaveLength(6);
		const firstOf = (account: string) =>
			at(requests.find((request) => accountOf(request) === account)!);
		// In one queue the second account would start after the first's two pauses (≥ 0.8 s).
		expect(firstOf(INBOX_ACCOUNT_ID) - firstOf(SALES_NAV_ACCOUNT_ID)).toBeLessThan(300);
		expect(span(requests)).toBeLessThanOrEqual(2 * 500 + SLACK_MS);
		expect(result.output.map((item) => item.json.message)).toEqual(items.map((item) => item.note));
	});

	test('with two accounts side by side the output keeps the input order, each item paired with its input', async () => {
		const items = people(7, [SALES_NAV_ACCOUNT_ID, INBOX_ACCOUNT_ID]);
		// The second account's first message is slow to answer, so the answers arrive out of input order.
		bed.standin.injectFault({ ...faults.slow(300), recipient: String(items[1].id) });
		const result = await bed.run({ parameters: send(pause(0.1, 0.3)), items });
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(items.length);
		result.output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ success: true, message: items[index].note });
		});
	});
});

describe('no pause for an item that sends nothing', () => {
	test('repeats the send ledger answers: no pause for them, none after the last', async () => {
		const items = people(3);
		// The same message twice after the second, and the first again at the end: the ledger answers both.
		const list = [items[0], items[1], items[1], items[1], items[2], items[0]];
		const { result, ended } = await timedRun({ parameters: send(pause(0.4, 0.5)), items: list });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.skipped === true)).toEqual([
			false,
			false,
			true,
			true,
			false,
			true,
		]);
		const { requests } = bed.standin;
		expect(requests).toHaveLength(3);
		// Two skipped items between the second and the third send: still one pause (two more would be ≥ 0.8 s).
		for (const gap of gaps(requests)) {
			expect(gap).toBeGreaterThanOrEqual(399);
			expect(gap).toBeLessThanOrEqual(500 + SLACK_MS);
		}
		expect(ended - at(requests[2])).toBeLessThan(400);
	});

	test('recipients "Skip Recipients Already Messaged" skips: no pause for them', async () => {
		const items = people(3);
		// The same person with another text: not the same message, but the same recipient.
		const again = { ...items[0], note: 'Hi again' };
		const list = [items[0], again, again, items[1], items[2], { ...items[2], note: 'Bye' }];
		const { result, ended } = await timedRun({
			parameters: send({ ...pause(0.4, 0.5), skipAlreadyMessaged: 'recipient' }),
			items: list,
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.skipped === true)).toEqual([
			false,
			true,
			true,
			false,
			false,
			true,
		]);
		const { requests } = bed.standin;
		expect(requests).toHaveLength(3);
		for (const gap of gaps(requests)) {
			expect(gap).toBeGreaterThanOrEqual(399);
			expect(gap).toBeLessThanOrEqual(500 + SLACK_MS);
		}
		expect(ended - at(requests[2])).toBeLessThan(400);
	});

	test('recipients "Only If No Conversation Yet" skips: no pause for them, none after the last', async () => {
		const items = people(5);
		for (const skipped of [1, 2, 4]) {
			bed.standin.seedConversation({
				profileId: String(items[skipped].id),
				messages: [{ text: 'Hello', fromOwner: true, sentAt: 1_000_000 }],
			});
		}
		const { result, ended } = await timedRun({
			parameters: send({ ...pause(0.4, 0.5), onlyIfNoConversationYet: true }),
			items,
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.skipped === true)).toEqual([
			false,
			true,
			true,
			false,
			true,
		]);
		const sends = bed.standin.requestsTo('/conversations/send');
		expect(sends).toHaveLength(2);
		// Two skipped recipients between the two sends: one pause (two more would make it ≥ 1.2 s).
		expect(gaps(sends)[0]).toBeGreaterThanOrEqual(399);
		expect(gaps(sends)[0]).toBeLessThanOrEqual(500 + SLACK_MS);
		// The last recipient is skipped: no pause before the node ends.
		expect(ended - at(sends[1])).toBeLessThan(400);
	});

	test('items not attempted because the account has no messages left: no call, no pause', async () => {
		bed.standin.setQuota(SALES_NAV_ACCOUNT_ID, { limit: 2, used: 0, resetInMs: 3600_000 });
		const { result, ended } = await timedRun({
			parameters: send(pause(0.5, 0.5)),
			items: people(5),
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(bed.standin.requests).toHaveLength(2);
		expect(result.output.slice(2).map((item) => String(item.json.error).slice(0, 9))).toEqual([
			'Not sent:',
			'Not sent:',
			'Not sent:',
		]);
		// Three items after the last send, none of them pausing.
		expect(ended - at(bed.standin.requests[1])).toBeLessThan(500);
	});
});

test('a rate-limit wait replaces the pause: the node waits for the reset, not for the reset and a pause', async () => {
	bed.standin.setQuota(SALES_NAV_ACCOUNT_ID, { limit: 1, used: 0, resetInMs: 2500 });
	const result = await bed.run({
		parameters: send({ ...pause(2, 2), maxWaitForRateLimit: 10 }),
		items: people(2),
	});
	expect(result.error).toBeUndefined();
	const { requests } = bed.standin;
	expect(requests).toHaveLength(2);
	// The reset is ~2.5 s after the first send, plus the node's 0.25–1 s jitter; with a pause on top it would be ≥ 4.5 s.
	const gap = gaps(requests)[0];
	expect(gap).toBeGreaterThanOrEqual(2000);
	expect(gap).toBeLessThan(4500);
});

describe('stopping', () => {
	test('stopping the execution during a pause ends it at once, and nothing more is sent', async () => {
		const items = people(4, [SALES_NAV_ACCOUNT_ID, INBOX_ACCOUNT_ID]);
		const controller = new AbortController();
		const running = timedRun({
			parameters: send({ ...pause(3, 3), skipAlreadyMessaged: 'recipient' }),
			items,
			signal: controller.signal,
		});
		// Both accounts sent their first message and are pausing before their second.
		for (let polls = 0; bed.standin.requests.length < 2 && polls < 100; polls++) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(bed.standin.requests).toHaveLength(2);
		const stoppedAt = Date.now();
		controller.abort();
		const { result, started, ended } = await running;
		// It was pausing when stopped (a node without the pause would have sent all four by now)…
		expect(stoppedAt - started).toBeGreaterThanOrEqual(300);
		expect(result.status).toBe('canceled');
		// …and the pause ended at once, not 3 s later.
		expect(ended - stoppedAt).toBeLessThan(1000);
		// Nothing is sent afterwards either: no lane goes on in the background.
		await new Promise((resolve) => setTimeout(resolve, 3500 - (Date.now() - stoppedAt)));
		expect(bed.standin.requests).toHaveLength(2);
		// The two items stopped in their pause were not kept as "already messaged": a later run sends them.
		await bed.run({ parameters: send({ skipAlreadyMessaged: 'recipient' }), items });
		expect(bed.standin.delivered.map((message) => message.recipient)).toEqual(
			items.map((item) => item.id),
		);
	}, 20_000);

	test('without Continue On Fail, one account’s failure stops the other account’s pause at once, and nothing more is sent', async () => {
		const items = people(6, [SALES_NAV_ACCOUNT_ID, INBOX_ACCOUNT_ID]);
		// The first account's second message hits the daily limit; the other account is pausing by then.
		bed.standin.injectFault({
			...faults.dailyLimitReached(3600_000),
			recipient: String(items[2].id),
		});
		const { result, ended } = await timedRun({
			parameters: send(pause(1, 1.2)),
			items,
		});
		expect(result.nodeError).toMatchObject({ httpCode: '429' });
		expect(result.nodeError?.message).toMatch(
			/\. [23] items were sent before it; no further items were attempted$/,
		);
		const { requests } = bed.standin;
		const failedAt = at(
			requests.find((request) => (request.body as IDataObject).recipientProfileId === items[2].id)!,
		);
		// The node ended soon after the failure, without waiting out the other account's pause.
		expect(ended - failedAt).toBeLessThan(700);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(requests.every((request) => at(request) <= failedAt + 200)).toBe(true);
		expect(requests.length).toBeLessThanOrEqual(4);
	}, 20_000);
});

describe('bounds that make no sense are refused before anything is sent', () => {
	test.each<[string, INodeParameters, RegExp]>([
		[
			'a negative minimum',
			{ minSeconds: -1, maxSeconds: 5 },
			/^Pause Between Messages \(Min Seconds\): number -1 is not between 0 and 3600 seconds$/,
		],
		[
			'a minimum above the maximum',
			{ minSeconds: 10, maxSeconds: 5 },
			/^Pause Between Messages \(Min Seconds\): number 10 is more than Max Seconds \(5\)$/,
		],
		[
			'text from an expression',
			{ minSeconds: 1, maxSeconds: '={{ $json.id }}' },
			/^Pause Between Messages \(Max Seconds\): "ada-lovelace-1" is not a number of seconds$/,
		],
		[
			'more than an hour, for the second item only',
			{ minSeconds: 1, maxSeconds: '={{ $itemIndex === 1 ? 7200 : 5 }}' },
			/^Pause Between Messages \(Max Seconds\): number 7200 is not between 0 and 3600 seconds$/,
		],
	])('%s: the error names the item and the field', async (_, bounds, message) => {
		const result = await bed.run({
			parameters: send({ pauseBetweenMessages: { pause: bounds } }),
			items: people(3),
		});
		expect(result.nodeError?.message).toMatch(message);
		expect(result.nodeError?.description).toMatch(/Nothing was sent for this item\.$/);
		expect(bed.standin.requests).toHaveLength(0);
	});

	test('with Continue On Fail the bad item becomes an error item and the others are sent, paced', async () => {
		const parameters = send({
			pauseBetweenMessages: {
				pause: { minSeconds: '={{ $itemIndex === 1 ? -3 : 0.2 }}', maxSeconds: 0.3 },
			},
		});
		const result = await bed.run({
			parameters,
			items: people(3),
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(result.output[1].json.error).toMatch(/^Pause Between Messages \(Min Seconds\)/);
		expect(bed.standin.requests).toHaveLength(2);
		expect(gaps(bed.standin.requests)[0]).toBeGreaterThanOrEqual(199);
	});
});
