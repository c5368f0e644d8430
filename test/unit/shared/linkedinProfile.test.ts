import { profileIdFromUrl, resolveUrl } from '../../../nodes/shared/linkedinProfile';
import { parseRecipient, RecipientProblem } from '../../../nodes/ConnectSafely/inputs/recipient';
import { publicProfileId } from '../../../nodes/ConnectSafelyTrigger/event';

describe('a profile URL is read after its path is resolved as a browser resolves it', () => {
	test.each([
		// dot segments
		'https://www.linkedin.com/in/jane-doe/../../company/acme',
		'https://www.linkedin.com/in/jane-doe/..',
		'https://www.linkedin.com/in/jane-doe/../',
		'linkedin.com/in/jane-doe/./../../feed/',
		// encoded dots and slashes: %2e, %2E, %2f, %2F, and an encoded backslash
		'https://www.linkedin.com/in/jane-doe/%2e%2e/%2E%2E/company/acme',
		'https://www.linkedin.com/in/jane-doe%2F..%2F..%2Fcompany%2Facme',
		'https://www.linkedin.com/in/jane-doe%2f%2e%2e%2f%2e%2e%2fcompany%2facme',
		'https://www.linkedin.com/in/jane-doe%5C..%5C..%5Ccompany%5Cacme',
		// a backslash, which browsers read as a slash in http(s) URLs
		'https://www.linkedin.com/in/jane-doe/..\\..\\company\\acme',
	])('%s opens no profile: refused', (url) => {
		expect(profileIdFromUrl(url)).toBeUndefined();
	});

	test.each([
		['https://www.linkedin.com/in/jane-doe/../john-doe', 'john-doe'],
		// one ".." too few to leave /in/: the browser opens the profile "company"
		['https://www.linkedin.com/in/jane-doe/../company/acme', 'company'],
		['https://www.linkedin.com/in/jane-doe/./details/../', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe/details/%2e%2e/', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe/recent-activity/..?x=/../..', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe/x/..#/../../company/acme', 'jane-doe'],
	])('%s opens the profile %s', (url, id) => {
		expect(profileIdFromUrl(url)).toBe(id);
	});

	test('the query and the fragment are not part of the path', () => {
		expect(resolveUrl('https://www.linkedin.com/in/a/../b?next=/../c#/..')).toBe(
			'https://www.linkedin.com/in/b?next=/../c#/..',
		);
	});

	test('the send node says why such a URL is refused, and sends nothing for it', () => {
		const problem = parseRecipient(
			'url',
			'https://www.linkedin.com/in/jane-doe/../../company/acme',
		);
		expect(problem).toBeInstanceOf(RecipientProblem);
		expect((problem as RecipientProblem).problem).toMatch(/another page than a profile/);
	});

	test("the trigger reads a sender's profile URL with the same parser", () => {
		expect(publicProfileId('https://www.linkedin.com/in/jane-doe/../../company/acme')).toBeNull();
		expect(publicProfileId('https://www.linkedin.com/in/jane-doe/')).toBe('jane-doe');
	});
});
