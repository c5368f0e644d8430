/**
 * "Did they reply?" — "Only If They Haven't Replied": looks at the account's conversation with the person and skips
 * the item when the person wrote in it (since the time given, or ever). Calls per item: the exists check, then —
 * only when a conversation is there — its messages, newest first, a page of 50 at a time, until a message from the
 * person turns up or the messages (since the time given) end. No conversation: the item goes on. A failed check
 * fails the item: nothing is sent. Applies only with the option on (the plan's `replyCheck`).
 */
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import { readMessagesPage } from '../../transport/conversationMessages';
import { conversationWith } from '../../transport/conversationCheck';
import type { PlannedSend } from '../plan';
import { accountName, GO, type GuardAnswer, type GuardContext, type SendGuard } from './guard';

const OPTION = "Only If They Haven't Replied";
const PAGE_SIZE = 50;
/**
 * How far back the check reads: 10 pages, the newest 500 messages (since the time given). A conversation that long
 * in which the person never wrote is not one a sequence should guess about: the item fails, nothing is sent.
 */
const MAX_PAGES = 10;

/** A failed check: the item fails, with the reason first and what it means for the send after. */
class CheckFailed extends Error {}

export class NotRepliedGuard implements SendGuard {
	constructor(private readonly context: GuardContext) {}

	appliesTo(plan: PlannedSend): boolean {
		return plan.replyCheck !== undefined;
	}

	async check(plan: PlannedSend, itemIndex: number): Promise<GuardAnswer> {
		const { profileId, since } = plan.replyCheck ?? { profileId: '' };
		let conversationUrn: string | undefined;
		let reply: IDataObject | undefined;
		try {
			const exists = await conversationWith(
				this.context.ctx,
				this.context.connection,
				profileId,
				plan.body.accountId,
				itemIndex,
			);
			if (exists.hasConversation !== true) return GO;
			if (typeof exists.conversationUrn !== 'string' || exists.conversationUrn === '') {
				throw new CheckFailed(
					'ConnectSafely said a conversation exists but named no conversationUrn to read',
				);
			}
			conversationUrn = exists.conversationUrn;
			reply = await this.latestReply(plan, conversationUrn, since, itemIndex);
		} catch (caught) {
			return this.failed(caught, itemIndex);
		}
		if (reply === undefined) return GO;
		const sentAt = epochMs(reply.sentAt);
		const repliedAt = sentAt === undefined ? null : new Date(sentAt).toISOString();
		const window = since === undefined ? '' : ` since ${new Date(since).toISOString()}`;
		return {
			kind: 'skip',
			item: {
				json: {
					skipped: true,
					reason: `Not sent: ${profileId} replied to ${accountName(plan.accountKey)}${window} ("${OPTION}" is on)`,
					recipient: profileId,
					conversationUrn,
					repliedAt,
				},
				pairedItem: { item: itemIndex },
			},
		};
	}

	/** The person's newest message in the conversation (since `since`), or undefined when they wrote none. */
	private async latestReply(
		plan: PlannedSend,
		conversationUrn: string,
		since: number | undefined,
		itemIndex: number,
	): Promise<IDataObject | undefined> {
		let cursor: string | undefined;
		// The API's `since` reads "newer than": one millisecond earlier keeps a reply sent at the very time given.
		const after = since === undefined ? undefined : since - 1;
		for (let page = 0; page < MAX_PAGES; page++) {
			const body = await readMessagesPage(
				this.context.ctx,
				this.context.connection,
				{ conversationUrn, accountId: plan.body.accountId, since: after, cursor, count: PAGE_SIZE },
				itemIndex,
			);
			if (!Array.isArray(body.messages)) {
				throw new CheckFailed("ConnectSafely's answer listed no messages");
			}
			for (const message of body.messages as unknown[]) {
				if (!isObject(message) || message.isSentByOwner !== false) continue;
				// The API's `since` is applied again here, in case a page reaches further back than asked.
				const sentAt = epochMs(message.sentAt);
				if (since === undefined || sentAt === undefined || sentAt >= since) return message;
			}
			const next = body.cursor;
			const more = body.hasMore === true && typeof next === 'string' && next !== '';
			if (!more || next === cursor || body.messages.length === 0) return undefined;
			cursor = next;
		}
		throw new CheckFailed(
			`the person wrote nothing in the newest ${MAX_PAGES * PAGE_SIZE} messages of the conversation and older ones were not read. Set "Only If They Haven't Replied Since" to the start of your sequence to check only since then`,
		);
	}

	private failed(caught: unknown, itemIndex: number): GuardAnswer {
		const { node } = this.context;
		const error =
			caught instanceof NodeApiError
				? caught
				: new NodeApiError(node, { check: String(caught) } as JsonObject, {
						message: `${OPTION} could not check: ${caught instanceof Error ? caught.message : String(caught)}`,
						itemIndex,
					});
		error.description =
			`${error.description ?? ''} "${OPTION}" could not check, so nothing was sent.`.trim();
		return { kind: 'fail', failure: { kind: 'rejected', error } };
	}
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A message's `sentAt` as epoch ms (the API gives a number; an ISO text is read too). */
function epochMs(value: unknown): number | undefined {
	const ms =
		typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isFinite(ms) ? ms : undefined;
}
