/**
 * The node's execute(): the item loop, Continue On Fail and pairing. It owns nothing else — how an item
 * becomes a request is its operation's (actions/<resource>/<operation>.operation.ts), how a request is
 * delivered is delivery/'s. Every item is checked and planned before the first one is sent, so a bad row in the
 * middle of a list stops the run before anything went out (with Continue On Fail, the bad rows become error
 * items and the good ones are sent). Then the requests are sent one by one, in order (with "Pause Between
 * Messages", in order per sending account).
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { DuplicateGuard } from '../delivery/duplicateGuard';
import { errorItem, errorOutputMode } from '../delivery/errorItems';
import { planDelivery, type PlannedSend } from '../delivery/plan';
import { nodeRunOf } from '../delivery/nodeRun';
import { SendRun } from '../delivery/sendRun';
import { ParameterReader } from '../inputs/parameters';
import { resolveConnection, type Connection } from '../transport/request';
import { operations } from './index';
import {
	isItemOperation,
	readOptions,
	type ItemOperation,
	type Operation,
	type SendOperation,
} from './operation';

/** Longest stretch of planning (checking items, n8n resolving their expressions) before other work may run. */
const PLANNING_SLICE_MS = 15;

function findOperation(ctx: IExecuteFunctions, reader: ParameterReader): Operation {
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

/** What fails one item: its input (NodeOperationError) or, for reads, the API's answer (NodeApiError). */
type ItemError = NodeOperationError | NodeApiError;

function isItemError(value: unknown): value is ItemError {
	return value instanceof NodeOperationError || value instanceof NodeApiError;
}

function asItemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): ItemError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	// An expression that failed to resolve, for instance: keep its words, name the item.
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), message, { itemIndex });
}

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const reader = new ParameterReader(this);
	const operation = findOperation(this, reader);
	const connection = await resolveConnection(this);
	return isItemOperation(operation)
		? await runEachItem(this, reader, operation, connection)
		: await sendAll(this, reader, operation, connection);
}

/** Reads and uploads: each item on its own, its outputs paired with it; a failure is that item's. */
async function runEachItem(
	ctx: IExecuteFunctions,
	reader: ParameterReader,
	operation: ItemOperation,
	connection: Connection,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const mode = errorOutputMode(ctx);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await operation.execute({
				ctx,
				read: (name: string) => reader.get(name, itemIndex),
				item: { node: ctx.getNode(), itemIndex },
				connection,
			});
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const itemError = asItemError(ctx, error, itemIndex);
			if (!continueOnFail) throw itemError;
			output.push(errorItem(itemError, itemIndex, mode, httpDetails(itemError)));
		}
	}
	return [output];
}

function httpDetails(error: ItemError): IDataObject {
	return error instanceof NodeApiError && error.httpCode ? { httpCode: error.httpCode } : {};
}

/** Sends: every item checked and planned before the first is sent, then delivered in order. */
async function sendAll(
	ctx: IExecuteFunctions,
	reader: ParameterReader,
	operation: SendOperation,
	connection: Connection,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();

	const plans: Array<PlannedSend | ItemError> = new Array(items.length);
	let sliceStarted = Date.now();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// Checking a long list takes seconds: let the rest of n8n (other executions, the editor) run meanwhile.
		if (Date.now() - sliceStarted >= PLANNING_SLICE_MS) {
			await sleep(0);
			sliceStarted = Date.now();
		}
		try {
			const read = (name: string) => reader.get(name, itemIndex);
			const item = { node: ctx.getNode(), itemIndex };
			const body = operation.buildBody(read, item);
			plans[itemIndex] = planDelivery(
				item,
				operation.path,
				body,
				readOptions(read),
				connection.credentials.id ?? '',
			);
		} catch (error) {
			const itemError = asItemError(ctx, error, itemIndex);
			if (!continueOnFail) throw itemError;
			plans[itemIndex] = itemError;
		}
	}

	if (plans.some((plan) => !isItemError(plan) && plan.duplicateCheck)) {
		DuplicateGuard.assertAvailable(ctx);
	}

	const mode = errorOutputMode(ctx);
	const run = new SendRun(ctx, connection, nodeRunOf(ctx), continueOnFail ? mode : undefined);
	const output: INodeExecutionData[] = new Array(items.length);
	// Every item in order; with "Pause Between Messages", one account's items (`lane`), the accounts side by side.
	await run.sendAll(plans, async (lane) => {
		const count = lane === undefined ? items.length : lane.length;
		for (let position = 0; position < count; position++) {
			const itemIndex = lane === undefined ? position : lane[position];
			const plan = plans[itemIndex];
			output[itemIndex] = isItemError(plan)
				? errorItem(plan, itemIndex, mode)
				: await run.send(plan, itemIndex);
		}
	});
	return [output];
}
