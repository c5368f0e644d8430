/**
 * Account → Get Quota: how much of each rate-limited action an account has used, one item per action, read
 * through the real n8n-core engine from the stand-in's GET /account/{accountId}/quota.
 */
import type { INodeParameters } from 'n8n-workflow';

import {
	DISCONNECTED_ACCOUNT_ID,
	INBOX_ACCOUNT_ID,
	SALES_NAV_ACCOUNT_ID,
	UNKNOWN_ACCOUNT_ID,
	faults,
} from '../../standin/server';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const getQuota = (account?: unknown): INodeParameters => ({
	resource: 'account',
	operation: 'getQuota',
	...(account === undefined ? {} : { account: account as INodeParameters['account'] }),
});

const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

describe('Account → Get Quota', () => {
	test('one item per quota, paired, with the numbers the API gives and resetAt as ISO 8601', async () => {
		bed.standin.setQuota(INBOX_ACCOUNT_ID, { limit: 20, used: 7 });
		const result = await bed.run({ parameters: getQuota(fromList(INBOX_ACCOUNT_ID)) });
		expect(result.error).toBeUndefined();
		expect(bed.standin.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /linkedin/account/${INBOX_ACCOUNT_ID}/quota`,
		]);
		expect(result.output.map((item) => item.json.feature)).toEqual([
			'PROFILE_VIEW',
			'MESSAGE',
			'CONNECT',
		]);
		expect(result.output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(
			true,
		);
		const message = result.output[1].json;
		expect(message).toEqual({
			accountId: INBOX_ACCOUNT_ID,
			feature: 'MESSAGE',
			window: 'daily',
			used: 7,
			limit: 20,
			remaining: 13,
			limitReached: false,
			resetAt: bed.standin.quota(INBOX_ACCOUNT_ID).resetAt,
			linkedinLimit: 250,
			limitReachedAt: null,
		});
		expect(bed.standin.quotaAnswer(INBOX_ACCOUNT_ID).quotas[1].resetAt).toMatch(
			/ 00:00:00\+00:00$/,
		);
	});

	test('an account given By ID, or per item from an expression: each item reads its own account', async () => {
		bed.standin.setQuota(SALES_NAV_ACCOUNT_ID, { used: 3 });
		const result = await bed.run({
			parameters: getQuota(byId('={{ $json.account }}')),
			items: [{ account: INBOX_ACCOUNT_ID }, { account: SALES_NAV_ACCOUNT_ID }],
		});
		const messages = result.output.filter((item) => item.json.feature === 'MESSAGE');
		expect(messages.map((item) => [item.json.accountId, item.json.used, item.pairedItem])).toEqual([
			[INBOX_ACCOUNT_ID, 0, { item: 0 }],
			[SALES_NAV_ACCOUNT_ID, 3, { item: 1 }],
		]);
	});

	test("Account left empty: the API key's default account, found with GET /account/status first", async () => {
		bed.standin.setQuota(undefined, { used: 5 });
		const result = await bed.run({ parameters: getQuota(fromList('')) });
		expect(result.error).toBeUndefined();
		expect(bed.standin.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /linkedin/account/status',
			`GET /linkedin/account/${SALES_NAV_ACCOUNT_ID}/quota`,
		]);
		expect(bed.standin.requests[0].query).toEqual({});
		const message = result.output.find((item) => item.json.feature === 'MESSAGE')?.json;
		expect(message).toMatchObject({ accountId: SALES_NAV_ACCOUNT_ID, used: 5 });
	});

	test('a quota reflects what the node sent: a send, then Get Quota, counts it', async () => {
		await bed.run({
			parameters: {
				operation: 'send',
				account: byId(INBOX_ACCOUNT_ID),
				recipient: byId('jane-doe'),
				message: 'Hi',
			},
		});
		const result = await bed.run({ parameters: getQuota(byId(INBOX_ACCOUNT_ID)) });
		expect(result.output.find((item) => item.json.feature === 'MESSAGE')?.json.used).toBe(1);
	});

	test('an account the key does not have: a 404 error naming the Account; with Continue On Fail an error item', async () => {
		const failed = await bed.run({ parameters: getQuota(byId(UNKNOWN_ACCOUNT_ID)) });
		expect(failed.nodeError?.message).toBe(
			`The LinkedIn account ${UNKNOWN_ACCOUNT_ID} was not found: Account not found`,
		);
		expect(failed.nodeError?.description).toMatch(/^Pick the account from the Account list/);
		const continued = await bed.run({
			parameters: getQuota(byId('={{ $json.account }}')),
			items: [{ account: UNKNOWN_ACCOUNT_ID }, { account: INBOX_ACCOUNT_ID }],
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(continued.output[0].json).toMatchObject({ httpCode: '404' });
		expect(continued.output[0].pairedItem).toEqual({ item: 0 });
		expect(continued.output.slice(1).map((item) => item.pairedItem)).toEqual([
			{ item: 1 },
			{ item: 1 },
			{ item: 1 },
		]);
	});

	test('a disconnected account still answers (the quota needs no LinkedIn session)', async () => {
		const result = await bed.run({ parameters: getQuota(byId(DISCONNECTED_ACCOUNT_ID)) });
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(3);
	});

	test('API errors: a server error, a bad key, a 429 — each says what happened, nothing is retried', async () => {
		bed.standin.injectFault({ ...faults.serverError(), path: '/account/*/quota' });
		const server = await bed.run({ parameters: getQuota(byId(INBOX_ACCOUNT_ID)) });
		expect(server.nodeError?.message).toBe(
			'ConnectSafely answered 500: Failed to get LinkedIn authentication credentials',
		);
		expect(server.nodeError?.description).toMatch(/running the item again is safe/);

		const key = await bed.run({ parameters: getQuota(byId(INBOX_ACCOUNT_ID)), apiKey: 'wrong' });
		expect(key.nodeError?.message).toMatch(/^ConnectSafely rejected the API key/);

		bed.standin.injectFault({ ...faults.dailyLimitReached(60_000), path: '/account/*/quota' });
		const limited = await bed.run({ parameters: getQuota(byId(INBOX_ACCOUNT_ID)) });
		expect(limited.nodeError?.message).toMatch(/^Rate limit reached for MESSAGE: 150\/150 used/);
		expect(bed.standin.requestsTo(`/account/${INBOX_ACCOUNT_ID}/quota`)).toHaveLength(3);
	});

	test('when the default account cannot be found, the error says so and the quota is not asked', async () => {
		bed.standin.injectFault({
			status: 404,
			body: { error: 'No account' },
			path: '/account/status',
		});
		const result = await bed.run({ parameters: getQuota(fromList('')) });
		expect(result.nodeError?.message).toBe(
			'The API key has no default LinkedIn account: No account',
		);
		expect(bed.standin.requests).toHaveLength(1);
	});

	test('an answer not in the documented shape is an error naming what is wrong, not empty items', async () => {
		bed.standin.injectFault({
			status: 200,
			path: '/account/*/quota',
			body: {
				accountId: INBOX_ACCOUNT_ID,
				quotas: [{ feature: 'MESSAGE', used: '3', limit: 150 }],
			},
		});
		const result = await bed.run({ parameters: getQuota(byId(INBOX_ACCOUNT_ID)) });
		expect(result.nodeError?.message).toBe(
			"ConnectSafely's quota answer is not in the expected shape: quotas[0].used is not a number",
		);
	});

	test('an Account that is no account ID is refused before any call, naming the field', async () => {
		const result = await bed.run({
			parameters: getQuota(byId('={{ $json.account }}')),
			items: [{ account: 'not an id!' }],
		});
		expect(result.nodeError?.message).toMatch(
			/^Account: "not an id!" is not a ConnectSafely account ID/,
		);
		expect(bed.standin.requests).toHaveLength(0);
	});
});
