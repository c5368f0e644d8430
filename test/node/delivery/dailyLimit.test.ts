/**
 * "Daily Limit per Account": the user's own ceiling, below ConnectSafely's (20 a day while an account warms up).
 * It counts with ConnectSafely's own number — the quota read before the account's first send of a run, then
 * X-RateLimit-Used from each answer — so messages sent by other executions, workflows or workers count too.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_ACCOUNT_ID, INBOX_ACCOUNT_ID } from '../../standin/accounts';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const quotaPath = (accountId: string) => `/account/${accountId}/quota`;
const send = (options: INodeParameters, extra: INodeParameters = {}) => ({
	resource: 'message',
	operation: 'send',
	recipient: byId('={{ $json.id }}'),
	message: 'Hello',
	options,
	...extra,
});
const people = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ id: `person-${index + 1}` }));
const outcomes = (output: Array<{ json: IDataObject }>) =>
	output.map((item) => (item.json.success === true ? 'sent' : String(item.json.error).slice(0, 9)));

test('messages other workflows sent today count: with a limit of 5 and 3 already sent, 2 go out and the rest wait for the reset', async () => {
	bed.standin.setQuota(undefined, { limit: 150, used: 3, resetInMs: 5 * 3600_000 });
	const result = await bed.run({
		parameters: send({ dailyLimitPerAccount: 5 }),
		items: people(4),
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	expect(bed.standin.delivered.map((message) => message.recipient)).toEqual([
		'person-1',
		'person-2',
	]);
	expect(outcomes(result.output)).toEqual(['sent', 'sent', 'Not sent:', 'Not sent:']);
	expect(result.output[2].json).toMatchObject({
		httpCode: '429',
		error: expect.stringMatching(
			/^Not sent: the default account reached your daily limit of 5 messages \("Daily Limit per Account"\)\. It resets at .* \(in (4 h 59 min|5 h)\)$/,
		),
		description: expect.stringMatching(/ConnectSafely counts 5 messages from this account/),
		rateLimit: { limit: 150, used: 5, remaining: 145 },
	});
	// One quota read for the run; the count after it came from the answers' headers.
	expect(bed.standin.requestsTo(quotaPath(DEFAULT_ACCOUNT_ID))).toHaveLength(1);
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(2);
});

/** A send answer as if other senders used the account meanwhile: the API's count says `used`. */
const answeredWithUsed = (used: number) => ({
	path: '/conversations/send',
	status: 200,
	rateLimitHeaders: false,
	headers: {
		'X-RateLimit-Action': 'MESSAGE',
		'X-RateLimit-Limit': '150',
		'X-RateLimit-Used': String(used),
		'X-RateLimit-Remaining': String(150 - used),
		'X-RateLimit-Reset': new Date(Date.now() + 5 * 3600_000).toISOString(),
	},
	body: { success: true, messageId: `msg-${used}` },
});

test("after the quota read, each answer's X-RateLimit-Used is the count: sends elsewhere during the run are counted", async () => {
	bed.standin.setQuota(undefined, { limit: 150, used: 0, resetInMs: 5 * 3600_000 });
	// The quota read says 0 used; the two answers say 4, then 5: other workflows sent three meanwhile.
	bed.standin.injectFault(answeredWithUsed(4), answeredWithUsed(5));
	const result = await bed.run({
		parameters: send({ dailyLimitPerAccount: 5 }),
		items: people(4),
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	expect(outcomes(result.output)).toEqual(['sent', 'sent', 'Not sent:', 'Not sent:']);
	expect(result.output[2].json.description).toMatch(/ConnectSafely counts 5 messages/);
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(2);
	expect(bed.standin.requestsTo(quotaPath(DEFAULT_ACCOUNT_ID))).toHaveLength(1);
});

test('the limit holds across executions: a second run the same day sends nothing more and says so', async () => {
	bed.standin.setQuota(undefined, { limit: 150, used: 0, resetInMs: 5 * 3600_000 });
	const first = await bed.run({
		parameters: send({ dailyLimitPerAccount: 2 }),
		items: people(2),
		executionId: 'exec-morning',
	});
	expect(first.error).toBeUndefined();
	const second = await bed.run({
		parameters: send({ dailyLimitPerAccount: 2 }),
		items: people(4).slice(2),
		executionId: 'exec-afternoon',
	});
	expect(bed.standin.delivered).toHaveLength(2);
	expect(second.nodeError).toMatchObject({ httpCode: '429' });
	expect(second.nodeError?.message).toMatch(
		/^Not sent: the default account reached your daily limit of 2 messages .*\. 0 items were sent before it; the items after it were not attempted$/,
	);
});

test('a limit given by an expression (a warm-up ramp: 2 a day more since the start, at most 50) is resolved per run', async () => {
	bed.standin.setQuota(undefined, { limit: 150, used: 0, resetInMs: 5 * 3600_000 });
	// Started three and a half days ago: 10 + 2 × 3 = 16 today.
	const start = new Date(Date.now() - 3.5 * 86_400_000).toISOString();
	const ramp = `={{ Math.min(50, 10 + 2 * Math.floor($now.diff(DateTime.fromISO('${start}'), 'days').days)) }}`;
	const result = await bed.run({
		parameters: send({ dailyLimitPerAccount: ramp }),
		items: people(20),
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	expect(bed.standin.delivered).toHaveLength(16);
	expect(result.output[16].json.error).toMatch(/reached your daily limit of 16 messages/);
});

test('a limit an expression cannot turn into a number stops the item before anything is sent, naming the field', async () => {
	const result = await bed.run({
		parameters: send({ dailyLimitPerAccount: '={{ $json.limit }}' }),
		items: [{ id: 'person-1', limit: 'twenty' }],
	});
	expect(result.nodeError?.message).toBe(
		'Daily Limit per Account: "twenty" is not a number of messages (0 or more)',
	);
	expect(result.nodeError?.context.itemIndex).toBe(0);
	expect(bed.standin.requests).toHaveLength(0);
});

test('when the quota cannot be read, nothing is sent from that account and the error says why (one read per run)', async () => {
	bed.standin.injectFault({
		path: quotaPath(DEFAULT_ACCOUNT_ID),
		status: 500,
		body: { success: false, error: 'Database unavailable' },
		times: 5,
	});
	const result = await bed.run({
		parameters: send({ dailyLimitPerAccount: 20 }),
		items: people(3),
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(0);
	expect(bed.standin.requestsTo(quotaPath(DEFAULT_ACCOUNT_ID))).toHaveLength(1);
	for (const item of result.output) {
		expect(item.json.error).toMatch(
			/^Not sent: "Daily Limit per Account" could not read the quota of the default account: .*Database unavailable/,
		);
		expect(item.json.description).toMatch(/nothing was sent from this account in this run/);
	}
});

test('without Continue On Fail, a failed quota read stops the node before any send', async () => {
	bed.standin.injectFault({
		path: quotaPath(INBOX_ACCOUNT_ID),
		status: 404,
		body: { error: 'Account not found' },
	});
	const result = await bed.run({
		parameters: send(
			{ dailyLimitPerAccount: 20 },
			{ account: { __rl: true, mode: 'id', value: INBOX_ACCOUNT_ID } },
		),
		items: people(2),
	});
	expect(result.nodeError?.message).toMatch(
		new RegExp(
			`^Not sent: "Daily Limit per Account" could not read the quota of account ${INBOX_ACCOUNT_ID}`,
		),
	);
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(0);
});

test('each account has its own count: one at its limit does not hold back the other', async () => {
	bed.standin.setQuota(INBOX_ACCOUNT_ID, { limit: 150, used: 5, resetInMs: 3600_000 });
	const items = people(4).map((person, index) => ({
		...person,
		account: index % 2 === 0 ? DEFAULT_ACCOUNT_ID : INBOX_ACCOUNT_ID,
	}));
	const result = await bed.run({
		parameters: send(
			{ dailyLimitPerAccount: 5 },
			{ account: { __rl: true, mode: 'id', value: '={{ $json.account }}' } },
		),
		items,
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	expect(outcomes(result.output)).toEqual(['sent', 'Not sent:', 'sent', 'Not sent:']);
	expect(bed.standin.requestsTo(quotaPath(INBOX_ACCOUNT_ID))).toHaveLength(1);
	expect(bed.standin.requestsTo(quotaPath(DEFAULT_ACCOUNT_ID))).toHaveLength(1);
});

test('an item beyond the limit waits for the reset when "Max Wait for Rate Limit" covers it, then goes out', async () => {
	bed.standin.setQuota(undefined, { limit: 150, used: 1, resetInMs: 1200 });
	const started = Date.now();
	const result = await bed.run({
		parameters: send({ dailyLimitPerAccount: 1, maxWaitForRateLimit: 10 }),
		items: people(1),
	});
	expect(result.error).toBeUndefined();
	expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	expect(bed.standin.delivered).toHaveLength(1);
});

test('with the option off, no quota is read', async () => {
	await bed.run({ parameters: send({}), items: people(2) });
	expect(bed.standin.requests.map((request) => request.path)).toEqual([
		'/linkedin/conversations/send',
		'/linkedin/conversations/send',
	]);
});
