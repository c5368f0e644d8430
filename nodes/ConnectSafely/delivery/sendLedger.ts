/**
 * The send ledger: what this n8n process sent, or may have sent, keyed by the message's identity
 * (messageIdentity.ts), so that nothing that re-runs the node sends a message twice. It owns that memory and its
 * bounds; it imports nothing of the node's.
 *
 * Why a process-wide memory: everything that re-runs the node within an execution (Retry On Fail, including
 * n8n's re-run of a node whose first output item carries `json.error`; loops; several inputs; an AI agent calling
 * the tool again) runs it in the same process as the first run — in queue mode, on the worker that runs the
 * execution. So the ledger is keyed by execution id, and it is not dropped when a run returns: n8n may re-run a
 * node that returned normally. A retried execution (mode `retry`) is a new execution: it looks back at every
 * execution of its workflow that this process remembers.
 *
 * Bounds: entries older than MAX_AGE_MS or beyond MAX_ENTRIES (oldest first) are forgotten. Each entry is small
 * (a 43-character key, a few numbers and the API's short answer), so the size bound keeps the memory well under
 * what 10,000 items of one execution cost n8n itself.
 */
import type { IDataObject } from 'n8n-workflow';

/** Where a message was sent from: the node, its run in the execution, and the item. */
export interface SendSite {
	nodeName: string;
	runIndex: number;
	itemIndex: number;
}

/** What happened to a message the API may have received. */
export type LedgerOutcome =
	| { kind: 'sent'; json: IDataObject }
	| { kind: 'uncertain'; message: string; description: string; httpCode?: string };

export interface LedgerEntry {
	executionId: string;
	site: SendSite;
	/** When the request was made (epoch ms). */
	at: number;
	/** The recipient as people read it (public ID, URN or conversation URN). */
	recipient: string;
	outcome: LedgerOutcome;
}

/** The execution a lookup is made for. */
export interface LedgerScope {
	executionId: string;
	workflowId: string;
	/** True for a retried execution: it also answers for what earlier executions of the workflow sent. */
	lookBack: boolean;
}

export const MAX_ENTRIES = 50_000;
export const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_EXHAUSTED = 10_000;
const SEPARATOR = '\u0000';

/** Entries of each execution, oldest first (a Map keeps insertion order; a write moves the key to the end). */
const byExecution = new Map<string, LedgerEntry>();
/** The latest entry of each message per workflow: what a retried execution looks back at. */
const byWorkflow = new Map<string, LedgerEntry>();
/** Messages being sent right now, so that a concurrent call for the same message waits for the outcome. */
const inFlight = new Map<string, Promise<void>>();
/** Until when (epoch ms) an account is out of quota, per execution, and whether a 429 said so. */
const exhausted = new Map<string, ExhaustedAccount>();

/** An account out of quota: until when, and whether it got a 429 or the last success said 0 remaining. */
export interface ExhaustedAccount {
	until: number;
	noneLeft: boolean;
	/** The 429 named a `holdUntil` later than the reset: `until` is that hold's end (LinkedIn's temporary hold). */
	held?: true;
}

function trim<T>(map: Map<string, T>, max: number, isOld: (value: T) => boolean): void {
	for (const [key, value] of map) {
		if (map.size <= max && !isOld(value)) break;
		map.delete(key);
	}
}

function put(map: Map<string, LedgerEntry>, key: string, entry: LedgerEntry, now: number): void {
	map.delete(key);
	map.set(key, entry);
	trim(map, MAX_ENTRIES, (old) => now - old.at > MAX_AGE_MS);
}

function fresh(entry: LedgerEntry | undefined, now: number): LedgerEntry | undefined {
	return entry !== undefined && now - entry.at <= MAX_AGE_MS ? entry : undefined;
}

/** What the ledger knows of this message for this execution, or undefined when it may be sent. */
export function lookUp(
	scope: LedgerScope,
	messageKey: string,
	now: number,
): LedgerEntry | undefined {
	const own = fresh(byExecution.get(scope.executionId + SEPARATOR + messageKey), now);
	if (own || !scope.lookBack || scope.workflowId === '') return own;
	const earlier = fresh(byWorkflow.get(scope.workflowId + SEPARATOR + messageKey), now);
	return earlier && earlier.executionId !== scope.executionId ? earlier : undefined;
}

/**
 * Runs `send` as the only send of this message in this execution at a time: a second call for the same message
 * (an agent's parallel tool calls) waits until the first has an outcome, then asks the ledger again.
 */
export async function oneSendAtATime<T>(
	scope: LedgerScope,
	messageKey: string,
	send: () => Promise<T>,
): Promise<T> {
	const key = scope.executionId + SEPARATOR + messageKey;
	for (let pending = inFlight.get(key); pending; pending = inFlight.get(key)) await pending;
	let done!: () => void;
	inFlight.set(
		key,
		new Promise<void>((resolve) => {
			done = resolve;
		}),
	);
	try {
		return await send();
	} finally {
		inFlight.delete(key);
		done();
	}
}

/** Records an outcome that forbids sending the message again. */
export function record(scope: LedgerScope, messageKey: string, entry: LedgerEntry): void {
	put(byExecution, scope.executionId + SEPARATOR + messageKey, entry, entry.at);
	if (scope.workflowId !== '')
		put(byWorkflow, scope.workflowId + SEPARATOR + messageKey, entry, entry.at);
}

/** Whether (and until when) an account is known to be out of quota in this execution. */
export function exhaustedAccount(
	executionId: string,
	account: string,
	now: number,
): ExhaustedAccount | undefined {
	const key = executionId + SEPARATOR + account;
	const known = exhausted.get(key);
	if (known === undefined) return undefined;
	if (known.until > now) return known;
	exhausted.delete(key);
	return undefined;
}

export function rememberExhausted(
	executionId: string,
	account: string,
	state: ExhaustedAccount,
): void {
	const key = executionId + SEPARATOR + account;
	exhausted.delete(key);
	exhausted.set(key, state);
	trim(exhausted, MAX_EXHAUSTED, () => false);
}

/** For tests and benchmarks: forget everything. */
export function clearLedger(): void {
	byExecution.clear();
	byWorkflow.clear();
	exhausted.clear();
}

/** For tests and benchmarks: how many messages are remembered, over all executions. */
export function ledgerSize(): number {
	return byExecution.size;
}
