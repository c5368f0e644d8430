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
} from './apiErrors';
import { DuplicateGuard, type DuplicateCheck } from './duplicateGuard';
import { errorItem, type ErrorOutputMode } from './errorItems';
import { describeReset, readRateLimit } from './rateLimit';
import {
	exhaustedUntil,
	outcomeKey,
	recallOutcome,
	rememberExhausted,
	rememberOutcome,
	type RunScope,
} from './sendLedger';
import { requestApi, type Connection } from './transport';
import type { ApiResponse, PlannedSend, RateLimitInfo } from './types';

/** Connection attempts that never reached the server are retried this often, after these pauses. */
const CONNECT_RETRY_PAUSES_MS = [500, 1500];
/** Added to a rate-limit reset before trying again, so that a clock a little behind the API's is no problem. */
const RESET_JITTER_MS = { min: 250, spread: 750 };
/** How long an account counts as exhausted when a 429 names no reset time. */
const UNKNOWN_RESET_MS = 60_000;

/** Where an item's outcome is remembered for Retry On Fail: its node run, and its key within the run. */
interface ItemMemo {
	scope: RunScope;
	key: string;
}

interface ExhaustedAccount {
	account: string;
	resetAt: number | undefined;
	rateLimit?: RateLimitInfo;
	summary: string;
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

/**
 * Sends the planned requests of one node run, in order, and decides for each failure whether anything may be
 * tried again. The rules, in order of importance:
 * 1. Nothing that may have been delivered is sent again: not by this loop, and not by n8n's Retry On Fail,
 *    which re-runs the whole node (the ledger answers for items an earlier try sent or may have sent).
 * 2. After a 429 an account gets no more calls in this execution until its reset; other accounts go on.
 * 3. Only a failure that provably never reached the server (connection refused, unknown host) is retried here.
 */
export class SendRun {
	private sent = 0;
	private readonly exhausted = new Map<string, ExhaustedAccount>();
	private readonly node: INode;
	private readonly duplicates: DuplicateGuard;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly connection: Connection,
		private readonly scope: RunScope | undefined,
		/** How failed items are output; undefined: the node stops at the first failure. */
		private readonly errorOutput: ErrorOutputMode | undefined,
	) {
		this.node = ctx.getNode();
		this.duplicates = new DuplicateGuard(ctx);
	}

	async send(plan: PlannedSend, itemIndex: number): Promise<INodeExecutionData> {
		const memo: ItemMemo | undefined = this.scope && {
			scope: this.scope,
			key: outcomeKey(itemIndex, plan.path, plan.body),
		};
		const earlier = memo && recallOutcome(memo.scope, memo.key, Date.now());
		if (earlier?.kind === 'sent') return this.succeeded(earlier.json, itemIndex);
		if (earlier?.kind === 'uncertain') {
			const error = new NodeApiError(this.node, { repeated: earlier.message } as JsonObject, {
				message: `${earlier.message} (an earlier try of this execution; not sent again)`,
				description: earlier.description,
				httpCode: earlier.httpCode,
				itemIndex,
			});
			return this.failed({ kind: 'uncertain', error }, itemIndex);
		}

		let waited = false;
		const blocked = this.exhaustedAccount(plan.accountKey);
		if (blocked) {
			if (!this.mayWaitFor(blocked.resetAt, plan))
				return this.failed(this.skipped(blocked, itemIndex), itemIndex);
			await this.waitUntil(blocked.resetAt);
			waited = true;
		}

		const check = plan.duplicateCheck;
		if (check && !(await this.duplicates.reserve(check, itemIndex)))
			return this.alreadyMessaged(check, itemIndex);

		const outcome = await this.attempt(plan, itemIndex, memo, waited);
		if ('json' in outcome) return outcome;
		// The API surely did not send it: free the reservation, so that a later run can.
		if (check && outcome.kind !== 'uncertain') await this.duplicates.release(check, itemIndex);
		return this.failed(outcome, itemIndex, check);
	}

	/** Sends one request, with the only retries allowed: never-reached connections, and one wait for a reset. */
	private async attempt(
		plan: PlannedSend,
		itemIndex: number,
		memo: ItemMemo | undefined,
		alreadyWaited: boolean,
	): Promise<INodeExecutionData | SendFailure> {
		let waited = alreadyWaited;
		let connectRetries = 0;
		for (;;) {
			let response: ApiResponse;
			try {
				response = await requestApi(this.ctx, this.connection, {
					method: 'POST',
					path: plan.path,
					body: plan.body,
					timeoutMs: plan.timeoutMs,
				});
			} catch (error) {
				const code = networkErrorCode(error);
				if (isCancellation(code)) {
					throw new NodeOperationError(
						this.node,
						'The execution was stopped while this item was being sent',
						{
							itemIndex,
							description:
								'The message may have been delivered. Check LinkedIn before you run this item again.',
						},
					);
				}
				if (neverReachedServer(code) && connectRetries < CONNECT_RETRY_PAUSES_MS.length) {
					await sleepWithAbort(
						CONNECT_RETRY_PAUSES_MS[connectRetries++],
						this.ctx.getExecutionCancelSignal(),
					);
					continue;
				}
				return this.record(
					memo,
					failureFromNetwork(this.node, itemIndex, code, this.connection.baseUrl, plan.timeoutMs),
				);
			}

			if (isSuccess(response)) {
				// The parsed body is this item's own object: extend it rather than copy it.
				const json = response.body;
				const rateLimit = readRateLimit(response.headers);
				if (rateLimit) json.rateLimit = rateLimit;
				if (memo) rememberOutcome(memo.scope, memo.key, { kind: 'sent', json }, Date.now());
				this.exhausted.delete(plan.accountKey);
				return this.succeeded(json, itemIndex);
			}

			const failure = failureFromResponse(this.node, itemIndex, response, Date.now());
			if (failure.kind === 'rateLimited' && !waited && this.mayWaitFor(failure.resetAt, plan)) {
				await this.waitUntil(failure.resetAt);
				waited = true;
				continue;
			}
			if (failure.kind === 'rateLimited') this.markExhausted(plan.accountKey, failure);
			return this.record(memo, failure);
		}
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
		await sleepWithAbort(ms, this.ctx.getExecutionCancelSignal());
	}

	private exhaustedAccount(account: string): ExhaustedAccount | undefined {
		const known = this.exhausted.get(account);
		if (known) return known;
		if (!this.scope) return undefined;
		// An earlier try of this execution (Retry On Fail) hit the limit: don't spend a call before the reset.
		const until = exhaustedUntil(this.scope, account, Date.now());
		if (until === undefined) return undefined;
		return {
			account,
			resetAt: until,
			summary: 'The limit was reached in an earlier try of this execution',
		};
	}

	private markExhausted(account: string, failure: SendFailure): void {
		const now = Date.now();
		this.exhausted.set(account, {
			account,
			resetAt: failure.resetAt,
			rateLimit: failure.rateLimit,
			summary: failure.error.message,
		});
		if (this.scope)
			rememberExhausted(this.scope, account, failure.resetAt ?? now + UNKNOWN_RESET_MS, now);
	}

	/** The error of an item that was not attempted because its account is out of quota. */
	private skipped(blocked: ExhaustedAccount, itemIndex: number): SendFailure {
		const error = new NodeApiError(this.node, { skipped: 'rate limit' } as JsonObject, {
			message: `Not sent: ${accountName(blocked.account)} reached its rate limit earlier in this run. It resets ${describeReset(blocked.resetAt, Date.now())}`,
			description: `${blocked.summary}. The node makes no further calls for this account until the reset. Run these items again after it (a Wait node or a later schedule), or send from another account.`,
			httpCode: '429',
			itemIndex,
		});
		return { kind: 'rateLimited', error, rateLimit: blocked.rateLimit, resetAt: blocked.resetAt };
	}

	/** Remembers an outcome that forbids a resend, so that Retry On Fail does not send it again. */
	private record(memo: ItemMemo | undefined, failure: SendFailure): SendFailure {
		if (memo && failure.kind === 'uncertain') {
			rememberOutcome(
				memo.scope,
				memo.key,
				{
					kind: 'uncertain',
					message: failure.error.message,
					description: failure.error.description ?? '',
					httpCode: failure.error.httpCode ?? undefined,
				},
				Date.now(),
			);
		}
		return failure;
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
				error.message = `${error.message}. ${before} sent before it; the items after it were not attempted`;
			}
			throw error;
		}
		const details: IDataObject = {};
		if (error.httpCode) details.httpCode = error.httpCode;
		if (rateLimit) details.rateLimit = rateLimit;
		return errorItem(error, itemIndex, this.errorOutput, details);
	}
}
