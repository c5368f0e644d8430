import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

/**
 * How failed items leave the node when the user chose to continue on errors:
 * - "Continue" (regular output, and the legacy Continue On Fail): `{ error, description, httpCode?, rateLimit? }`,
 *   so a workflow can branch on `httpCode` or wait until `rateLimit.resetsAt`;
 * - "Continue (using error output)": the item carries the error itself, which is what makes n8n route it to the
 *   error output. n8n then reduces its JSON to `{ error }` (the details stay on the error).
 */
export type ErrorOutputMode = 'regular' | 'errorOutput';

export function errorOutputMode(ctx: IExecuteFunctions): ErrorOutputMode {
	return ctx.getNode().onError === 'continueErrorOutput' ? 'errorOutput' : 'regular';
}

export function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	mode: ErrorOutputMode,
	details: IDataObject = {},
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	Object.assign(json, details);
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	if (mode === 'errorOutput') item.error = error;
	return item;
}
