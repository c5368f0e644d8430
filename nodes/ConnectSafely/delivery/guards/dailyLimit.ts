/**
 * "Has the account reached the user's own daily limit?" — "Daily Limit per Account". It counts with ConnectSafely's
 * own number, so the limit holds across executions, workflows and workers: before an account's first send of the
 * run, the account's quota (`used` of the messaging feature, one read call); after that, `X-RateLimit-Used` from
 * each answer. An item beyond the limit is not now, until the window resets: the runner waits when "Max Wait for
 * Rate Limit" covers it, else the item fails like an item of an account out of quota. A quota read that fails
 * fails the account's items: nothing goes out uncounted. Applies only with the option set (the plan's
 * `dailyLimit`).
 */
import { NodeApiError, type JsonObject } from 'n8n-workflow';

import { fetchQuota, MESSAGE_FEATURE, messageQuota } from '../../transport/quota';
import { describeReset } from '../../transport/rateLimit';
import type { RateLimitInfo } from '../../transport/types';
import type { PlannedSend } from '../plan';
import {
	accountName,
	GO,
	type GuardAnswer,
	type GuardContext,
	type GuardFail,
	type SendGuard,
	type SendOutcome,
} from './guard';

const FIELD = '"Daily Limit per Account"';

/** What the run knows of an account's messages in the API's current window. */
interface AccountCount {
	used: number;
	/** When the window resets (epoch ms); undefined when the API named no time. */
	resetAt: number | undefined;
	/** The API's own numbers as last told, for the error item. */
	rateLimit: RateLimitInfo;
}

/** A quota read that failed: the account's later items in this run fail with the same words, without a new call. */
interface Unreadable {
	message: string;
	description: string;
	httpCode: string | null;
}

function parsedTime(text: string | undefined): number | undefined {
	const ms = text === undefined ? NaN : Date.parse(text);
	return Number.isFinite(ms) ? ms : undefined;
}

export class DailyLimitGuard implements SendGuard {
	private readonly counts = new Map<string, AccountCount>();
	private readonly unreadable = new Map<string, Unreadable>();

	constructor(private readonly context: GuardContext) {}

	appliesTo(plan: PlannedSend): boolean {
		return plan.dailyLimit !== undefined;
	}

	check(plan: PlannedSend, itemIndex: number): GuardAnswer | Promise<GuardAnswer> {
		const failed = this.unreadable.get(plan.accountKey);
		if (failed) return this.couldNotCheck(failed, itemIndex);
		const count = this.counts.get(plan.accountKey);
		// The first send of the account in this run, or its window reset since the last answer: ask the API.
		if (count === undefined || (count.resetAt !== undefined && count.resetAt <= Date.now())) {
			return this.readQuotaThenCheck(plan, itemIndex);
		}
		return this.against(count, plan, itemIndex);
	}

	afterSend(plan: PlannedSend, _itemIndex: number, outcome: SendOutcome): void {
		const count = this.counts.get(plan.accountKey);
		if (count === undefined) return;
		const told = outcome.kind === 'sent' ? outcome.rateLimit : outcome.failure?.rateLimit;
		if (told?.used !== undefined) {
			count.used = told.used;
			count.resetAt = parsedTime(told.resetsAt) ?? count.resetAt;
			count.rateLimit = told;
		} else if (outcome.kind !== 'notSent') {
			// Sent, or may have been, and no header said the new count: count it ourselves, never under.
			count.used += 1;
		}
	}

	private async readQuotaThenCheck(plan: PlannedSend, itemIndex: number): Promise<GuardAnswer> {
		const { ctx, connection, node } = this.context;
		let error: NodeApiError;
		try {
			const quota = messageQuota(await fetchQuota(ctx, connection, plan.body.accountId, itemIndex));
			if (quota !== undefined) {
				const count: AccountCount = {
					used: quota.used,
					resetAt: quota.resetAt,
					rateLimit: {
						action: quota.feature,
						limit: quota.limit,
						used: quota.used,
						remaining: quota.remaining,
						...(quota.resetAt === undefined
							? {}
							: { resetsAt: new Date(quota.resetAt).toISOString() }),
					},
				};
				this.counts.set(plan.accountKey, count);
				return this.against(count, plan, itemIndex);
			}
			error = new NodeApiError(node, { quota: 'no messaging entry' } as JsonObject, {
				message: `ConnectSafely's quota answer for ${accountName(plan.accountKey)} has no ${MESSAGE_FEATURE} entry`,
				description:
					"The node cannot count this account's messages, so it sends none. The API may have changed: report it to the node's maintainers, or remove the option.",
				itemIndex,
			});
		} catch (caught) {
			error =
				caught instanceof NodeApiError
					? caught
					: new NodeApiError(node, { quota: String(caught) } as JsonObject, { itemIndex });
		}
		const failed: Unreadable = {
			message: `Not sent: ${FIELD} could not read the quota of ${accountName(plan.accountKey)}: ${error.message}`,
			description:
				`${error.description ?? ''} Without ConnectSafely's count the node cannot keep the limit, so nothing was sent from this account in this run. Run the items again later, or remove the option.`.trim(),
			httpCode: error.httpCode,
		};
		this.unreadable.set(plan.accountKey, failed);
		return this.couldNotCheck(failed, itemIndex);
	}

	private against(count: AccountCount, plan: PlannedSend, itemIndex: number): GuardAnswer {
		const limit = plan.dailyLimit ?? Infinity;
		if (count.used < limit) return GO;
		return {
			kind: 'notNow',
			until: count.resetAt,
			otherwise: () => this.limitReached(count, plan, limit, itemIndex),
		};
	}

	/** The error of an item beyond the limit: the shape of an item not attempted because the quota ran out. */
	private limitReached(
		count: AccountCount,
		plan: PlannedSend,
		limit: number,
		itemIndex: number,
	): GuardFail {
		const apiLimit =
			count.rateLimit.limit === undefined ? '' : ` (ConnectSafely allows ${count.rateLimit.limit})`;
		const error = new NodeApiError(this.context.node, { skipped: 'daily limit' } as JsonObject, {
			message: `Not sent: ${accountName(plan.accountKey)} reached your daily limit of ${limit} messages (${FIELD}). It resets ${describeReset(count.resetAt, Date.now())}`,
			description: `ConnectSafely counts ${count.used} messages from this account in the current window, sent by any workflow. The limit is your own, set in the node's options${apiLimit}. The node sends nothing more from this account until the reset. Run these items again after it (a Wait node or a later schedule), raise the limit, or send from another account.`,
			httpCode: '429',
			itemIndex,
		});
		return {
			kind: 'fail',
			failure: {
				kind: 'rateLimited',
				error,
				rateLimit: count.rateLimit,
				resetAt: count.resetAt,
			},
		};
	}

	private couldNotCheck(failed: Unreadable, itemIndex: number): GuardFail {
		const error = new NodeApiError(this.context.node, { check: 'quota' } as JsonObject, {
			message: failed.message,
			description: failed.description,
			itemIndex,
			...(failed.httpCode ? { httpCode: failed.httpCode } : {}),
		});
		return { kind: 'fail', failure: { kind: 'rejected', error } };
	}
}
