/**
 * "Skip Recipients Already Messaged": n8n's own deduplication store (the one behind the Remove Duplicates
 * node) remembers who this workflow messaged. It lives in n8n's database, so it survives restarts and is
 * shared by queue-mode workers. A recipient is reserved before the send (check-and-record in one call, so two
 * items for the same person send once), released when the API definitely refused the message, and kept when
 * the outcome is unknown: one missed message is better than a duplicate.
 */
import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { recipientKey } from '../inputs/recipient';
import type { SendRequestBody } from '../transport/types';
import { recipientLabel } from './messageIdentity';

export type SameMessageRule = 'recipient' | 'recipientAndMessage';

export interface DuplicateCheck {
	key: string;
	maxEntries: number;
	/** The recipient as the skipped item shows it. */
	recipient: string;
}

/** Scope "workflow": every ConnectSafely node of this workflow shares one history. */
const SCOPE = 'workflow';
const KEY_PREFIX = 'connectsafely';

/**
 * The identity of "the same message" in the store: the account and the recipient (one key for every form of one
 * person: inputs/recipient.ts), and with "Same Recipient and Same Text" the text. Without a recipient (a reply
 * into a conversation by its URN) the conversation stands for the person.
 */
export function duplicateCheckFor(
	body: SendRequestBody,
	rule: SameMessageRule,
	maxEntries: number,
): DuplicateCheck {
	const recipient = recipientKey(body) || `conversation:${body.conversationUrn ?? ''}`;
	const account = body.accountId ?? 'default';
	const parts = [KEY_PREFIX, account, recipient];
	if (rule === 'recipientAndMessage') parts.push(`text:${body.message}`);
	return {
		key: parts.join('|'),
		maxEntries,
		recipient: recipientLabel(body),
	};
}

/**
 * n8n keeps a workflow's whole deduplication history in one database row and each call reads, changes and
 * writes it back without a lock: two executions of the same workflow checking at the same moment lose each
 * other's records, and both send. Calls for one workflow are therefore made one at a time in this process.
 * That covers n8n's regular mode and each queue-mode worker; executions that overlap on different workers are
 * not covered (docs/scale.md). Repeat Protection (repeatStore.ts) writes the same record, so it queues here too.
 */
const storeQueues = new Map<string, Promise<void>>();

export async function oneAtATime<T>(workflowId: string, task: () => Promise<T>): Promise<T> {
	const previous = storeQueues.get(workflowId) ?? Promise.resolve();
	const run = previous.then(task);
	const tail = run.then(
		() => undefined,
		() => undefined,
	);
	storeQueues.set(workflowId, tail);
	try {
		return await run;
	} finally {
		if (storeQueues.get(workflowId) === tail) storeQueues.delete(workflowId);
	}
}

export class DuplicateGuard {
	private readonly workflowId: string;

	constructor(private readonly ctx: IExecuteFunctions) {
		this.workflowId = String(ctx.getWorkflow().id ?? '');
	}

	/** Fails before anything is sent when this n8n has no deduplication store (versions before it existed). */
	static assertAvailable(ctx: IExecuteFunctions): void {
		const helpers = ctx.helpers as Partial<IExecuteFunctions['helpers']>;
		if (
			typeof helpers.checkProcessedAndRecord !== 'function' ||
			typeof helpers.removeProcessed !== 'function'
		) {
			throw new NodeOperationError(
				ctx.getNode(),
				'This n8n has no deduplication store for "Skip Recipients Already Messaged"',
				{
					description:
						"The option needs n8n's data deduplication helpers (n8n 1.60 or newer). Update n8n, or remove the option and filter already-messaged recipients yourself. Nothing was sent.",
				},
			);
		}
	}

	/** True when the recipient was not messaged before and is now reserved for this send. */
	async reserve(check: DuplicateCheck, itemIndex: number): Promise<boolean> {
		try {
			const result = await oneAtATime(
				this.workflowId,
				async () =>
					await this.ctx.helpers.checkProcessedAndRecord([check.key], SCOPE, {
						mode: 'entries',
						maxEntries: check.maxEntries,
					}),
			);
			return result.new.length > 0;
		} catch (error) {
			throw storeError(this.ctx.getNode(), error, itemIndex);
		}
	}

	/** Forgets a reservation whose message surely did not go out, so a later run can send it. */
	async release(check: DuplicateCheck, itemIndex: number): Promise<void> {
		try {
			await oneAtATime(
				this.workflowId,
				async () =>
					await this.ctx.helpers.removeProcessed([check.key], SCOPE, {
						mode: 'entries',
						maxEntries: check.maxEntries,
					}),
			);
		} catch (error) {
			throw storeError(this.ctx.getNode(), error, itemIndex);
		}
	}
}

function storeError(node: INode, error: unknown, itemIndex: number): NodeOperationError {
	const said = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, `n8n's deduplication store failed: ${said}`, {
		itemIndex,
		description:
			'"Skip Recipients Already Messaged" shares this workflow\'s deduplication history with any Remove Duplicates node set to the workflow scope; both must keep items by value ("entries"). Clear the history with a Remove Duplicates node (operation "Clear Deduplication History"), or remove the option.',
	});
}
