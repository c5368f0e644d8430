/** methods/: the editor's list searches (the account picker). May import transport/. */
import {
	NodeApiError,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
	type JsonObject,
} from 'n8n-workflow';

import { apiErrorText, isRedirect, redirectText } from '../transport/apiErrors';
import { requestApi, resolveConnection } from '../transport/request';
import type { ConnectSafelyAccount } from '../transport/types';

function isAccount(value: unknown): value is ConnectSafelyAccount {
	return (
		value !== null &&
		typeof value === 'object' &&
		typeof (value as ConnectSafelyAccount).id === 'string'
	);
}

function accountLabel(account: ConnectSafelyAccount): string {
	const name = [account.firstName, account.lastName].filter(Boolean).join(' ');
	const handle = account.publicId ? ` (${account.publicId})` : '';
	const status = account.status && account.status !== 'AVAILABLE' ? ` – ${account.status}` : '';
	return `${name || account.id}${handle}${status}`;
}

/** The account picker: the key's LinkedIn accounts from `GET /accounts?q=`, searched by the API. */
export async function searchAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const response = await requestApi(this, await resolveConnection(this), {
		method: 'GET',
		path: '/accounts',
		qs: filter ? { q: filter } : undefined,
		timeoutMs: 30_000,
	});
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw new NodeApiError(this.getNode(), { statusCode: response.statusCode } as JsonObject, {
			message: `Could not list the LinkedIn accounts: ${
				isRedirect(response.statusCode)
					? redirectText(response)
					: (apiErrorText(response.body) ?? `status ${response.statusCode}`)
			}`,
			description:
				'Check the API key and base URL in the ConnectSafely credential, or enter the account ID by hand.',
			httpCode: String(response.statusCode),
		});
	}
	const body = response.body;
	const list: unknown[] = Array.isArray(body)
		? body
		: Array.isArray((body as { accounts?: unknown })?.accounts)
			? (body as { accounts: unknown[] }).accounts
			: [];
	return {
		results: list
			.filter(isAccount)
			.map((account) => ({ name: accountLabel(account), value: account.id })),
	};
}
