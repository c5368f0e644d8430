/**
 * What a send guard is: one question asked before a message goes out ("has this execution sent it?", "is the
 * account out of quota?"), answered in one typed form. The ordered list of guards is in index.ts; sendRun.ts asks
 * them in that order, then makes the call, then tells each guard that let the item pass what became of it.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import type { SendFailure } from '../../transport/apiErrors';
import type { Connection } from '../../transport/request';
import type { RateLimitInfo } from '../../transport/types';
import type { NodeRun } from '../nodeRun';
import type { PlannedSend } from '../plan';

/** Nothing against it: ask the next guard, or send. */
export interface GuardGo {
	kind: 'go';
}

/** Not sent, and not an error: `item` is the item's output (paired with it). */
export interface GuardSkip {
	kind: 'skip';
	item: INodeExecutionData;
	/** The item is the answer of an earlier try that sent this very message: it counts as sent. */
	alreadySent?: true;
}

/** Not sent: the item fails (an error item with Continue On Fail, else the node stops). */
export interface GuardFail {
	kind: 'fail';
	failure: SendFailure;
}

/**
 * Not before `until` (epoch ms; undefined: a time nobody named). The runner waits when "Max Wait for Rate Limit"
 * covers it (then the item goes on to the next guard, and that wait is the send's one wait for a reset); otherwise
 * the item ends as `otherwise()` says.
 */
export interface GuardNotNow {
	kind: 'notNow';
	until: number | undefined;
	otherwise: () => GuardSkip | GuardFail;
}

export type GuardAnswer = GuardGo | GuardSkip | GuardFail | GuardNotNow;

/** The one "go" answer: a guard that lets an item pass allocates nothing. */
export const GO: GuardGo = { kind: 'go' };

/**
 * What became of an item after every guard let it pass (or a later one held it back):
 * - `sent`: the API took the message;
 * - `notSent`: surely nothing went out — the API refused it (`failure`: rejected or rateLimited), a later guard held
 *   it back, or the execution stopped before the request (no `failure`);
 * - `uncertain`: it may have gone out — a bad or missing answer (`failure`), or a stop or error while the request
 *   was out (no `failure`: the error is thrown).
 */
export type SendOutcome =
	| { kind: 'sent'; json: IDataObject; rateLimit?: RateLimitInfo }
	| { kind: 'notSent'; failure?: SendFailure }
	| { kind: 'uncertain'; failure?: SendFailure };

/** What a guard may use: this node run's n8n context, its connection and its place in the execution. */
export interface GuardContext {
	ctx: IExecuteFunctions;
	connection: Connection;
	run: NodeRun;
	node: INode;
}

export interface SendGuard {
	/**
	 * Whether the guard has anything to ask for this item (its option is on): synchronous and cheap, so that a
	 * guard whose option is off costs nothing. When false, neither `check` nor `afterSend` is called.
	 */
	appliesTo(plan: PlannedSend): boolean;
	/** The question. A guard that reserves something here (a recipient, a slot) releases it in `afterSend`. */
	check(plan: PlannedSend, itemIndex: number): GuardAnswer | Promise<GuardAnswer>;
	/**
	 * Called once per item this guard answered "go" to, in list order, before the item's output is made: learn
	 * from the answer (quota headers) or release a reservation. When the send threw, the guard is told too, but
	 * what it throws is ignored (the original error wins).
	 */
	afterSend?(plan: PlannedSend, itemIndex: number, outcome: SendOutcome): void | Promise<void>;
}

/** How guards name an account in what they say. */
export function accountName(account: string): string {
	return account === '' ? 'the default account' : `account ${account}`;
}
