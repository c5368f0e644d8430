/**
 * ConnectSafely allows each LinkedIn account a number of messages per period, told in X-RateLimit-* headers.
 * The node reports the quota on every item, stops spending calls on an exhausted account, and waits for a
 * reset only when the user allowed it.
 */
import type { IDataObject } from 'n8n-workflow';

import { INBOX_ACCOUNT_ID, SALES_NAV_ACCOUNT_ID } from '../../standin/accounts';
import { faults } from '../../standin/faults';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const account = (id: string) => ({ __rl: true, mode: 'id', value: id });
const send = (extra: IDataObject = {}) => ({
	resource: 'message',
	operation: 'send',
	recipient: byId('={{ $json.id }}'),
	message: 'Hello',
	...extra,
});
const people = (count: number, prefix = 'person') =>
	Array.from({ length: count }, (_, index) => ({ id: `${prefix}-${index + 1}` }));

test('every sent item carries the quota the API reported: action, limit, used, remaining, reset time', async () => {
	bed.standin.setQuota(undefined, { limit: 150, used: 10 });
	const result = await bed.run({ parameters: send(), items: people(2) });
	expect(result.output.map((item) => item.json.rateLimit)).toEqual([
		{ action: 'MESSAGE', limit: 150, used: 11, remaining: 139, resetsAt: expect.any(String) },
		{ action: 'MESSAGE', limit: 150, used: 12, remaining: 138, resetsAt: expect.any(String) },
	]);
});

test('when the daily quota runs out mid-list, the node stops before the next item (no call that could only earn a 429) and says how many were sent', async () => {
	bed.standin.setQuota(undefined, { limit: 3, used: 0, resetInMs: 5 * 3600_000 });
	const result = await bed.run({ parameters: send(), items: people(6) });
	expect(bed.standin.delivered).toHaveLength(3);
	expect(bed.standin.requests).toHaveLength(3);
	expect(result.nodeError).toMatchObject({ httpCode: '429' });
	expect(result.nodeError?.message).toMatch(
		/^Not sent: the default account has no messages left until its reset\. It resets at .* \(in (4 h 59 min|5 h)\)\. 3 items were sent before it; the items after it were not attempted$/,
	);
	expect(result.nodeError?.context.itemIndex).toBe(3);
});

test('a 429 the API answers (quota used elsewhere) stops the run and says how many were sent', async () => {
	bed.standin.setQuota(undefined, { limit: 150, used: 0, resetInMs: 5 * 3600_000 });
	bed.standin.injectFault({ ...faults.dailyLimitReached(5 * 3600_000), recipient: 'person-3' });
	const result = await bed.run({ parameters: send(), items: people(6) });
	expect(bed.standin.delivered).toHaveLength(2);
	expect(bed.standin.requests).toHaveLength(3);
	expect(result.nodeError?.message).toMatch(
		/^Rate limit reached for MESSAGE: 150\/150 used\. It resets at .* \(in (4 h 59 min|5 h)\)\. 2 items were sent before it; the items after it were not attempted$/,
	);
});

test("two accounts in one run, one exhausted: the other account's items are all sent, the exhausted one gets no call once the API said 0 remaining", async () => {
	bed.standin.setQuota(INBOX_ACCOUNT_ID, { limit: 1, used: 0, resetInMs: 3600_000 });
	const items = people(8).map((person, index) => ({
		...person,
		account: index % 2 === 0 ? SALES_NAV_ACCOUNT_ID : INBOX_ACCOUNT_ID,
	}));
	const result = await bed.run({
		parameters: send({ account: account('={{ $json.account }}') }),
		items,
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	const callsBy = (id: string) =>
		bed.standin.requests.filter((request) => (request.body as IDataObject).accountId === id);
	expect(callsBy(SALES_NAV_ACCOUNT_ID)).toHaveLength(4);
	expect(callsBy(INBOX_ACCOUNT_ID)).toHaveLength(1); // one sent (remaining 0), then none
	expect(bed.standin.delivered).toHaveLength(5);
	const outcome = result.output.map((item) =>
		item.json.success === true ? 'sent' : String(item.json.error).slice(0, 9),
	);
	expect(outcome).toEqual([
		'sent',
		'sent',
		'sent',
		'Not sent:',
		'sent',
		'Not sent:',
		'sent',
		'Not sent:',
	]);
	expect(result.output[5].json.error).toMatch(
		new RegExp(
			`^Not sent: account ${INBOX_ACCOUNT_ID} has no messages left until its reset\\. It resets at `,
		),
	);
	expect(result.output[5].json.rateLimit).toMatchObject({ limit: 1, used: 1, remaining: 0 });
});

test('waiting for a reset ends at once when the user stops the execution', async () => {
	bed.standin.setQuota(undefined, { limit: 0, used: 0, resetInMs: 30_000 });
	const controller = new AbortController();
	const started = Date.now();
	setTimeout(() => controller.abort(), 300);
	const result = await bed.run({
		parameters: send({ options: { maxWaitForRateLimit: 60 } }),
		items: people(1),
		signal: controller.signal,
	});
	const tookMs = Date.now() - started;
	// It was waiting when the user stopped it (a node that never waits ends at once with the 429)…
	expect(result.status).toBe('canceled');
	expect(tookMs).toBeGreaterThanOrEqual(250);
	// …and it stopped waiting at once, without another call.
	expect(tookMs).toBeLessThan(5000);
	expect(bed.standin.delivered).toHaveLength(0);
	expect(bed.standin.requests).toHaveLength(1);
});

test('the wait never goes past the bound: a reset 30 s away with a 5 s Max Wait is not waited for', async () => {
	bed.standin.setQuota(undefined, { limit: 0, used: 0, resetInMs: 30_000 });
	const started = Date.now();
	const result = await bed.run({
		parameters: send({ options: { maxWaitForRateLimit: 5 } }),
		items: people(1),
	});
	expect(Date.now() - started).toBeLessThan(2000);
	expect(result.nodeError?.message).toMatch(/\(in 30 s\)/);
});

test('after waiting for a reset, the item is tried once more, and only once', async () => {
	bed.standin.setQuota(undefined, { limit: 0, used: 0, resetInMs: 1000 });
	// limit 0 stays 0 after the reset: the second 429 must be reported, not waited for again.
	const result = await bed.run({
		parameters: send({ options: { maxWaitForRateLimit: 10 } }),
		items: people(1),
	});
	expect(bed.standin.requests).toHaveLength(2);
	expect(result.nodeError).toMatchObject({ httpCode: '429' });
});
