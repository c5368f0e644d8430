import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { readAccountId, readMessage, readRecipient, type ItemContext } from '../inputs/readFields';
import type { SendRequestBody } from '../transport/types';

/** Reads one parameter of the node for the item being built. */
export type ReadParameter = (name: string) => unknown;

/** One operation of the node: its fields, its endpoint, and how an item becomes that endpoint's body. */
export interface SendOperation {
	path: string;
	description: INodeProperties[];
	/** Throws a NodeOperationError naming the field when the item cannot be sent as it is. */
	buildBody(read: ReadParameter, item: ItemContext): SendRequestBody;
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
