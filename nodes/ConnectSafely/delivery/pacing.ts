/**
 * "Pause Between Messages": a random pause between two sends of one account, with the accounts side by side, so
 * that one account's pause never holds back another account's messages. Only a run with the option comes here:
 * without it the items go out one by one, in input order, and nothing here runs.
 *
 * Each account's items form a lane, sent in input order; the lanes run concurrently and the node writes each
 * output by its index, so the output keeps the input order. What stays as safe as a run in order:
 * - Nothing twice: the same message always has the same account (messageIdentity.ts), so it stays in one lane and
 *   its sends stay one after the other; the ledger's per-message lock and the deduplication store's queue hold.
 * - The first failure the node stops at (without Continue On Fail) or a stopped execution stops every lane before
 *   its next item, and ends its pauses and rate-limit waits at once. A request already out is never aborted for
 *   it, and the node returns only when every lane has settled: every send is in the ledger before n8n can run the
 *   node again.
 */
import { ManualExecutionCancelledError, sleepWithAbort } from 'n8n-workflow';

import type { PauseBounds } from '../inputs/pauseBounds';
import type { PlannedSend } from './plan';

/** One account's items: input indexes, in input order. */
export type Lane = number[];

/** A planned send, or the error of an item refused before sending. */
type ItemPlan = PlannedSend | Error;

function pauses(plan: ItemPlan): boolean {
	return !(plan instanceof Error) && plan.pause !== undefined;
}

/** The lanes of a run with "Pause Between Messages", or undefined when no item pauses. */
export function accountLanes(plans: readonly ItemPlan[]): Lane[] | undefined {
	if (!plans.some(pauses)) return undefined;
	const lanes = new Map<string, Lane>();
	plans.forEach((plan, itemIndex) => {
		// An item refused before sending makes no call: any lane will do.
		const account = plan instanceof Error ? '' : plan.accountKey;
		const lane = lanes.get(account);
		if (lane) lane.push(itemIndex);
		else lanes.set(account, [itemIndex]);
	});
	return [...lanes.values()];
}

/** A pause drawn evenly between the bounds; fixed when they are equal. */
export function drawPause({ minMs, maxMs }: PauseBounds): number {
	return minMs + Math.random() * (maxMs - minMs);
}

export class Pacing {
	/** When each account's last request ended (epoch ms): its next pause counts from there. */
	private readonly lastCallEnded = new Map<string, number>();
	private readonly stopping = new AbortController();
	private readonly unlink: () => void;

	constructor(
		cancel: AbortSignal | undefined,
		/** How many accounts send side by side. */
		readonly laneCount: number,
	) {
		const stop = () => this.stopping.abort();
		if (cancel?.aborted) stop();
		else cancel?.addEventListener('abort', stop, { once: true });
		this.unlink = () => cancel?.removeEventListener('abort', stop);
	}

	/** Fires when the execution is stopped, or when a lane failed and the node is stopping. */
	get signal(): AbortSignal {
		return this.stopping.signal;
	}

	/** Once the run is stopping, no lane starts another item. */
	throwIfStopping(): void {
		if (this.stopping.signal.aborted) throw new ManualExecutionCancelledError('');
	}

	/**
	 * Waits out the pause before a send: none before the account's first, and only what is left of it after time
	 * spent otherwise (a rate-limit wait counts toward it, so the two are never added).
	 */
	async beforeSend(plan: PlannedSend): Promise<void> {
		this.throwIfStopping();
		const last = this.lastCallEnded.get(plan.accountKey);
		if (plan.pause === undefined || last === undefined) return;
		const ms = last + drawPause(plan.pause) - Date.now();
		if (ms > 0) await sleepWithAbort(ms, this.stopping.signal);
	}

	/** A request of this account got its answer (or failed): the next pause starts now. */
	afterCall(accountKey: string): void {
		this.lastCallEnded.set(accountKey, Date.now());
	}

	/** Runs the lanes side by side. The first failure stops the others; it is thrown once all have settled. */
	async run(lanes: Lane[], sendLane: (lane: Lane) => Promise<void>): Promise<void> {
		let failure: { error: unknown } | undefined;
		try {
			await Promise.all(
				lanes.map(async (lane) => {
					try {
						await sendLane(lane);
					} catch (error) {
						failure ??= { error };
						this.stopping.abort();
					}
				}),
			);
		} finally {
			this.unlink();
		}
		if (failure) throw failure.error;
	}
}
