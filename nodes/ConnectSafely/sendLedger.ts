import type { IDataObject } from 'n8n-workflow';

import type { FailureKind } from './apiErrors';

/**
 * Memory of what this node already did in an execution, so that n8n's "Retry On Fail" never sends a message
 * twice. Retry On Fail re-runs the whole node with all its items in the same process (also in queue mode: a
 * worker retries the node itself), so a module-level map keyed by execution, node, item index and the exact
 * request is enough. It holds only outcomes that forbid a resend (sent, or maybe sent) and accounts that hit
 * their limit, with no API key in any key or value. Bounded in size and age: after an execution it is useless.
 */

export type LedgerOutcome =
	| { kind: 'sent'; json: IDataObject }
	| { kind: 'uncertain'; message: string; description: string; httpCode?: string };

interface Entry<T> {
	value: T;
	storedAt: number;
}

const MAX_ENTRIES = 200_000;
const MAX_AGE_MS = 6 * 60 * 60 * 1000;

class BoundedMemory<T> {
	private readonly entries = new Map<string, Entry<T>>();

	constructor(
		private readonly maxEntries: number,
		private readonly maxAgeMs: number,
	) {}

	get(key: string, now: number): T | undefined {
		const entry = this.entries.get(key);
		if (entry === undefined) return undefined;
		if (now - entry.storedAt > this.maxAgeMs) {
			this.entries.delete(key);
			return undefined;
		}
		return entry.value;
	}

	set(key: string, value: T, now: number): void {
		// Re-inserting keeps the Map in storage order, so the oldest entries are always first.
		this.entries.delete(key);
		this.entries.set(key, { value, storedAt: now });
		this.evict(now);
	}

	get size(): number {
		return this.entries.size;
	}

	clear(): void {
		this.entries.clear();
	}

	private evict(now: number): void {
		for (const [key, entry] of this.entries) {
			if (this.entries.size <= this.maxEntries && now - entry.storedAt <= this.maxAgeMs) break;
			this.entries.delete(key);
		}
	}
}

const outcomes = new BoundedMemory<LedgerOutcome>(MAX_ENTRIES, MAX_AGE_MS);
const exhaustedAccounts = new BoundedMemory<number>(10_000, MAX_AGE_MS);

/** The identity of one node run in one execution; undefined when n8n gives no execution id (no memory then). */
export interface RunScope {
	executionId: string;
	nodeName: string;
}

const SEPARATOR = '\u0000';

export function outcomeKey(scope: RunScope, itemIndex: number, path: string, body: IDataObject): string {
	return [scope.executionId, scope.nodeName, itemIndex, path, JSON.stringify(body)].join(SEPARATOR);
}

export function recallOutcome(key: string, now: number): LedgerOutcome | undefined {
	return outcomes.get(key, now);
}

export function rememberOutcome(key: string, outcome: LedgerOutcome, now: number): void {
	outcomes.set(key, outcome, now);
}

function accountKey(scope: RunScope, account: string): string {
	return [scope.executionId, scope.nodeName, account].join(SEPARATOR);
}

/** Until when (epoch ms) an account is known to be out of quota in this execution, if it is. */
export function exhaustedUntil(scope: RunScope, account: string, now: number): number | undefined {
	const until = exhaustedAccounts.get(accountKey(scope, account), now);
	return until !== undefined && until > now ? until : undefined;
}

export function rememberExhausted(scope: RunScope, account: string, until: number, now: number): void {
	exhaustedAccounts.set(accountKey(scope, account), until, now);
}

export function isUncertain(kind: FailureKind): boolean {
	return kind === 'uncertain';
}

/** For tests and benchmarks: forget everything. */
export function clearLedger(): void {
	outcomes.clear();
	exhaustedAccounts.clear();
}

export function ledgerSize(): number {
	return outcomes.size;
}
