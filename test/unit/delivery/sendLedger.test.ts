/**
 * The send ledger's bounds: it remembers what was sent for 7 days and at most 50,000 messages, so an n8n that
 * runs for months keeps a small memory — and a message is remembered for all of those 7 days.
 */
import {
	clearLedger,
	ledgerSize,
	lookUp,
	MAX_AGE_MS,
	MAX_ENTRIES,
	record,
	type LedgerEntry,
	type LedgerScope,
} from '../../../nodes/ConnectSafely/delivery/sendLedger';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-12-01T09:00:00Z');

const execution = (executionId: string, lookBack = false): LedgerScope => ({
	executionId,
	workflowId: 'wf-ledger',
	lookBack,
});

function sentAt(at: number, executionId = 'exec-1'): LedgerEntry {
	return {
		executionId,
		site: { nodeName: 'ConnectSafely', runIndex: 0, itemIndex: 0 },
		at,
		recipient: 'ada-lovelace',
		outcome: { kind: 'sent', json: { success: true } },
	};
}

beforeEach(() => clearLedger());

test('the bounds are 7 days and 50,000 messages', () => {
	expect(MAX_AGE_MS).toBe(7 * DAY);
	expect(MAX_ENTRIES).toBe(50_000);
});

describe('7 days', () => {
	test('a message is remembered for 7 days, and not after', () => {
		record(execution('exec-1'), 'key-a', sentAt(T0));
		expect(lookUp(execution('exec-1'), 'key-a', T0 + 7 * DAY)).toMatchObject({ at: T0 });
		expect(lookUp(execution('exec-1'), 'key-a', T0 + 7 * DAY + 1)).toBeUndefined();
	});

	test('a retried execution looks back 7 days at what earlier executions sent, and not further', () => {
		record(execution('exec-1'), 'key-a', sentAt(T0, 'exec-1'));
		expect(lookUp(execution('exec-2', true), 'key-a', T0 + 6 * DAY)).toMatchObject({
			executionId: 'exec-1',
		});
		expect(lookUp(execution('exec-2', true), 'key-a', T0 + 8 * DAY)).toBeUndefined();
	});

	test('messages older than 7 days are dropped from memory when the next one is recorded', () => {
		for (let n = 0; n < 100; n++) record(execution(`exec-${n}`), `old-${n}`, sentAt(T0 + n));
		expect(ledgerSize()).toBe(100);
		record(execution('exec-late'), 'new', sentAt(T0 + 8 * DAY, 'exec-late'));
		expect(ledgerSize()).toBe(1);
	});
});

describe('50,000 messages', () => {
	test('the oldest are forgotten first; the memory never holds more', () => {
		const scope = execution('exec-big');
		for (let n = 0; n < MAX_ENTRIES + 10; n++)
			record(scope, `key-${n}`, sentAt(T0 + n, 'exec-big'));
		expect(ledgerSize()).toBe(MAX_ENTRIES);
		const now = T0 + MAX_ENTRIES + 10;
		expect(lookUp(scope, 'key-9', now)).toBeUndefined();
		expect(lookUp(scope, 'key-10', now)).toMatchObject({ at: T0 + 10 });
		expect(lookUp(scope, `key-${MAX_ENTRIES + 9}`, now)).toBeDefined();
	});

	test('a message recorded again counts as new: it is not the first forgotten', () => {
		const scope = execution('exec-big');
		for (let n = 0; n < MAX_ENTRIES; n++) record(scope, `key-${n}`, sentAt(T0 + n, 'exec-big'));
		record(scope, 'key-0', sentAt(T0 + MAX_ENTRIES, 'exec-big'));
		record(scope, 'one-more', sentAt(T0 + MAX_ENTRIES + 1, 'exec-big'));
		const now = T0 + MAX_ENTRIES + 2;
		expect(lookUp(scope, 'key-0', now)).toBeDefined();
		expect(lookUp(scope, 'key-1', now)).toBeUndefined();
	});
});
