/**
 * What "the same message" is (delivery/messageIdentity.ts): the ledger skips a message this execution already
 * sent, so everything that makes two messages different must be part of the identity — or the second one is
 * silently skipped. Each pair below differs in one thing only; both must go out. Each test also shows the repeat
 * that is skipped, so it proves the ledger was asked.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { byId, byUrl, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const conversation = (n: number) =>
	`urn:li:msg_conversation:(urn:li:fsd_profile:ACoAAIdentity${n},2-MTcwMDAwMDAwMDAwM${n}==)`;

/** A reply by Conversation URN only (no recipient): what an inbox workflow answering the trigger sends. */
const reply: INodeParameters = {
	resource: 'message',
	operation: 'send',
	recipient: byUrl(''),
	message: '={{ $json.text }}',
	options: { conversationUrn: '={{ $json.conversation }}' },
};

/** A message to one person with the item's attachments. */
const withFile: INodeParameters = {
	resource: 'message',
	operation: 'send',
	recipient: byId('ada-lovelace'),
	message: 'Here is the file we talked about',
	options: { attachments: '={{ $json.files }}' },
};

const file = (id: string): IDataObject => ({ id, name: `${id}.pdf`, mediaType: 'application/pdf' });

test('two replies with the same text into two conversations: both go out', async () => {
	const result = await bed.run({
		parameters: reply,
		items: [
			{ conversation: conversation(1), text: 'Thanks, talk soon!' },
			{ conversation: conversation(2), text: 'Thanks, talk soon!' },
			{ conversation: conversation(1), text: 'Thanks, talk soon!' },
		],
	});
	expect(result.error).toBeUndefined();
	expect(bed.standin.deliveredTo(conversation(1))).toHaveLength(1);
	expect(bed.standin.deliveredTo(conversation(2))).toHaveLength(1);
	expect(result.output.map((item) => item.json.success ?? item.json.skipped)).toEqual([
		true,
		true,
		true,
	]);
	expect(result.output[2].json).toMatchObject({ skipped: true, recipient: conversation(1) });
});

test('a follow-up with another file to the same person, same text: both go out', async () => {
	const result = await bed.run({
		parameters: withFile,
		items: [
			{ files: [file('deck')] },
			{ files: [file('pricing')] },
			{ files: [file('deck'), file('pricing')] },
			// The first one again, its keys in another order: the same attachment, so not sent again.
			{ files: [{ mediaType: 'application/pdf', name: 'deck.pdf', id: 'deck' }] },
		],
	});
	expect(result.error).toBeUndefined();
	expect(bed.standin.deliveredTo('ada-lovelace').map((m) => m.attachments)).toEqual([
		[file('deck')],
		[file('pricing')],
		[file('deck'), file('pricing')],
	]);
	expect(result.output[3].json).toMatchObject({ skipped: true, recipient: 'ada-lovelace' });
});

test('the same text without a file, then with one: both go out', async () => {
	const result = await bed.run({
		parameters: { ...withFile, options: { attachments: '={{ $json.files ?? "" }}' } },
		items: [{}, { files: [file('deck')] }],
	});
	expect(result.error).toBeUndefined();
	expect(bed.standin.deliveredTo('ada-lovelace')).toHaveLength(2);
});
