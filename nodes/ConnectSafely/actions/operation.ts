/**
 * The two kinds of operation the router runs: sends (each item checked and planned first, then delivered by
 * delivery/ under the send ledger) and item operations (reads and the upload: each item runs on its own and may
 * give several output items). May import inputs/ and transport/.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readAccountId, readMessage, readRecipient, type ItemContext } from '../inputs/readFields';
import type { Connection } from '../transport/request';
import type { SendRequestBody } from '../transport/types';

/** Reads one parameter of the node for the item being built. */
export type ReadParameter = (name: string) => unknown;

/** A send: its fields, its endpoint, and how an item becomes that endpoint's body. */
export interface SendOperation {
	kind?: 'send';
	path: string;
	description: INodeProperties[];
	/** Throws a NodeOperationError naming the field when the item cannot be sent as it is. */
	buildBody(read: ReadParameter, item: ItemContext): SendRequestBody;
}

/** What an item operation gets for one item. */
export interface ItemCall {
	ctx: IExecuteFunctions;
	read: ReadParameter;
	item: ItemContext;
	connection: Connection;
}

/** An operation that changes nothing on LinkedIn: each item runs on its own and gives zero or more outputs. */
export interface ItemOperation {
	kind: 'item';
	description: INodeProperties[];
	/** The output items' JSON; the router pairs them with the input item. Throws the item's error. */
	execute(call: ItemCall): Promise<IDataObject[]>;
}

export type Operation = SendOperation | ItemOperation;

export function isItemOperation(operation: Operation): operation is ItemOperation {
	return operation.kind === 'item';
}

/** The Options collection as n8n returns it: an object holding only the options the user added. */
export function readOptions(read: ReadParameter): IDataObject {
	const options = read('options');
	return options !== null && typeof options === 'object' && !Array.isArray(options)
		? (options as IDataObject)
		: {};
}

/**
 * The fields every direct-message operation starts with: sending account, recipient, message — in the order
 * the API pages list them. Empty optional fields are left out, never sent as "".
 */
export function directMessageBody(
	read: ReadParameter,
	item: ItemContext,
	emptyRecipientHint: string | undefined,
): SendRequestBody {
	const accountId = readAccountId(item, read('account'));
	const recipient = readRecipient(item, read('recipient'), emptyRecipientHint);
	const message = readMessage(item, read('message'));
	return { ...(accountId === undefined ? {} : { accountId }), ...recipient, message };
}

export const RECIPIENT_REQUIRED =
	'Enter who receives the message: a profile URL, a public ID or a profile URN.';
