/**
 * "Is a conversation there already?" — "Only If No Conversation Yet": asks ConnectSafely whether the account
 * already talks with the person (one read call). Skips the item when it does; fails it when the check failed
 * (nothing was sent). Applies only with the option on (the plan's `conversationCheck`).
 */
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import { conversationWith } from '../../transport/conversationCheck';
import type { PlannedSend } from '../plan';
import { accountName, GO, type GuardAnswer, type GuardContext, type SendGuard } from './guard';

export class ExistingConversationGuard implements SendGuard {
	constructor(private readonly context: GuardContext) {}

	appliesTo(plan: PlannedSend): boolean {
		return plan.conversationCheck !== undefined;
	}

	async check(plan: PlannedSend, itemIndex: number): Promise<GuardAnswer> {
		const { ctx, connection, node } = this.context;
		const profileId = plan.conversationCheck?.profileId ?? '';
		let answer: IDataObject;
		try {
			answer = await conversationWith(ctx, connection, profileId, plan.body.accountId, itemIndex);
		} catch (caught) {
			const error =
				caught instanceof NodeApiError
					? caught
					: new NodeApiError(node, { check: String(caught) } as JsonObject, { itemIndex });
			error.description =
				`${error.description ?? ''} "Only If No Conversation Yet" could not check, so nothing was sent.`.trim();
			return { kind: 'fail', failure: { kind: 'rejected', error } };
		}
		if (answer.hasConversation !== true) return GO;
		return {
			kind: 'skip',
			item: {
				json: {
					skipped: true,
					reason: `Not sent: ${accountName(plan.accountKey)} already has a conversation with ${profileId} ("Only If No Conversation Yet" is on)`,
					recipient: profileId,
					conversationUrn: answer.conversationUrn ?? null,
				},
				pairedItem: { item: itemIndex },
			},
		};
	}
}
