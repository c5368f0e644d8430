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
 *   n8n loads it per request and writes it back whole after the execution is queued, so two calls that
 *   load it before either saves keep only the last saver's record (last writer wins).
 *
 * What the node does against that last-writer-wins save (n8n gives it no way to re-read before the save):
 * - every record written to the static data is the union of the process's memory and what was loaded, so a
 *   call saves every message this process has seen, not only its own;
 * - a record is also added to the static data of the calls this process has loaded and not yet saved (n8n
 *   saves the very object the node was given), so whichever call saves last carries every record;
 * - what a call loads joins the memory, so this process never drops another process's records later.
 * In one n8n process (or one `n8n webhook` process) nothing is lost then. Across several webhook processes,
 * two records made at the same moment on two processes still overwrite each other until each process's next
 * delivery puts its own back.
 */
export const REMEMBER_FOR_MS = 24 * 60 * 60 * 1000;
export const STATIC_DATA_LIMIT = 1000;
const MEMORY_LIMIT = 10_000;
/** How long a loaded static data may still be waiting for n8n's save (n8n saves after queueing the execution). */
const UNSAVED_FOR_MS = 60_000;
const UNSAVED_LIMIT = 100;

/** What this process knows of one trigger (a workflow's node). */
interface TriggerMemory {
	/** message URN → when it was first seen (ms), first recorded first */
	seen: Map<string, number>;
	/** the static data of recent calls, which n8n may not have saved yet */
	unsaved: Array<{ store: IDataObject; loadedAt: number }>;
}

const triggers = new Map<string, TriggerMemory>();

function memoryOf(key: string): TriggerMemory {
	let memory = triggers.get(key);
	if (memory === undefined) {
		memory = { seen: new Map(), unsaved: [] };
		triggers.set(key, memory);
	}
	return memory;
}

function forgetOld(memory: TriggerMemory, now: number): void {
	for (const [urn, seenAt] of memory.seen) {
		if (memory.seen.size <= MEMORY_LIMIT && now - seenAt < REMEMBER_FOR_MS) break;
		memory.seen.delete(urn);
	}
	memory.unsaved = memory.unsaved
		.filter(({ loadedAt }) => now - loadedAt < UNSAVED_FOR_MS)
		.slice(-UNSAVED_LIMIT);
}

/** The static data's record: message URN → when it was first seen (ms), oldest first. */
function recentUrns(store: IDataObject, now: number): Array<[string, number]> {
	const recorded = store.messageUrns;
	if (typeof recorded !== 'object' || recorded === null || Array.isArray(recorded)) return [];
	return Object.entries(recorded as Record<string, unknown>)
		.filter((entry): entry is [string, number] => typeof entry[1] === 'number')
		.filter(([, seenAt]) => now - seenAt < REMEMBER_FOR_MS);
}

/** The newest STATIC_DATA_LIMIT URNs of the memory, oldest first: what the static data should hold. */
function recordOf(memory: TriggerMemory, now: number): Record<string, number> {
	const recent = [...memory.seen].filter(([, seenAt]) => now - seenAt < REMEMBER_FOR_MS);
	recent.sort((a, b) => a[1] - b[1]);
	return Object.fromEntries(recent.slice(-STATIC_DATA_LIMIT));
}

/**
 * Adds one record to the static data of a call that may not be saved yet: in place, so it costs the same
 * however long the record is (a call's record may so exceed the limit by the calls after it, until the next
 * write trims it); assigning it again marks the static data changed for n8n.
 */
function addTo(store: IDataObject, messageUrn: string, now: number): void {
	const recorded = store.messageUrns;
	if (typeof recorded !== 'object' || recorded === null || Array.isArray(recorded)) {
		store.messageUrns = { [messageUrn]: now };
		return;
	}
	const record = recorded as IDataObject;
	if (record[messageUrn] !== undefined) return;
	record[messageUrn] = now;
	store.messageUrns = record;
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
	const memory = memoryOf(`${context.getWorkflow().id ?? ''}\u0000${context.getNode().id}`);
	const store = context.getWorkflowStaticData('node');
	const loaded = recentUrns(store, now);
	// What other calls and processes recorded: known here from now on, so no later write of ours drops it.
	for (const [urn, seenAt] of loaded) if (!memory.seen.has(urn)) memory.seen.set(urn, seenAt);

	const seenAt = memory.seen.get(messageUrn);
	const seen = seenAt !== undefined && now - seenAt < REMEMBER_FOR_MS;
	if (!seen) {
		memory.seen.delete(messageUrn);
		memory.seen.set(messageUrn, now);
		for (const call of memory.unsaved) addTo(call.store, messageUrn, now);
	}
	forgetOld(memory, now);

	// Written when the memory knows a URN the loaded record lacks: this message, or one another write dropped.
	const record = recordOf(memory, now);
	const loadedUrns = new Set(loaded.map(([urn]) => urn));
	if (Object.keys(record).some((urn) => !loadedUrns.has(urn))) store.messageUrns = record;
	memory.unsaved.push({ store, loadedAt: now });
	return !seen;
}
