/**
 * Repeat Protection's memory in this n8n process: the latest production send (or maybe-send) of each message,
 * per workflow, with its time. Manual executions never write here (guards/recentRepeats.ts decides), so a test from the
 * editor blocks nothing. Same bounds as the send ledger: 50,000 messages, 7 days (the window's maximum).
 * Imports nothing of the node's but the ledger's bounds.
 */
import { MAX_AGE_MS, MAX_ENTRIES, type SendSite } from './sendLedger';

export interface RecentSend {
	workflowId: string;
	executionId: string;
	site: SendSite;
	/** When the request was made (epoch ms). */
	at: number;
	recipient: string;
	/** True when the outcome is unknown (timeout, 5xx, broken connection, stopped): it may have gone out. */
	uncertain: boolean;
}

const SEPARATOR = '\u0000';
/** Oldest first (a write moves the key to the end), so trimming stops at the first young entry. */
const latest = new Map<string, RecentSend>();

/** A clock of this module's own, so that tests can move the window without faking n8n's. */
export const repeatClock = { now: (): number => Date.now() };

export function recentSendOf(workflowId: string, messageKey: string): RecentSend | undefined {
	const found = latest.get(workflowId + SEPARATOR + messageKey);
	return found !== undefined && repeatClock.now() - found.at <= MAX_AGE_MS ? found : undefined;
}

export function rememberRecentSend(messageKey: string, send: RecentSend): void {
	const key = send.workflowId + SEPARATOR + messageKey;
	latest.delete(key);
	latest.set(key, send);
	const now = repeatClock.now();
	for (const [oldKey, old] of latest) {
		if (latest.size <= MAX_ENTRIES && now - old.at <= MAX_AGE_MS) break;
		latest.delete(oldKey);
	}
}

/** For tests: what a restart of n8n does to this memory. */
export function clearRecentSends(): void {
	latest.clear();
}
