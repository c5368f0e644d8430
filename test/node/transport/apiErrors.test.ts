/**
 * API errors: every status and body shape ConnectSafely answers with becomes a NodeApiError that carries the
 * HTTP code and the item, and says in the API's own words what went wrong and what to do. With Continue On Fail
 * the failed item becomes an error item, paired with its input, and the other items go on.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { NodeRunResult } from '../../harness';
import {
	closedPortUrl,
	DISCONNECTED_ACCOUNT_ID,
	faults,
	INBOX_ACCOUNT_ID,
	UNKNOWN_ACCOUNT_ID,
	type Fault,
} from '../../standin/server';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const URN = 'urn:li:fsd_profile:ACoAAFpqSoMB8vTqRbg4mN_wbabO8w0gjgFu-6o';

const send: INodeParameters = { operation: 'send', recipient: byId('jane-doe'), message: 'Hi' };
const legacy: INodeParameters = {
	operation: 'sendLegacy',
	recipient: byId('jane-doe'),
	message: 'Hi',
};
const group: INodeParameters = {
	resource: 'groupMessage',
	operation: 'sendWithAck',
	recipientProfileUrn: URN,
	groupId: '12345678',
	message: 'Hi',
};

interface ApiFailure {
	name: string;
	parameters: INodeParameters;
	fault?: Fault;
	apiKey?: string;
	httpCode: string;
	message: RegExp;
	description: RegExp;
}

function expectApiError(
	result: NodeRunResult,
	expected: Pick<ApiFailure, 'httpCode' | 'message' | 'description'>,
	itemIndex = 0,
) {
	const error = result.nodeError;
	expect(error).toBeDefined();
	expect(error?.name).toBe('NodeApiError');
	expect((error as unknown as { httpCode: string | null }).httpCode).toBe(expected.httpCode);
	expect(error?.context.itemIndex).toBe(itemIndex);
	expect(error?.message).toMatch(expected.message);
	expect(error?.description).toMatch(expected.description);
	expect(result.status).toBe('error');
}

const failures: ApiFailure[] = [
	{
		name: '400 {error: "…"} shows the API\'s text',
		parameters: send,
		fault: { status: 400, body: { error: 'Recipient profile could not be resolved' } },
		httpCode: '400',
		message:
			/^ConnectSafely rejected the request \(400\): Recipient profile could not be resolved$/,
		description: /Correct the fields the API names.*Nothing was sent/,
	},
	{
		name: '400 {success: false, error: "…"} shows the API\'s text',
		parameters: legacy,
		fault: { status: 400, body: { success: false, error: 'message is required' } },
		httpCode: '400',
		message: /^ConnectSafely rejected the request \(400\): message is required$/,
		description: /Correct the fields/,
	},
	{
		name: '400 ZodError lists each issue with its field',
		parameters: group,
		fault: {
			status: 400,
			body: {
				success: false,
				error: {
					name: 'ZodError',
					issues: [
						{ code: 'invalid_type', path: ['message'], message: 'Required' },
						{
							code: 'invalid_type',
							path: ['groupId'],
							message: 'Expected string, received number',
						},
					],
				},
			},
		},
		httpCode: '400',
		message:
			/^ConnectSafely rejected the request \(400\): invalid request: message: Required; groupId: Expected string, received number$/,
		description: /Correct the fields/,
	},
	{
		name: "400 for Sales Navigator on an account without it (the stand-in's own answer)",
		parameters: {
			...send,
			account: { __rl: true, mode: 'list', value: INBOX_ACCOUNT_ID },
			options: { messagingChannel: 'sales_navigator' },
		},
		httpCode: '400',
		message: /\(400\): This account does not have Sales Navigator/,
		description: /Nothing was sent/,
	},
	{
		name: '401 says the key was rejected: check the credential',
		parameters: send,
		apiKey: 'cs_wrong_key',
		httpCode: '401',
		message: /^ConnectSafely rejected the API key: Unauthorized - Invalid credentials$/,
		description: /Check the API key in the ConnectSafely credential/,
	},
	{
		name: '403 trial expired says to subscribe',
		parameters: send,
		fault: faults.trialExpired(),
		httpCode: '403',
		message: /the trial has expired: Your trial has expired\. Please subscribe/,
		description: /Subscribe to a ConnectSafely plan/,
	},
	{
		name: '403 of the group endpoint (its `message` shape) says the group does not allow it',
		parameters: group,
		fault: faults.groupForbidden(URN),
		httpCode: '403',
		message:
			/^Not allowed to send this message: Error sending group context message: Request failed with status code 403$/,
		description: /group does not permit it/,
	},
	{
		name: "404 says the LinkedIn account was not found (the stand-in's own answer to an unknown account)",
		parameters: { ...send, account: { __rl: true, mode: 'id', value: UNKNOWN_ACCOUNT_ID } },
		httpCode: '404',
		message: /^The LinkedIn account was not found: Account not found$/,
		description: /Pick the sending account from the Account list/,
	},
	{
		name: '500 "Failed to get LinkedIn authentication credentials" says to reconnect the account',
		parameters: legacy,
		fault: faults.serverError(),
		httpCode: '500',
		message:
			/could not log in to LinkedIn with this account: Failed to get LinkedIn authentication credentials$/,
		description: /Reconnect the LinkedIn account in the ConnectSafely dashboard/,
	},
	{
		name: "500 for a disconnected account (the stand-in's own answer) says to reconnect",
		parameters: { ...group, account: { __rl: true, mode: 'list', value: DISCONNECTED_ACCOUNT_ID } },
		httpCode: '500',
		message: /Failed to get LinkedIn authentication credentials/,
		description: /Reconnect the LinkedIn account/,
	},
	{
		name: '500 with another JSON error shows it and warns the message may have been delivered',
		parameters: send,
		fault: { status: 500, body: { success: false, error: 'Internal server error while sending' } },
		httpCode: '500',
		message: /^ConnectSafely answered 500: Internal server error while sending$/,
		description: /may have been delivered/,
	},
	{
		name: '502 HTML from a proxy gives a readable error with the status, not a parse crash',
		parameters: send,
		fault: faults.badGatewayHtml(),
		httpCode: '502',
		message: /^ConnectSafely answered 502 with a page that is not JSON: 502 Bad Gateway$/,
		description: /may have been delivered/,
	},
	{
		name: '503 plain text shows the text',
		parameters: legacy,
		fault: {
			status: 503,
			body: 'Service Unavailable',
			contentType: 'text/plain',
			rateLimitHeaders: false,
		},
		httpCode: '503',
		message: /^ConnectSafely answered 503 with a page that is not JSON: Service Unavailable$/,
		description: /may have been delivered/,
	},
	{
		name: '200 that is not JSON is an error, not a success',
		parameters: send,
		fault: faults.nonJson200(),
		httpCode: '200',
		message: /^ConnectSafely answered 200 but its answer is not JSON$/,
		description: /may have been delivered/,
	},
	{
		name: "200 with success: false is an error with the API's words",
		parameters: { operation: 'sendWithAck', recipient: byId('jane-doe'), message: 'Hi' },
		fault: faults.successFalse200('Conversation is archived'),
		httpCode: '200',
		message: /^ConnectSafely did not send the message: Conversation is archived$/,
		description: /answered with success: false/,
	},
];

describe("each API failure is a NodeApiError with the status, the item and the API's words", () => {
	test.each(failures.map((f) => [f.name, f] as const))('%s', async (_name, failure) => {
		if (failure.fault) bed.standin.injectFault(failure.fault);
		const result = await bed.run({ parameters: failure.parameters, apiKey: failure.apiKey });
		expectApiError(result, failure);
		expect(bed.standin.requests).toHaveLength(1);
	});

	test('the error names the item that failed, not the first one', async () => {
		bed.standin.injectFault({ ...faults.trialExpired(), recipient: 'carol-c' });
		const result = await bed.run({
			parameters: { ...send, recipient: byId('={{ $json.id }}') },
			items: [{ id: 'alice-a' }, { id: 'bob-b' }, { id: 'carol-c' }, { id: 'dave-d' }],
		});
		expectApiError(
			result,
			{ httpCode: '403', message: /trial has expired/, description: /Subscribe/ },
			2,
		);
		// Items before it were sent; the run stopped at it.
		expect(bed.standin.delivered.map((m) => m.recipientProfileId)).toEqual(['alice-a', 'bob-b']);
	});
});

describe('network errors', () => {
	test('a refused connection names the base URL from the credential, and nothing was delivered', async () => {
		const baseUrl = await closedPortUrl();
		const result = await bed.run({ parameters: send, baseUrl });
		const error = result.nodeError;
		expect(error?.name).toBe('NodeApiError');
		expect(error?.context.itemIndex).toBe(0);
		expect(error?.message).toBe(
			`Could not connect to ConnectSafely at ${baseUrl}: the connection was refused`,
		);
		expect(error?.description).toMatch(/Check the Base URL in the ConnectSafely credential/);
	});

	test('an unknown host names the host', async () => {
		const result = await bed.run({
			parameters: send,
			baseUrl: 'http://connectsafely.invalid/linkedin',
		});
		expect(result.nodeError?.message).toBe(
			'Could not find the ConnectSafely server at http://connectsafely.invalid/linkedin',
		);
		expect(result.nodeError?.description).toMatch(/Check the Base URL/);
	});

	test('a base URL with credentials or a query shows neither in the error', async () => {
		const closed = await closedPortUrl();
		const url = new URL(closed);
		const baseUrl = `http://user:hunter2@${url.host}${url.pathname}?token=s3cret`;
		const result = await bed.run({ parameters: send, baseUrl });
		expect(result.nodeError?.message).toContain(`http://${url.host}/linkedin`);
		expect(result.nodeError?.message).not.toMatch(/hunter2|s3cret/);
	});
});

describe('with Continue On Fail, a failed item becomes an error item and the others go on', () => {
	const items = [{ id: 'alice-a' }, { id: 'bob-b' }, { id: 'carol-c' }];
	const parameters: INodeParameters = { ...send, recipient: byId('={{ $json.id }}') };

	test.each<[string, Fault, string, RegExp, boolean]>([
		[
			'400',
			{ status: 400, body: { error: 'Recipient profile could not be resolved' } },
			'400',
			/Recipient profile could not be resolved/,
			true,
		],
		['403 trial expired', faults.trialExpired(), '403', /trial has expired/, true],
		[
			'500 reconnect',
			faults.serverError(),
			'500',
			/Failed to get LinkedIn authentication credentials/,
			true,
		],
		['502 HTML', faults.badGatewayHtml(), '502', /502 Bad Gateway/, false],
		[
			'200 success: false',
			faults.successFalse200('Failed to send message'),
			'200',
			/Failed to send message/,
			true,
		],
	])('%s on the middle item', async (_name, fault, httpCode, words, withRateLimit) => {
		bed.standin.injectFault({ ...fault, recipient: 'bob-b' });
		const result = await bed.run({
			parameters,
			items,
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(result.nodeError).toBeUndefined();
		expect(result.output).toHaveLength(3);
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(result.output[0].json.success).toBe(true);
		expect(result.output[2].json.success).toBe(true);
		const failed = result.output[1].json;
		expect(failed).toEqual({
			error: expect.stringMatching(words),
			httpCode,
			description: expect.any(String),
			...(withRateLimit
				? { rateLimit: expect.objectContaining({ action: 'MESSAGE', limit: 150 }) }
				: {}),
		});
		expect(bed.standin.delivered.map((m) => m.recipientProfileId)).toEqual(['alice-a', 'carol-c']);
	});

	test('a network failure of every item gives an error item for each, naming the base URL', async () => {
		const baseUrl = 'http://connectsafely.invalid/linkedin';
		const result = await bed.run({
			parameters,
			items: items.slice(0, 2),
			baseUrl,
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of result.output) {
			expect(item.json.error).toBe(`Could not find the ConnectSafely server at ${baseUrl}`);
			expect(item.json.description).toMatch(/Check the Base URL/);
		}
	});

	test("the error item for a rejected key carries the API's words and what to do", async () => {
		const result = await bed.run({
			parameters,
			items: items.slice(0, 1),
			apiKey: 'cs_wrong_key',
			nodeSettings: { continueOnFail: true },
		});
		const json: IDataObject = result.output[0].json;
		expect(json.error).toBe(
			'ConnectSafely rejected the API key: Unauthorized - Invalid credentials',
		);
		expect(json.httpCode).toBe('401');
		expect(json.description).toMatch(/Check the API key/);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
	});

	// KNOWN BUG (sendRun.ts, not fixed here): error items lack INodeExecutionData.error, so n8n's
	// "Continue (using error output)" routes them to the success branch. See validation.test.ts.
	test('with the error output, the failed item goes to the error branch', async () => {
		bed.standin.injectFault({ ...faults.trialExpired(), recipient: 'bob-b' });
		const result = await bed.run({
			parameters,
			items,
			nodeSettings: { onError: 'continueErrorOutput' },
		});
		const [success, failure] = result.outputs;
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(failure.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
	});
});
