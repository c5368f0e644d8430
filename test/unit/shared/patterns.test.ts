import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INode, INodeProperties, INodePropertyMode } from 'n8n-workflow';

import { accountField, recipientField } from '../../../nodes/ConnectSafely/descriptions/fields';
import { parseRecipient, RecipientProblem } from '../../../nodes/ConnectSafely/inputs/recipient';
import { readAccountId } from '../../../nodes/ConnectSafely/inputs/readFields';

/** The regex n8n's editor checks a resource locator mode with, compiled as the editor compiles it (no flags). */
function editorCheck(field: INodeProperties, mode: string): RegExp {
	const found = (field.modes as INodePropertyMode[]).find((m) => m.name === mode);
	const rule = found?.validation?.find((v) => typeof v === 'object' && v.type === 'regex');
	const regex =
		typeof rule === 'object' ? (rule.properties as { regex?: string }).regex : undefined;
	if (regex === undefined) throw new Error(`no regex on ${mode}`);
	return new RegExp(regex);
}

const runtimeAccepts = (mode: 'url' | 'urn', value: string) =>
	!(parseRecipient(mode, value) instanceof RecipientProblem);

const urls = [
	'https://www.linkedin.com/in/jane-doe',
	'HTTPS://WWW.LINKEDIN.COM/IN/jane-doe',
	'  http://uk.linkedin.com/in/jane-doe/  ',
	'https://m.linkedin.com/in/jane-doe/details/experience/?x=1#top',
	'linkedin.com/mwlite/in/jane_doe',
	'https://www.linkedin.com/in/%E6%9D%8E%E5%B0%8F%E5%A8%9C',
	'https://www.linkedin.com/company/acme',
	'https://www.linkedin.com/in/',
	'https://www.linkedin.com/feed/in/jane-doe',
	'https://evil.com/linkedin.com/in/jane-doe',
	'https://notlinkedin.com/in/jane-doe',
	'https://www.linkedin.com/sales/lead/ACwAAA',
	'urn:li:fsd_profile:ACoAAB1234',
	'jane-doe',
	'www.linkedin.com/in/jane doe',
];

// Where the two must differ: a regex cannot resolve "..", so the editor lets such a URL through and the run refuses
// it with an error that says why (test/unit/shared/linkedinProfile.test.ts). Never the other way round.
const resolvedAtRunTime = ['https://www.linkedin.com/in/jane-doe/../../company/acme'];

const urns = [
	'urn:li:fsd_profile:ACoAAB1234',
	'urn:li:fsd_profile:ACoAAFpqSoMB8vTqRbg4mN_wbabO8w0gjgFu-6o',
	' urn:li:fsd_profile:ACoAAB1234 ',
	'urn:li:fsd_profile:A',
	'urn:li:fs_miniProfile:ACoAAB1234',
	'urn:li:fsd_profile:ACoAAB 1234',
	'https://www.linkedin.com/in/jane-doe',
];

describe("the editor's checks and the run-time checks accept and refuse the same values", () => {
	test.each(urls)('Recipient By URL: %s', (url) => {
		expect(editorCheck(recipientField(true), 'url').test(url)).toBe(runtimeAccepts('url', url));
	});

	test.each(resolvedAtRunTime)(
		'Recipient By URL: %s passes the editor, is refused by the run',
		(url) => {
			expect(editorCheck(recipientField(true), 'url').test(url)).toBe(true);
			expect(runtimeAccepts('url', url)).toBe(false);
		},
	);

	test.each(urns)('Recipient By URN: %s', (urn) => {
		expect(editorCheck(recipientField(true), 'urn').test(urn)).toBe(runtimeAccepts('urn', urn));
	});

	const node = { name: 'ConnectSafely' } as INode;
	test.each(['65a1b2c3d4e5f60718293a4b', 'acc_12345', ' acc-1 ', 'acc 1', 'acc/1', 'a'.repeat(65)])(
		'Account By ID: %s',
		(id) => {
			let runtime = true;
			try {
				readAccountId({ node, itemIndex: 0 }, { mode: 'id', value: id });
			} catch {
				runtime = false;
			}
			expect(editorCheck(accountField, 'id').test(id)).toBe(runtime);
		},
	);

	test('an empty field passes the editor (empty account: the default one; empty recipient: a Conversation URN)', () => {
		for (const mode of ['url', 'urn'])
			expect(editorCheck(recipientField(false), mode).test('')).toBe(true);
		expect(editorCheck(accountField, 'id').test('  ')).toBe(true);
	});

	test('no regex of its own in the field descriptions: they come from nodes/shared/patterns.ts', () => {
		const source = readFileSync(
			join(__dirname, '../../../nodes/ConnectSafely/descriptions/fields.ts'),
			'utf8',
		);
		expect(source).not.toMatch(/regex:\s*'/);
	});
});
