/**
 * "Is the account out of quota?" An account out of quota gets no call before its reset, in this run or any re-run
 * of this execution: after a 429, and after a success that said `X-RateLimit-Remaining: 0`. A 429 whose body names
 * a `holdUntil` later than the reset (LinkedIn put the account on a temporary hold) moves that time to the hold's
 * end. Not now, until then: the runner waits when "Max Wait for Rate Limit" covers it, else the item fails with the
 * error below. It always applies; it learns from every answer (afterSend).
 */
import { NodeApiError, type JsonObject } from 'n8n-workflow';

import type { SendFailure } from '../../transport/apiErrors';
import { describeReset } from '../../transport/rateLimit';
import type { RateLimitInfo } from '../../transport/types';
import type { PlannedSend } from '../plan';
import { exhaustedAccount, rememberExhausted } from '../sendLedger';
import {
	accountName,
	GO,
	type GuardAnswer,
	type GuardContext,
	type SendGuard,
	type SendOutcome,
} from './guard';

/** How long an account counts as exhausted when the API names no reset time. */
const UNKNOWN_RESET_MS = 60_000;

interface ExhaustedAccount {
	account: string;
	resetAt: number | undefined;
	rateLimit?: RateLimitInfo;
	/** What the API said, for the error of the items not sent. */
	summary: string;
	/** True when the account ran out without a 429 (the last success said 0 remaining). */
	noneLeft?: boolean;
	/** True when a 429's `holdUntil`, later than the reset, is what `resetAt` holds. */
	held?: boolean;
}

export class AccountQuotaGuard implements SendGuard {
	/** What this run learnt, with the API's own words for the error. */
	private readonly exhausted = new Map<string, ExhaustedAccount>();

	constructor(private readonly context: GuardContext) {}

	appliesTo(): boolean {
		return true;
	}

	check(plan: PlannedSend, itemIndex: number): GuardAnswer {
		const blocked = this.exhaustedAccount(plan.accountKey);
		if (!blocked) return GO;
		return {
			kind: 'notNow',
			until: blocked.resetAt,
			otherwise: () => ({ kind: 'fail', failure: this.notAttempted(blocked, itemIndex) }),
		};
	}

	afterSend(plan: PlannedSend, _itemIndex: number, outcome: SendOutcome): void {
		if (outcome.kind === 'sent') {
			this.exhausted.delete(plan.accountKey);
			if (outcome.rateLimit?.remaining === 0) this.markNoneLeft(plan.accountKey, outcome.rateLimit);
		} else if (outcome.failure?.kind === 'rateLimited') {
			this.markExhausted(plan.accountKey, outcome.failure);
		}
	}

	private exhaustedAccount(account: string): ExhaustedAccount | undefined {
		const known = this.exhausted.get(account);
		if (known && (known.resetAt === undefined || known.resetAt > Date.now())) return known;
		// An earlier try or run of this execution hit the limit: don't spend a call before the reset.
		const earlier = exhaustedAccount(this.context.run.scope.executionId, account, Date.now());
		if (earlier === undefined) return undefined;
		return {
			account,
			resetAt: earlier.until,
			noneLeft: earlier.noneLeft,
			held: earlier.held,
			summary: earlier.noneLeft
				? 'An earlier try or run of this execution was told X-RateLimit-Remaining: 0'
				: earlier.held
					? 'An earlier try or run of this execution got a 429 whose holdUntil is later than the reset'
					: 'An earlier try or run of this execution got a 429',
		};
	}

	private markExhausted(account: string, failure: SendFailure): void {
		// "Do not retry until that timestamp": a hold that outlasts the reset is the first time worth a call.
		const held =
			failure.holdUntil !== undefined &&
			(failure.resetAt === undefined || failure.holdUntil > failure.resetAt);
		const resetAt = held ? failure.holdUntil : failure.resetAt;
		this.exhausted.set(account, {
			account,
			resetAt,
			rateLimit: failure.rateLimit,
			summary: failure.error.message,
			held,
		});
		rememberExhausted(this.context.run.scope.executionId, account, {
			until: resetAt ?? Date.now() + UNKNOWN_RESET_MS,
			noneLeft: false,
			...(held ? { held: true as const } : {}),
		});
	}

	/** The API said the last send used the account's last message: a next call would only earn a 429. */
	private markNoneLeft(account: string, rateLimit: RateLimitInfo): void {
		const parsed = rateLimit.resetsAt ? Date.parse(rateLimit.resetsAt) : NaN;
		const resetAt = Number.isFinite(parsed) ? parsed : Date.now() + UNKNOWN_RESET_MS;
		this.exhausted.set(account, {
			account,
			resetAt,
			rateLimit,
			noneLeft: true,
			summary: `ConnectSafely answered the previous send with X-RateLimit-Remaining: 0${rateLimit.limit !== undefined ? ` (${rateLimit.limit} allowed)` : ''}`,
		});
		rememberExhausted(this.context.run.scope.executionId, account, {
			until: resetAt,
			noneLeft: true,
		});
	}

	/** The error of an item that was not attempted because its account is out of quota. */
	private notAttempted(blocked: ExhaustedAccount, itemIndex: number): SendFailure {
		const when = describeReset(blocked.resetAt, Date.now());
		const name = accountName(blocked.account);
		const error = new NodeApiError(this.context.node, { skipped: 'rate limit' } as JsonObject, {
			message: blocked.held
				? `Not sent: ${name} is on hold: ConnectSafely's 429 said not to retry before its holdUntil, ${when}`
				: `Not sent: ${name} ${blocked.noneLeft ? 'has no messages left until its reset' : 'reached its rate limit earlier in this run'}. It resets ${when}`,
			description: blocked.held
				? `${blocked.summary}. LinkedIn put the account on a temporary hold that outlasts the rate limit's reset. The node makes no further calls for this account until the hold ends. Run these items again after it (a Wait node or a later schedule), or send from another account.`
				: `${blocked.summary}. The node makes no further calls for this account until the reset. Run these items again after it (a Wait node or a later schedule), raise "Max Wait for Rate Limit", or send from another account.`,
			httpCode: '429',
			itemIndex,
		});
		return { kind: 'rateLimited', error, rateLimit: blocked.rateLimit, resetAt: blocked.resetAt };
	}
}
