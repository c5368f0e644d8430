import type { IDataObject } from 'n8n-workflow';

/**
 * Memory of what one node run did in an execution, so that n8n's "Retry On Fail" never sends a message twice.
 * Retry On Fail re-runs the whole node with all its items in the same process (also in queue mode: a worker
 * retries the node itself), so module-level memory keyed by execution and node is enough. Within a run, entries
 * are keyed by item index and the exact request. It holds only outcomes that forbid a resend (sent, or maybe sent)
 * and accounts that hit their limit, with no API key anywhere.
 *
 * Retry On Fail re-runs only a node that failed, so a run that ends normally forgets its memory at once; one that
 * failed keeps it for the retries, bounded in number of runs and in age.
 */

export type LedgerOutcome =
	| { kind: 'sent'; json: IDataObject }
	| { kind: 'uncertain'; message: string; description: string; httpCode?: string };

/** The identity of one node run in one execution; undefined when n8n gives no execution id (no memory then). */
export interface RunScope {
	executionId: string;
	nodeName: string;
}

interface RunMemory {
	touchedAt: number;
	outcomes: Map<string, LedgerOutcome>;
	/** Until when (epoch ms) each account is out of quota. */
	exhausted: Map<string, number>;
}

const MAX_RUNS = 1_000;
const MAX_AGE_MS = 6 * 60 * 60 * 1000;
const SEPARATOR = '\u0000';

const runs = new Map<string, RunMemory>();

function runKey(scope: RunScope): string {
	return scope.executionId + SEPARATOR + scope.nodeName;
}

/** Drops runs past the age limit, and the oldest beyond the count limit (the Map keeps them oldest first). */
function evict(now: number): void {
	for (const [key, run] of runs) {
		if (runs.size <= MAX_RUNS && now - run.touchedAt <= MAX_AGE_MS) break;
		runs.delete(key);
	}
}

/** The run's memory, if it has one that is not past the age limit. */
function memoryOf(scope: RunScope, now: number): RunMemory | undefined {
	const key = runKey(scope);
	const run = runs.get(key);
	if (run && now - run.touchedAt > MAX_AGE_MS) {
		runs.delete(key);
		return undefined;
	}
	return run;
}

/** The run's memory for writing: created when missing, and marked as used now. */
function touchedMemory(scope: RunScope, now: number): RunMemory {
	let run = memoryOf(scope, now);
	if (run) {
		run.touchedAt = now;
		return run;
	}
	run = { touchedAt: now, outcomes: new Map(), exhausted: new Map() };
	runs.set(runKey(scope), run);
	evict(now);
	return run;
}

/**
 * A short fingerprint of the exact request (53-bit string hash), so that thousands of remembered items do not
 * each keep a copy of their request body. A collision would need the same item index of the same run.
 */
function fingerprint(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ code, 2654435761);
		h2 = Math.imul(h2 ^ code, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export function outcomeKey(itemIndex: number, path: string, body: IDataObject): string {
	return `${itemIndex}${SEPARATOR}${path}${SEPARATOR}${fingerprint(JSON.stringify(body))}`;
}

export function recallOutcome(
	scope: RunScope,
	key: string,
	now: number,
): LedgerOutcome | undefined {
	return memoryOf(scope, now)?.outcomes.get(key);
}

export function rememberOutcome(
	scope: RunScope,
	key: string,
	outcome: LedgerOutcome,
	now: number,
): void {
	touchedMemory(scope, now).outcomes.set(key, outcome);
}

/** Until when (epoch ms) an account is known to be out of quota in this execution, if it is. */
export function exhaustedUntil(scope: RunScope, account: string, now: number): number | undefined {
	const until = memoryOf(scope, now)?.exhausted.get(account);
	return until !== undefined && until > now ? until : undefined;
}

export function rememberExhausted(
	scope: RunScope,
	account: string,
	until: number,
	now: number,
): void {
	touchedMemory(scope, now).exhausted.set(account, until);
}

/** A run that ended without an error is never retried: its memory is of no further use. */
export function forgetRun(scope: RunScope): void {
	runs.delete(runKey(scope));
}

/** For tests and benchmarks: forget everything. */
export function clearLedger(): void {
	runs.clear();
}

/** For tests and benchmarks: how many items are remembered, over all runs. */
export function ledgerSize(): number {
	let size = 0;
	for (const run of runs.values()) size += run.outcomes.size;
	return size;
}
