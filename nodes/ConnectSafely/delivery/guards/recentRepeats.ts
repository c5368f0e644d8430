/**
 * "Did this workflow send it in the last hours?" — Repeat Protection (node version 1.1, on by default): a
 * production execution does not send a message identical (messageIdentity.ts) to one this workflow sent, or may have
 * sent, in the last "Repeat Protection Window (Hours)". The repeat is a skipped item. It catches what the execution
 * ledger cannot: two executions for one event (a webhook sender retrying, n8n starting two executions for one call,
 * a double-click, an overlapping schedule). docs/never-twice.md says what holds where.
 *
 * - Production is every execution mode but the editor's `manual`: trigger, webhook, schedule, retry, sub-workflows,
 *   CLI, and n8n's evaluations too (an evaluation sends real messages to real people). Manual sends neither check
 *   nor record, so testing with your own profile stays easy.
 * - One n8n process: exact. The sends of one message across executions are made one at a time: `check` waits until
 *   an earlier execution's send of it has its outcome (told in `afterSend`), then looks at the process's memory
 *   (repeatMemory.ts), with nothing in between.
 * - After a restart, and across queue-mode workers: n8n's deduplication store (repeatStore.ts), hour-rounded.
 * - Sent and maybe-sent (timeout, 5xx, broken connection, stopped) count; a definite refusal, or an item a later
 *   guard held back, does not.
 * Applies for version 1.1 in production with a window above 0 (the plan's `repeatWindowHours`).
 */
import {
	NodeApiError,
	type IDataObject,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import type { PlannedSend } from '../plan';
import { recentSendOf, rememberRecentSend, repeatClock, type RecentSend } from '../repeatMemory';
import { hourOf, RepeatStore } from '../repeatStore';
import { lookUp } from '../sendLedger';
import { GO, type GuardAnswer, type GuardContext, type SendGuard, type SendOutcome } from './guard';

const HOUR_MS = 60 * 60 * 1000;
const SEPARATOR = '\u0000';

/** The send of each message (per workflow) under way in this process, for the next execution's to wait on. */
const sending = new Map<string, Promise<void>>();

/** Waits until no other execution of this process is sending the message, then holds it until `release()`. */
async function holdMessage(key: string): Promise<() => void> {
	for (let pending = sending.get(key); pending; pending = sending.get(key)) await pending;
	let done!: () => void;
	const held = new Promise<void>((resolve) => {
		done = resolve;
	});
	sending.set(key, held);
	return () => {
		if (sending.get(key) === held) sending.delete(key);
		done();
	};
}

/** An item this guard let through: what to undo or record when its outcome is told. */
interface Passed {
	release: () => void;
	/** The store's reservation for this send, released when surely nothing went out. */
	reservation?: string;
	checkedAt: number;
}

export class RecentRepeatsGuard implements SendGuard {
	/** False for version 1, a manual execution, or a workflow without an id: then the guard never applies. */
	private readonly applies: boolean;
	private readonly store: RepeatStore | undefined;
	private readonly passed = new Map<number, Passed>();

	constructor(private readonly context: GuardContext) {
		const { ctx, run } = context;
		this.applies =
			ctx.getNode().typeVersion >= 1.1 && ctx.getMode() !== 'manual' && run.scope.workflowId !== '';
		this.store = this.applies && RepeatStore.availableIn(ctx) ? new RepeatStore(ctx) : undefined;
	}

	appliesTo(plan: PlannedSend): boolean {
		return this.applies && plan.repeatWindowHours > 0;
	}

	async check(plan: PlannedSend, itemIndex: number): Promise<GuardAnswer> {
		const { scope } = this.context.run;
		const release = await holdMessage(scope.workflowId + SEPARATOR + plan.messageKey);
		let answer: GuardAnswer | undefined;
		try {
			answer = await this.ask(plan, itemIndex, release);
			return answer;
		} finally {
			// Held only for an item that goes on: `afterSend` lets go of it.
			if (answer?.kind !== 'go') release();
		}
	}

	private async ask(
		plan: PlannedSend,
		itemIndex: number,
		release: () => void,
	): Promise<GuardAnswer> {
		const { scope } = this.context.run;
		const now = repeatClock.now();
		const remembered = recentSendOf(scope.workflowId, plan.messageKey);
		// This execution's own sends are the execution ledger's to answer.
		const earlier = remembered?.executionId === scope.executionId ? undefined : remembered;
		if (earlier && now - earlier.at < plan.repeatWindowHours * HOUR_MS) {
			return { kind: 'skip', item: this.fromMemory(earlier, plan, itemIndex) };
		}

		let reservation: string | undefined;
		// With "Skip Recipients Already Messaged" on, its own record in the same store already blocks every repeat,
		// for good: a second record per send would only halve how many recipients it remembers.
		if (this.store && plan.duplicateCheck === undefined) {
			let found;
			try {
				// Hours up to this process's own earlier send (older than the window) are explained by it.
				found = await this.store.checkAndReserve(
					plan.messageKey,
					plan.repeatWindowHours,
					now,
					earlier === undefined ? undefined : hourOf(earlier.at),
				);
			} catch (error) {
				return {
					kind: 'fail',
					failure: { kind: 'rejected', error: this.storeError(error, itemIndex) },
				};
			}
			if (found.kind === 'sent') {
				return { kind: 'skip', item: this.fromStore(found.hours, plan, itemIndex) };
			}
			if (found.kind === 'beingSent')
				return { kind: 'skip', item: this.beingSent(plan, itemIndex) };
			reservation = found.reservation;
		}
		this.passed.set(itemIndex, { release, reservation, checkedAt: Date.now() });
		return GO;
	}

	async afterSend(plan: PlannedSend, itemIndex: number, outcome: SendOutcome): Promise<void> {
		const passed = this.passed.get(itemIndex);
		if (passed === undefined) return;
		this.passed.delete(itemIndex);
		try {
			if (outcome.kind === 'notSent') {
				// Nothing went out: a later execution may send it. If the store fails now, the message stays reserved
				// for the window: missed, never doubled.
				if (passed.reservation !== undefined) {
					await this.store?.release(passed.reservation).catch(() => undefined);
				}
				return;
			}
			rememberRecentSend(plan.messageKey, this.recentSend(plan, itemIndex, outcome, passed));
		} finally {
			passed.release();
		}
	}

	/** The send as the ledger wrote it when the call was made (or, without a trace there, as of now). */
	private recentSend(
		plan: PlannedSend,
		itemIndex: number,
		outcome: SendOutcome,
		passed: Passed,
	): RecentSend {
		const { scope, nodeName, runIndex } = this.context.run;
		const entry = lookUp({ ...scope, lookBack: false }, plan.messageKey, Date.now());
		const own = entry && entry.executionId === scope.executionId && entry.at >= passed.checkedAt;
		return {
			workflowId: scope.workflowId,
			executionId: scope.executionId,
			site: own ? entry.site : { nodeName, runIndex, itemIndex },
			at: own ? entry.at : Date.now(),
			recipient: plan.recipient,
			uncertain: outcome.kind === 'uncertain',
		};
	}

	private fromMemory(
		earlier: RecentSend,
		plan: PlannedSend,
		itemIndex: number,
	): INodeExecutionData {
		const sentAt = new Date(earlier.at).toISOString();
		const recipient = earlier.recipient || 'this recipient';
		const what = earlier.uncertain
			? `the same message may have gone out to ${recipient}`
			: `the same message went to ${recipient}`;
		const json: IDataObject = {
			skipped: true,
			reason: `Not sent: ${what} at ${sentAt}, in execution ${earlier.executionId} of this workflow (Repeat Protection: ${windowText(plan)})${earlier.uncertain ? '. Check the conversation on LinkedIn' : ''}`,
			recipient: earlier.recipient,
			sentAt,
			executionId: earlier.executionId,
			sentBy: {
				node: earlier.site.nodeName,
				item: earlier.site.itemIndex,
				run: earlier.site.runIndex,
			},
			repeatWindowHours: plan.repeatWindowHours,
		};
		if (earlier.uncertain) json.uncertain = true;
		return { json, pairedItem: { item: itemIndex } };
	}

	private fromStore(hours: number[], plan: PlannedSend, itemIndex: number): INodeExecutionData {
		const latest = Math.max(...hours);
		const from = new Date(latest * HOUR_MS).toISOString();
		const to = new Date((latest + 1) * HOUR_MS).toISOString();
		return {
			json: {
				skipped: true,
				reason: `Not sent: this workflow sent (or may have sent) the same message to ${plan.recipient || 'this recipient'} between ${from} and ${to} (Repeat Protection: ${windowText(plan)}; remembered in n8n's deduplication store)`,
				recipient: plan.recipient,
				sentAt: null,
				sentBetween: { from, to },
				executionId: null,
				repeatWindowHours: plan.repeatWindowHours,
			},
			pairedItem: { item: itemIndex },
		};
	}

	private beingSent(plan: PlannedSend, itemIndex: number): INodeExecutionData {
		return {
			json: {
				skipped: true,
				reason: `Not sent: another execution of this workflow is sending the same message to ${plan.recipient || 'this recipient'} at this moment (Repeat Protection: ${windowText(plan)})`,
				recipient: plan.recipient,
				sentAt: null,
				executionId: null,
				repeatWindowHours: plan.repeatWindowHours,
			},
			pairedItem: { item: itemIndex },
		};
	}

	private storeError(error: unknown, itemIndex: number): NodeApiError {
		const said = error instanceof Error ? error.message : String(error);
		return new NodeApiError(this.context.node, { repeatProtection: said } as JsonObject, {
			message: `Repeat Protection could not use n8n's deduplication store: ${said}`,
			description:
				'Nothing was sent. Repeat Protection keeps its record in this workflow\'s deduplication history, which must keep items by value ("entries"): set any Remove Duplicates node of this workflow with the workflow scope to "Value Is New", or clear the history (Remove Duplicates → Clear Deduplication History, scope Workflow). Or set "Repeat Protection Window (Hours)" to 0 to turn the protection off.',
			itemIndex,
		});
	}
}

function windowText(plan: PlannedSend): string {
	return `the same message within ${plan.repeatWindowHours} h is sent once`;
}
