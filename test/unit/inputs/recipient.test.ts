import {
	parseRecipient,
	profileIdFromUrl,
	recipientKey,
	RecipientProblem,
	type RecipientField,
} from '../../../nodes/ConnectSafely/inputs/recipient';
import { splitUrnList } from '../../../nodes/ConnectSafely/inputs/readFields';

describe('profile URLs as people copy them give the public profile ID', () => {
	test.each([
		['https://www.linkedin.com/in/jane-doe', 'jane-doe'],
		['HTTPS://WWW.LINKEDIN.COM/in/jane-doe', 'jane-doe'],
		['https://m.linkedin.com/in/jane-doe/', 'jane-doe'],
		['https://fr.linkedin.com/in/jean-dupont-75a1b2/?originalSubdomain=fr', 'jean-dupont-75a1b2'],
		['linkedin.com/in/jane_doe#about', 'jane_doe'],
		['https://www.linkedin.com/in/%E6%9D%8E%E5%B0%8F%E5%A8%9C', '李小娜'],
		['https://www.linkedin.com/mwlite/in/jane-doe', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe/en/', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe/details/experience/', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe/recent-activity/all/', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe/overlay/contact-info/', 'jane-doe'],
		['https://www.linkedin.com/in/Jane-Doe/details/skills?lipi=abc#top', 'Jane-Doe'],
	])('%s → %s', (url, id) => {
		expect(profileIdFromUrl(url)).toBe(id);
	});

	test.each([
		'https://www.linkedin.com/company/acme',
		'https://www.linkedin.com/in/',
		'https://www.linkedin.com/mwlite/company/acme',
		'https://www.linkedin.com/pub/jane-doe/12/345/678',
		'https://www.linkedin.com/feed/in/jane-doe',
		'https://evil.com/linkedin.com/in/jane-doe',
		'https://notlinkedin.com/in/jane-doe',
		'https://www.linkedin.com/in/%E0%A4%A',
		'https://www.linkedin.com/in/a',
	])('%s is not a profile URL', (url) => {
		expect(profileIdFromUrl(url)).toBeUndefined();
	});
});

describe('every form of one person gives one duplicate-safety key', () => {
	test.each([
		['url', 'https://www.linkedin.com/in/Jane-Doe/'],
		['url', 'https://www.linkedin.com/mwlite/in/jane-doe'],
		['url', 'https://uk.linkedin.com/in/JANE-DOE/recent-activity/all/'],
		['url', 'linkedin.com/in/jane%2Ddoe'],
		['id', 'jane-doe'],
		['id', ' JANE-doe '],
	] as const)('%s %s → id:jane-doe', (mode, value) => {
		const field = parseRecipient(mode, value);
		expect(field).not.toBeInstanceOf(RecipientProblem);
		expect(recipientKey(field as RecipientField)).toBe('id:jane-doe');
	});

	test('a URN is a key of its own (it cannot be matched to a public ID without a lookup)', () => {
		expect(recipientKey({ recipientProfileUrn: 'urn:li:fsd_profile:ACoAAB1234' })).toBe(
			'urn:urn:li:fsd_profile:ACoAAB1234',
		);
	});
});

describe('parseRecipient turns each mode into the body field the API expects', () => {
	test('url and id give recipientProfileId, urn gives recipientProfileUrn', () => {
		expect(parseRecipient('url', 'linkedin.com/in/jane-doe')).toEqual({
			recipientProfileId: 'jane-doe',
		});
		expect(parseRecipient('id', 'jane-doe')).toEqual({ recipientProfileId: 'jane-doe' });
		expect(parseRecipient('urn', 'urn:li:fsd_profile:ACoAAB1234')).toEqual({
			recipientProfileUrn: 'urn:li:fsd_profile:ACoAAB1234',
		});
	});

	test.each<['url' | 'id' | 'urn', string, RegExp]>([
		['url', 'urn:li:fsd_profile:ACoAAB1234', /Switch the recipient to "By URN"/],
		['id', 'https://www.linkedin.com/in/jane-doe', /Switch the recipient to "By URL"/],
		['id', 'urn:li:fsd_profile:ACoAAB1234', /Switch the recipient to "By URN"/],
		['urn', 'urn:li:fs_miniProfile:ACoAAB1234', /urn:li:fsd_profile:/],
		['urn', 'urn:li:fsd_profile:ACoAAB 1234', /urn:li:fsd_profile:/],
	])('a value in the wrong mode says which mode fits (%s %s)', (mode, value, hint) => {
		const result = parseRecipient(mode, value);
		expect(result).toBeInstanceOf(RecipientProblem);
		expect((result as RecipientProblem).hint).toMatch(hint);
	});
});

describe('splitUrnList keeps message URNs whole', () => {
	test.each([
		['a,b', ['a', 'b']],
		[
			'urn:li:msg_message:(x,1), urn:li:msg_message:(y,2)',
			['urn:li:msg_message:(x,1)', 'urn:li:msg_message:(y,2)'],
		],
		['urn:li:m:((a,b),c),d', ['urn:li:m:((a,b),c)', 'd']],
		['one\r\ntwo\n\nthree', ['one', 'two', 'three']],
		[' , ,\n', []],
		['a),b', ['a)', 'b']],
		['(unclosed, x', ['(unclosed, x']],
	])('%j → %j', (text, urns) => {
		expect(splitUrnList(text)).toEqual(urns);
	});
});
