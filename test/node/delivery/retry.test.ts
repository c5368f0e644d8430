/**
 * n8n's Retry On Fail re-runs the whole node with every item. Users lose trust the first time a prospect gets
 * the same message twice, so: no try may resend an item an earlier try sent, or may have sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { ledgerSize } from '../../../nodes/ConnectSafely/delivery/sendLedger';
import { faults } from '../../standin/faults';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const RECIPIENTS = [
	'ada-lovelace',
	'grace-hopper',
	'alan-turing',
	'edsger-dijkstra',
	'barbara-liskov',
];
const items: IDataObject[] = RECIPIENTS.map((id) => ({ id, firstName: id.split('-')[0] }));
const parameters = {
	resource: 'message',
	operation: 'send',
	recipient: byId('={{ $json.id }}'),
	message: "={{ 'Hi ' + $json.firstName + ', shall we talk?' }}",
};
const retryOnFail = { retryOnFail: true, maxTries: 5, waitBetweenTries: 1000 };

/** The account answers 429 from this recipient on, to every call until the reset (as the API does). */
function rateLimitOn(recipient: string, resetInMs: number) {
	return { recipient, ...faults.quotaUsedUpUntilReset(resetInMs) };
}

function expectEachRecipientMessagedOnce(): void {
	for (const id of RECIPIENTS) expect(bed.standin.deliveredTo(id)).toHaveLength(1);
	expect(bed.standin.delivered).toHaveLength(RECIPIENTS.length);
}

test('with Retry On Fail, a 429 on the third of five recipients: every recipient gets exactly one message', async () => {
	bed.standin.injectFault(rateLimitOn('alan-turing', 1500));
	const result = await bed.run({ parameters, items, nodeSettings: retryOnFail });
	expect(result.error).toBeUndefined();
	expectEachRecipientMessagedOnce();
	expect(result.output.map((item) => item.json.success)).toEqual([true, true, true, true, true]);
	expect(result.output.map((item) => item.pairedItem)).toEqual(
		RECIPIENTS.map((_, item) => ({ item })),
	);
	// The two recipients before the 429 were called once; later tries answered from memory.
	expect(bed.standin.requestsTo('/conversations/send').length).toBe(RECIPIENTS.length + 1);
});

test('with Retry On Fail and Continue On Fail, a 429 on the third recipient: nothing resent, the rest reported as not sent', async () => {
	bed.standin.injectFault(rateLimitOn('alan-turing', 1500));
	const result = await bed.run({
		parameters,
		items,
		nodeSettings: { ...retryOnFail, onError: 'continueRegularOutput' },
	});
	expect(result.error).toBeUndefined();
	for (const id of RECIPIENTS) expect(bed.standin.deliveredTo(id).length).toBeLessThanOrEqual(1);
	expect(bed.standin.delivered.map((message) => message.recipient)).toEqual([
		'ada-lovelace',
		'grace-hopper',
	]);
	// No call for the exhausted account after its 429.
	expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(3);
	expect(result.output).toHaveLength(5);
	expect(result.output[2].json).toMatchObject({
		httpCode: '429',
		error: expect.stringMatching(/^Rate limit reached/),
	});
	expect(result.output[2].json.rateLimit).toMatchObject({ remaining: 0, limit: 150 });
	for (const skipped of result.output.slice(3)) {
		expect(skipped.json).toMatchObject({
			httpCode: '429',
			error: expect.stringMatching(
				/^Not sent: the default account reached its rate limit earlier in this run\. It resets at .* \(in \d s\)$/,
			),
		});
	}
});

test('with Retry On Fail, a 500 on the third recipient is never resent: the node fails and says to check LinkedIn', async () => {
	bed.standin.injectFault({
		recipient: 'alan-turing',
		status: 500,
		body: { success: false, error: 'Upstream timeout' },
	});
	const result = await bed.run({
		parameters,
		items,
		nodeSettings: { ...retryOnFail, maxTries: 3 },
	});
	expect(result.nodeError?.message).toMatch(
		/ConnectSafely answered 500: Upstream timeout \(an earlier try of this execution; not sent again\)/,
	);
	expect(result.nodeError?.description).toMatch(/may have been delivered/);
	expect(
		bed.standin
			.requestsTo('/conversations/send')
			.filter((r) => (r.body as IDataObject).recipientProfileId === 'alan-turing'),
	).toHaveLength(1);
	expect(bed.standin.deliveredTo('ada-lovelace')).toHaveLength(1);
	expect(bed.standin.deliveredTo('grace-hopper')).toHaveLength(1);
	expect(bed.standin.deliveredTo('edsger-dijkstra')).toHaveLength(0);
});

test('with Retry On Fail, a timeout on one recipient (delivered late) is not sent again on the next try', async () => {
	bed.standin.injectFault({ ...faults.slow(2500), recipient: 'grace-hopper' });
	const result = await bed.run({
		parameters: { ...parameters, options: { timeout: 1 } },
		items,
		nodeSettings: { ...retryOnFail, maxTries: 2 },
	});
	expect(result.nodeError?.message).toMatch(
		/within 1 s \(an earlier try of this execution; not sent again\)/,
	);
	expect(bed.standin.deliveredTo('grace-hopper')).toHaveLength(1);
	expect(bed.standin.deliveredTo('ada-lovelace')).toHaveLength(1);
});

test('a new execution of the same workflow sends again: the memory is per execution, not a send-once guard', async () => {
	await bed.run({ parameters, items: items.slice(0, 1) });
	await bed.run({ parameters, items: items.slice(0, 1) });
	expect(bed.standin.deliveredTo('ada-lovelace')).toHaveLength(2);
});

test('a run that ends normally keeps what it sent: n8n may still re-run it (Retry On Fail re-runs a node whose first item is an error item)', async () => {
	await bed.run({ parameters, items });
	expect(ledgerSize()).toBe(RECIPIENTS.length);
});
