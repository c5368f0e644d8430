import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

/**
 * Once per message. ConnectSafely delivers an event up to 3 times (at once, ~10 s and ~20 s after a failed
 * attempt) in no guaranteed order; a message URN seen before starts no execution. Two stores, because
 * n8n offers webhook nodes no deduplication helper (`checkProcessedAndRecord` exists only for nodes that
 * execute):
 *
 * - this process's memory: a check and a record with no `await` between them, so deliveries that arrive
 *   at the same moment on one n8n process cannot both pass;
 * - the workflow's static data (n8n stores it with the workflow in its database and saves it right after
 *   the webhook answers): survives restarts and is seen by every webhook process of a queue-mode setup.
 *   n8n reads it once per request and writes it back whole, so two processes writing at the same moment
 *   keep only one of their records.
 */
export const REMEMBER_FOR_MS = 24 * 60 * 60 * 1000;
export const STATIC_DATA_LIMIT = 1000;
const MEMORY_LIMIT = 10_000;

const seenInThisProcess = new Map<string, number>();

function forgetOldInMemory(now: number): void {
	for (const [key, seenAt] of seenInThisProcess) {
		if (seenInThisProcess.size <= MEMORY_LIMIT && now - seenAt < REMEMBER_FOR_MS) break;
		seenInThisProcess.delete(key);
	}
}

/** The static data's record: message URN → when it was first seen (ms), oldest first. */
function recentUrns(store: IDataObject, now: number): Array<[string, number]> {
	const recorded = store.messageUrns;
	if (typeof recorded !== 'object' || recorded === null || Array.isArray(recorded)) return [];
	return Object.entries(recorded as Record<string, unknown>)
		.filter((entry): entry is [string, number] => typeof entry[1] === 'number')
		.filter(([, seenAt]) => now - seenAt < REMEMBER_FOR_MS);
}

/**
 * True the first time this trigger sees the message URN, false for a redelivery. Records it at once.
 * Synchronous on purpose: nothing may run between the check and the record.
 */
export function isFirstDelivery(
	context: IWebhookFunctions,
	messageUrn: string,
	now = Date.now(),
): boolean {
	const memoryKey = `${context.getWorkflow().id ?? ''}\u0000${context.getNode().id}\u0000${messageUrn}`;
	const store = context.getWorkflowStaticData('node');
	const recent = recentUrns(store, now);
	const inStaticData = recent.some(([urn]) => urn === messageUrn);
	// The memory holds when the message was first seen, and counts only within the window, as the static data does.
	const seenAt = seenInThisProcess.get(memoryKey);
	const inMemory = seenAt !== undefined && now - seenAt < REMEMBER_FOR_MS;
	const seen = inStaticData || inMemory;

	if (!inMemory) {
		seenInThisProcess.delete(memoryKey);
		seenInThisProcess.set(memoryKey, now);
		forgetOldInMemory(now);
	}
	// Also when only the memory knew it: puts back a record another process's write dropped.
	if (!inStaticData) {
		recent.push([messageUrn, now]);
		store.messageUrns = Object.fromEntries(recent.slice(-STATIC_DATA_LIMIT));
	}
	return !seen;
}
