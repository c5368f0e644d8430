/**
 * The API key never appears in what n8n keeps or shows: output items, error messages and descriptions,
 * error context, the execution data as a whole, or anything logged — whatever goes wrong.
 */
import type { IDataObject } from 'n8n-workflow';

import { closedPortUrl } from '../../standin/server';
import { faults } from '../../standin/faults';
import type { Fault } from '../../standin/faults';
import { byId, useNodeTestBed } from '../setup';

const SECRET = 'cs_live_SECRET_7f3a9c1e5b2d4f6a8c0e';
const WRONG_SECRET = 'cs_live_WRONG_0d9e8c7b6a5f4e3d2c1b';

const bed = useNodeTestBed({ apiKeys: [SECRET] });

const parameters = {
	resource: 'message',
	operation: 'send',
	recipient: byId('jane-doe'),
	message: 'Hi',
	options: { timeout: 1 },
};

const scenarios: Array<[string, Fault | undefined]> = [
	['a successful send', undefined],
	['a 400', { status: 400, body: { success: false, error: 'message is required' } }],
	['a 403', faults.trialExpired()],
	[
		'a 429',
		{
			status: 429,
			body: { success: false, error: 'Rate limit exceeded for MESSAGE: 150/150 used' },
		},
	],
	['a 500', faults.serverError()],
	['a 502 HTML page', faults.badGatewayHtml()],
	['a 200 that is not JSON', faults.nonJson200()],
	['a 200 with success: false', faults.successFalse200()],
	['a timeout', faults.slow(2000)],
	['a connection reset', faults.connectionReset()],
];

function expectNoSecret(everything: unknown, logText: string, secret: string): void {
	// n8n-core logs every node run at debug level: the capture is not empty, so this check can fail.
	expect(logText).toContain('ConnectSafely');
	expect(JSON.stringify(everything)).not.toContain(secret);
	expect(logText).not.toContain(secret);
}

describe.each([false, true])('with Continue On Fail %s', (continueOnFail) => {
	test.each(scenarios)('%s leaves no trace of the API key', async (_name, fault) => {
		if (fault) bed.standin.injectFault(fault);
		const result = await bed.run({
			parameters,
			items: [{}, {}],
			nodeSettings: continueOnFail ? { onError: 'continueRegularOutput' } : {},
		});
		expect(bed.standin.requests[0].headers.authorization).toBe(`Bearer ${SECRET}`);
		const error = result.nodeError as (Error & IDataObject) | undefined;
		expectNoSecret(
			{
				run: result.run,
				output: result.output,
				message: error?.message,
				description: error?.description,
				context: error?.context,
				stack: error?.stack,
			},
			result.logText,
			SECRET,
		);
	});
});

test('a rejected key is not echoed back either', async () => {
	const result = await bed.run({ parameters, apiKey: WRONG_SECRET });
	expect(result.nodeError?.message).toMatch(/ConnectSafely rejected the API key/);
	expectNoSecret({ run: result.run, stack: result.nodeError?.stack }, result.logText, WRONG_SECRET);
});

test('connection refused leaves no trace of the API key', async () => {
	const result = await bed.run({ parameters, baseUrl: await closedPortUrl() });
	expect(result.nodeError?.message).toMatch(/connection was refused/);
	expectNoSecret({ run: result.run, stack: result.nodeError?.stack }, result.logText, SECRET);
});
