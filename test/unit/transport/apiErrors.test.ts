import { apiErrorText, showBaseUrl } from '../../../nodes/ConnectSafely/transport/apiErrors';
import {
	describeDelay,
	describeReset,
	readRateLimit,
	resetTime,
} from '../../../nodes/ConnectSafely/transport/rateLimit';

describe("apiErrorText reads the API's words from every body shape", () => {
	test.each<[string, unknown, string | undefined]>([
		['{error}', { error: 'message is required' }, 'message is required'],
		['{success:false,error}', { success: false, error: 'Account not found' }, 'Account not found'],
		[
			'ZodError',
			{
				success: false,
				error: {
					name: 'ZodError',
					issues: [
						{ path: ['message'], message: 'Required' },
						{ path: [], message: 'Bad' },
					],
				},
			},
			'invalid request: message: Required; Bad',
		],
		[
			'{message} (group 403)',
			{ success: false, message: 'Error sending group context message' },
			'Error sending group context message',
		],
		['{error:{message}}', { error: { message: 'nested' } }, 'nested'],
		[
			'HTML with a title',
			'<html><head><title> 502 Bad\nGateway </title></head></html>',
			'502 Bad Gateway',
		],
		['HTML without a title', '<html><body>oops</body></html>', undefined],
		['plain text', '  Service Unavailable \n', 'Service Unavailable'],
		['empty text', '', undefined],
		['null', null, undefined],
		['a list', ['error'], undefined],
		['an object without words', { success: false }, undefined],
		['blank error falls back to message', { error: '  ', message: 'fallback' }, 'fallback'],
	])('%s', (_name, body, text) => {
		expect(apiErrorText(body)).toBe(text);
	});

	test('long texts are flattened and shortened', () => {
		const text = apiErrorText({ error: `line one\n\n${'x'.repeat(1000)}` }) ?? '';
		expect(text.startsWith('line one x')).toBe(true);
		expect(text.length).toBeLessThanOrEqual(301);
		expect(text.endsWith('…')).toBe(true);
	});
});

describe('showBaseUrl never shows credentials or a query', () => {
	test.each([
		['https://api.connectsafely.ai/linkedin/', 'https://api.connectsafely.ai/linkedin'],
		['http://user:secret@127.0.0.1:8080/linkedin?key=abc#x', 'http://127.0.0.1:8080/linkedin'],
		['not a url', 'the base URL set in the credential'],
	])('%s → %s', (url, shown) => {
		expect(showBaseUrl(url)).toBe(shown);
	});
});

describe('rate-limit headers and reset times', () => {
	test('all five headers are read, numbers as numbers', () => {
		expect(
			readRateLimit({
				'x-ratelimit-action': 'MESSAGE',
				'x-ratelimit-limit': '150',
				'x-ratelimit-used': '3',
				'x-ratelimit-remaining': '147',
				'x-ratelimit-reset': '2024-01-02T00:00:00.000Z',
			}),
		).toEqual({
			action: 'MESSAGE',
			limit: 150,
			used: 3,
			remaining: 147,
			resetsAt: '2024-01-02T00:00:00.000Z',
		});
	});

	test('missing or malformed headers are left out; none at all gives undefined', () => {
		expect(
			readRateLimit({
				'x-ratelimit-limit': 'many',
				'x-ratelimit-reset': 'tomorrow',
				'x-ratelimit-used': ['4'],
			}),
		).toEqual({ used: 4 });
		expect(readRateLimit({})).toBeUndefined();
		expect(readRateLimit(undefined)).toBeUndefined();
	});

	test('the reset comes from the header, else from the 429 text', () => {
		expect(resetTime({ resetsAt: '2024-01-02T00:00:00.000Z' }, '')).toBe(
			Date.parse('2024-01-02T00:00:00.000Z'),
		);
		expect(
			resetTime(
				undefined,
				'Rate limit exceeded for MESSAGE: 150/150 used. Resets at 2024-01-03T00:00:00.000Z',
			),
		).toBe(Date.parse('2024-01-03T00:00:00.000Z'));
		expect(resetTime(undefined, 'Rate limit exceeded for MESSAGE: 150/150 used')).toBeUndefined();
	});

	test.each([
		[0, 'now'],
		[45_000, 'in 45 s'],
		[60_000, 'in 1 min'],
		[(3 * 60 + 12) * 60_000, 'in 3 h 12 min'],
		[2 * 3_600_000, 'in 2 h'],
	])('a delay of %d ms reads "%s"', (ms, words) => {
		expect(describeDelay(ms)).toBe(words);
	});

	test('a reset reads as the ISO time and how long until it', () => {
		const now = Date.parse('2024-01-01T20:48:00.000Z');
		expect(describeReset(Date.parse('2024-01-02T00:00:00.000Z'), now)).toBe(
			'at 2024-01-02T00:00:00.000Z (in 3 h 12 min)',
		);
		expect(describeReset(undefined, now)).toBe('at a time the API did not name');
	});
});
