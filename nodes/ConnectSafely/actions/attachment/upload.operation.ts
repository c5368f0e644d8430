import { updateDisplayOptions, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { accountField, ownOptions } from '../../descriptions/fields';
import { missingInput } from '../../inputs/inputErrors';
import { readAccountId } from '../../inputs/readFields';
import { accountAskedFor, readApi } from '../../transport/readRequest';
import { readOptions, type ItemOperation } from '../operation';

/**
 * POST /conversations/upload-attachment — one file from an n8n binary property, sent as the raw request body with
 * its MIME type as Content-Type (not multipart). Output: the API's answer, which Send's Attachments option takes
 * as it is. Documented only in a third-party copy of ConnectSafely's docs (docs/conversations.md).
 */

const properties: INodeProperties[] = [
	accountField,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the file to upload',
		description:
			'The binary field of the input item that holds the file, e.g. from Read/Write Files from Disk',
	},
	ownOptions([
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'proposal.pdf',
			description: "The name LinkedIn shows, with its extension. Default: the binary file's name.",
		},
	]),
];

export const upload: ItemOperation = {
	kind: 'item',
	description: updateDisplayOptions(
		{ show: { resource: ['attachment'], operation: ['upload'] } },
		properties,
	),
	async execute({ ctx, read, item, connection }) {
		const accountId = readAccountId(item, read('account'));
		const property = String(read('binaryPropertyName') ?? '').trim();
		if (property === '') {
			throw missingInput(
				item.node,
				item.itemIndex,
				'Input Binary Field',
				'Enter the name of the binary field that holds the file (often "data").',
			);
		}
		// n8n's own check: names the item and the missing field when the input has no such file.
		const binary = ctx.helpers.assertBinaryData(item.itemIndex, property);
		const data = await ctx.helpers.getBinaryDataBuffer(item.itemIndex, property);
		const fileName =
			String(readOptions(read).fileName ?? '').trim() || binary.fileName || 'attachment';
		const qs: IDataObject = { filename: fileName };
		if (accountId !== undefined) qs.accountId = accountId;
		const { body } = await readApi(
			ctx,
			connection,
			{
				method: 'POST',
				path: '/conversations/upload-attachment',
				qs,
				rawBody: { data, contentType: binary.mimeType || 'application/octet-stream' },
				notFound: `${accountAskedFor(accountId)} was not found`,
				notFoundHint:
					'Pick the account from the Account list (upload and send from the same account), or leave it empty.',
			},
			item.itemIndex,
		);
		return [body];
	},
};
