import {
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { errorItem, errorOutputMode } from '../errorItems';
import { DuplicateGuard, duplicateCheckFor, type SameMessageRule } from '../duplicateGuard';
import { readChoice } from '../inputs';
import { ParameterReader } from '../parameters';
import { SendRun } from '../sendRun';
import { forgetRun, type RunScope } from '../sendLedger';
import { resolveConnection } from '../transport';
import type { PlannedSend } from '../types';
import { operations } from './index';
import { readOptions, type SendOperation } from './operation';

const DEFAULT_TIMEOUT_S = 60;
const PLANNING_SLICE = 100;
const DEFAULT_REMEMBERED_RECIPIENTS = 10_000;
const SAME_MESSAGE_RULES: SameMessageRule[] = ['recipient', 'recipientAndMessage'];

/** A number option as the user set it, or the default when it is missing, negative or not a number. */
function nonNegativeNumber(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function findOperation(ctx: IExecuteFunctions, reader: ParameterReader): SendOperation {
	const resource = String(reader.get('resource', 0, 'message'));
	const operation = String(reader.get('operation', 0, 'send'));
	const found = operations[resource]?.[operation];
	if (!found) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Unknown operation "${operation}" of resource "${resource}"`,
			{
				description: 'Pick a resource and an operation in the node again.',
			},
		);
	}
	return found;
}

function planItem(
	ctx: IExecuteFunctions,
	reader: ParameterReader,
	operation: SendOperation,
	itemIndex: number,
): PlannedSend {
	const read = (name: string) => reader.get(name, itemIndex);
	const item = { node: ctx.getNode(), itemIndex };
	const body = operation.buildBody(read, item);
	const options = readOptions(read);
	const plan: PlannedSend = {
		path: operation.path,
		body,
		accountKey: body.accountId ?? '',
		timeoutMs: Math.max(1, nonNegativeNumber(options.timeout, DEFAULT_TIMEOUT_S)) * 1000,
		maxRateLimitWaitMs: nonNegativeNumber(options.maxWaitForRateLimit, 0) * 1000,
	};
	const rule = readChoice(
		item,
		'Skip Recipients Already Messaged',
		options.skipAlreadyMessaged,
		SAME_MESSAGE_RULES,
	);
	if (rule !== undefined) {
		const limit = nonNegativeNumber(
			options.rememberedRecipientsLimit,
			DEFAULT_REMEMBERED_RECIPIENTS,
		);
		plan.duplicateCheck = duplicateCheckFor(
			body,
			rule as SameMessageRule,
			Math.max(1, Math.floor(limit)),
		);
	}
	return plan;
}

function asItemError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	// An expression that failed to resolve, for instance: keep its words, name the item.
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `${message} (item ${itemIndex})`, { itemIndex });
}

/**
 * The node's execute(): every item is checked and turned into a request before the first one is sent, so a
 * bad row in the middle of a list stops the run before anything went out (with Continue On Fail, the bad rows
 * become error items and the good ones are sent). Then the requests are sent one by one, in order.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const reader = new ParameterReader(this);
	const operation = findOperation(this, reader);
	const continueOnFail = this.continueOnFail();

	const plans: Array<PlannedSend | NodeOperationError> = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// Checking a long list takes seconds: let the rest of n8n (other executions, the editor) run meanwhile.
		if (itemIndex % PLANNING_SLICE === PLANNING_SLICE - 1) await sleep(0);
		try {
			plans[itemIndex] = planItem(this, reader, operation, itemIndex);
		} catch (error) {
			const itemError = asItemError(this, error, itemIndex);
			if (!continueOnFail) throw itemError;
			plans[itemIndex] = itemError;
		}
	}

	if (plans.some((plan) => !(plan instanceof NodeOperationError) && plan.duplicateCheck)) {
		DuplicateGuard.assertAvailable(this);
	}

	const executionId = this.getExecutionId();
	const scope: RunScope | undefined = executionId
		? { executionId, nodeName: this.getNode().name }
		: undefined;
	const mode = errorOutputMode(this);
	const run = new SendRun(
		this,
		await resolveConnection(this),
		scope,
		continueOnFail ? mode : undefined,
	);
	const output: INodeExecutionData[] = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const plan = plans[itemIndex];
		output[itemIndex] =
			plan instanceof NodeOperationError
				? errorItem(plan, itemIndex, mode)
				: await run.send(plan, itemIndex);
	}
	// Reached only when the run did not throw, and n8n retries only a node that threw.
	if (scope) forgetRun(scope);
	return [output];
}
