// @ts-check
// The issue-13 examples in real n8n: examples/09-answer-unread-threads.json (Get Many unread → Get Messages → one
// Send With Acknowledgment per conversation), 10-cold-outreach-skip-existing.json (Send with Only If No
// Conversation Yet), 14-send-a-pdf.json (Read/Write Files from Disk → Attachment Upload → Send with the upload).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { examplesDir } from './lib/paths.mjs';
import { Suite } from './lib/suite.mjs';

/** @type {Suite} */
let suite;
before(async () => {
	suite = await Suite.start({ name: 'conversations' });
});
after(() => suite?.dispose());

/**
 * The stand-in's conversation with a person, by public ID.
 * @param {Awaited<ReturnType<import('./lib/standin.mjs').Standin['conversations']>>} inbox
 * @param {string} slug
 */
function conversationWith(inbox, slug) {
	const found = inbox.find((conversation) => conversation.person.slug === slug);
	assert.ok(found, `no conversation with ${slug} in ${JSON.stringify(inbox.map((c) => c.person))}`);
	return found;
}

describe('example 9: answer unread threads', () => {
	/** @type {import('./lib/n8n.mjs').Execution} */
	let run;
	/** @type {Record<string, { conversationUrn: string, messageUrns: string[] }>} */
	const seeded = {};

	before(async () => {
		await suite.api.reset();
		// Ravi: read and answered before, then two new messages (only those two are unread).
		seeded.ravi = await suite.api.seedConversation({
			profileId: 'ravi-menon',
			name: 'Ravi Menon',
			messages: [
				{ text: 'Hi! Saw your post about outbound tooling.', read: true },
				{ text: 'Thanks Ravi, glad it was useful.', fromOwner: true },
				{ text: 'Quick question: how do you price it for a team of 12?' },
				{ text: 'Also, do you have a case study from a SaaS company?' },
			],
		});
		// Elena: one unread message.
		seeded.elena = await suite.api.seedConversation({
			profileId: 'elena-petrova',
			name: 'Elena Petrova',
			messages: [{ text: 'Hello, are you free for a call on Thursday?' }],
		});
		// Marco: everything read and answered.
		seeded.marco = await suite.api.seedConversation({
			profileId: 'marco-bianchi',
			name: 'Marco Bianchi',
			messages: [
				{ text: 'Great meeting you at the conference!', read: true },
				{ text: 'Likewise Marco, talk soon.', fromOwner: true },
			],
		});
		run = await suite.run('09-answer-unread-threads.json');
	});

	it('lists only the conversations with unread messages, and reads each of them', async () => {
		assert.equal(run.status, 'success', run.describe());
		const listed = run.items('Unread conversations');
		assert.deepEqual(
			listed.map((conversation) => conversation.conversationUrn).sort(),
			[seeded.ravi.conversationUrn, seeded.elena.conversationUrn].sort(),
			run.describe(),
		);
		const requests = await suite.api.requests();
		const lists = requests.filter((request) => request.method === 'GET' && request.path === '/linkedin/conversations');
		assert.ok(lists.length > 0 && lists.every((request) => request.query.unreadOnly === 'true'), JSON.stringify(lists));
		const reads = requests
			.filter((request) => request.method === 'GET' && request.path.endsWith('/messages'))
			.map((request) => decodeURIComponent(request.path.slice('/linkedin/conversations/'.length, -'/messages'.length)));
		assert.deepEqual(reads.sort(), [seeded.ravi.conversationUrn, seeded.elena.conversationUrn].sort());
		// Ravi's four messages and Elena's one, each with its conversation, newest last within a conversation.
		const messages = run.items('Read each conversation');
		assert.equal(messages.length, 5, run.describe());
		const ravis = messages.filter((message) => message.conversationUrn === seeded.ravi.conversationUrn);
		assert.deepEqual(
			ravis.map((message) => message.messageUrn),
			seeded.ravi.messageUrns,
		);
	});

	it('sends exactly one Send With Acknowledgment per unread conversation, acknowledging the unread messages it answers, and none to the read one', async () => {
		const delivered = await suite.api.delivered();
		assert.deepEqual(
			delivered
				.map((message) => [message.endpoint, message.recipient, message.conversation, message.messageUrns])
				.sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
			[
				['/messaging/send-with-ack', 'elena-petrova', seeded.elena.conversationUrn, seeded.elena.messageUrns],
				['/messaging/send-with-ack', 'ravi-menon', seeded.ravi.conversationUrn, seeded.ravi.messageUrns.slice(2)],
			],
		);
		const firstNames = { 'ravi-menon': 'Ravi', 'elena-petrova': 'Elena' };
		for (const message of delivered) {
			const firstName = firstNames[/** @type {keyof typeof firstNames} */ (message.recipient)];
			assert.ok(message.message.startsWith(`Hi ${firstName}, thanks for your message!`), message.message);
		}
		const replies = run.items('Reply and mark read');
		assert.equal(replies.length, 2, run.describe());
		assert.ok(replies.every((reply) => reply.success === true && reply.acknowledgmentSent === true), JSON.stringify(replies));
	});

	it('leaves every message of the answered threads read, with the reply added; the read thread is untouched', async () => {
		const inbox = await suite.api.conversations();
		for (const slug of ['ravi-menon', 'elena-petrova']) {
			const conversation = conversationWith(inbox, slug);
			assert.equal(conversation.unreadCount, 0, slug);
			assert.ok(conversation.messages.every((message) => message.read), `${slug}: ${JSON.stringify(conversation.messages)}`);
			const last = conversation.messages[conversation.messages.length - 1];
			assert.equal(last.fromOwner, true, slug);
			assert.match(last.text, /thanks for your message/);
		}
		const marco = conversationWith(inbox, 'marco-bianchi');
		assert.deepEqual(
			marco.messages.map((message) => [message.text, message.fromOwner, message.read]),
			[
				['Great meeting you at the conference!', false, true],
				['Likewise Marco, talk soon.', true, true],
			],
		);
	});
});

describe('example 10: cold outreach that skips people already in a conversation', () => {
	const prospects = ['aisha-khan-pm', 'lukas-meyer', 'grace-liu-88'];
	/** @type {{ conversationUrn: string, messageUrns: string[] }} */
	let lukas;
	/** @type {import('./lib/n8n.mjs').Execution} */
	let run;

	before(async () => {
		await suite.api.reset();
		// Lukas was written to by hand on LinkedIn last week, outside n8n.
		lukas = await suite.api.seedConversation({
			profileId: 'lukas-meyer',
			messages: [{ text: 'Hi Lukas, great to connect!', fromOwner: true, sentAt: Date.now() - 7 * 86_400_000 }],
		});
		run = await suite.run('10-cold-outreach-skip-existing.json');
	});

	it('asks ConnectSafely about each prospect once, before any send to them', async () => {
		assert.equal(run.status, 'success', run.describe());
		const requests = await suite.api.requests();
		const checks = requests.filter((request) => request.path.startsWith('/linkedin/conversations/exists/'));
		assert.deepEqual(
			checks.map((request) => request.path.slice('/linkedin/conversations/exists/'.length)),
			prospects,
		);
		for (const slug of prospects) {
			const check = requests.findIndex((request) => request.path === `/linkedin/conversations/exists/${slug}`);
			const send = requests.findIndex(
				(request) => request.path === '/linkedin/conversations/send' && request.body?.recipientProfileId === slug,
			);
			if (send !== -1) assert.ok(check < send, `${slug}: checked at ${check}, sent at ${send}`);
		}
	});

	it('sends nothing to the person the account already talks with, and outputs skipped: true with the conversation', async () => {
		const [aisha, skipped, grace] = run.items('Message new people only');
		assert.equal(skipped.skipped, true, JSON.stringify(skipped));
		assert.equal(skipped.conversationUrn, lukas.conversationUrn);
		assert.equal(skipped.recipient, 'lukas-meyer');
		assert.match(skipped.reason, /already has a conversation with lukas-meyer/);
		assert.equal(aisha.success, true, JSON.stringify(aisha));
		assert.equal(grace.success, true, JSON.stringify(grace));
		assert.equal(aisha.skipped, undefined);
		const inbox = await suite.api.conversations();
		assert.deepEqual(
			conversationWith(inbox, 'lukas-meyer').messages.map((message) => message.text),
			['Hi Lukas, great to connect!'],
		);
	});

	it('sends each of the others exactly one message', async () => {
		const delivered = await suite.api.delivered();
		assert.deepEqual(
			delivered.map((message) => [message.recipient, message.message]),
			[
				['aisha-khan-pm', 'Hi Aisha, your talk on pricing experiments was the best of the day.'],
				['grace-liu-88', 'Hi Grace, I enjoyed your thread on hiring the first sales engineer.'],
			],
		);
	});

	it('run again, skips everyone: the first run started those conversations', async () => {
		const before = (await suite.api.delivered()).length;
		const again = await suite.run('10-cold-outreach-skip-existing.json');
		assert.equal(again.status, 'success', again.describe());
		const items = again.items('Message new people only');
		assert.deepEqual(
			items.map((item) => [item.skipped, item.recipient]),
			prospects.map((slug) => [true, slug]),
		);
		const inbox = await suite.api.conversations();
		assert.equal(items[0].conversationUrn, conversationWith(inbox, 'aisha-khan-pm').conversationUrn);
		assert.equal((await suite.api.delivered()).length, before, 'nothing more delivered');
	});
});

describe('example 14: send a PDF', () => {
	/** @type {import('./lib/n8n.mjs').Execution} */
	let run;
	/** @type {Buffer} */
	let pdf;

	before(async () => {
		await suite.api.reset();
		pdf = await readFile(join(examplesDir, 'proposal.pdf'));
		run = await suite.run('14-send-a-pdf.json');
	});

	it('uploads the file byte for byte, as application/pdf, named proposal.pdf', async () => {
		assert.equal(run.status, 'success', run.describe());
		assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
		const uploads = await suite.api.attachments();
		assert.equal(uploads.length, 1, JSON.stringify(uploads));
		const [upload] = uploads;
		assert.ok(Buffer.from(upload.bytesBase64, 'base64').equals(pdf), 'the uploaded bytes are the file');
		assert.equal(upload.sha256, createHash('sha256').update(pdf).digest('hex'));
		assert.equal(upload.byteSize, pdf.length);
		assert.equal(upload.contentType, 'application/pdf');
		assert.equal(upload.mediaType, 'application/pdf');
		assert.equal(upload.name, 'proposal.pdf');
		const [request] = (await suite.api.requests()).filter((r) => r.path === '/linkedin/conversations/upload-attachment');
		assert.equal(request.method, 'POST');
		assert.equal(request.query.filename, 'proposal.pdf');
		assert.equal(request.query.accountId, undefined);
	});

	it("outputs the API's answer, and the Send delivers the message with that attachment as it is", async () => {
		const [uploaded] = run.items('Upload the PDF');
		const [stored] = await suite.api.attachments();
		assert.deepEqual(uploaded, {
			success: true,
			attachment: { assetUrn: stored.assetUrn, byteSize: pdf.length, mediaType: 'application/pdf', name: 'proposal.pdf' },
		});
		const delivered = await suite.api.delivered();
		assert.equal(delivered.length, 1, JSON.stringify(delivered));
		assert.equal(delivered[0].recipient, 'jane-doe');
		assert.match(delivered[0].message, /here is our proposal/);
		assert.deepEqual(delivered[0].attachments, [{ file: uploaded.attachment }]);
		const [sent] = run.items('Send with the PDF');
		assert.equal(sent.success, true, JSON.stringify(sent));
		const jane = conversationWith(await suite.api.conversations(), 'jane-doe');
		assert.deepEqual(jane.messages[jane.messages.length - 1].attachments, [{ file: uploaded.attachment }]);
	});
});
