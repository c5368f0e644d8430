/**
 * Bad input: a clear NodeOperationError that names the item and the field, shows the value and says what to do —
 * and the stand-in receives nothing at all, because every item is checked before the first one is sent.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { NodeRunResult } from '../../harness';
import { byId, byUrl, byUrn, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const URN = 'urn:li:fsd_profile:ACoAAFpqSoMB8vTqRbg4mN_wbabO8w0gjgFu-6o';
const MSG = 'urn:li:msg_message:(urn:li:fsd_profile:ACoAAATPlQ0Bc8wdg,2-MTcwMDAwMDAwMDAwMA==)';

interface BadInput {
	/** What is wrong, as a sentence. */
	name: string;
	parameters: INodeParameters;
	/** Input items; `v` is the value under test, read by the parameters' expressions. */
	items?: IDataObject[];
	itemIndex: number;
	/** The error message: names the field and shows the (shortened) value. */
	message: RegExp;
	/** The description: what to do. */
	description: RegExp;
}

function expectInputError(
	result: NodeRunResult,
	expected: Omit<BadInput, 'name' | 'parameters' | 'items'>,
) {
	const error = result.nodeError;
	expect(error).toBeDefined();
	expect(error?.name).toBe('NodeOperationError');
	expect(error?.context.itemIndex).toBe(expected.itemIndex);
	expect(error?.message).toMatch(expected.message);
	// The item once: in the error's context, which n8n shows as "Item Index"; not again in the message.
	expect(error?.message).not.toMatch(/\(item \d+\)/);
	expect(error?.description).toMatch(expected.description);
	expect(error?.description).toContain('Nothing was sent');
	expect(result.status).toBe('error');
	expect(result.output).toEqual([]);
}

/** A good first item and a bad second one: the error names item 1 and even item 0 was not sent. */
const goodThenBad = (good: IDataObject[string], bad: IDataObject[string]): IDataObject[] => [
	{ v: good },
	{ v: bad },
];

const badInputs: BadInput[] = [
	{
		name: 'a message that is empty for an item',
		parameters: { recipient: byId('jane-doe'), message: '={{ $json.v }}' },
		items: goodThenBad('Hello', ''),
		itemIndex: 1,
		message: /^Message is empty/,
		description: /Enter the text to send/,
	},
	{
		name: 'a message of only spaces and new lines',
		parameters: { recipient: byId('jane-doe'), message: '={{ $json.v }}' },
		items: goodThenBad('Hello', '  \n\t '),
		itemIndex: 1,
		message: /^Message is empty/,
		description: /Enter the text to send/,
	},
	{
		name: 'a message of only invisible characters (zero-width spaces)',
		parameters: { recipient: byId('jane-doe'), message: '={{ $json.v }}' },
		items: goodThenBad('Hello', '\u200B\u200B \uFEFF'),
		itemIndex: 1,
		message: /^Message is empty/,
		description: /Enter the text to send/,
	},
	{
		name: 'a message whose field is missing from the item',
		parameters: {
			operation: 'sendLegacy',
			recipient: byId('jane-doe'),
			message: '={{ $json.note }}',
		},
		items: [{ note: 'Hi' }, { other: 1 }],
		itemIndex: 1,
		message: /^Message is empty/,
		description: /map it from an earlier node/,
	},
	{
		name: 'a message that is an object',
		parameters: { recipient: byId('jane-doe'), message: '={{ $json.v }}' },
		items: goodThenBad('Hello', { text: 'Hello' }),
		itemIndex: 1,
		message: /^Message: an object is not text/,
		description: /Map a text field/,
	},
	{
		name: 'a message that is a list',
		parameters: {
			operation: 'sendWithAck',
			recipient: byId('jane-doe'),
			message: '={{ $json.v }}',
		},
		items: goodThenBad('Hello', ['a', 'b']),
		itemIndex: 1,
		message: /^Message: a list of 2 is not text/,
		description: /Map a text field/,
	},
	{
		name: 'a message that is a boolean',
		parameters: { recipient: byId('jane-doe'), message: '={{ $json.v }}' },
		items: goodThenBad('Hello', true),
		itemIndex: 1,
		message: /^Message: boolean true is not text/,
		description: /Map a text field/,
	},
	{
		name: 'Send with neither a recipient nor a conversation',
		parameters: { operation: 'send', recipient: byUrl(''), message: 'Hi' },
		itemIndex: 0,
		message: /^Recipient is empty/,
		description: /profile URL, public ID or URN\), or set a Conversation URN under Options/,
	},
	{
		name: 'a recipient that an expression leaves empty',
		parameters: { operation: 'sendWithTyping', recipient: byUrl('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad('https://www.linkedin.com/in/jane-doe', ''),
		itemIndex: 1,
		message: /^Recipient is empty/,
		description: /Enter who receives the message/,
	},
	{
		name: 'a URL that is not a LinkedIn profile URL',
		parameters: { recipient: byUrl('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad('https://www.linkedin.com/in/jane-doe', 'https://example.com/in/jane-doe'),
		itemIndex: 1,
		message:
			/^Recipient \(By URL\): "https:\/\/example\.com\/in\/jane-doe" is not a LinkedIn profile URL/,
		description:
			/Use a URL like https:\/\/www\.linkedin\.com\/in\/jane-doe, or switch the recipient to "By ID" or "By URN"/,
	},
	{
		name: 'a LinkedIn company page instead of a profile',
		parameters: { operation: 'sendWithAck', recipient: byUrl('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad('linkedin.com/in/jane-doe', 'https://www.linkedin.com/company/acme/'),
		itemIndex: 1,
		message: /"https:\/\/www\.linkedin\.com\/company\/acme\/" is not a LinkedIn profile URL/,
		description: /linkedin\.com\/in\/jane-doe/,
	},
	{
		name: 'a Sales Navigator link instead of a public profile URL',
		parameters: { recipient: byUrl('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad(
			'linkedin.com/in/jane-doe',
			'https://www.linkedin.com/sales/lead/ACwAAA,NAME_SEARCH',
		),
		itemIndex: 1,
		message: /is a Sales Navigator or Recruiter link, not a public profile URL/,
		description: /copy its URL/,
	},
	{
		name: 'a URN given as a URL',
		parameters: { recipient: byUrl('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad('linkedin.com/in/jane-doe', URN),
		itemIndex: 1,
		message: /^Recipient \(By URL\): "urn:li:fsd_profile:.*" is a URN, not a profile URL/,
		description: /Switch the recipient to "By URN"/,
	},
	{
		name: 'a profile URL given as a public ID',
		parameters: { recipient: byId('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad('jane-doe', 'https://www.linkedin.com/in/jane-doe'),
		itemIndex: 1,
		message:
			/^Recipient \(By ID\): "https:\/\/www\.linkedin\.com\/in\/jane-doe" is a profile URL, not a public ID/,
		description: /Switch the recipient to "By URL"/,
	},
	{
		name: 'a public ID with spaces or slashes',
		parameters: { recipient: byId('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad('jane-doe', 'jane doe/x'),
		itemIndex: 1,
		message: /^Recipient \(By ID\): "jane doe\/x" is not a LinkedIn public profile ID/,
		description: /the part after linkedin\.com\/in\//,
	},
	{
		name: 'a malformed profile URN',
		parameters: { recipient: byUrn('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad(URN, 'urn:li:member:12345'),
		itemIndex: 1,
		message: /^Recipient \(By URN\): "urn:li:member:12345" is not a LinkedIn profile URN/,
		description: /Use a URN like urn:li:fsd_profile:ACoAAB1234/,
	},
	{
		name: 'a profile URN with nothing after the prefix',
		parameters: { operation: 'sendLegacy', recipient: byUrn('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad(URN, 'urn:li:fsd_profile:'),
		itemIndex: 1,
		message: /"urn:li:fsd_profile:" is not a LinkedIn profile URN/,
		description: /urn:li:fsd_profile:ACoAAB1234/,
	},
	{
		name: 'a recipient that is an object',
		parameters: { recipient: byUrl('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad('linkedin.com/in/jane-doe', { url: 'linkedin.com/in/jane-doe' }),
		itemIndex: 1,
		message: /^Recipient \(By URL\): an object is not text/,
		description: /Map a single profile URL, public ID or URN/,
	},
	{
		name: 'a recipient that is a list of URLs',
		parameters: { recipient: byUrl('={{ $json.v }}'), message: 'Hi' },
		items: goodThenBad('linkedin.com/in/jane-doe', ['linkedin.com/in/a-b', 'linkedin.com/in/c-d']),
		itemIndex: 1,
		message: /^Recipient \(By URL\): a list of 2 is not text/,
		description: /Map a single profile URL/,
	},
	{
		name: 'a group message to a malformed URN',
		parameters: {
			resource: 'groupMessage',
			operation: 'sendWithAck',
			recipientProfileUrn: '={{ $json.v }}',
			groupId: '12345678',
			message: 'Hi',
		},
		items: goodThenBad(URN, 'jane-doe'),
		itemIndex: 1,
		message: /^Recipient Profile URN: "jane-doe" is not a LinkedIn profile URN/,
		description: /group messages cannot use a profile URL or ID/,
	},
	{
		name: 'a group message whose URN an expression leaves empty',
		parameters: {
			resource: 'groupMessage',
			operation: 'sendWithAck',
			recipientProfileUrn: '={{ $json.v }}',
			groupId: '12345678',
			message: 'Hi',
		},
		items: goodThenBad(URN, null),
		itemIndex: 1,
		message: /^Recipient Profile URN is empty/,
		description: /Group messages need the member's URN/,
	},
	{
		name: 'InMail without a subject',
		parameters: {
			operation: 'sendLegacy',
			recipient: byId('jane-doe'),
			message: 'Hi',
			options: { messageType: 'inmail' },
		},
		itemIndex: 0,
		message: /^Subject is empty/,
		description:
			/InMail needs a subject line: add "Subject" under Options, or set Message Type to Normal/,
	},
	{
		name: 'InMail whose subject an expression leaves blank',
		parameters: {
			operation: 'sendWithAck',
			recipient: byId('jane-doe'),
			message: 'Hi',
			options: { messageType: 'inmail', subject: '={{ $json.v }}' },
		},
		items: goodThenBad('Hello', '   '),
		itemIndex: 1,
		message: /^Subject is empty/,
		description: /InMail needs a subject line/,
	},
	{
		name: 'a subject that is an object',
		parameters: {
			operation: 'send',
			recipient: byId('jane-doe'),
			message: 'Hi',
			options: { subject: '={{ $json.v }}' },
		},
		items: goodThenBad('Hello', { a: 1 }),
		itemIndex: 1,
		message: /^Subject: an object is not text/,
		description: /Enter the subject line as text/,
	},
	{
		name: 'a message type that is not one of its choices',
		parameters: {
			operation: 'sendWithTyping',
			recipient: byId('jane-doe'),
			message: 'Hi',
			options: { messageType: '={{ $json.v }}' },
		},
		items: goodThenBad('normal', 'sponsored'),
		itemIndex: 1,
		message: /^Message Type: "sponsored" is not one of its choices/,
		description: /Use one of: normal, inmail/,
	},
	{
		name: 'a non-numeric group ID',
		parameters: {
			resource: 'groupMessage',
			operation: 'sendWithAck',
			recipientProfileUrn: URN,
			groupId: 'my-group',
			message: 'Hi',
		},
		itemIndex: 0,
		message: /^Group ID: "my-group" is not a numeric LinkedIn group ID/,
		description:
			/Use the digits from the group's URL, e.g. 12345678 from linkedin\.com\/groups\/12345678\//,
	},
	{
		name: 'a group URL instead of the group ID',
		parameters: {
			resource: 'groupMessage',
			operation: 'sendWithAck',
			recipientProfileUrn: URN,
			groupId: '={{ $json.v }}',
			message: 'Hi',
		},
		items: goodThenBad('12345678', 'https://www.linkedin.com/groups/12345678/'),
		itemIndex: 1,
		message:
			/^Group ID: "https:\/\/www\.linkedin\.com\/groups\/12345678\/" is not a numeric LinkedIn group ID/,
		description: /Use the digits/,
	},
	{
		name: 'a group ID that is a fraction or negative number',
		parameters: {
			resource: 'groupMessage',
			operation: 'sendWithAck',
			recipientProfileUrn: URN,
			groupId: '={{ $json.v }}',
			message: 'Hi',
		},
		items: goodThenBad(12345678, -5.5),
		itemIndex: 1,
		message: /^Group ID: number -5\.5 is not a numeric LinkedIn group ID/,
		description: /Use the digits/,
	},
	{
		name: 'a group ID that an expression leaves empty',
		parameters: {
			resource: 'groupMessage',
			operation: 'sendWithAck',
			recipientProfileUrn: URN,
			groupId: '={{ $json.v }}',
			message: 'Hi',
		},
		items: goodThenBad('12345678', ''),
		itemIndex: 1,
		message: /^Group ID is empty/,
		description: /numeric ID/,
	},
	{
		name: 'message URNs that are not urn:li: URNs',
		parameters: {
			operation: 'sendWithAck',
			recipient: byId('jane-doe'),
			message: 'Hi',
			messageUrns: `${MSG}, msg-12345`,
		},
		itemIndex: 0,
		message: /^Message URNs to Acknowledge: "msg-12345" is not a urn:li: URN/,
		description: /Each entry must be a LinkedIn message URN/,
	},
	{
		name: 'a list of message URNs holding a number',
		parameters: {
			resource: 'groupMessage',
			operation: 'sendWithAck',
			recipientProfileUrn: URN,
			groupId: '12345678',
			message: 'Hi',
			messageUrns: '={{ $json.v }}',
		},
		items: goodThenBad([MSG], [MSG, 42]),
		itemIndex: 1,
		message: /^Message URNs to Acknowledge: number 42 is not a urn:li: URN/,
		description: /Each entry must be a LinkedIn message URN/,
	},
	{
		name: 'message URNs that are an object',
		parameters: {
			operation: 'sendWithAck',
			recipient: byId('jane-doe'),
			message: 'Hi',
			messageUrns: '={{ $json.v }}',
		},
		items: goodThenBad(MSG, { urn: MSG }),
		itemIndex: 1,
		message: /^Message URNs to Acknowledge: an object is neither a list nor text/,
		description: /Give a list of urn:li: URNs/,
	},
	{
		name: 'attachments that are a list of texts',
		parameters: {
			operation: 'send',
			recipient: byId('jane-doe'),
			message: 'Hi',
			options: { attachments: '={{ $json.v }}' },
		},
		items: goodThenBad([{ id: 'att-1' }], ['att-1', 'att-2']),
		itemIndex: 1,
		message: /^Attachments: a list of 2 is not a list of attachment objects/,
		description: /a list of the objects the upload step returned/,
	},
	{
		name: 'attachments that hold a null or a nested list',
		parameters: {
			operation: 'send',
			recipient: byId('jane-doe'),
			message: 'Hi',
			options: { attachments: '={{ $json.v }}' },
		},
		items: goodThenBad([{ id: 'att-1' }], [{ id: 'att-1' }, null, [{ id: 'x' }]]),
		itemIndex: 1,
		message: /^Attachments: a list of 3 is not a list of attachment objects/,
		description: /upload step/,
	},
	{
		name: 'attachments written as JSON that does not parse',
		parameters: {
			operation: 'send',
			recipient: byId('jane-doe'),
			message: 'Hi',
			options: { attachments: '[{ id: att-1 }]' },
		},
		itemIndex: 0,
		message: /^Attachments: "\[\{ id: att-1 \}\]" is not valid JSON/,
		description: /write a JSON list of objects/,
	},
	{
		name: 'a messaging channel that is not one of its choices',
		parameters: {
			operation: 'send',
			recipient: byId('jane-doe'),
			message: 'Hi',
			options: { messagingChannel: '={{ $json.v }}' },
		},
		items: goodThenBad('auto', 'email'),
		itemIndex: 1,
		message: /^Messaging Channel: "email" is not one of its choices/,
		description: /Use one of: auto, linkedin_inbox, sales_navigator/,
	},
	{
		name: 'a conversation URN that is not a URN',
		parameters: {
			operation: 'sendWithTyping',
			recipient: byId('jane-doe'),
			message: 'Hi',
			conversationUrn: '={{ $json.v }}',
		},
		items: goodThenBad(
			'urn:li:msg_conversation:(urn:li:fsd_profile:X,2-Y)',
			'https://www.linkedin.com/messaging/thread/2-abc/',
		),
		itemIndex: 1,
		message:
			/^Conversation URN: "https:\/\/www\.linkedin\.com\/messaging\/thread\/2-abc\/" is not a LinkedIn conversation URN/,
		description: /Use the URN of an existing conversation/,
	},
	{
		name: 'an account ID with characters no ID has',
		parameters: {
			account: { __rl: true, mode: 'id', value: '={{ $json.v }}' },
			recipient: byId('jane-doe'),
			message: 'Hi',
		},
		items: goodThenBad('65a1b2c3d4e5f60718293a4b', 'Ada Lovelace <ada@example.com>'),
		itemIndex: 1,
		message: /^Account: "Ada Lovelace <ada@example\.com>" is not a ConnectSafely account ID/,
		description: /Pick the account from the list, or enter its ID/,
	},
];

describe('bad input stops the run with a clear error, and nothing is sent', () => {
	test.each(badInputs.map((c) => [c.name, c] as const))('%s', async (_name, bad) => {
		const result = await bed.run({ parameters: bad.parameters, items: bad.items });
		expectInputError(result, bad);
		expect(bed.standin.requests).toHaveLength(0);
	});
});

describe('errors show the bad value shortened', () => {
	test('a very long bad URL is cut to its start in the message, never printed whole', async () => {
		const long = `https://example.com/${'x'.repeat(5000)}`;
		const result = await bed.run({
			parameters: { recipient: byUrl('={{ $json.v }}'), message: 'Hi' },
			items: [{ v: long }],
		});
		const message = result.nodeError?.message ?? '';
		expect(message).toContain(`"${long.slice(0, 60)}…"`);
		expect(message.length).toBeLessThan(200);
		expect(bed.standin.requests).toHaveLength(0);
	});

	test('an empty text is named as such, not shown as ""', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'sendWithAck',
				recipient: byId('jane-doe'),
				message: 'Hi',
				messageUrns: '={{ $json.v }}',
			},
			items: [{ v: [MSG, ''] }],
		});
		expect(result.nodeError?.message).toMatch(
			/^Message URNs to Acknowledge: an empty text is not a urn:li: URN/,
		);
	});
});

describe('n8n itself refuses literal values that fail a field check, before the node runs', () => {
	test.each<[string, INodeParameters]>([
		['an empty required message', { recipient: byId('jane-doe'), message: '' }],
		[
			'a literal URL that is not a LinkedIn profile',
			{ recipient: byUrl('https://example.com/jane'), message: 'Hi' },
		],
		[
			'a literal malformed URN',
			{ operation: 'sendWithAck', recipient: byUrn('urn:li:member:1'), message: 'Hi' },
		],
		[
			'an empty required recipient',
			{ operation: 'sendWithAck', recipient: byId(''), message: 'Hi' },
		],
		[
			'an empty group ID',
			{
				resource: 'groupMessage',
				operation: 'sendWithAck',
				recipientProfileUrn: URN,
				groupId: '',
				message: 'Hi',
			},
		],
	])('%s: the workflow does not start and nothing is sent', async (_name, parameters) => {
		await expect(bed.run({ parameters })).rejects.toThrow(/workflow has issues/);
		expect(bed.standin.requests).toHaveLength(0);
	});

	test("a literal profile URL in capitals passes n8n's check, as it passes the node's", async () => {
		const result = await bed.run({
			parameters: { recipient: byUrl('HTTPS://WWW.LINKEDIN.COM/IN/Jane-Doe/'), message: 'Hi' },
		});
		expect(result.error).toBeUndefined();
		expect(bed.standin.requests.map((request) => request.body)).toEqual([
			{ recipientProfileId: 'Jane-Doe', message: 'Hi' },
		]);
	});
});

describe('all items are checked before any is sent', () => {
	const items = [
		{ url: 'https://www.linkedin.com/in/alice-a', note: 'Hi Alice' },
		{ url: 'https://www.linkedin.com/in/bob-b', note: 'Hi Bob' },
		{ url: 'https://twitter.com/carol', note: 'Hi Carol' },
		{ url: 'https://www.linkedin.com/in/dave-d', note: '' },
		{ url: 'https://www.linkedin.com/in/erin-e', note: 'Hi Erin' },
	];
	const parameters: INodeParameters = {
		recipient: byUrl('={{ $json.url }}'),
		message: '={{ $json.note }}',
	};

	test('one bad item among good ones, without Continue On Fail, sends nothing at all and names the first bad item', async () => {
		const result = await bed.run({ parameters, items });
		expect(result.nodeError?.name).toBe('NodeOperationError');
		expect(result.nodeError?.context.itemIndex).toBe(2);
		expect(result.nodeError?.message).toMatch(
			/"https:\/\/twitter\.com\/carol" is not a LinkedIn profile URL$/,
		);
		expect(bed.standin.requests).toHaveLength(0);
		expect(bed.standin.delivered).toHaveLength(0);
	});

	test.each([
		['onError: continueRegularOutput', { onError: 'continueRegularOutput' as const }],
		['the legacy continueOnFail setting', { continueOnFail: true }],
	])(
		'with Continue On Fail (%s) bad items become error items paired with their input and the good ones are sent',
		async (_name, nodeSettings) => {
			const result = await bed.run({ parameters, items, nodeSettings });
			expect(result.nodeError).toBeUndefined();
			expect(result.status).toBe('success');
			expect(result.output).toHaveLength(5);
			expect(result.output.map((item) => item.pairedItem)).toEqual(
				[0, 1, 2, 3, 4].map((item) => ({ item })),
			);
			expect(result.output[2].json).toEqual({
				error: 'Recipient (By URL): "https://twitter.com/carol" is not a LinkedIn profile URL',
				description: expect.stringMatching(/Use a URL like .*Nothing was sent for this item\.$/),
			});
			expect(result.output[3].json).toEqual({
				error: 'Message is empty',
				description: expect.stringContaining('Enter the text to send'),
			});
			for (const index of [0, 1, 4]) expect(result.output[index].json.success).toBe(true);
			expect(bed.standin.delivered.map((m) => [m.recipientProfileId, m.message])).toEqual([
				['alice-a', 'Hi Alice'],
				['bob-b', 'Hi Bob'],
				['erin-e', 'Hi Erin'],
			]);
		},
	);

	// KNOWN BUG (router.ts / sendRun.ts, not fixed here): n8n sends an item to the error output only when the item
	// carries `error` (INodeExecutionData.error) or its json is just `{error}` / `{error, message}`. The node's error
	// items are `{error, description, …}` without `item.error`, so they land on the success branch. Flip this to
	// `test` once the error items set `error` on the item.
	test('with the error output, bad items go to the error branch and the good ones to the success branch', async () => {
		const result = await bed.run({
			parameters,
			items,
			nodeSettings: { onError: 'continueErrorOutput' },
		});
		expect(result.nodeError).toBeUndefined();
		const [success, failure] = result.outputs;
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 4 }]);
		expect(failure.map((item) => item.pairedItem)).toEqual([{ item: 2 }, { item: 3 }]);
		expect(failure.map((item) => item.json.error)).toEqual([
			expect.stringContaining('twitter.com/carol'),
			'Message is empty',
		]);
		expect(bed.standin.delivered).toHaveLength(3);
	});
});

describe('expressions that fail', () => {
	test("an expression that throws on one item fails naming that item, in n8n's words; nothing is sent", async () => {
		const result = await bed.run({
			parameters: {
				recipient: byId('jane-doe'),
				message: "={{ $json.person ? $json.person.name.first : $('No Such Node').item.json.x }}",
			},
			items: [{ person: { name: { first: 'Ada' } } }, { person: null }],
		});
		expect(result.nodeError?.name).toBe('NodeOperationError');
		expect(result.nodeError?.message).toBe("Referenced node doesn't exist");
		expect(result.nodeError?.context.itemIndex).toBe(1);
		expect(bed.standin.requests).toHaveLength(0);
	});

	test('an expression reading through a null field resolves to nothing (n8n does not throw): "Message is empty", naming the item', async () => {
		const result = await bed.run({
			parameters: { recipient: byId('jane-doe'), message: '={{ $json.person.name.first }}' },
			items: [{ person: { name: { first: 'Ada' } } }, { person: null }],
		});
		expect(result.nodeError?.message).toBe('Message is empty');
		expect(result.nodeError?.context.itemIndex).toBe(1);
		expect(result.nodeError?.description).toMatch(/Nothing was sent for this item\.$/);
		expect(bed.standin.requests).toHaveLength(0);
	});
});
