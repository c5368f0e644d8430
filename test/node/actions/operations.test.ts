/**
 * Every operation through the real engine against the stand-in: the path it calls, the headers, the exact
 * body (documented fields only, empty optional ones left out) and the items it outputs.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { INBOX_ACCOUNT_ID, SALES_NAV_ACCOUNT_ID } from '../../standin/server';
import type { RecordedRequest } from '../../standin/server';
import { byId, byUrl, byUrn, jsonOf, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const URN = 'urn:li:fsd_profile:ACoAAFpqSoMB8vTqRbg4mN_wbabO8w0gjgFu-6o';
const CONVERSATION =
	'urn:li:msg_conversation:(urn:li:fsd_profile:ACoAAATPlQ0Bc8wdg-Iy8wZgEDuSdIVWJiE1Aio,2-NzkzMDFlNzAtZjU2OS00MjIwLWE2ZDctYzZkMWE1ZDljZDAyXzEwMA==)';
const MSG_1 = 'urn:li:msg_message:(urn:li:fsd_profile:ACoAAATPlQ0Bc8wdg,2-MTcwMDAwMDAwMDAwMA==)';
const MSG_2 = 'urn:li:msg_message:(urn:li:fsd_profile:ACoAAATPlQ0Bc8wdg,2-MTcwMDAwMDAwMDAwMQ==)';

function account(value: string, mode: 'list' | 'id' = 'list') {
	return { __rl: true, mode, value };
}

/** Runs the node once and returns the one request the stand-in received. */
async function sendOne(
	parameters: INodeParameters,
	items?: IDataObject[],
): Promise<RecordedRequest> {
	const result = await bed.run({ parameters, items });
	expect(result.nodeError).toBeUndefined();
	expect(result.error).toBeUndefined();
	expect(bed.standin.requests).toHaveLength(1);
	return bed.standin.requests[0];
}

function expectJsonPostWithKey(request: RecordedRequest, path: string): void {
	expect(request.method).toBe('POST');
	expect(request.path).toBe(`/linkedin${path}`);
	expect(request.headers.authorization).toBe(`Bearer ${bed.standin.apiKey}`);
	expect(request.headers['content-type']).toMatch(/^application\/json/);
}

describe('each operation calls its endpoint with the key and exactly the documented body', () => {
	test('Message → Send posts to /conversations/send with only the recipient and the message', async () => {
		const request = await sendOne({
			resource: 'message',
			operation: 'send',
			recipient: byUrl('https://www.linkedin.com/in/jane-doe'),
			message: 'Hello Jane',
		});
		expectJsonPostWithKey(request, '/conversations/send');
		expect(request.body).toEqual({ recipientProfileId: 'jane-doe', message: 'Hello Jane' });
	});

	test('Send is the default operation of the default resource', async () => {
		const request = await sendOne({ recipient: byId('jane-doe'), message: 'Hi' });
		expectJsonPostWithKey(request, '/conversations/send');
		expect(request.body).toEqual({ recipientProfileId: 'jane-doe', message: 'Hi' });
	});

	test('Send with every option sends subject, conversation, attachments and channel as given', async () => {
		const attachments = [
			{ id: 'att-1', name: 'deck.pdf', meta: { size: 1234, pages: [1, 2] } },
			{ id: 'att-2', mediaType: 'image/png' },
		];
		const request = await sendOne({
			operation: 'send',
			account: account(INBOX_ACCOUNT_ID),
			recipient: byUrn(URN),
			message: 'With everything',
			options: {
				subject: 'About the deck',
				conversationUrn: CONVERSATION,
				attachments: JSON.stringify(attachments),
				messagingChannel: 'linkedin_inbox',
			},
		});
		expectJsonPostWithKey(request, '/conversations/send');
		expect(request.body).toEqual({
			accountId: INBOX_ACCOUNT_ID,
			recipientProfileUrn: URN,
			conversationUrn: CONVERSATION,
			message: 'With everything',
			subject: 'About the deck',
			attachments,
			messagingChannel: 'linkedin_inbox',
		});
	});

	test('Send with only a Conversation URN and no recipient sends the conversation, no recipient field', async () => {
		const request = await sendOne({
			operation: 'send',
			recipient: byUrl(''),
			message: 'Following up',
			options: { conversationUrn: CONVERSATION },
		});
		expect(request.body).toEqual({ conversationUrn: CONVERSATION, message: 'Following up' });
	});

	test('Send leaves out options that were added but left empty (no "" and no [])', async () => {
		const request = await sendOne({
			operation: 'send',
			recipient: byId('jane-doe'),
			message: 'Hi',
			options: { subject: '', conversationUrn: '  ', attachments: '[]' },
		});
		expect(request.body).toEqual({ recipientProfileId: 'jane-doe', message: 'Hi' });
	});

	test('Send passes attachments mapped from an expression through unchanged', async () => {
		const attachments = [{ id: 'upload-42', extra: { nested: ['a', 'b'] }, flag: true, n: 0 }];
		const request = await sendOne(
			{
				operation: 'send',
				recipient: byId('jane-doe'),
				message: 'See attached',
				options: { attachments: '={{ $json.uploaded }}' },
			},
			[{ uploaded: attachments }],
		);
		expect((request.body as IDataObject).attachments).toEqual(attachments);
	});

	test.each(['auto', 'sales_navigator', 'linkedin_inbox'])(
		'Send passes the messaging channel %s',
		async (channel) => {
			const request = await sendOne({
				operation: 'send',
				recipient: byId('jane-doe'),
				message: 'Hi',
				options: { messagingChannel: channel },
			});
			expect(request.body).toEqual({
				recipientProfileId: 'jane-doe',
				message: 'Hi',
				messagingChannel: channel,
			});
		},
	);

	test('Send With Acknowledgment posts recipient, message, subject, type and the URNs to acknowledge', async () => {
		const request = await sendOne({
			operation: 'sendWithAck',
			account: account(SALES_NAV_ACCOUNT_ID, 'id'),
			recipient: byId('john-doe-123'),
			message: 'Thanks for your message!',
			messageUrns: `${MSG_1}\n${MSG_2}`,
			options: { subject: 'Re: hello', messageType: 'normal' },
		});
		expectJsonPostWithKey(request, '/messaging/send-with-ack');
		expect(request.body).toEqual({
			accountId: SALES_NAV_ACCOUNT_ID,
			recipientProfileId: 'john-doe-123',
			message: 'Thanks for your message!',
			subject: 'Re: hello',
			messageType: 'normal',
			messageUrns: [MSG_1, MSG_2],
		});
	});

	test('Send With Acknowledgment without URNs sends no messageUrns at all', async () => {
		const request = await sendOne({
			operation: 'sendWithAck',
			recipient: byUrn(URN),
			message: 'Thanks',
			messageUrns: '',
		});
		expectJsonPostWithKey(request, '/messaging/send-with-ack');
		expect(request.body).toEqual({ recipientProfileUrn: URN, message: 'Thanks' });
	});

	test('Send With Typing Indicator posts the conversation URN with the message', async () => {
		const request = await sendOne({
			operation: 'sendWithTyping',
			recipient: byUrn(URN),
			message: 'Typing…',
			conversationUrn: CONVERSATION,
			options: { messageType: 'inmail', subject: 'Hello there' },
		});
		expectJsonPostWithKey(request, '/messaging/send-with-typing');
		expect(request.body).toEqual({
			recipientProfileUrn: URN,
			message: 'Typing…',
			subject: 'Hello there',
			messageType: 'inmail',
			conversationUrn: CONVERSATION,
		});
	});

	test('Send With Typing Indicator without a conversation sends no conversationUrn', async () => {
		const request = await sendOne({
			operation: 'sendWithTyping',
			recipient: byId('jane-doe'),
			message: 'Hi',
			conversationUrn: '',
		});
		expect(request.body).toEqual({ recipientProfileId: 'jane-doe', message: 'Hi' });
	});

	test('Send (Legacy) posts to the deprecated /messaging/send with subject and message type', async () => {
		const request = await sendOne({
			operation: 'sendLegacy',
			account: account(INBOX_ACCOUNT_ID),
			recipient: byUrl('linkedin.com/in/john-doe-123'),
			message: 'Hello! I would like to connect with you.',
			options: { subject: 'Quick question about your work', messageType: 'inmail' },
		});
		expectJsonPostWithKey(request, '/messaging/send');
		expect(request.body).toEqual({
			accountId: INBOX_ACCOUNT_ID,
			recipientProfileId: 'john-doe-123',
			message: 'Hello! I would like to connect with you.',
			subject: 'Quick question about your work',
			messageType: 'inmail',
		});
	});

	test('Group Message → Send With Acknowledgment posts URN, group ID, message and URNs', async () => {
		const request = await sendOne({
			resource: 'groupMessage',
			operation: 'sendWithAck',
			recipientProfileUrn: URN,
			groupId: '12345678',
			message: 'Thanks for your message in the group!',
			messageUrns: MSG_1,
		});
		expectJsonPostWithKey(request, '/messaging/send-group-with-ack');
		expect(request.body).toEqual({
			recipientProfileUrn: URN,
			groupId: '12345678',
			message: 'Thanks for your message in the group!',
			messageUrns: [MSG_1],
		});
	});

	test('Group message with a chosen account and no URNs sends accountId and no messageUrns', async () => {
		const request = await sendOne({
			resource: 'groupMessage',
			operation: 'sendWithAck',
			account: account(INBOX_ACCOUNT_ID),
			recipientProfileUrn: URN,
			groupId: ' 12345678 ',
			message: 'Hi',
		});
		expect(request.body).toEqual({
			accountId: INBOX_ACCOUNT_ID,
			recipientProfileUrn: URN,
			groupId: '12345678',
			message: 'Hi',
		});
	});
});

describe('the sending account', () => {
	test.each([
		['an empty list choice', account('')],
		['an empty ID', account('', 'id')],
		['only spaces', account('   ', 'id')],
	])('with %s the default account is used and no accountId is sent', async (_name, chosen) => {
		const request = await sendOne({ account: chosen, recipient: byId('jane-doe'), message: 'Hi' });
		expect(request.body).not.toHaveProperty('accountId');
	});

	test('a chosen account is sent as accountId and the message goes out from it', async () => {
		const request = await sendOne({
			account: account(INBOX_ACCOUNT_ID),
			recipient: byId('jane-doe'),
			message: 'Hi',
		});
		expect((request.body as IDataObject).accountId).toBe(INBOX_ACCOUNT_ID);
		expect(bed.standin.delivered[0].accountId).toBe(INBOX_ACCOUNT_ID);
	});
});

describe('recipient modes', () => {
	test.each([
		['https://www.linkedin.com/in/jane-doe', 'jane-doe'],
		['https://linkedin.com/in/jane-doe', 'jane-doe'],
		['http://www.linkedin.com/in/jane-doe/', 'jane-doe'],
		['https://uk.linkedin.com/in/jane-doe', 'jane-doe'],
		['https://de.linkedin.com/in/max-mustermann-42/', 'max-mustermann-42'],
		['www.linkedin.com/in/jane-doe', 'jane-doe'],
		['linkedin.com/in/jane-doe/', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe?utm_source=share&utm_medium=member_desktop', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe/#experience', 'jane-doe'],
		['https://www.linkedin.com/in/jane-doe/?trk=x#top', 'jane-doe'],
		['  https://www.linkedin.com/in/jane-doe  ', 'jane-doe'],
		['https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller', 'jörg-müller'],
	])('a profile URL %s is sent as recipientProfileId %s', async (url, slug) => {
		const request = await sendOne({ recipient: byUrl(url), message: 'Hi' });
		expect(request.body).toEqual({ recipientProfileId: slug, message: 'Hi' });
	});

	test('a public ID is sent as recipientProfileId, trimmed', async () => {
		const request = await sendOne({ recipient: byId(' john-doe-123 '), message: 'Hi' });
		expect(request.body).toEqual({ recipientProfileId: 'john-doe-123', message: 'Hi' });
	});

	test('a profile URN is sent as recipientProfileUrn', async () => {
		const request = await sendOne({
			operation: 'sendLegacy',
			recipient: byUrn(URN),
			message: 'Hi',
		});
		expect(request.body).toEqual({ recipientProfileUrn: URN, message: 'Hi' });
	});
});

describe('message URNs to acknowledge', () => {
	test.each([
		['separated by commas', `${MSG_1}, ${MSG_2}`],
		['separated by commas without spaces', `${MSG_1},${MSG_2}`],
		['one a line', `${MSG_1}\n${MSG_2}`],
		['one a line with Windows line ends and blank lines', `\r\n${MSG_1}\r\n\r\n${MSG_2}\r\n`],
		['mixed commas and lines, with a trailing comma', `${MSG_1},\n${MSG_2},`],
	])('as text %s, URNs with commas inside parentheses stay whole', async (_name, text) => {
		const request = await sendOne({
			operation: 'sendWithAck',
			recipient: byId('jane-doe'),
			message: 'Hi',
			messageUrns: text,
		});
		expect((request.body as IDataObject).messageUrns).toEqual([MSG_1, MSG_2]);
	});

	test('simple URNs without parentheses are split at commas', async () => {
		const request = await sendOne({
			resource: 'groupMessage',
			operation: 'sendWithAck',
			recipientProfileUrn: URN,
			groupId: '1',
			message: 'Hi',
			messageUrns: 'urn:li:msg_message:111,urn:li:msg_message:222',
		});
		expect((request.body as IDataObject).messageUrns).toEqual([
			'urn:li:msg_message:111',
			'urn:li:msg_message:222',
		]);
	});

	test('a list from an expression is sent as that list', async () => {
		const request = await sendOne(
			{
				operation: 'sendWithAck',
				recipient: byId('jane-doe'),
				message: 'Hi',
				messageUrns: '={{ $json.received }}',
			},
			[{ received: [MSG_1, MSG_2] }],
		);
		expect((request.body as IDataObject).messageUrns).toEqual([MSG_1, MSG_2]);
	});

	test('an empty list from an expression sends no messageUrns', async () => {
		const request = await sendOne(
			{
				resource: 'groupMessage',
				operation: 'sendWithAck',
				recipientProfileUrn: URN,
				groupId: '12345678',
				message: 'Hi',
				messageUrns: '={{ $json.received }}',
			},
			[{ received: [] }],
		);
		expect(request.body).toEqual({ recipientProfileUrn: URN, groupId: '12345678', message: 'Hi' });
	});
});

describe('output items', () => {
	test('each output item holds the API answer plus rateLimit from the headers, paired with its input', async () => {
		const result = await bed.run({
			parameters: {
				operation: 'sendWithAck',
				recipient: byUrn(URN),
				message: 'Hi',
				messageUrns: MSG_1,
			},
		});
		expect(result.nodeError).toBeUndefined();
		const quota = bed.standin.quota();
		expect(result.output).toHaveLength(1);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
		expect(result.output[0].json).toEqual({
			success: true,
			message: 'Message sent successfully',
			recipientProfileUrn: URN,
			acknowledgmentSent: true,
			rateLimit: {
				action: 'MESSAGE',
				limit: 150,
				used: 1,
				remaining: 149,
				resetsAt: quota.resetAt,
			},
		});
	});

	test('Send returns the sent message and the Sales Navigator thread ID', async () => {
		const result = await bed.run({ parameters: { recipient: byId('jane-doe'), message: 'Hi' } });
		const json = result.output[0].json;
		expect(json).toMatchObject({ success: true, message: 'Hi', threadId: expect.any(String) });
		expect(json.sentMessage).toEqual(
			expect.objectContaining({ conversationUrn: expect.any(String) }),
		);
		expect(json.rateLimit).toEqual(expect.objectContaining({ used: 1, remaining: 149 }));
	});

	test('three input items give three output items, in order, each paired with its input and counting the quota', async () => {
		const result = await bed.run({
			parameters: { recipient: byId('={{ $json.id }}'), message: 'Hi' },
			items: [{ id: 'alice-a' }, { id: 'bob-b' }, { id: 'carol-c' }],
		});
		expect(result.nodeError).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(jsonOf(result.output).map((json) => (json.rateLimit as IDataObject).used)).toEqual([
			1, 2, 3,
		]);
		expect(bed.standin.delivered.map((m) => m.recipientProfileId)).toEqual([
			'alice-a',
			'bob-b',
			'carol-c',
		]);
	});
});

describe('expressions read each item', () => {
	test('message and recipient URL expressions are resolved per item', async () => {
		const result = await bed.run({
			parameters: {
				recipient: byUrl('={{ $json.url }}'),
				message: "={{ 'Hi ' + $json.firstName }}",
			},
			items: [
				{ firstName: 'Ada', url: 'https://www.linkedin.com/in/ada-l' },
				{ firstName: 'Grace', url: 'https://uk.linkedin.com/in/grace-h/' },
				{ firstName: 'Alan', url: 'linkedin.com/in/alan-t?trk=1' },
			],
		});
		expect(result.nodeError).toBeUndefined();
		expect(bed.standin.requests.map((r) => r.body)).toEqual([
			{ recipientProfileId: 'ada-l', message: 'Hi Ada' },
			{ recipientProfileId: 'grace-h', message: 'Hi Grace' },
			{ recipientProfileId: 'alan-t', message: 'Hi Alan' },
		]);
	});

	test('a template message with {{ }} inside text is filled per item', async () => {
		await bed.run({
			parameters: {
				operation: 'sendLegacy',
				recipient: byUrn('={{ $json.urn }}'),
				message: '=Hello {{ $json.firstName }}, nice to meet you at {{ $json.event }}!',
			},
			items: [
				{ firstName: 'Ada', event: 'PyCon', urn: URN },
				{ firstName: 'Grace', event: 'JSConf', urn: 'urn:li:fsd_profile:ACoAAB1234' },
			],
		});
		expect(bed.standin.requests.map((r) => r.body)).toEqual([
			{ recipientProfileUrn: URN, message: 'Hello Ada, nice to meet you at PyCon!' },
			{
				recipientProfileUrn: 'urn:li:fsd_profile:ACoAAB1234',
				message: 'Hello Grace, nice to meet you at JSConf!',
			},
		]);
	});

	test('an expression may choose the account per item; empty means the default account', async () => {
		await bed.run({
			parameters: {
				account: { __rl: true, mode: 'id', value: '={{ $json.sender }}' },
				recipient: byId('jane-doe'),
				message: 'Hi',
			},
			items: [{ sender: INBOX_ACCOUNT_ID }, { sender: '' }],
		});
		expect(bed.standin.requests.map((r) => r.body)).toEqual([
			{ accountId: INBOX_ACCOUNT_ID, recipientProfileId: 'jane-doe', message: 'Hi' },
			{ recipientProfileId: 'jane-doe', message: 'Hi' },
		]);
	});

	test('group fields from expressions: a numeric group ID from the data is sent as text', async () => {
		await bed.run({
			parameters: {
				resource: 'groupMessage',
				operation: 'sendWithAck',
				recipientProfileUrn: '={{ $json.urn }}',
				groupId: '={{ $json.group }}',
				message: '={{ $json.text }}',
			},
			items: [
				{ urn: URN, group: 12345678, text: 'First' },
				{ urn: 'urn:li:fsd_profile:ACoAAB1234', group: '87654321', text: 'Second' },
			],
		});
		expect(bed.standin.requests.map((r) => r.body)).toEqual([
			{ recipientProfileUrn: URN, groupId: '12345678', message: 'First' },
			{
				recipientProfileUrn: 'urn:li:fsd_profile:ACoAAB1234',
				groupId: '87654321',
				message: 'Second',
			},
		]);
	});

	test('a conversation URN from an expression lets Send reply without a recipient', async () => {
		await bed.run({
			parameters: {
				recipient: byUrl(''),
				message: '={{ $json.reply }}',
				options: { conversationUrn: '={{ $json.thread }}' },
			},
			items: [{ thread: CONVERSATION, reply: 'Sure, Tuesday works.' }],
		});
		expect(bed.standin.requests.map((r) => r.body)).toEqual([
			{ conversationUrn: CONVERSATION, message: 'Sure, Tuesday works.' },
		]);
	});

	test('a message with unicode, emoji and new lines is sent unchanged', async () => {
		const text = 'Grüße 👋\nZweite Zeile — «quotes» 日本語\n\n  indented';
		const request = await sendOne({ recipient: byId('jane-doe'), message: text });
		expect((request.body as IDataObject).message).toBe(text);
	});
});
