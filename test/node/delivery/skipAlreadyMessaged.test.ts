/**
 * "Skip Recipients Already Messaged": the daily schedule that reads the same sheet again must not message
 * anyone twice. The node uses n8n's deduplication store (here: an in-memory store behind n8n-core's real
 * helpers), reserving a recipient before the send.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { installMemoryDeduplication, type MemoryDeduplicator } from '../../harness';
import { INBOX_ACCOUNT_ID } from '../../standin/accounts';
import { byId, byUrl, byUrn, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();
let store: MemoryDeduplicator;

beforeAll(async () => {
	store = await installMemoryDeduplication();
});
beforeEach(() => store.clear());

const list: IDataObject[] = [
	{ id: 'ada-lovelace', note: 'Loved your talk' },
	{ id: 'grace-hopper', note: 'Great article' },
	{ id: 'alan-turing', note: 'Congrats on the launch' },
];

function parameters(
	options: IDataObject = {},
	recipient = byId('={{ $json.id }}'),
): INodeParameters {
	return {
		resource: 'message',
		operation: 'send',
		recipient,
		message: '={{ $json.note }}',
		options: { skipAlreadyMessaged: 'recipient', ...options },
	};
}

test('the same list run twice sends once: the second run outputs every item as skipped', async () => {
	await bed.run({ parameters: parameters(), items: list });
	expect(bed.standin.delivered).toHaveLength(3);
	const second = await bed.run({ parameters: parameters(), items: list });
	expect(bed.standin.delivered).toHaveLength(3);
	expect(second.output).toHaveLength(3);
	second.output.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		expect(item.json).toMatchObject({ skipped: true, recipient: list[index].id });
		expect(item.json.reason).toMatch(/^Not sent: this workflow already messaged /);
	});
});

test('duplicates inside one list send once; a profile URL and the public ID of the same person count as one', async () => {
	const result = await bed.run({
		parameters: parameters({}, byUrl('={{ $json.url }}')),
		items: [
			{ url: 'https://www.linkedin.com/in/ada-lovelace/', note: 'first' },
			{ url: 'linkedin.com/in/Ada-Lovelace?trk=x', note: 'second' },
			{ url: 'https://uk.linkedin.com/in/grace-hopper', note: 'third' },
		],
	});
	expect(bed.standin.delivered.map((message) => message.recipient)).toEqual([
		'ada-lovelace',
		'grace-hopper',
	]);
	expect(result.output[1].json).toMatchObject({ skipped: true });
	const byIdRun = await bed.run({
		parameters: parameters(),
		items: [{ id: 'grace-hopper', note: 'again' }],
	});
	expect(byIdRun.output[0].json.skipped).toBe(true);
	expect(bed.standin.delivered).toHaveLength(2);
});

test('a 429 releases the reservation: the recipient is messaged on a later run', async () => {
	bed.standin.setQuota(undefined, { limit: 1, used: 1, resetInMs: 3600_000 });
	const first = await bed.run({
		parameters: parameters(),
		items: list.slice(0, 1),
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	expect(first.output[0].json.httpCode).toBe('429');
	bed.standin.setQuota(undefined, { limit: 10, used: 0, resetInMs: 3600_000 });
	const later = await bed.run({ parameters: parameters(), items: list.slice(0, 1) });
	expect(later.output[0].json.success).toBe(true);
	expect(bed.standin.deliveredTo('ada-lovelace')).toHaveLength(1);
});

test('a 400 releases the reservation too: nothing went out', async () => {
	bed.standin.injectFault({
		status: 400,
		body: { success: false, error: 'Recipient not reachable' },
	});
	await bed.run({
		parameters: parameters(),
		items: list.slice(0, 1),
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	await bed.run({ parameters: parameters(), items: list.slice(0, 1) });
	expect(bed.standin.deliveredTo('ada-lovelace')).toHaveLength(1);
	expect(store.calls.map((call) => call.method)).toEqual([
		'checkProcessedAndRecord',
		'removeProcessed',
		'checkProcessedAndRecord',
	]);
});

test('a 500 keeps the reservation: the next run skips the recipient, and the error says so', async () => {
	bed.standin.injectFault({ status: 500, body: { success: false, error: 'Internal error' } });
	const first = await bed.run({
		parameters: parameters(),
		items: list.slice(0, 1),
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	expect(first.output[0].json.description).toMatch(
		/stays in this workflow's "already messaged" history/,
	);
	const next = await bed.run({ parameters: parameters(), items: list.slice(0, 1) });
	expect(next.output[0].json.skipped).toBe(true);
	expect(bed.standin.requests).toHaveLength(1);
});

test('"same recipient and same text" sends a new text to a person already messaged, but not the same text again', async () => {
	const options = { skipAlreadyMessaged: 'recipientAndMessage' };
	await bed.run({
		parameters: parameters(options),
		items: [{ id: 'ada-lovelace', note: 'Hello' }],
	});
	await bed.run({
		parameters: parameters(options),
		items: [{ id: 'ada-lovelace', note: 'Hello' }],
	});
	await bed.run({
		parameters: parameters(options),
		items: [{ id: 'ada-lovelace', note: 'Follow-up' }],
	});
	expect(bed.standin.deliveredTo('ada-lovelace').map((message) => message.message)).toEqual([
		'Hello',
		'Follow-up',
	]);
});

test('the history is per sending account: the same person can be messaged once from each account', async () => {
	await bed.run({ parameters: parameters(), items: list.slice(0, 1) });
	await bed.run({
		parameters: { ...parameters(), account: { __rl: true, mode: 'id', value: INBOX_ACCOUNT_ID } },
		items: list.slice(0, 1),
	});
	expect(bed.standin.deliveredTo('ada-lovelace')).toHaveLength(2);
});

test('a URN and a public ID of one person cannot be matched without a lookup: both are sent', async () => {
	await bed.run({ parameters: parameters(), items: list.slice(0, 1) });
	await bed.run({
		parameters: parameters({}, byUrn('urn:li:fsd_profile:ACoAAAda123')),
		items: [{ note: 'x' }],
	});
	expect(bed.standin.delivered).toHaveLength(2);
});

test('replies by Conversation URN only: each conversation is its own recipient, messaged once', async () => {
	const conversation = (n: number) =>
		`urn:li:msg_conversation:(urn:li:fsd_profile:ACoAASkip${n},2-MTcwMDAwMDAwMDAwM${n}==)`;
	const reply = parameters({ conversationUrn: '={{ $json.conversation }}' }, byUrl(''));
	const runs = [];
	for (const [n, note] of [
		[1, 'Thanks!'],
		[2, 'Thanks!'],
		[3, 'Talk soon'],
		[1, 'One more thing'],
	] as const) {
		runs.push(
			await bed.run({ parameters: reply, items: [{ conversation: conversation(n), note }] }),
		);
	}
	expect(runs.map((run) => run.output[0].json.skipped === true)).toEqual([
		false,
		false,
		false,
		true,
	]);
	for (const n of [1, 2, 3]) expect(bed.standin.deliveredTo(conversation(n))).toHaveLength(1);
	expect(runs[3].output[0].json.recipient).toBe(conversation(1));
});

test('the remembered-recipients limit forgets the oldest first', async () => {
	const options = { rememberedRecipientsLimit: 2 };
	await bed.run({ parameters: parameters(options), items: list });
	// Three sent with a limit of two: ada-lovelace, the oldest, was forgotten.
	const again = await bed.run({
		parameters: parameters(options),
		items: [list[1], list[2], list[0]],
	});
	expect(again.output.map((item) => item.json.skipped === true)).toEqual([true, true, false]);
	expect(bed.standin.deliveredTo('ada-lovelace')).toHaveLength(2);
});

test('with the option off, nothing is recorded in the store', async () => {
	await bed.run({ parameters: { ...parameters(), options: {} }, items: list });
	expect(store.calls).toHaveLength(0);
});

test('Retry On Fail with the option on: no resend, and no recipient left reserved by a 429', async () => {
	bed.standin.setQuota(undefined, { limit: 2, used: 0, resetInMs: 1500 });
	const result = await bed.run({
		parameters: parameters(),
		items: list,
		nodeSettings: { retryOnFail: true, maxTries: 4, waitBetweenTries: 1000 },
	});
	expect(result.error).toBeUndefined();
	for (const person of list) expect(bed.standin.deliveredTo(String(person.id))).toHaveLength(1);
	expect(result.output.map((item) => item.json.success)).toEqual([true, true, true]);
});

test('on an n8n without a deduplication store the option fails with a clear error, and nothing is sent', async () => {
	// Older n8n versions build the node's helpers without the deduplication functions.
	const helpers = jest.requireActual<
		typeof import('n8n-core/dist/execution-engine/node-execution-context/utils/deduplication-helper-functions')
	>('n8n-core/dist/execution-engine/node-execution-context/utils/deduplication-helper-functions');
	const spy = jest.spyOn(helpers, 'getDeduplicationHelperFunctions').mockReturnValue({} as never);
	try {
		const result = await bed.run({ parameters: parameters(), items: list });
		expect(result.nodeError?.message).toBe(
			'This n8n has no deduplication store for "Skip Recipients Already Messaged"',
		);
		expect(result.nodeError?.description).toMatch(/Nothing was sent/);
		expect(bed.standin.requests).toHaveLength(0);
	} finally {
		spy.mockRestore();
	}
});

test('two executions of the same workflow at the same moment message each recipient once', async () => {
	// n8n's store rewrites one record per workflow without a lock; the node makes its calls one at a time.
	const [first, second] = await Promise.all([
		bed.run({ parameters: parameters(), items: list }),
		bed.run({ parameters: parameters(), items: list }),
	]);
	expect(first.error).toBeUndefined();
	expect(second.error).toBeUndefined();
	for (const person of list) expect(bed.standin.deliveredTo(String(person.id))).toHaveLength(1);
	const skipped = [...first.output, ...second.output].filter((item) => item.json.skipped === true);
	expect(skipped).toHaveLength(list.length);
});
