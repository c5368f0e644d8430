import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readApi } from './readRequest';
import type { Connection } from './request';

export interface MessagesPageRequest {
	conversationUrn: string;
	accountId: string | undefined;
	/** Only messages newer than this (epoch ms). */
	since?: number;
	/** A previous answer's `cursor`: the messages older than it. */
	cursor?: string;
	count: number;
}

/**
 * GET /conversations/{conversationUrn}/messages: one page of a conversation's messages, newest first (the cursor
 * goes back in time). Used by Conversation → Get Messages and by the send option Only If They Haven't Replied.
 */
export async function readMessagesPage(
	ctx: IExecuteFunctions,
	connection: Connection,
	request: MessagesPageRequest,
	itemIndex: number,
): Promise<IDataObject> {
	const qs: IDataObject = {};
	if (request.accountId !== undefined) qs.accountId = request.accountId;
	if (request.since !== undefined) qs.since = request.since;
	qs.count = request.count;
	if (request.cursor !== undefined) qs.cursor = request.cursor;
	const { body } = await readApi(
		ctx,
		connection,
		{
			method: 'GET',
			path: `/conversations/${encodeURIComponent(request.conversationUrn)}/messages`,
			qs,
			notFound: `The conversation ${request.conversationUrn} was not found`,
			notFoundHint:
				'Check the Conversation URN (map it from Get Many or the trigger) and that it belongs to this account.',
		},
		itemIndex,
	);
	return body;
}
