/**
 * "Did this workflow message them?" — "Skip Recipients Already Messaged": reserves the recipient in n8n's
 * deduplication store (duplicateGuard.ts), or skips the item when this workflow messaged them before. What it
 * reserved it releases when surely nothing went out, and keeps when the message may have gone out: one missed
 * message is better than a duplicate. Applies only with the option on (the plan's `duplicateCheck`).
 */
import type { PlannedSend } from '../plan';
import { DuplicateGuard } from '../duplicateGuard';
import { GO, type GuardAnswer, type GuardContext, type SendGuard, type SendOutcome } from './guard';

export class AlreadyMessagedGuard implements SendGuard {
	private readonly store: DuplicateGuard;

	constructor(context: GuardContext) {
		this.store = new DuplicateGuard(context.ctx);
	}

	appliesTo(plan: PlannedSend): boolean {
		return plan.duplicateCheck !== undefined;
	}

	async check(plan: PlannedSend, itemIndex: number): Promise<GuardAnswer> {
		const check = plan.duplicateCheck;
		if (check === undefined || (await this.store.reserve(check, itemIndex))) return GO;
		return {
			kind: 'skip',
			item: {
				json: {
					skipped: true,
					reason: `Not sent: this workflow already messaged ${check.recipient} ("Skip Recipients Already Messaged" is on)`,
					recipient: check.recipient,
				},
				pairedItem: { item: itemIndex },
			},
		};
	}

	async afterSend(plan: PlannedSend, itemIndex: number, outcome: SendOutcome): Promise<void> {
		const check = plan.duplicateCheck;
		if (check === undefined || outcome.kind === 'sent') return;
		if (outcome.kind === 'uncertain') {
			const error = outcome.failure?.error;
			if (error) {
				error.description =
					`${error.description ?? ''} The recipient stays in this workflow's "already messaged" history, so later runs skip them.`.trim();
			}
			return;
		}
		// Surely not sent: free the reservation, so that a later run can. (After a stop, if n8n's store fails now,
		// the runner ignores it and the recipient stays reserved: missed, never doubled.)
		await this.store.release(check, itemIndex);
	}
}
