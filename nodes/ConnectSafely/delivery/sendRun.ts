/**
 * delivery/: what makes a send safe. Sends the planned requests of one node run, in order. Each item first passes
 * the guards, in the order guards/index.ts gives (the send ledger, the account's quota, the conversation check, the
 * deduplication store): each may let it go on, skip it, hold it back until a time, or fail it. Then the one call,
 * whose only retries are a failure that provably never reached the server (connection refused, unknown host) and one
 * wait for a rate-limit reset. What the call did is written to the send ledger at once, and told to the guards.
 * May import inputs/ and transport/. With "Pause Between Messages" each account's items go out in their own lane,
 * side by side (pacing.ts).
 */
import {
	NodeOperationError,
	sleepWithAbort,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type IDataObject,
} from 'n8n-workflow';

import {
	failureFromNetwork,
	failureFromResponse,
	isCancellation,
	networkErrorCode,
	neverReachedServer,
	type SendFailure,
} from '../transport/apiErrors';
import { readRateLimit } from '../transport/rateLimit';
import { requestApi, type Connection } from '../transport/request';
import type { ApiResponse, RateLimitInfo } from '../transport/types';
import { errorItem, type ErrorOutputMode } from './errorItems';
import type { GuardFail, GuardSkip, SendGuard, SendOutcome } from './guards/guard';
import { sendGuards } from './guards';
import type { NodeRun } from './nodeRun';
import { accountLanes, Pacing, type Lane } from './pacing';
import type { PlannedSend } from './plan';
import { lookUp, oneSendAtATime, record, type LedgerEntry } from './sendLedger';

/** Connection attempts that never reached the server are retried this often, after these pauses. */
const CONNECT_RETRY_PAUSES_MS = [500, 1500];
/** Added to a rate-limit reset before trying again, so that a clock a little behind the API's is no problem. */
const RESET_JITTER_MS = { min: 250, spread: 750 };

/** A call the API took, as the guards are told it (its other end is a SendFailure). */
type Sent = Extract<SendOutcome, { kind: 'sent' }>;

const NOT_SENT: SendOutcome = { kind: 'notSent' };
const UNCERTAIN: SendOutcome = { kind: 'uncertain' };

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

export class SendRun {
	private sent = 0;
	private readonly node: INode;
	/** The send path's questions, in order (guards/index.ts). */
	private readonly guards: readonly SendGuard[];
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
		this.guards = sendGuards({ ctx, connection, run, node: this.node });
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

	/** Asks the guards in order, then makes the call; tells the guards that let it pass what became of it. */
	private async sendOnce(plan: PlannedSend, itemIndex: number): Promise<INodeExecutionData> {
		let waited = false;
		let held: GuardSkip | GuardFail | undefined;
		// The guards before `passed` let the item go on (or do not apply to it).
		let passed = 0;
		let asking = true;
		try {
			for (; passed < this.guards.length; passed++) {
				const guard = this.guards[passed];
				if (!guard.appliesTo(plan)) continue;
				// Most answers come from memory: no await (and no turn of the event loop) for those.
				const asked = guard.check(plan, itemIndex);
				let answer = asked instanceof Promise ? await asked : asked;
				if (answer.kind === 'notNow') {
					if (this.mayWaitFor(answer.until, plan)) {
						await this.waitUntil(answer.until);
						waited = true;
						continue;
					}
					answer = answer.otherwise();
				}
				if (answer.kind !== 'go') {
					held = answer;
					break;
				}
			}
			asking = false;
		} finally {
			// A check threw, or a wait was stopped: nothing went out.
			if (asking) await this.tellGuardsAfterThrow(plan, itemIndex, passed, NOT_SENT);
		}
		if (held) {
			await this.tellGuards(plan, itemIndex, passed, NOT_SENT);
			return this.settle(held, itemIndex);
		}

		let result: Sent | SendFailure | undefined;
		try {
			if (this.pacing) await this.pacing.beforeSend(plan);
			result = await this.attempt(plan, itemIndex, waited);
		} finally {
			if (result === undefined) {
				// Stopped in a pause or a wait, with no trace in the ledger: nothing went out. Anything else may have.
				const nothingWentOut =
					this.stopSignal()?.aborted === true &&
					lookUp(this.run.scope, plan.messageKey, Date.now()) === undefined;
				await this.tellGuardsAfterThrow(
					plan,
					itemIndex,
					passed,
					nothingWentOut ? NOT_SENT : UNCERTAIN,
				);
			}
		}
		if (result.kind === 'sent') {
			await this.tellGuards(plan, itemIndex, passed, result);
			return this.succeeded(result.json, itemIndex);
		}
		const outcome: SendOutcome =
			result.kind === 'uncertain'
				? { kind: 'uncertain', failure: result }
				: { kind: 'notSent', failure: result };
		await this.tellGuards(plan, itemIndex, passed, outcome);
		return this.failed(result, itemIndex);
	}

	/** Tells the guards before `passed` that apply to the item what became of it, in list order. */
	private async tellGuards(
		plan: PlannedSend,
		itemIndex: number,
		passed: number,
		outcome: SendOutcome,
	): Promise<void> {
		for (let index = 0; index < passed; index++) {
			const guard = this.guards[index];
			if (!guard.afterSend || !guard.appliesTo(plan)) continue;
			const pending = guard.afterSend(plan, itemIndex, outcome);
			if (pending) await pending;
		}
	}

	/** The same, while an error is on its way out: that error wins over any a guard throws now. */
	private async tellGuardsAfterThrow(
		plan: PlannedSend,
		itemIndex: number,
		passed: number,
		outcome: SendOutcome,
	): Promise<void> {
		for (let index = 0; index < passed; index++) {
			const guard = this.guards[index];
			if (!guard.afterSend || !guard.appliesTo(plan)) continue;
			try {
				await guard.afterSend(plan, itemIndex, outcome);
			} catch {
				// E.g. n8n's store failing to release a reservation: the recipient stays reserved, missed, never doubled.
			}
		}
	}

	/** The output of an item a guard answered for. */
	private settle(answer: GuardSkip | GuardFail, itemIndex: number): INodeExecutionData {
		if (answer.kind === 'fail') return this.failed(answer.failure, itemIndex);
		if (answer.alreadySent) this.sent++;
		return answer.item;
	}

	/** Sends one request, with the only retries allowed: never-reached connections, and one wait for a reset. */
	private async attempt(
		plan: PlannedSend,
		itemIndex: number,
		alreadyWaited: boolean,
	): Promise<Sent | SendFailure> {
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
				const rateLimit: RateLimitInfo | undefined = readRateLimit(response.headers);
				if (rateLimit) json.rateLimit = rateLimit;
				this.remember(plan, itemIndex, startedAt, { kind: 'sent', json });
				return { kind: 'sent', json, rateLimit };
			}

			const failure = failureFromResponse(this.node, itemIndex, response, Date.now());
			// A LinkedIn hold that outlasts the reset (the 429's holdUntil) is the earliest time worth trying again.
			const retryAt =
				failure.holdUntil !== undefined && failure.holdUntil > (failure.resetAt ?? 0)
					? failure.holdUntil
					: failure.resetAt;
			if (failure.kind === 'rateLimited' && !waited && this.mayWaitFor(retryAt, plan)) {
				await this.waitUntil(retryAt);
				waited = true;
				continue;
			}
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

	private succeeded(json: IDataObject, itemIndex: number): INodeExecutionData {
		this.sent++;
		return { json, pairedItem: { item: itemIndex } };
	}

	/** With Continue On Fail the failure becomes the item's output; without it, the node stops here. */
	private failed(failure: SendFailure, itemIndex: number): INodeExecutionData {
		const { error, rateLimit } = failure;
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
