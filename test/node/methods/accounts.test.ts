/**
 * The account picker (the `searchAccounts` list search) and the credential test, against the stand-in.
 *
 * The list search runs the way the n8n app runs it (DynamicNodeParametersService.getResourceLocatorResults):
 * a real n8n-core LoadOptionsContext over a workflow holding the node with its credential, and the node's
 * `methods.listSearch.searchAccounts` called with that as `this`. Its request goes through n8n-core's real
 * httpRequestWithAuthentication with the credential applied. What this does not exercise is the app's REST
 * endpoint and the editor's rendering of the results.
 */
import { LoadOptionsContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeListSearchResult,
} from 'n8n-workflow';

import { ConnectSafelyApi } from '../../../credentials/ConnectSafelyApi.credentials';
import { ConnectSafely } from '../../../nodes/ConnectSafely/ConnectSafely.node';
import { harnessAdditionalData } from '../../harness/additional-data';
import { HarnessCredentialsHelper, HarnessNodeTypes, testCredential } from '../../harness';
import {
	closedPortUrl,
	DISCONNECTED_ACCOUNT_ID,
	INBOX_ACCOUNT_ID,
	SALES_NAV_ACCOUNT_ID,
	startStandin,
} from '../../standin/server';
import { faults } from '../../standin/faults';
import { byId, NODE_TYPE, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

/** Calls the node's account search through n8n-core's LoadOptionsContext, as the editor's list does. */
async function searchAccounts(
	filter?: string,
	credential: ICredentialDataDecryptedObject = {
		apiKey: bed.standin.apiKey,
		baseUrl: bed.standin.url,
	},
): Promise<INodeListSearchResult> {
	const nodeType = new ConnectSafely();
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'message', operation: 'send' },
		credentials: { connectSafelyApi: { id: 'cred-1', name: 'ConnectSafely account' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes({ [NODE_TYPE]: nodeType }),
	});
	const helper = new HarnessCredentialsHelper([new ConnectSafelyApi()], {
		connectSafelyApi: credential,
	});
	const context = new LoadOptionsContext(
		workflow,
		node,
		harnessAdditionalData(helper),
		'parameters.account',
	);
	return await nodeType.methods.listSearch.searchAccounts.call(context, filter);
}

describe('the account picker lists the LinkedIn accounts of the API key', () => {
	test('without a search it lists every account by name and public ID, with its ID as the value', async () => {
		const result = await searchAccounts();
		expect(result.results).toEqual([
			{ name: 'Ada Lovelace (ada-lovelace)', value: SALES_NAV_ACCOUNT_ID },
			{ name: 'Grace Hopper (grace-hopper)', value: INBOX_ACCOUNT_ID },
			{ name: 'Alan Turing (alan-turing) – ERROR', value: DISCONNECTED_ACCOUNT_ID },
		]);
		expect(bed.standin.requests).toHaveLength(1);
		const [request] = bed.standin.requests;
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/linkedin/accounts');
		expect(request.query).toEqual({});
		expect(request.headers.authorization).toBe(`Bearer ${bed.standin.apiKey}`);
	});

	test('a search is passed to the API as q and only matching accounts are listed', async () => {
		const result = await searchAccounts('grace');
		expect(bed.standin.requests[0].query).toEqual({ q: 'grace' });
		expect(result.results).toEqual([
			{ name: 'Grace Hopper (grace-hopper)', value: INBOX_ACCOUNT_ID },
		]);
	});

	test('a search that matches nothing gives an empty list, not an error', async () => {
		expect((await searchAccounts('nobody-by-that-name')).results).toEqual([]);
	});

	test('an account with a broken session is marked so the user does not pick it unknowingly', async () => {
		const result = await searchAccounts('alan');
		expect(result.results[0].name).toMatch(/ERROR/);
	});

	test('a list wrapped as { accounts: […] } is read too, and entries without an id are skipped', async () => {
		bed.standin.injectFault({
			path: '/accounts',
			status: 200,
			body: { accounts: [{ id: 'acc_12345', firstName: 'Sam' }, { firstName: 'No id' }, 'junk'] },
		});
		expect((await searchAccounts()).results).toEqual([{ name: 'Sam', value: 'acc_12345' }]);
	});

	test("a wrong key shows the API's rejection and what to do", async () => {
		await expect(
			searchAccounts(undefined, { apiKey: 'cs_wrong', baseUrl: bed.standin.url }),
		).rejects.toMatchObject({
			name: 'NodeApiError',
			httpCode: '401',
			message: 'Could not list the LinkedIn accounts: Unauthorized - Invalid credentials',
			description: expect.stringMatching(
				/Check the API key and base URL .* or enter the account ID by hand/,
			),
		});
	});

	test('a redirect is not followed and the error names the address it points to', async () => {
		bed.standin.injectFault({
			...faults.redirect(301, 'https://api.example.test/linkedin/accounts'),
			path: '/accounts',
		});
		await expect(searchAccounts()).rejects.toMatchObject({
			httpCode: '301',
			message:
				"Could not list the LinkedIn accounts: ConnectSafely's address answered with a redirect (301) to https://api.example.test/linkedin/accounts",
		});
		expect(bed.standin.requests).toHaveLength(1);
	});

	test('a server error of the list shows its status and words', async () => {
		bed.standin.injectFault({
			path: '/accounts',
			status: 500,
			body: { error: 'Database unavailable' },
		});
		await expect(searchAccounts()).rejects.toMatchObject({
			httpCode: '500',
			message: 'Could not list the LinkedIn accounts: Database unavailable',
		});
	});

	test('an account picked from the list is the account the message is sent from', async () => {
		const picked = (await searchAccounts('grace')).results[0].value as string;
		bed.standin.reset();
		const result = await bed.run({
			parameters: {
				account: {
					__rl: true,
					mode: 'list',
					value: picked,
					cachedResultName: 'Grace Hopper (grace-hopper)',
				},
				recipient: byId('jane-doe'),
				message: 'Hi',
			},
		});
		expect(result.nodeError).toBeUndefined();
		expect(bed.standin.requests[0].body).toEqual({
			accountId: INBOX_ACCOUNT_ID,
			recipientProfileId: 'jane-doe',
			message: 'Hi',
		});
		expect(bed.standin.delivered[0].accountId).toBe(INBOX_ACCOUNT_ID);
	});
});

describe('the credential test', () => {
	const credential = new ConnectSafelyApi();

	test('passes with the right key, by calling GET /account/status with the Bearer key', async () => {
		const outcome = await testCredential(credential, {
			apiKey: bed.standin.apiKey,
			baseUrl: bed.standin.url,
		});
		expect(outcome).toMatchObject({ status: 'OK', httpCode: 200 });
		expect(outcome.body).toMatchObject({ id: SALES_NAV_ACCOUNT_ID, status: 'AVAILABLE' });
		expect(bed.standin.requests).toHaveLength(1);
		expect(bed.standin.requests[0]).toMatchObject({
			method: 'GET',
			path: '/linkedin/account/status',
		});
		expect(bed.standin.requests[0].headers.authorization).toBe(`Bearer ${bed.standin.apiKey}`);
	});

	test('a base URL with a trailing slash still reaches /account/status', async () => {
		const outcome = await testCredential(credential, {
			apiKey: bed.standin.apiKey,
			baseUrl: `${bed.standin.url}/`,
		});
		expect(outcome.status).toBe('OK');
		expect(bed.standin.requests[0].path).toBe('/linkedin/account/status');
	});

	test("fails with a wrong key, showing the API's rejection (401)", async () => {
		const outcome = await testCredential(credential, {
			apiKey: 'cs_wrong_key',
			baseUrl: bed.standin.url,
		});
		expect(outcome.status).toBe('Error');
		expect(outcome.httpCode).toBe(401);
		// n8n shows the status (the credential declares no `rules` that would word it better).
		expect(outcome.message).toMatch(/401|Unauthorized/);
		expect(bed.standin.requests[0].headers.authorization).toBe('Bearer cs_wrong_key');
	});

	test('fails on a redirect without following it: the key never goes to the other address', async () => {
		const elsewhere = await startStandin();
		try {
			bed.standin.injectFault({
				...faults.redirect(307, `${elsewhere.url}/account/status`),
				path: '/account/status',
			});
			const outcome = await testCredential(credential, {
				apiKey: bed.standin.apiKey,
				baseUrl: bed.standin.url,
			});
			expect(outcome.status).toBe('Error');
			expect(bed.standin.requests).toHaveLength(1);
			expect(elsewhere.requests).toHaveLength(0);
		} finally {
			await elsewhere.close();
		}
	});

	test('fails when nothing listens at the base URL', async () => {
		const outcome = await testCredential(credential, {
			apiKey: bed.standin.apiKey,
			baseUrl: await closedPortUrl(),
		});
		expect(outcome.status).toBe('Error');
		expect(outcome.message).toMatch(/ECONNREFUSED|refused/i);
	});
});
