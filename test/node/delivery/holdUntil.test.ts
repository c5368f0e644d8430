/**
 * ConnectSafely's rate-limit guide: a 429 may carry `holdUntil` ("do not retry until that timestamp"), when LinkedIn
 * put the account on a temporary hold. A hold later than the reset means no call for that account before it ends —
 * in this run and in every re-run of the execution (Retry On Fail), as the quota memory works for a reset.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DEFAULT_ACCOUNT_ID } from '../../standin/accounts';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const send = (options: INodeParameters = {}) => ({
	resource: 'message',
	operation: 'send',
	recipient: byId('={{ $json.id }}'),
	message: 'Hello',
	options,
});
const people = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ id: `person-${index + 1}` }));
const retryOnFail = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 };

/** The quota resets in 0.3 s; LinkedIn's hold lasts `holdMs`: a client that retries at the reset is refused again. */
function holdLongerThanReset(holdMs: number): number {
	bed.standin.setQuota(undefined, { limit: 150, used: 0, resetInMs: 300 });
	const holdUntil = Date.now() + holdMs;
	bed.standin.holdAccount(undefined, holdUntil);
	return holdUntil;
}

test('with Retry On Fail, a 429 whose holdUntil outlasts the reset: no try calls the account again before the hold ends', async () => {
	const holdUntil = holdLongerThanReset(6000);
	const result = await bed.run({ parameters: send(), items: people(3), nodeSettings: retryOnFail });
	// Three tries over two seconds, the reset long past: one call in all.
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(1);
	expect(result.nodeError).toMatchObject({ httpCode: '429' });
	expect(result.nodeError?.message).toMatch(
		new RegExp(
			`^Not sent: the default account is on hold: ConnectSafely's 429 said not to retry before its holdUntil, at ${new Date(holdUntil).toISOString().replace(/\./g, '\\.')} \\(in \\d s\\)`,
		),
	);
	expect(result.nodeError?.description).toMatch(
		/holdUntil is later than the reset\. LinkedIn put the account on a temporary hold/,
	);
});

test('the item that got the 429 says until when the account is held; the items after it say the same without a call', async () => {
	const holdUntil = holdLongerThanReset(6000);
	const result = await bed.run({
		parameters: send(),
		items: people(3),
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(1);
	expect(result.output[0].json.error).toContain(
		`LinkedIn holds the account until ${new Date(holdUntil).toISOString()}`,
	);
	for (const item of result.output.slice(1)) {
		expect(item.json).toMatchObject({
			httpCode: '429',
			error: expect.stringMatching(/^Not sent: the default account is on hold/),
		});
	}
});

test("a hold also stops the daily limit's quota read on a re-run: no call at all for the held account", async () => {
	holdLongerThanReset(6000);
	await bed.run({
		parameters: send({ dailyLimitPerAccount: 20 }),
		items: people(2),
		nodeSettings: retryOnFail,
	});
	expect(bed.standin.requestsTo(`/account/${DEFAULT_ACCOUNT_ID}/quota`)).toHaveLength(1);
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(1);
});

test('"Max Wait for Rate Limit" waits for the end of the hold, not the earlier reset, then sends once', async () => {
	holdLongerThanReset(1500);
	const started = Date.now();
	const result = await bed.run({
		parameters: send({ maxWaitForRateLimit: 10 }),
		items: people(1),
	});
	expect(result.error).toBeUndefined();
	expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(2);
	expect(bed.standin.delivered).toHaveLength(1);
});

test('a hold that ends before the reset changes nothing: the reset is the time to wait for', async () => {
	bed.standin.setQuota(undefined, { limit: 0, used: 0, resetInMs: 30_000 });
	bed.standin.holdAccount(undefined, Date.now() + 2000);
	const result = await bed.run({ parameters: send(), items: people(2) });
	expect(result.nodeError?.message).toMatch(/^Rate limit reached.*It resets at .* \(in 30 s\)/);
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(1);
});
