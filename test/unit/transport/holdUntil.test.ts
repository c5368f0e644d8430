/**
 * A 429 whose body names `holdUntil` (ConnectSafely's rate-limit guide: LinkedIn put the account on a temporary
 * hold, "do not retry until that timestamp"): the failure carries it, for the send path to keep the account
 * quiet until then, and the error tells the user.
 */
import type { INode } from 'n8n-workflow';

import { failureFromResponse } from '../../../nodes/ConnectSafely/transport/apiErrors';
import { parseApiTime } from '../../../nodes/ConnectSafely/transport/rateLimit';

const node: INode = {
	id: 'c0ffee00-0000-4000-8000-000000000000',
	name: 'ConnectSafely',
	type: 'n8n-nodes-connectsafely.connectSafely',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const NOW = Date.parse('2026-04-27T12:00:00Z');
const RESET = '2026-04-28T00:00:00Z';

function limited(body: Record<string, unknown>) {
	return failureFromResponse(
		node,
		3,
		{
			statusCode: 429,
			headers: { 'x-ratelimit-action': 'MESSAGE', 'x-ratelimit-reset': RESET },
			body: {
				success: false,
				error: `Rate limit exceeded for MESSAGE: 150/150 used. Resets at ${RESET}`,
				...body,
			},
		},
		NOW,
	);
}

describe('holdUntil in a 429 body', () => {
	test('a holdUntil later than the reset is carried as epoch ms beside resetAt, and the error names it', () => {
		const failure = limited({ holdUntil: '2026-04-29T15:42:11Z' });
		expect(failure.kind).toBe('rateLimited');
		expect(failure.resetAt).toBe(Date.parse(RESET));
		expect(failure.holdUntil).toBe(Date.parse('2026-04-29T15:42:11Z'));
		expect(failure.error.message).toContain(
			'LinkedIn holds the account until 2026-04-29T15:42:11.000Z (in 51 h 43 min): do not retry before then',
		);
		expect(failure.error.httpCode).toBe('429');
	});

	test("the cookbook's example (a hold that ends before the reset) is carried too", () => {
		expect(limited({ holdUntil: '2026-04-27T15:42:11Z' }).holdUntil).toBe(
			Date.parse('2026-04-27T15:42:11Z'),
		);
	});

	test('without holdUntil, or with one that is no time, the failure has none and the text is as before', () => {
		for (const body of [{}, { holdUntil: 'soon' }, { holdUntil: null }, { holdUntil: {} }]) {
			const failure = limited(body);
			expect(failure).not.toHaveProperty('holdUntil');
			expect(failure.error.message).toBe(
				'Rate limit reached for MESSAGE: 150/150 used. It resets at 2026-04-28T00:00:00.000Z (in 12 h)',
			);
		}
	});

	test('only a 429 reads it', () => {
		const failure = failureFromResponse(
			node,
			0,
			{ statusCode: 500, headers: {}, body: { error: 'x', holdUntil: '2026-04-29T15:42:11Z' } },
			NOW,
		);
		expect(failure).not.toHaveProperty('holdUntil');
	});
});

describe('parseApiTime reads every time form the API uses', () => {
	test.each<[unknown, string | undefined]>([
		['2026-08-28 00:00:00+00:00', '2026-08-28T00:00:00.000Z'],
		['2026-08-28 00:00:00.250+00:00', '2026-08-28T00:00:00.250Z'],
		['2026-04-27T15:42:11Z', '2026-04-27T15:42:11.000Z'],
		['2026-08-28T02:00:00+02:00', '2026-08-28T00:00:00.000Z'],
		['2026-08-28 00:00:00', '2026-08-28T00:00:00.000Z'],
		['2026-08-28', '2026-08-28T00:00:00.000Z'],
		[Date.parse('2026-08-28T00:00:00Z'), '2026-08-28T00:00:00.000Z'],
		[Date.parse('2026-08-28T00:00:00Z') / 1000, '2026-08-28T00:00:00.000Z'],
		[String(Date.parse('2026-08-28T00:00:00Z')), '2026-08-28T00:00:00.000Z'],
		['tomorrow', undefined],
		['Aug 28 2026', undefined],
		['', undefined],
		[null, undefined],
		[0, undefined],
		[Number.NaN, undefined],
	])('%j', (value, iso) => {
		const ms = parseApiTime(value);
		expect(ms === undefined ? undefined : new Date(ms).toISOString()).toBe(iso);
	});
});
