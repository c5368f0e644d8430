import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { accountAskedFor, readApi } from './readRequest';
import type { Connection } from './request';

/**
 * GET /conversations/exists/{profileId}: whether the account already has a conversation with this person (one
 * LinkedIn call, no history). Used by Get by Recipient and by the send option Only If No Conversation Yet.
 */
export async function conversationWith(
	ctx: IExecuteFunctions,
	connection: Connection,
	profileId: string,
	accountId: string | undefined,
	itemIndex: number,
): Promise<IDataObject> {
	const { body } = await readApi(
		ctx,
		connection,
		{
			method: 'GET',
			path: `/conversations/exists/${encodeURIComponent(profileId)}`,
			qs: accountId === undefined ? undefined : { accountId },
			notFound: `${accountAskedFor(accountId)} or the profile ${profileId} was not found`,
			notFoundHint:
				'Check the profile URL or public ID, and the Account (leave it empty for the default one).',
		},
		itemIndex,
	);
	return body;
}
