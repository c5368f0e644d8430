/**
 * Reading what is on LinkedIn: list conversations, read one, check for one before cold outreach, upload a file to
 * attach — and the send option Only If No Conversation Yet. Real n8n-core against the stand-in's read endpoints.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { INBOX_ACCOUNT_ID } from '../../standin/accounts';
import { byId, byUrl, byUrn, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const getMany = (extra: IDataObject = {}): INodeParameters => ({
	resource: 'conversation',
	operation: 'getMany',
	...extra,
});
const getMessages = (conversationUrn: string, extra: IDataObject = {}): INodeParameters => ({
	resource: 'conversation',
	operation: 'getMessages',
	conversationUrn,
	...extra,
});

function seedPeople(count: number, unreadEvery = 0) {
	return Array.from({ length: count }, (_, index) =>
		bed.standin.seedConversation({
			profileId: `person-${index}`,
			messages: [
				{ text: `Hello from ${index}`, fromOwner: true, sentAt: 1_000_000 + index * 10 },
				{
					text: `Reply ${index}`,
					sentAt: 1_000_005 + index * 10,
					read: unreadEvery === 0 || index % unreadEvery !== 0,
				},
			],
		}),
	);
}

describe('Conversation → Get Many', () => {
	test('Return All follows nextCursor to the end: every conversation once, one item each', async () => {
		const seeded = seedPeople(120);
		const result = await bed.run({ parameters: getMany({ returnAll: true }) });
		expect(result.error).toBeUndefined();
		const urns = result.output.map((item) => item.json.conversationUrn);
		expect(new Set(urns).size).toBe(120);
		expect([...urns].sort()).toEqual(seeded.map((c) => c.conversationUrn).sort());
		expect(result.output.every((item) => item.pairedItem !== undefined)).toBe(true);
		const calls = bed.standin.requestsTo('/conversations');
		expect(calls.length).toBeGreaterThanOrEqual(3);
		expect(calls[0].query.nextCursor).toBeUndefined();
		expect(calls[1].query.nextCursor).toEqual(expect.any(String));
	});

	test('a Limit stops at that many (default 50), asking for no more than it needs', async () => {
		seedPeople(80);
		const byDefault = await bed.run({ parameters: getMany() });
		expect(byDefault.output).toHaveLength(50);
		const seven = await bed.run({ parameters: getMany({ limit: 7 }) });
		expect(seven.output).toHaveLength(7);
		expect(bed.standin.requestsTo('/conversations').at(-1)?.query.count).toBe('7');
	});

	test('filters: Unread Only and Label ID go to the API as query parameters, the account as accountId', async () => {
		seedPeople(6, 2);
		const result = await bed.run({
			parameters: getMany({
				account: { __rl: true, mode: 'id', value: INBOX_ACCOUNT_ID },
				filters: { unreadOnly: true, labelId: 'hot-leads' },
			}),
		});
		const [call] = bed.standin.requestsTo('/conversations');
		expect(call.query).toMatchObject({
			accountId: INBOX_ACCOUNT_ID,
			unreadOnly: 'true',
			labelId: 'hot-leads',
		});
		expect(result.error).toBeUndefined();
	});

	test('unread only returns just the conversations with unread messages', async () => {
		seedPeople(6, 2); // persons 0, 2, 4 have an unread reply
		const result = await bed.run({ parameters: getMany({ filters: { unreadOnly: true } }) });
		expect(result.output.map((item) => (item.json.unreadCount as number) > 0)).toEqual([
			true,
			true,
			true,
		]);
	});
});

describe('Conversation → Get Messages', () => {
	test('reads one conversation, newest message last, the URN URL-encoded in the path', async () => {
		const [conversation] = seedPeople(1);
		const result = await bed.run({ parameters: getMessages(conversation.conversationUrn) });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.text)).toEqual(['Hello from 0', 'Reply 0']);
		expect(result.output[1].json).toMatchObject({
			messageUrn: conversation.messageUrns[1],
			isSentByOwner: false,
			conversationUrn: conversation.conversationUrn,
		});
		const [call] = bed.standin.requests.filter((r) => r.path.endsWith('/messages'));
		expect(call.path).toBe(
			`/linkedin/conversations/${encodeURIComponent(conversation.conversationUrn)}/messages`,
		);
	});

	test('Since sends epoch milliseconds and returns only newer messages', async () => {
		const [conversation] = seedPeople(1);
		const result = await bed.run({
			parameters: getMessages(conversation.conversationUrn, {
				options: { since: new Date(1_000_002).toISOString() },
			}),
		});
		expect(result.output.map((item) => item.json.text)).toEqual(['Reply 0']);
		const [call] = bed.standin.requests.filter((r) => r.path.endsWith('/messages'));
		expect(call.query.since).toBe('1000002');
	});

	test('Return All pages back through older messages; a Limit keeps the newest ones', async () => {
		const { conversationUrn } = bed.standin.seedConversation({
			profileId: 'chatty-person',
			messages: Array.from({ length: 130 }, (_, index) => ({
				text: `m${index}`,
				sentAt: 2_000_000 + index,
				read: true,
			})),
		});
		const all = await bed.run({ parameters: getMessages(conversationUrn, { returnAll: true }) });
		expect(all.output.map((item) => item.json.text)).toEqual(
			Array.from({ length: 130 }, (_, index) => `m${index}`),
		);
		const newest = await bed.run({ parameters: getMessages(conversationUrn, { limit: 3 }) });
		expect(newest.output.map((item) => item.json.text)).toEqual(['m127', 'm128', 'm129']);
	});

	test('an unknown conversation is a 404 error naming the field to check; with Continue On Fail an error item', async () => {
		const urn = 'urn:li:msg_conversation:(urn:li:fsd_profile:ACoAAnobody,2-none)';
		const failed = await bed.run({ parameters: getMessages(urn) });
		expect(failed.nodeError?.message).toMatch(
			new RegExp(`^The conversation ${urn.replace(/[()]/g, '\\$&')} was not found`),
		);
		expect(failed.nodeError?.description).toMatch(/Conversation URN/);
		const continued = await bed.run({
			parameters: getMessages(urn),
			items: [{}, {}],
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(continued.output.map((item) => [item.json.httpCode, item.pairedItem])).toEqual([
			['404', { item: 0 }],
			['404', { item: 1 }],
		]);
	});

	test('an empty or malformed Conversation URN is refused before any call', async () => {
		// (A literally empty required field is refused by n8n itself before the run; an expression can still be empty.)
		const empty = await bed.run({
			parameters: getMessages('={{ $json.urn }}'),
			items: [{ urn: '' }],
		});
		expect(empty.nodeError?.message).toBe('Conversation URN is empty');
		const bad = await bed.run({ parameters: getMessages('2-abc') });
		expect(bad.nodeError?.message).toMatch(
			/^Conversation URN: "2-abc" is not a LinkedIn conversation URN/,
		);
		expect(bed.standin.requests).toHaveLength(0);
	});
});

describe('Conversation → Get by Recipient', () => {
	test('answers whether a conversation exists, both ways; URL and ID of one person ask the same', async () => {
		const [conversation] = seedPeople(1);
		const result = await bed.run({
			parameters: {
				resource: 'conversation',
				operation: 'getByRecipient',
				recipient: byUrl('={{ $json.url }}'),
			},
			items: [
				{ url: 'https://www.linkedin.com/in/person-0/details/experience/' },
				{ url: 'https://www.linkedin.com/in/somebody-new' },
			],
		});
		expect(result.output.map((item) => item.json)).toEqual([
			expect.objectContaining({
				hasConversation: true,
				conversationUrn: conversation.conversationUrn,
			}),
			expect.objectContaining({ hasConversation: false, conversationUrn: null }),
		]);
		expect(bed.standin.requests.map((r) => r.path)).toEqual([
			'/linkedin/conversations/exists/person-0',
			'/linkedin/conversations/exists/somebody-new',
		]);
	});

	test('a URN cannot be looked up: a clear error, no call', async () => {
		const result = await bed.run({
			parameters: {
				resource: 'conversation',
				operation: 'getByRecipient',
				recipient: byUrn('urn:li:fsd_profile:ACoAAB1234'),
			},
		});
		expect(result.nodeError?.message).toMatch(/needs a profile URL or public ID, not a URN/);
		expect(bed.standin.requests).toHaveLength(0);
	});
});

describe('Attachment → Upload, then Send', () => {
	const pdf = Buffer.from(
		'%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\nbinary \u0000\u0001\u00ff bytes',
		'latin1',
	);

	test('the binary file goes as the raw body, byte for byte, with its MIME type and name; Send takes the answer as it is', async () => {
		const result = await bed.run({
			parameters: {
				resource: 'attachment',
				operation: 'upload',
			},
			binary: { data: { data: pdf, mimeType: 'application/pdf', fileName: 'proposal.pdf' } },
		});
		expect(result.error).toBeUndefined();
		const [upload] = bed.standin.requestsTo('/conversations/upload-attachment');
		expect(upload.query).toMatchObject({ filename: 'proposal.pdf' });
		expect(upload.headers['content-type']).toBe('application/pdf');
		expect(Buffer.compare(upload.rawBytes, pdf)).toBe(0);
		const answer = result.output[0].json;
		expect(answer).toMatchObject({ success: true, attachment: { name: 'proposal.pdf' } });

		await bed.run({
			parameters: {
				resource: 'message',
				operation: 'send',
				recipient: byId('jane-doe'),
				message: 'The proposal, as promised',
				options: { attachments: '={{ $json }}' },
			},
			items: [answer],
		});
		const [send] = bed.standin.requestsTo('/conversations/send');
		expect((send.body as IDataObject).attachments).toEqual([{ file: answer.attachment }]);
		expect(bed.standin.delivered).toHaveLength(1);
	});

	test('an item without the binary field is refused naming it, and nothing is uploaded', async () => {
		const result = await bed.run({
			parameters: { resource: 'attachment', operation: 'upload', binaryPropertyName: 'file' },
		});
		expect(result.nodeError?.message).toMatch(/file/);
		expect(bed.standin.requests).toHaveLength(0);
	});
});

describe('Send option Only If No Conversation Yet', () => {
	const send = (recipient = byId('={{ $json.id }}')): INodeParameters => ({
		resource: 'message',
		operation: 'send',
		recipient,
		message: 'Hi, a quick question',
		options: { onlyIfNoConversationYet: true },
	});

	test('someone the account already talks with is skipped (with the conversation URN); the others are messaged', async () => {
		const [existing] = seedPeople(1);
		const result = await bed.run({
			parameters: send(),
			items: [{ id: 'person-0' }, { id: 'new-person' }],
		});
		expect(bed.standin.delivered.map((m) => m.recipient)).toEqual(['new-person']);
		expect(result.output[0]).toEqual({
			json: expect.objectContaining({
				skipped: true,
				recipient: 'person-0',
				conversationUrn: existing.conversationUrn,
				reason: expect.stringMatching(/already has a conversation with person-0/),
			}),
			pairedItem: { item: 0 },
		});
		expect(result.output[1].json.success).toBe(true);
		expect(bed.standin.requests.map((r) => r.path)).toEqual([
			'/linkedin/conversations/exists/person-0',
			'/linkedin/conversations/exists/new-person',
			'/linkedin/conversations/send',
		]);
	});

	test('a recipient given by URN cannot be checked: a clear error before anything is sent', async () => {
		const result = await bed.run({ parameters: send(byUrn('urn:li:fsd_profile:ACoAAB1234')) });
		expect(result.nodeError?.message).toMatch(
			/^Only If No Conversation Yet: "urn:li:fsd_profile:ACoAAB1234" needs a profile URL or public ID, not a URN/,
		);
		expect(bed.standin.requests).toHaveLength(0);
	});

	test('when the check fails, nothing is sent and the error says why', async () => {
		bed.standin.injectFault({
			path: '/conversations/exists/jane-doe',
			status: 500,
			body: { error: 'LinkedIn unavailable' },
		});
		const result = await bed.run({ parameters: send(), items: [{ id: 'jane-doe' }] });
		expect(result.nodeError?.message).toMatch(/LinkedIn unavailable/);
		expect(result.nodeError?.description).toMatch(/could not check, so nothing was sent/);
		expect(bed.standin.delivered).toHaveLength(0);
	});
});
