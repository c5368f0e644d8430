/**
 * "Has this execution sent it, or may it have?" The send ledger (sendLedger.ts) answers for every message this
 * execution (or, for a retried execution, an earlier one) sent or may have sent: such a message is never sent
 * again — not by a re-run of the node (Retry On Fail), another item, another run, or another tool call. It always
 * applies. The runner writes the ledger when it makes the call; this guard only reads it.
 */
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import type { PlannedSend } from '../plan';
import { lookUp, type LedgerEntry } from '../sendLedger';
import { GO, type GuardAnswer, type GuardContext, type SendGuard } from './guard';

export class ExecutionLedgerGuard implements SendGuard {
	constructor(private readonly context: GuardContext) {}

	appliesTo(): boolean {
		return true;
	}

	check(plan: PlannedSend, itemIndex: number): GuardAnswer {
		const earlier = lookUp(this.context.run.scope, plan.messageKey, Date.now());
		return earlier ? this.answerFromLedger(earlier, itemIndex) : GO;
	}

	/** What the ledger answers for a message this execution (or, for a retry, an earlier one) sent or may have sent. */
	private answerFromLedger(earlier: LedgerEntry, itemIndex: number): GuardAnswer {
		const { scope, nodeName, runIndex } = this.context.run;
		const site = earlier.site;
		const ownExecution = earlier.executionId === scope.executionId;
		const sameItem =
			ownExecution &&
			site.nodeName === nodeName &&
			site.runIndex === runIndex &&
			site.itemIndex === itemIndex;
		const where = !ownExecution
			? `in execution ${earlier.executionId} of this workflow`
			: sameItem
				? 'in an earlier try of this execution'
				: `earlier in this execution (node "${site.nodeName}", item ${site.itemIndex}${site.runIndex > 0 ? `, run ${site.runIndex + 1}` : ''})`;

		// Within this execution a message that may have gone out stays an error, as when it first failed.
		if (earlier.outcome.kind === 'uncertain' && ownExecution) {
			const { outcome } = earlier;
			const error = new NodeApiError(
				this.context.node,
				{ repeated: outcome.message } as JsonObject,
				{
					message: `${outcome.message} (${sameItem ? 'an earlier try of this execution' : `the same message, ${where}`}; not sent again)`,
					description: outcome.description,
					httpCode: outcome.httpCode,
					itemIndex,
				},
			);
			return { kind: 'fail', failure: { kind: 'uncertain', error } };
		}
		// Retry On Fail re-running this very item: its earlier answer, as if the try had just sent it.
		if (sameItem && earlier.outcome.kind === 'sent') {
			return {
				kind: 'skip',
				item: { json: earlier.outcome.json, pairedItem: { item: itemIndex } },
				alreadySent: true,
			};
		}
		// Another item, run or tool call — or a retried execution, which is meant to finish what failed: an item.
		const sentAt = new Date(earlier.at).toISOString();
		const recipient = earlier.recipient || 'this recipient';
		const json: IDataObject = {
			skipped: true,
			reason:
				earlier.outcome.kind === 'sent'
					? `Not sent: the same message went to ${recipient} at ${sentAt}, ${where}`
					: `Not sent: the same message may have gone out to ${recipient} at ${sentAt}, ${where} (${earlier.outcome.message}). Check the conversation on LinkedIn`,
			recipient: earlier.recipient,
			sentAt,
			executionId: earlier.executionId,
			sentBy: { node: site.nodeName, item: site.itemIndex, run: site.runIndex },
		};
		if (earlier.outcome.kind === 'sent') json.response = earlier.outcome.json;
		else json.uncertain = true;
		return { kind: 'skip', item: { json, pairedItem: { item: itemIndex } } };
	}
}
