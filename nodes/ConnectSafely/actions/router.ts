/**
 * The node's execute(): the item loop, Continue On Fail and pairing. It owns nothing else — how an item
 * becomes a request is its operation's (actions/<resource>/<operation>.operation.ts), how a request is
 * delivered is delivery/'s. Every item is checked and planned before the first one is sent, so a bad row in the
 * middle of a list stops the run before anything went out (with Continue On Fail, the bad rows become error
 * items and the good ones are sent). Then the requests are sent one by one, in order.
 */
import {
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { DuplicateGuard } from '../delivery/duplicateGuard';
import { errorItem, errorOutputMode } from '../delivery/errorItems';
import { planDelivery, type PlannedSend } from '../delivery/plan';
import { nodeRunOf } from '../delivery/nodeRun';
import { SendRun } from '../delivery/sendRun';
import { ParameterReader } from '../inputs/parameters';
import { resolveConnection } from '../transport/request';
import { operations } from './index';
import { readOptions, type SendOperation } from './operation';

const PLANNING_SLICE = 100;

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

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const reader = new ParameterReader(this);
	const operation = findOperation(this, reader);
	const continueOnFail = this.continueOnFail();
	const connection = await resolveConnection(this);

	const plans: Array<PlannedSend | NodeOperationError> = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// Checking a long list takes seconds: let the rest of n8n (other executions, the editor) run meanwhile.
		if (itemIndex % PLANNING_SLICE === PLANNING_SLICE - 1) await sleep(0);
		try {
			const read = (name: string) => reader.get(name, itemIndex);
			const item = { node: this.getNode(), itemIndex };
			const body = operation.buildBody(read, item);
			plans[itemIndex] = planDelivery(
				item,
				operation.path,
				body,
				readOptions(read),
				connection.credentials.id ?? '',
			);
		} catch (error) {
			const itemError = asItemError(this, error, itemIndex);
			if (!continueOnFail) throw itemError;
			plans[itemIndex] = itemError;
		}
	}

	if (plans.some((plan) => !(plan instanceof NodeOperationError) && plan.duplicateCheck)) {
		DuplicateGuard.assertAvailable(this);
	}

	const mode = errorOutputMode(this);
	const run = new SendRun(this, connection, nodeRunOf(this), continueOnFail ? mode : undefined);
	const output: INodeExecutionData[] = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const plan = plans[itemIndex];
		output[itemIndex] =
			plan instanceof NodeOperationError
				? errorItem(plan, itemIndex, mode)
				: await run.send(plan, itemIndex);
	}
	return [output];
}
