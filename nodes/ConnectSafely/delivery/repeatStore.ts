/**
 * Repeat Protection's record in n8n's deduplication store (workflow scope, mode "entries": the record that
 * "Skip Recipients Already Messaged" and a Remove Duplicates node set to the workflow scope use), so that a repeat
 * arriving after a restart, or on another queue-mode worker, is still caught.
 *
 * The store keeps hashed values and no times, so time is in the keys: a send is recorded as its message plus the
 * hour it went out in (hour buckets). A check looks at the window's hours up to the current one: after a restart the
 * window is therefore rounded up to the next whole hour (a message stays blocked up to one hour longer).
 *
 * The store has no read-only check: a check records the keys it asks about, and the ones this send does not keep are
 * removed again. Its calls for one workflow are made one at a time in this process (duplicateGuard.ts).
 *
 * Across queue-mode workers nothing n8n offers is atomic: each call reads the workflow's one record, changes it and
 * writes it back, so two workers can both find a message new, and one can overwrite the other's write. A send
 * therefore also writes a claim of its own, waits a short random time, and reads the claim back: a lost claim means
 * another worker wrote meanwhile. If that worker reserved the same message, this one does not send.
 */
import { randomUUID } from 'crypto';

import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { oneAtATime } from './duplicateGuard';

const SCOPE = 'workflow';
const HOUR_MS = 60 * 60 * 1000;
/**
 * How many Repeat Protection records the workflow's store keeps, as "Remembered Recipients Limit" does by default;
 * a check adds the window's keys for a moment, so its trim leaves room for them.
 */
const KEPT_ENTRIES = 10_000;
/** The wait before reading the claim back: long against a database round trip, short against a send. */
const CLAIM_WAIT_MS = { min: 100, spread: 150 };
/** Reads of a claim another message's write overwrote, before sending anyway. */
const CLAIM_TRIES = 3;

export const hourOf = (time: number): number => Math.floor(time / HOUR_MS);

const sentKey = (messageKey: string, hour: number) => `connectsafely|repeat|${messageKey}|h${hour}`;

/** What the store says about a message for a send that is about to go out. */
export type StoreAnswer =
	/** Recorded in one of these hours (each within the window): a repeat. */
	| { kind: 'sent'; hours: number[] }
	/** Another execution (another worker) reserved the same message at this moment. */
	| { kind: 'beingSent' }
	/** New: reserved for this send (`reservation`), to be released if nothing goes out. */
	| { kind: 'reserved'; reservation: string };

export class RepeatStore {
	private readonly workflowId: string;

	constructor(private readonly ctx: IExecuteFunctions) {
		this.workflowId = String(ctx.getWorkflow().id ?? '');
	}

	/** Whether this n8n has a deduplication store (n8n 1.60 or newer). Without one, the memory alone protects. */
	static availableIn(ctx: IExecuteFunctions): boolean {
		const helpers = ctx.helpers as Partial<IExecuteFunctions['helpers']>;
		return (
			typeof helpers.checkProcessedAndRecord === 'function' &&
			typeof helpers.removeProcessed === 'function'
		);
	}

	/**
	 * Looks for the message in the window's hours and, when it is new, reserves it in the current hour. `known`
	 * says which hours this process's memory already explains (its own earlier send, outside the window): those
	 * are not repeats. Throws what the store throws.
	 */
	async checkAndReserve(
		messageKey: string,
		windowHours: number,
		now: number,
		explainedUpTo: number | undefined,
	): Promise<StoreAnswer> {
		const current = hourOf(now);
		const hours = Array.from({ length: windowHours + 1 }, (_, back) => current - back);
		const keys = hours.map((hour) => sentKey(messageKey, hour));
		const claim = `connectsafely|repeat-claim|${messageKey}|${randomUUID()}`;
		const result = await this.record([...keys, claim], windowHours);
		const found = new Set(result.processed.map(String));
		const added = keys.filter((key) => !found.has(key));
		const repeats = hours.filter(
			(hour, index) =>
				found.has(keys[index]) && (explainedUpTo === undefined || hour > explainedUpTo),
		);
		if (repeats.length > 0) {
			await this.remove([...added, claim]);
			return { kind: 'sent', hours: repeats };
		}
		const reservation = keys[0];
		// Only the current hour is kept; the other hours were asked about, not sent in.
		const unasked = added.filter((key) => key !== reservation);
		for (let tries = 1; ; tries++) {
			await sleep(CLAIM_WAIT_MS.min + Math.floor(Math.random() * CLAIM_WAIT_MS.spread));
			const readBack = await this.record([claim, reservation], windowHours);
			const kept = new Set(readBack.processed.map(String));
			if (kept.has(claim) || tries >= CLAIM_TRIES) {
				await this.remove([...unasked, claim]);
				return { kind: 'reserved', reservation };
			}
			// Our write was overwritten. If the message is reserved all the same, another worker reserved it.
			if (kept.has(reservation)) {
				await this.remove([...unasked, claim]);
				return { kind: 'beingSent' };
			}
			// Another message's write overwrote ours: the read-back recorded both again; read back once more.
		}
	}

	/** Frees a reservation whose message surely did not go out, so that a later execution can send it. */
	async release(reservation: string): Promise<void> {
		await this.remove([reservation]);
	}

	private async record(keys: string[], windowHours: number) {
		return await oneAtATime(
			this.workflowId,
			async () =>
				await this.ctx.helpers.checkProcessedAndRecord(keys, SCOPE, {
					mode: 'entries',
					maxEntries: KEPT_ENTRIES + windowHours + 2,
				}),
		);
	}

	private async remove(keys: string[]): Promise<void> {
		if (keys.length === 0) return;
		await oneAtATime(
			this.workflowId,
			async () =>
				await this.ctx.helpers.removeProcessed(keys, SCOPE, {
					mode: 'entries',
					maxEntries: KEPT_ENTRIES,
				}),
		);
	}
}
