/// <reference types="jest" />
import {
	DISCONNECTED_ACCOUNT_ID,
	INBOX_ACCOUNT_ID,
	SALES_NAV_ACCOUNT_ID,
	UNKNOWN_ACCOUNT_ID,
	fakeProfileUrn,
	faults,
	startStandin,
} from './server';
import type { StandinServer } from './server';

let standin: StandinServer;

interface Reply {
	status: number;
	headers: Headers;
	json: any;
}

async function call(
	method: string,
	path: string,
	init: { body?: RequestInit['body']; headers?: Record<string, string>; key?: string | null } = {},
): Promise<Reply> {
	const headers: Record<string, string> = { ...(init.headers ?? {}) };
	const key = init.key === undefined ? standin.apiKey : init.key;
	if (key !== null) headers.Authorization = `Bearer ${key}`;
	const response = await fetch(standin.url + path, { method, headers, body: init.body });
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, json };
}

const get = (path: string, key?: string | null) => call('GET', path, { key });
const post = (path: string, body: unknown) =>
	call('POST', path, {
		body: JSON.stringify(body),
		headers: { 'Content-Type': 'application/json' },
	});
const messagesPath = (urn: string, query = '') =>
	`/conversations/${encodeURIComponent(urn)}/messages${query}`;

beforeAll(async () => {
	standin = await startStandin({ controlApi: true });
});

afterEach(() => standin.reset());

afterAll(async () => {
	await standin.close();
});

describe('GET /conversations', () => {
	test('lists conversations newest activity first, in the documented shape', async () => {
		const old = standin.seedConversation({
			profileId: 'ann-1',
			name: 'Ann One',
			headline: 'CTO',
			messages: [{ text: 'old', sentAt: 1_000 }],
		});
		const recent = standin.seedConversation({
			profileId: 'bob-2',
			messages: [{ text: 'Hi there', sentAt: 2_000 }],
		});
		const reply = await get('/conversations');
		expect(reply.status).toBe(200);
		expect(reply.headers.get('x-ratelimit-limit')).toBeNull();
		expect(reply.json).toEqual({
			success: true,
			conversations: [
				{
					conversationUrn: recent.conversationUrn,
					conversationId: expect.stringMatching(/^2-/),
					lastActivityAt: new Date(2_000).toISOString(),
					unreadCount: 1,
					participants: [
						{
							profileId: fakeProfileUrn('bob-2').slice('urn:li:fsd_profile:'.length),
							name: 'Bob',
							headline: '',
							profileUrl: 'https://www.linkedin.com/in/bob-2',
							profilePicture: expect.stringMatching(/^https:\/\//),
							distance: 'DISTANCE_1',
						},
					],
					latestMessage: {
						text: 'Hi there',
						sentAt: 2_000,
						senderName: 'Bob',
						hasAttachment: false,
					},
					source: 'linkedin',
				},
				expect.objectContaining({
					conversationUrn: old.conversationUrn,
					participants: [expect.objectContaining({ name: 'Ann One', headline: 'CTO' })],
				}),
			],
			accounts: [{ id: SALES_NAV_ACCOUNT_ID, name: 'Ada Lovelace' }],
			nextCursor: null,
			hasMore: false,
			fromCache: true,
		});
		expect(recent.conversationUrn).toMatch(
			/^urn:li:msg_conversation:\(urn:li:fsd_profile:ACoAA[\w-]+,2-[A-Za-z0-9+/=]+\)$/,
		);
	});

	test('pages through 120 conversations with count 50, each once, stable under new activity', async () => {
		for (let i = 0; i < 120; i++) {
			standin.seedConversation({ profileId: `person-${i}`, messages: [{ text: `m${i}` }] });
		}
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const query: string = cursor ? `&nextCursor=${encodeURIComponent(cursor)}` : '';
			const reply = await get(`/conversations?count=50${query}`);
			expect(reply.status).toBe(200);
			pages++;
			seen.push(...reply.json.conversations.map((c: any) => c.conversationUrn));
			expect(reply.json.hasMore).toBe(pages < 3);
			cursor = reply.json.nextCursor;
			if (pages === 1) {
				// A new conversation appears at the top while paging: later pages are not shifted.
				standin.seedConversation({ profileId: 'late-comer', messages: [{ text: 'new' }] });
			}
		} while (cursor);
		expect(pages).toBe(3);
		expect(seen).toHaveLength(120);
		expect(new Set(seen).size).toBe(120);
		expect((await get('/conversations?count=20')).json.conversations).toHaveLength(20);
		expect((await get('/conversations')).json.conversations).toHaveLength(20);
	});

	test('unreadOnly, labelId and accountId filter; unknown account 404; bad values 400', async () => {
		standin.seedConversation({ profileId: 'unread', messages: [{ text: 'hello?' }] });
		standin.seedConversation({
			profileId: 'read',
			labels: ['lbl-hot'],
			messages: [
				{ text: 'hello', read: true },
				{ text: 'reply', fromOwner: true },
			],
		});
		standin.seedConversation({
			accountId: INBOX_ACCOUNT_ID,
			profileId: 'other-account',
			messages: [{ text: 'x' }],
		});
		const names = async (query: string) =>
			(await get(`/conversations${query}`)).json.conversations.map(
				(c: any) => c.participants[0].profileUrl.split('/in/')[1],
			);
		expect(await names('')).toEqual(['read', 'unread']);
		expect(await names('?unreadOnly=true')).toEqual(['unread']);
		expect(await names('?unreadOnly=false')).toEqual(['read', 'unread']);
		expect(await names('?labelId=lbl-hot')).toEqual(['read']);
		expect(await names(`?accountId=${INBOX_ACCOUNT_ID}`)).toEqual(['other-account']);
		expect(
			await names(`?linkedinAccountIds=${SALES_NAV_ACCOUNT_ID},${INBOX_ACCOUNT_ID}`),
		).toHaveLength(3);
		const unknown = await get(`/conversations?accountId=${UNKNOWN_ACCOUNT_ID}`);
		expect(unknown).toMatchObject({ status: 404, json: { error: 'Account not found' } });
		expect((await get(`/conversations?accountId=${DISCONNECTED_ACCOUNT_ID}`)).status).toBe(500);
		expect((await get('/conversations?count=0')).status).toBe(400);
		expect((await get('/conversations?unreadOnly=yes')).status).toBe(400);
		expect((await get('/conversations?nextCursor=garbage')).status).toBe(400);
	});

	test('needs the key; reads do not use the message quota', async () => {
		standin.setQuota(undefined, { limit: 1, used: 1 });
		expect((await get('/conversations', null)).status).toBe(401);
		expect((await get('/conversations', 'wrong')).json).toEqual({
			error: 'Unauthorized - Invalid credentials',
		});
		expect((await get('/conversations')).status).toBe(200);
		expect((await get('/conversations/exists/anyone')).status).toBe(200);
		expect(standin.quota().used).toBe(1);
	});

	test('faults apply to read paths (path, method, wildcard, accountId from the query)', async () => {
		standin.injectFault({ ...faults.serverError(), path: '/conversations', method: 'GET' });
		expect((await get('/conversations')).status).toBe(500);
		expect((await get('/conversations')).status).toBe(200);
		const { conversationUrn } = standin.seedConversation({
			profileId: 'x',
			messages: [{ text: 'a' }],
		});
		standin.injectFault({
			status: 503,
			body: { error: 'busy' },
			path: '/conversations/*/messages',
		});
		expect((await get(messagesPath(conversationUrn))).status).toBe(503);
		standin.injectFault({ status: 502, body: {}, recipient: conversationUrn });
		expect((await get(messagesPath(conversationUrn))).status).toBe(502);
		standin.injectFault({ status: 500, body: {}, accountId: INBOX_ACCOUNT_ID });
		expect((await get('/conversations')).status).toBe(200);
		expect((await get(`/conversations?accountId=${INBOX_ACCOUNT_ID}`)).status).toBe(500);
	});
});

describe('GET /conversations/{conversationUrn}/messages', () => {
	test('newest first, in the documented shape, paging older by cursor', async () => {
		const seeded = standin.seedConversation({
			profileId: 'carol-3',
			messages: Array.from({ length: 120 }, (_, i) => ({
				text: `m${i}`,
				sentAt: 10_000 + i,
				fromOwner: i % 2 === 1,
			})),
		});
		const first = await get(messagesPath(seeded.conversationUrn));
		expect(first.status).toBe(200);
		expect(first.json.messages).toHaveLength(50);
		expect(first.json.messages[0]).toEqual({
			messageUrn: seeded.messageUrns[119],
			text: 'm119',
			sentAt: 10_119,
			senderProfileId: fakeProfileUrn('ada-lovelace').slice('urn:li:fsd_profile:'.length),
			senderName: 'Ada Lovelace',
			senderPhoto: expect.stringMatching(/^https:\/\//),
			isSentByOwner: true,
			hasAttachment: false,
			attachments: [],
		});
		expect(first.json.messages[1]).toMatchObject({
			text: 'm118',
			isSentByOwner: false,
			senderName: 'Carol',
		});
		expect(first.json.participants).toEqual([
			{
				profileId: expect.stringMatching(/^ACoAA/),
				name: 'Carol',
				headline: '',
				profilePicture: expect.any(String),
			},
		]);
		expect(first.json).toMatchObject({ success: true, hasMore: true, cursor: '10070' });
		expect(seeded.messageUrns[0]).toMatch(
			new RegExp(`^urn:li:msg_message:\\(${fakeProfileUrn('ada-lovelace')},2-[A-Za-z0-9+/=]+\\)$`),
		);

		const texts: string[] = [];
		let cursor: string | null = null;
		do {
			const query: string = cursor ? `?count=50&cursor=${cursor}` : '?count=50';
			const reply = await get(messagesPath(seeded.conversationUrn, query));
			texts.push(...reply.json.messages.map((m: any) => m.text));
			cursor = reply.json.cursor;
		} while (cursor);
		expect(texts).toEqual(Array.from({ length: 120 }, (_, i) => `m${119 - i}`));
	});

	test('since returns only strictly newer messages', async () => {
		const { conversationUrn } = standin.seedConversation({
			profileId: 'dan',
			messages: [
				{ text: 'a', sentAt: 100 },
				{ text: 'b', sentAt: 200 },
				{ text: 'c', sentAt: 300 },
			],
		});
		const texts = async (query: string) =>
			(await get(messagesPath(conversationUrn, query))).json.messages.map((m: any) => m.text);
		expect(await texts('?since=200')).toEqual(['c']);
		expect(await texts('?since=199')).toEqual(['c', 'b']);
		expect(await texts('?since=300')).toEqual([]);
		expect(await texts('?since=0&count=1')).toEqual(['c']);
		expect((await get(messagesPath(conversationUrn, '?since=yesterday'))).status).toBe(400);
	});

	test('accepts the messagingThread form and the bare thread id; 404 for unknown', async () => {
		const { conversationUrn } = standin.seedConversation({
			profileId: 'eve',
			messages: [{ text: 'hi' }],
		});
		const threadId = /,(2-[^)]+)\)$/.exec(conversationUrn)![1];
		for (const urn of [conversationUrn, `urn:li:messagingThread:${threadId}`, threadId]) {
			const reply = await get(messagesPath(urn));
			expect(reply.status).toBe(200);
			expect(reply.json.messages).toHaveLength(1);
		}
		const unknown = await get(
			messagesPath('urn:li:msg_conversation:(urn:li:fsd_profile:X,2-nope)'),
		);
		expect(unknown).toMatchObject({ status: 404, json: { error: 'Conversation not found' } });
		// Another account's conversation is not found either.
		const other = await get(messagesPath(conversationUrn, `?accountId=${INBOX_ACCOUNT_ID}`));
		expect(other.status).toBe(404);
		const account = await get(messagesPath(conversationUrn, `?accountId=${UNKNOWN_ACCOUNT_ID}`));
		expect(account).toMatchObject({ status: 404, json: { error: 'Account not found' } });
		expect((await get(messagesPath(conversationUrn), null)).status).toBe(401);
	});
});

describe('GET /conversations/exists/{profileId}', () => {
	test('answers both ways, case-insensitively, and follows sends', async () => {
		const none = await get('/conversations/exists/frank-6');
		expect(none).toMatchObject({
			status: 200,
			json: {
				success: true,
				hasConversation: false,
				conversationUrn: null,
				profileUrn: fakeProfileUrn('frank-6'),
				accountId: SALES_NAV_ACCOUNT_ID,
			},
		});
		const sent = await post('/conversations/send', {
			recipientProfileId: 'frank-6',
			message: 'Hi',
		});
		const yes = await get('/conversations/exists/Frank-6');
		expect(yes.json).toEqual({
			success: true,
			hasConversation: true,
			conversationUrn: sent.json.sentMessage.conversationUrn,
			profileUrn: fakeProfileUrn('frank-6'),
			accountId: SALES_NAV_ACCOUNT_ID,
		});
		// Per account.
		const inbox = await get(`/conversations/exists/frank-6?accountId=${INBOX_ACCOUNT_ID}`);
		expect(inbox.json).toMatchObject({ hasConversation: false, accountId: INBOX_ACCOUNT_ID });
		const unknown = await get(`/conversations/exists/frank-6?accountId=${UNKNOWN_ACCOUNT_ID}`);
		expect(unknown).toMatchObject({ status: 404, json: { error: 'Account not found' } });
		// A send by the person's URN is the same conversation.
		const seeded = standin.seedConversation({
			profileId: 'gina',
			profileUrn: 'urn:li:fsd_profile:ACoAAGina123',
			messages: [{ text: 'hello' }],
		});
		const exists = await get('/conversations/exists/gina');
		expect(exists.json).toMatchObject({
			conversationUrn: seeded.conversationUrn,
			profileUrn: 'urn:li:fsd_profile:ACoAAGina123',
		});
		const byUrn = await post('/conversations/send', {
			recipientProfileUrn: 'urn:li:fsd_profile:ACoAAGina123',
			message: 'reply',
		});
		expect(byUrn.json.sentMessage.conversationUrn).toBe(seeded.conversationUrn);
		const bySlug = await post('/conversations/send', { recipientProfileId: 'GINA', message: 'x' });
		expect(bySlug.json.recipientProfileUrn).toBe('urn:li:fsd_profile:ACoAAGina123');
		expect(standin.conversationWith('gina')?.messages).toHaveLength(3);
		// Not a slug.
		const urn = await get(`/conversations/exists/${encodeURIComponent('urn:li:fsd_profile:X')}`);
		expect(urn.status).toBe(404);
	});
});

describe('sends fill the inbox', () => {
	test('a delivered send creates the conversation, later sends reuse it, conversationUrn adds to it', async () => {
		const first = await post('/conversations/send', { recipientProfileId: 'hal', message: 'one' });
		const second = await post('/messaging/send', { recipientProfileId: 'hal', message: 'two' });
		const urn = first.json.sentMessage.conversationUrn;
		expect(second.status).toBe(200);
		const third = await post('/conversations/send', { conversationUrn: urn, message: 'three' });
		expect(third.json).toMatchObject({
			recipientProfileUrn: fakeProfileUrn('hal'),
			sentMessage: { conversationUrn: urn },
		});
		const thread = await post('/conversations/send', {
			conversationUrn: `urn:li:messagingThread:${/,(2-[^)]+)\)$/.exec(urn)![1]}`,
			message: 'four',
		});
		expect(thread.json.sentMessage.conversationUrn).toBe(urn);
		const messages = (await get(messagesPath(urn))).json.messages;
		expect(messages.map((m: any) => [m.text, m.isSentByOwner])).toEqual([
			['four', true],
			['three', true],
			['two', true],
			['one', true],
		]);
		expect(standin.delivered[0]).toMatchObject({
			conversation: urn,
			messageUrn: messages[3].messageUrn,
		});
		// An unknown conversationUrn alone is still delivered (the page documents no 404 for it),
		// but belongs to no stand-in conversation.
		const unknown = await post('/conversations/send', {
			conversationUrn: 'urn:li:msg_conversation:(urn:li:fsd_profile:ACoAAB,2-abc)',
			message: 'hi',
		});
		expect(unknown.status).toBe(200);
		expect(standin.conversations()).toHaveLength(1);
		const list = (await get('/conversations')).json.conversations;
		expect(list[0]).toMatchObject({ unreadCount: 0, latestMessage: { text: 'four' } });
	});

	test('Send With Acknowledgment marks the named messages of the conversation read', async () => {
		const seeded = standin.seedConversation({
			profileId: 'ivy',
			messages: [{ text: 'q1' }, { text: 'q2' }, { text: 'q3' }],
		});
		const other = standin.seedConversation({ profileId: 'jon', messages: [{ text: 'x' }] });
		const unread = async () =>
			Object.fromEntries(
				(await get('/conversations')).json.conversations.map((c: any) => [
					c.participants[0].name,
					c.unreadCount,
				]),
			);
		expect(await unread()).toEqual({ Ivy: 3, Jon: 1 });
		const ack = await post('/messaging/send-with-ack', {
			recipientProfileId: 'ivy',
			message: 'Answering',
			// The messagingMessage form of the same message works too; another conversation's does not.
			messageUrns: [
				seeded.messageUrns[0],
				seeded.messageUrns[1].replace(
					/^urn:li:msg_message:\(.*,(2-[^)]+)\)$/,
					'urn:li:messagingMessage:$1',
				),
				other.messageUrns[0],
			],
		});
		expect(ack.json).toMatchObject({ acknowledgmentSent: true });
		expect(standin.delivered[0]).toMatchObject({ acknowledged: 2 });
		expect(await unread()).toEqual({ Ivy: 1, Jon: 1 });
		const messages = (await get(messagesPath(seeded.conversationUrn))).json.messages;
		expect(messages[0]).toMatchObject({ text: 'Answering', isSentByOwner: true });
		expect((await get('/conversations?unreadOnly=true')).json.conversations).toHaveLength(2);
	});
});

describe('POST /conversations/upload-attachment', () => {
	const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0xfe, 0x80, 0x0a, 0xc3, 0x28]);

	const upload = (query: string, body: RequestInit['body'] | undefined, contentType?: string) =>
		call('POST', `/conversations/upload-attachment${query}`, {
			body,
			headers: contentType === undefined ? {} : { 'Content-Type': contentType },
		});

	test('keeps the raw bytes exactly and answers the attachment object', async () => {
		const reply = await upload(
			`?accountId=${INBOX_ACCOUNT_ID}&filename=deck.pdf`,
			pdf,
			'application/pdf',
		);
		expect(reply.status).toBe(200);
		expect(reply.headers.get('x-ratelimit-limit')).toBeNull();
		expect(reply.json).toEqual({
			success: true,
			attachment: {
				assetUrn: expect.stringMatching(/^urn:li:digitalmediaAsset:/),
				byteSize: pdf.length,
				mediaType: 'application/pdf',
				name: 'deck.pdf',
			},
		});
		const [request] = standin.requestsTo('/conversations/upload-attachment');
		expect(request.rawBytes.equals(pdf)).toBe(true);
		expect(request.query).toEqual({ accountId: INBOX_ACCOUNT_ID, filename: 'deck.pdf' });
		expect(request.headers['content-type']).toBe('application/pdf');
		const [stored] = standin.uploadedAttachments();
		expect(stored).toMatchObject({
			accountId: INBOX_ACCOUNT_ID,
			assetUrn: reply.json.attachment.assetUrn,
		});
		expect(stored.bytes.equals(pdf)).toBe(true);
		// Over the control API, base64.
		const control = await fetch(`${standin.origin}/__standin/requests`);
		const recorded = (await control.json()) as Array<{ rawBodyBase64: string }>;
		expect(Buffer.from(recorded[0].rawBodyBase64, 'base64').equals(pdf)).toBe(true);
		const attachments = await (await fetch(`${standin.origin}/__standin/attachments`)).json();
		expect(Buffer.from((attachments as any)[0].bytesBase64, 'base64').equals(pdf)).toBe(true);
	});

	test('default name and account; refuses multipart, a missing Content-Type and an empty body', async () => {
		const plain = await upload('', Buffer.from('hello'), 'text/plain; charset=utf-8');
		expect(plain.json.attachment).toMatchObject({
			name: 'attachment',
			mediaType: 'text/plain',
			byteSize: 5,
		});
		expect(standin.uploadedAttachments()[0].accountId).toBe(SALES_NAV_ACCOUNT_ID);

		const form = new FormData();
		form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'deck.pdf');
		const multipart = await call('POST', '/conversations/upload-attachment?filename=deck.pdf', {
			body: form,
		});
		expect(multipart.status).toBe(400);
		expect(multipart.json).toMatchObject({
			success: false,
			message: expect.stringMatching(/multipart/),
		});

		const missing = await upload('', pdf);
		expect(missing.status).toBe(400);
		expect(missing.json.message).toMatch(/Content-Type/);
		expect((await upload('', undefined, 'application/pdf')).status).toBe(400);
		expect((await upload(`?accountId=${UNKNOWN_ACCOUNT_ID}`, pdf, 'application/pdf')).status).toBe(
			404,
		);
		const noKey = await call('POST', '/conversations/upload-attachment', {
			body: pdf,
			headers: { 'Content-Type': 'application/pdf' },
			key: null,
		});
		expect(noKey.status).toBe(401);
		expect(standin.uploadedAttachments()).toHaveLength(1);
	});

	test('a send takes the uploaded attachment wrapped in file; unknown assets are 400', async () => {
		const { attachment } = (await upload('?filename=photo.png', pdf, 'image/png')).json;
		const sent = await post('/conversations/send', {
			recipientProfileId: 'kim',
			message: 'See attached',
			attachments: [{ file: attachment }],
		});
		expect(sent.status).toBe(200);
		expect(standin.delivered[0].attachments).toEqual([{ file: attachment }]);
		const messages = (await get(messagesPath(sent.json.sentMessage.conversationUrn))).json.messages;
		expect(messages[0]).toMatchObject({ hasAttachment: true, attachments: [{ file: attachment }] });
		const latest = (await get('/conversations')).json.conversations[0].latestMessage;
		expect(latest.hasAttachment).toBe(true);

		const unknown = await post('/conversations/send', {
			recipientProfileId: 'kim',
			message: 'x',
			attachments: [{ file: { ...attachment, assetUrn: 'urn:li:digitalmediaAsset:nope' } }],
		});
		expect(unknown.status).toBe(400);
		expect(unknown.json.error).toMatch(/Attachment not found/);
		const unwrapped = await post('/conversations/send', {
			recipientProfileId: 'kim',
			message: 'x',
			attachments: [attachment],
		});
		expect(unwrapped.status).toBe(400);
		expect(unwrapped.json.error).toMatch(/"file"/);
		const otherAccount = await post('/conversations/send', {
			accountId: INBOX_ACCOUNT_ID,
			recipientProfileId: 'kim',
			message: 'x',
			attachments: [{ file: attachment }],
		});
		expect(otherAccount.status).toBe(400);
		expect(standin.delivered).toHaveLength(1);
	});
});

describe('seeding and reset', () => {
	test('control routes seed and inspect; reset forgets conversations and uploads', async () => {
		const control = (method: string, path: string, body?: unknown) =>
			fetch(`${standin.origin}/__standin/${path}`, {
				method,
				headers: { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		const seeded = await control('POST', 'conversations', {
			profileId: 'lea',
			labels: ['l1'],
			messages: [
				{ text: 'hi', sentAt: 5 },
				{ text: 'yo', fromOwner: true, sentAt: 6 },
			],
		});
		expect(seeded.status).toBe(200);
		const { conversationUrn, messageUrns } = (await seeded.json()) as any;
		expect(messageUrns).toHaveLength(2);
		const many = await control('POST', 'conversations', [
			{ profileId: 'max', messages: [] },
			{ profileId: 'ned', accountId: INBOX_ACCOUNT_ID, messages: [{ text: 'a' }] },
		]);
		expect((await many.json()) as any[]).toHaveLength(2);
		const bad = await control('POST', 'conversations', {
			profileId: 'https://x/in/y',
			messages: [],
		});
		expect(bad.status).toBe(400);
		const state = (await (await control('GET', 'conversations')).json()) as any[];
		expect(state).toHaveLength(3);
		expect(state.find((c) => c.conversationUrn === conversationUrn)).toMatchObject({
			labels: ['l1'],
			unreadCount: 1,
			messages: [
				{ text: 'hi', fromOwner: false, read: false, sentAt: 5 },
				{ text: 'yo', fromOwner: true, read: true, sentAt: 6 },
			],
		});
		const inboxOnly = await control('GET', `conversations?accountId=${INBOX_ACCOUNT_ID}`);
		expect((await inboxOnly.json()) as any[]).toHaveLength(1);
		await call('POST', '/conversations/upload-attachment', {
			body: 'x',
			headers: { 'Content-Type': 'text/plain' },
		});
		await control('POST', 'reset', {});
		expect(standin.conversations()).toEqual([]);
		expect(standin.uploadedAttachments()).toEqual([]);
		expect((await get('/conversations')).json.conversations).toEqual([]);
		expect((await get(messagesPath(conversationUrn))).status).toBe(404);
	});

	test('seeding refuses an unknown account and two messages at the same time', () => {
		expect(() =>
			standin.seedConversation({ accountId: UNKNOWN_ACCOUNT_ID, profileId: 'a', messages: [] }),
		).toThrow(/unknown account/);
		expect(() =>
			standin.seedConversation({
				profileId: 'a',
				messages: [
					{ text: 'x', sentAt: 1 },
					{ text: 'y', sentAt: 1 },
				],
			}),
		).toThrow(/already has a message/);
	});
});
