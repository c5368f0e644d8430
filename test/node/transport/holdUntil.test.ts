/**
 * A send refused because LinkedIn put the account on hold (a 429 whose body names `holdUntil`): the error tells
 * the user until when, so they schedule the next attempt after the hold, not at the reset. Nothing is sent.
 */
import { INBOX_ACCOUNT_ID, faults } from '../../standin/server';
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

test('the error of a send refused with holdUntil names the hold after the reset', async () => {
	const holdUntil = Date.now() + 2 * 86_400_000;
	bed.standin.holdAccount(INBOX_ACCOUNT_ID, holdUntil);
	const result = await bed.run({
		parameters: {
			operation: 'send',
			account: byId(INBOX_ACCOUNT_ID),
			recipient: byId('jane-doe'),
			message: 'Hi',
		},
	});
	expect(result.nodeError?.message).toMatch(
		/^Rate limit reached for MESSAGE: 0\/150 used\. It resets at /,
	);
	expect(result.nodeError?.message).toContain(
		`; LinkedIn holds the account until ${new Date(holdUntil).toISOString()} (in 48 h): do not retry before then`,
	);
	expect(bed.standin.delivered).toEqual([]);
});

test('a read refused with holdUntil says so too', async () => {
	bed.standin.injectFault({ ...faults.heldUntil(60_000, 3_600_000), path: '/account/*/quota' });
	const result = await bed.run({
		parameters: { resource: 'account', operation: 'getQuota', account: byId(INBOX_ACCOUNT_ID) },
	});
	expect(result.nodeError?.message).toMatch(/LinkedIn holds the account until .* \(in 1 h\)/);
});
