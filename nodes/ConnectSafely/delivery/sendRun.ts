/**
 * delivery/: what makes a send safe. Sends the planned requests of one node run, in order, and decides for each
 * whether it may go out at all. May import inputs/ and transport/. The rules, in order of importance:
 * 1. The ledger answers first: a message this execution sent, or may have sent, is never sent again — not by a
 *    re-run of the node (Retry On Fail), another item, another run, or another tool call.
 * 2. An account out of quota gets no call before its reset, in this run or any re-run: after a 429, and after a
 *    success that said `X-RateLimit-Remaining: 0`.
 * 3. Only a failure that provably never reached the server (connection refused, unknown host) is retried here.
 * With "Pause Between Messages" each account's items go out in their own lane, side by side (pacing.ts).
 */
import {
	NodeApiError,
	NodeOperationError,
	sleepWithAbort,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type IDataObject,
	type JsonObject,
} from 'n8n-workflow';

import {
	failureFromNetwork,
	failureFromResponse,
	isCancellation,
	networkErrorCode,
	neverReachedServer,
	type SendFailure,
} from '../transport/apiErrors';
import { conversationWith } from '../transport/conversationCheck';
import { describeReset, readRateLimit } from '../transport/rateLimit';
import { requestApi, type Connection } from '../transport/request';
import type { ApiResponse, RateLimitInfo } from '../transport/types';
import { DuplicateGuard, type DuplicateCheck } from './duplicateGuard';
import { errorItem, type ErrorOutputMode } from './errorItems';
import type { NodeRun } from './nodeRun';
import { accountLanes, Pacing, type Lane } from './pacing';
import type { PlannedSend } from './plan';
import {
	exhaustedAccount,
	lookUp,
	oneSendAtATime,
	record,
	rememberExhausted,
	type LedgerEntry,
} from './sendLedger';

/** Connection attempts that never reached the server are retried this often, after these pauses. */
const CONNECT_RETRY_PAUSES_MS = [500, 1500];
/** Added to a rate-limit reset before trying again, so that a clock a little behind the API's is no problem. */
const RESET_JITTER_MS = { min: 250, spread: 750 };
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
}

function isSuccess(response: ApiResponse): response is ApiResponse & { body: IDataObject } {
	const { statusCode, body } = response;
	return (
		statusCode >= 200 &&
		statusCode < 300 &&
		body !== null &&
		typeof body === 'object' &&
		!Array.isArray(body) &&
		(body as IDataObject).success !== false
	);
}

function accountName(account: string): string {
	return account === '' ? 'the default account' : `account ${account}`;
}

export class SendRun {
	private sent = 0;
	private readonly exhausted = new Map<string, ExhaustedAccount>();
	private readonly node: INode;
	private readonly duplicates: DuplicateGuard;
	/** Set for a run with "Pause Between Messages". */
	private pacing: Pacing | undefined;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly connection: Connection,
		private readonly run: NodeRun,
		/** How failed items are output; undefined: the node stops at the first failure. */
		private readonly errorOutput: ErrorOutputMode | undefined,
	) {
		this.node = ctx.getNode();
		this.duplicates = new DuplicateGuard(ctx);
	}

	/**
	 * Runs the node's item loop over its items: once over all of them, in order — or, with "Pause Between
	 * Messages", once per sending account, the accounts side by side (pacing.ts).
	 */
	async sendAll(
		plans: ReadonlyArray<PlannedSend | Error>,
		sendItems: (lane?: Lane) => Promise<void>,
	): Promise<void> {
		const lanes = accountLanes(plans);
		if (lanes === undefined) return await sendItems();
		this.pacing = new Pacing(this.ctx.getExecutionCancelSignal(), lanes.length);
		await this.pacing.run(lanes, sendItems);
	}

	async send(plan: PlannedSend, itemIndex: number): Promise<INodeExecutionData> {
		this.pacing?.throwIfStopping();
		return await oneSendAtATime(
			this.run.scope,
			plan.messageKey,
			async () => await this.sendOnce(plan, itemIndex),
		);
	}

	private async sendOnce(plan: PlannedSend, itemIndex: number): Promise<INodeExecutionData> {
		const earlier = lookUp(this.run.scope, plan.messageKey, Date.now());
		if (earlier) return this.answerFromLedger(earlier, itemIndex);

		let waited = false;
		const blocked = this.exhaustedAccount(plan.accountKey);
		if (blocked) {
			if (!this.mayWaitFor(blocked.resetAt, plan))
				return this.failed(this.notAttempted(blocked, itemIndex), itemIndex);
			await this.waitUntil(blocked.resetAt);
			waited = true;
		}

		if (plan.conversationCheck) {
			const existing = await this.existingConversation(plan, itemIndex);
			if (existing) return existing;
		}

		const check = plan.duplicateCheck;
		if (check && !(await this.duplicates.reserve(check, itemIndex)))
			return this.alreadyMessaged(check, itemIndex);

		let outcome: INodeExecutionData | SendFailure | undefined;
		try {
			if (this.pacing) await this.pacing.beforeSend(plan);
			outcome = await this.attempt(plan, itemIndex, waited);
		} finally {
			if (outcome === undefined && check)
				await this.releaseIfNothingWentOut(plan, check, itemIndex);
		}
		if ('json' in outcome) return outcome;
		// The API surely did not send it: free the reservation, so that a later run can.
		if (check && outcome.kind !== 'uncertain') await this.duplicates.release(check, itemIndex);
		return this.failed(outcome, itemIndex, check);
	}

	/** Stopped in a pause or a wait: a reservation whose message the ledger has no trace of is freed. */
	private async releaseIfNothingWentOut(
		plan: PlannedSend,
		check: DuplicateCheck,
		itemIndex: number,
	): Promise<void> {
		if (!this.stopSignal()?.aborted || lookUp(this.run.scope, plan.messageKey, Date.now())) return;
		// If n8n's store fails now, the recipient stays reserved: missed, never doubled.
		await this.duplicates.release(check, itemIndex).catch(() => undefined);
	}

	/** Sends one request, with the only retries allowed: never-reached connections, and one wait for a reset. */
	private async attempt(
		plan: PlannedSend,
		itemIndex: number,
		alreadyWaited: boolean,
	): Promise<INodeExecutionData | SendFailure> {
		let waited = alreadyWaited;
		let connectRetries = 0;
		for (;;) {
			const startedAt = Date.now();
			let response: ApiResponse;
			try {
				response = await requestApi(this.ctx, this.connection, {
					method: 'POST',
					path: plan.path,
					body: plan.body,
					timeoutMs: plan.timeoutMs,
				});
			} catch (error) {
				this.pacing?.afterCall(plan.accountKey);
				const code = networkErrorCode(error);
				if (isCancellation(code)) throw this.stoppedWhileSending(plan, itemIndex, startedAt);
				if (neverReachedServer(code) && connectRetries < CONNECT_RETRY_PAUSES_MS.length) {
					await sleepWithAbort(CONNECT_RETRY_PAUSES_MS[connectRetries++], this.stopSignal());
					continue;
				}
				const failure = failureFromNetwork(
					this.node,
					itemIndex,
					code,
					this.connection.baseUrl,
					plan.timeoutMs,
				);
				return this.recordFailure(plan, itemIndex, startedAt, failure);
			}
			this.pacing?.afterCall(plan.accountKey);

			if (isSuccess(response)) {
				// The parsed body is this item's own object: extend it rather than copy it.
				const json = response.body;
				const rateLimit = readRateLimit(response.headers);
				if (rateLimit) json.rateLimit = rateLimit;
				this.remember(plan, itemIndex, startedAt, { kind: 'sent', json });
				this.exhausted.delete(plan.accountKey);
				if (rateLimit?.remaining === 0) this.markNoneLeft(plan.accountKey, rateLimit);
				return this.succeeded(json, itemIndex);
			}

			const failure = failureFromResponse(this.node, itemIndex, response, Date.now());
			if (failure.kind === 'rateLimited' && !waited && this.mayWaitFor(failure.resetAt, plan)) {
				await this.waitUntil(failure.resetAt);
				waited = true;
				continue;
			}
			if (failure.kind === 'rateLimited') this.markExhausted(plan.accountKey, failure);
			return this.recordFailure(plan, itemIndex, startedAt, failure);
		}
	}

	private remember(
		plan: PlannedSend,
		itemIndex: number,
		at: number,
		outcome: LedgerEntry['outcome'],
	): void {
		const { scope, nodeName, runIndex } = this.run;
		record(scope, plan.messageKey, {
			executionId: scope.executionId,
			site: { nodeName, runIndex, itemIndex },
			at,
			recipient: plan.recipient,
			outcome,
		});
	}

	/** A failure after which the message may have gone out is remembered, so that nothing sends it again. */
	private recordFailure(
		plan: PlannedSend,
		itemIndex: number,
		at: number,
		failure: SendFailure,
	): SendFailure {
		if (failure.kind === 'uncertain') {
			this.remember(plan, itemIndex, at, {
				kind: 'uncertain',
				message: failure.error.message,
				description: failure.error.description ?? '',
				httpCode: failure.error.httpCode ?? undefined,
			});
		}
		return failure;
	}

	/** The user stopped the execution while the request was out: it may have been delivered. */
	private stoppedWhileSending(
		plan: PlannedSend,
		itemIndex: number,
		at: number,
	): NodeOperationError {
		const message = 'The execution was stopped while this item was being sent';
		const description =
			'The message may have been delivered. Check LinkedIn before you run this item again.';
		this.remember(plan, itemIndex, at, { kind: 'uncertain', message, description });
		return new NodeOperationError(this.node, message, { itemIndex, description });
	}

	/** What the ledger answers for a message this execution (or, for a retry, an earlier one) sent or may have sent. */
	private answerFromLedger(earlier: LedgerEntry, itemIndex: number): INodeExecutionData {
		const { scope, nodeName, runIndex } = this.run;
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
			const error = new NodeApiError(this.node, { repeated: outcome.message } as JsonObject, {
				message: `${outcome.message} (${sameItem ? 'an earlier try of this execution' : `the same message, ${where}`}; not sent again)`,
				description: outcome.description,
				httpCode: outcome.httpCode,
				itemIndex,
			});
			return this.failed({ kind: 'uncertain', error }, itemIndex);
		}
		// Retry On Fail re-running this very item: its earlier answer, as if the try had just sent it.
		if (sameItem && earlier.outcome.kind === 'sent') {
			return this.succeeded(earlier.outcome.json, itemIndex);
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
		return { json, pairedItem: { item: itemIndex } };
	}

	/**
	 * "Only If No Conversation Yet": asks ConnectSafely whether the account already talks with the person. The skipped
	 * item when it does (or the item's error when the check failed: nothing was sent); undefined to send.
	 */
	private async existingConversation(
		plan: PlannedSend,
		itemIndex: number,
	): Promise<INodeExecutionData | undefined> {
		const profileId = plan.conversationCheck?.profileId ?? '';
		let answer: IDataObject;
		try {
			answer = await conversationWith(
				this.ctx,
				this.connection,
				profileId,
				plan.body.accountId,
				itemIndex,
			);
		} catch (caught) {
			const error =
				caught instanceof NodeApiError
					? caught
					: new NodeApiError(this.node, { check: String(caught) } as JsonObject, { itemIndex });
			error.description =
				`${error.description ?? ''} "Only If No Conversation Yet" could not check, so nothing was sent.`.trim();
			return this.failed({ kind: 'rejected', error }, itemIndex);
		}
		if (answer.hasConversation !== true) return undefined;
		return {
			json: {
				skipped: true,
				reason: `Not sent: ${accountName(plan.accountKey)} already has a conversation with ${profileId} ("Only If No Conversation Yet" is on)`,
				recipient: profileId,
				conversationUrn: answer.conversationUrn ?? null,
			},
			pairedItem: { item: itemIndex },
		};
	}

	/** The output of an item skipped because this workflow messaged the recipient before. */
	private alreadyMessaged(check: DuplicateCheck, itemIndex: number): INodeExecutionData {
		return {
			json: {
				skipped: true,
				reason: `Not sent: this workflow already messaged ${check.recipient} ("Skip Recipients Already Messaged" is on)`,
				recipient: check.recipient,
			},
			pairedItem: { item: itemIndex },
		};
	}

	/** Whether the user's "Max Wait for Rate Limit" covers a reset at this time. */
	private mayWaitFor(resetAt: number | undefined, plan: PlannedSend): boolean {
		return (
			resetAt !== undefined &&
			plan.maxRateLimitWaitMs > 0 &&
			resetAt - Date.now() <= plan.maxRateLimitWaitMs
		);
	}

	/** Waits for a reset; stopping the execution ends the wait at once. */
	private async waitUntil(resetAt: number | undefined): Promise<void> {
		const jitter = RESET_JITTER_MS.min + Math.floor(Math.random() * RESET_JITTER_MS.spread);
		const ms = Math.max(0, (resetAt ?? Date.now()) - Date.now()) + jitter;
		await sleepWithAbort(ms, this.stopSignal());
	}

	/** Ends a wait: the execution was stopped, or (paced) another account's lane failed and the node is stopping. */
	private stopSignal(): AbortSignal | undefined {
		return this.pacing?.signal ?? this.ctx.getExecutionCancelSignal();
	}

	private exhaustedAccount(account: string): ExhaustedAccount | undefined {
		const known = this.exhausted.get(account);
		if (known && (known.resetAt === undefined || known.resetAt > Date.now())) return known;
		// An earlier try or run of this execution hit the limit: don't spend a call before the reset.
		const earlier = exhaustedAccount(this.run.scope.executionId, account, Date.now());
		if (earlier === undefined) return undefined;
		return {
			account,
			resetAt: earlier.until,
			noneLeft: earlier.noneLeft,
			summary: earlier.noneLeft
				? 'An earlier try or run of this execution was told X-RateLimit-Remaining: 0'
				: 'An earlier try or run of this execution got a 429',
		};
	}

	private markExhausted(account: string, failure: SendFailure): void {
		this.exhausted.set(account, {
			account,
			resetAt: failure.resetAt,
			rateLimit: failure.rateLimit,
			summary: failure.error.message,
		});
		rememberExhausted(this.run.scope.executionId, account, {
			until: failure.resetAt ?? Date.now() + UNKNOWN_RESET_MS,
			noneLeft: false,
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
		rememberExhausted(this.run.scope.executionId, account, { until: resetAt, noneLeft: true });
	}

	/** The error of an item that was not attempted because its account is out of quota. */
	private notAttempted(blocked: ExhaustedAccount, itemIndex: number): SendFailure {
		const state = blocked.noneLeft
			? 'has no messages left until its reset'
			: 'reached its rate limit earlier in this run';
		const error = new NodeApiError(this.node, { skipped: 'rate limit' } as JsonObject, {
			message: `Not sent: ${accountName(blocked.account)} ${state}. It resets ${describeReset(blocked.resetAt, Date.now())}`,
			description: `${blocked.summary}. The node makes no further calls for this account until the reset. Run these items again after it (a Wait node or a later schedule), raise "Max Wait for Rate Limit", or send from another account.`,
			httpCode: '429',
			itemIndex,
		});
		return { kind: 'rateLimited', error, rateLimit: blocked.rateLimit, resetAt: blocked.resetAt };
	}

	private succeeded(json: IDataObject, itemIndex: number): INodeExecutionData {
		this.sent++;
		return { json, pairedItem: { item: itemIndex } };
	}

	/** With Continue On Fail the failure becomes the item's output; without it, the node stops here. */
	private failed(
		failure: SendFailure,
		itemIndex: number,
		check?: DuplicateCheck,
	): INodeExecutionData {
		const { error, rateLimit } = failure;
		if (check && failure.kind === 'uncertain') {
			error.description =
				`${error.description ?? ''} The recipient stays in this workflow's "already messaged" history, so later runs skip them.`.trim();
		}
		if (this.errorOutput === undefined) {
			if (failure.kind === 'rateLimited') {
				const before = this.sent === 1 ? '1 item was' : `${this.sent} items were`;
				// Side by side, items after it in the list may have gone out from another account already.
				const after =
					(this.pacing?.laneCount ?? 1) > 1
						? 'no further items were attempted'
						: 'the items after it were not attempted';
				error.message = `${error.message}. ${before} sent before it; ${after}`;
			}
			throw error;
		}
		const details: IDataObject = {};
		if (error.httpCode) details.httpCode = error.httpCode;
		if (rateLimit) details.rateLimit = rateLimit;
		return errorItem(error, itemIndex, this.errorOutput, details);
	}
}
