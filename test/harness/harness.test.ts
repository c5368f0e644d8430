import type { INodeTypeDescription } from 'n8n-workflow';

import { ConnectSafelyApi } from '../../credentials/ConnectSafelyApi.credentials';
import { MinimalSend } from '../fixtures/MinimalSend.node';
import { closedPortUrl, faults, startStandin } from '../standin/server';
import type { StandinServer } from '../standin/server';
import {
	ITEMS_NODE_TYPE,
	MANUAL_TRIGGER_TYPE,
	itemsNodeType,
	runNode,
	runWorkflow,
	startNode,
	testCredential,
	visibleCredentialProperties,
	visibleParameters,
} from './index';

let standin: StandinServer;
const credentials = () => ({ connectSafelyApi: { apiKey: standin.apiKey, baseUrl: standin.url } });
const people = (...ids: string[]) => ids.map((id) => ({ id, name: id.toUpperCase() }));
const minimalParameters = {
	recipient: '={{ $json.id }}',
	message: '=Hello {{ $json.name }}',
};

beforeAll(async () => {
	standin = await startStandin();
});
afterEach(() => standin.reset());
afterAll(async () => {
	await standin.close();
});

describe('running the minimal node through n8n-core', () => {
	test('N items send N messages and give N outputs, one message per recipient', async () => {
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1', 'bob-2', 'cy-3'),
			credentials: credentials(),
		});
		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(3);
		expect(result.output.map((item) => item.json.message)).toEqual([
			'Hello ANN-1',
			'Hello BOB-2',
			'Hello CY-3',
		]);
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(standin.deliveryCounts()).toEqual({ 'ann-1': 1, 'bob-2': 1, 'cy-3': 1 });
		expect(result.executionOrder).toEqual(['Manual Trigger', 'Items', 'Minimal Send']);
	});

	test('the credential is applied by the harness as the n8n app would: a Bearer header', async () => {
		await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1'),
			credentials: credentials(),
		});
		const [request] = standin.requests;
		expect(request.headers.authorization).toBe(`Bearer ${standin.apiKey}`);
		expect(request.body).toEqual({ recipientProfileId: 'ann-1', message: 'Hello ANN-1' });
	});

	test('a wrong key fails the execution with the 401 as a NodeApiError', async () => {
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1'),
			credentials: { connectSafelyApi: { apiKey: 'wrong', baseUrl: standin.url } },
		});
		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ httpCode: '401' });
		expect(result.nodeError?.name).toBe('NodeApiError');
		expect(standin.delivered).toHaveLength(0);
	});

	test('runWorkflow runs a workflow written out by hand', async () => {
		const result = await runWorkflow({
			nodeTypes: {
				[ITEMS_NODE_TYPE]: itemsNodeType(people('dee-4')),
				'CUSTOM.minimalSend': new MinimalSend(),
			},
			nodes: [
				{ name: 'Start', type: MANUAL_TRIGGER_TYPE },
				{ name: 'Leads', type: ITEMS_NODE_TYPE },
				{ name: 'Send', type: 'CUSTOM.minimalSend', parameters: minimalParameters },
			],
			connections: {
				Start: { main: [[{ node: 'Leads', type: 'main', index: 0 }]] },
				Leads: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
			},
			credentials: credentials(),
			mode: 'trigger',
		});
		expect(result.status).toBe('success');
		expect(result.outputOf('Send')).toHaveLength(1);
		expect(result.outputOf('Leads')[0].json).toEqual({ id: 'dee-4', name: 'DEE-4' });
	});
});

describe("n8n's own node settings", () => {
	test('Retry On Fail re-runs the whole node: items already sent are sent again', async () => {
		standin.injectFault({ ...faults.serverError(), recipient: 'bob-2' });
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1', 'bob-2'),
			credentials: credentials(),
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
		});
		expect(result.status).toBe('success');
		expect(result.output).toHaveLength(2);
		// The resend problem: n8n retried the node, and ann-1 got the same message twice.
		expect(standin.deliveredTo('ann-1')).toHaveLength(2);
		expect(standin.deliveredTo('bob-2')).toHaveLength(1);
		expect(
			standin
				.requestsTo('/conversations/send')
				.map((r) => (r.body as { recipientProfileId: string }).recipientProfileId),
		).toEqual(['ann-1', 'bob-2', 'ann-1', 'bob-2']);
	});

	test('without retry the first failure stops the workflow', async () => {
		standin.injectFault({ ...faults.serverError(), recipient: 'bob-2' });
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1', 'bob-2', 'cy-3'),
			credentials: credentials(),
		});
		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ httpCode: '500' });
		expect(standin.delivered.map((m) => m.recipient)).toEqual(['ann-1']);
	});

	test('Continue On Fail (regular output) keeps going and outputs the error as an item', async () => {
		standin.injectFault({ ...faults.trialExpired(), recipient: 'bob-2' });
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1', 'bob-2', 'cy-3'),
			credentials: credentials(),
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(result.status).toBe('success');
		expect(result.output).toHaveLength(3);
		expect(result.output[1].json.error).toEqual(expect.any(String));
		expect(standin.delivered.map((m) => m.recipient)).toEqual(['ann-1', 'cy-3']);
	});

	test('Continue On Fail (error output) routes failed items to the second output', async () => {
		standin.injectFault({ ...faults.trialExpired(), recipient: 'bob-2' });
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1', 'bob-2'),
			credentials: credentials(),
			nodeSettings: { onError: 'continueErrorOutput' },
		});
		expect(result.outputs.map((items) => items.length)).toEqual([1, 1]);
		expect(result.outputs[1][0].json.error).toEqual(expect.any(String));
	});
});

describe('network failures reach the node', () => {
	test('connection refused', async () => {
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1'),
			credentials: { connectSafelyApi: { apiKey: 'k', baseUrl: await closedPortUrl() } },
		});
		expect(result.status).toBe('error');
		expect(JSON.stringify(result.nodeError)).toMatch(/ECONNREFUSED/);
	});

	test('a reset connection after the message was delivered', async () => {
		standin.injectFault(faults.connectionReset());
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1'),
			credentials: credentials(),
		});
		expect(result.status).toBe('error');
		expect(result.nodeError?.message).toMatch(/aborted/);
		expect(standin.deliveredTo('ann-1')).toHaveLength(1);
	});
});

describe('cancelling an execution', () => {
	test('the Stop button aborts the request in flight through the cancel signal', async () => {
		standin.injectFault(faults.slow(10000));
		const running = startNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1'),
			credentials: credentials(),
		});
		while (standin.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
		const stoppedAt = Date.now();
		running.cancel();
		const result = await running.result;
		expect(result.status).toBe('canceled');
		expect(Date.now() - stoppedAt).toBeLessThan(2000);
		// The slow answer never came, but the message was delivered.
		expect(standin.deliveredTo('ann-1')).toHaveLength(1);
	});

	test('an AbortSignal passed to runNode stops it too', async () => {
		standin.injectFault(faults.slow(10000));
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 200);
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1'),
			credentials: credentials(),
			signal: controller.signal,
		});
		expect(result.status).toBe('canceled');
	});
});

describe('logs', () => {
	test('what n8n logs during a run is captured, and the API key is not in it', async () => {
		standin.injectFault({ ...faults.serverError(), recipient: 'bob-2' });
		const result = await runNode({
			node: new MinimalSend(),
			parameters: minimalParameters,
			items: people('ann-1', 'bob-2'),
			credentials: credentials(),
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
		});
		expect(result.logs.length).toBeGreaterThan(0);
		expect(result.logText).toMatch(/Running node "Minimal Send"/);
		expect(result.logText).not.toContain(standin.apiKey);
	});
});

describe('credential test', () => {
	const credentialType = new ConnectSafelyApi();

	test('a good key passes GET /account/status through the real request path', async () => {
		const outcome = await testCredential(credentialType, {
			apiKey: standin.apiKey,
			baseUrl: standin.url,
		});
		expect(outcome).toMatchObject({ status: 'OK', httpCode: 200 });
		expect(outcome.body).toMatchObject({ linkedinPlan: { hasSalesNavigator: true } });
		expect(standin.requests).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: '/linkedin/account/status',
				headers: expect.objectContaining({ authorization: `Bearer ${standin.apiKey}` }),
			}),
		]);
	});

	test('a wrong key fails with the 401', async () => {
		const outcome = await testCredential(credentialType, { apiKey: 'nope', baseUrl: standin.url });
		expect(outcome).toMatchObject({ status: 'Error', httpCode: 401 });
	});

	test('an unreachable base URL fails with the network error', async () => {
		const outcome = await testCredential(credentialType, {
			apiKey: 'k',
			baseUrl: await closedPortUrl(),
		});
		expect(outcome.status).toBe('Error');
		// Same message the n8n app shows for a refused connection.
		expect(outcome.message).toMatch(/refused the connection|ECONNREFUSED/);
	});

	// The node itself takes an empty Base URL as ConnectSafely's own address; the Test button must too. Offline (as
	// here) the default host does not resolve; online it answers 401 to this made-up key.
	test("an empty Base URL tests against ConnectSafely's default address, as the node sends to it", async () => {
		for (const baseUrl of ['', '  ']) {
			const outcome = await testCredential(credentialType, { apiKey: 'not-a-real-key', baseUrl });
			expect(outcome.status).toBe('Error');
			// Offline: the lookup of api.connectsafely.ai fails, in n8n's words "…due to an incorrect host (domain) value".
			if (outcome.httpCode === undefined)
				expect(outcome.message).toMatch(/ENOTFOUND|EAI_AGAIN|incorrect host \(domain\)/);
			else expect(outcome.httpCode).toBe(401);
		}
	});

	test('the credential form shows the key and the base URL', () => {
		expect(visibleCredentialProperties(credentialType, {})).toEqual(['apiKey', 'baseUrl']);
	});
});

describe('parameter display logic', () => {
	test('lists the top-level parameters the editor shows for given values', () => {
		expect(visibleParameters(new MinimalSend(), {})).toEqual(['recipient', 'message']);
		const description: INodeTypeDescription = {
			...new MinimalSend().description,
			properties: [
				{
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					options: [
						{ name: 'Send', value: 'send' },
						{ name: 'Send to Group', value: 'group' },
					],
					default: 'send',
				},
				{
					displayName: 'Group ID',
					name: 'groupId',
					type: 'string',
					default: '',
					displayOptions: { show: { operation: ['group'] } },
				},
				{ displayName: 'Message', name: 'message', type: 'string', default: '' },
			],
		};
		expect(visibleParameters(description, {})).toEqual(['operation', 'message']);
		expect(visibleParameters(description, { operation: 'group' })).toEqual([
			'operation',
			'groupId',
			'message',
		]);
	});
});
