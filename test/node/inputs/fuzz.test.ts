/**
 * Generated input, over every field and every operation: the node either stops with a clean NodeOperationError
 * naming a field, or builds a body the API accepts, whose every field has its documented type. Never a TypeError,
 * never a wrong-typed body.
 *
 * The bulk (over 10,000 cases) calls each operation's `buildBody(read, item)` — a pure function of the parameter
 * values, the same one the node's execute() calls for every item. A few hundred cases then go through the real
 * engine against the stand-in, with the values coming out of `{{ $json.… }}` expressions as in a workflow.
 */
import fc from 'fast-check';
import {
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeParameters,
} from 'n8n-workflow';

import { operations } from '../../../nodes/ConnectSafely/actions';
import {
	isItemOperation,
	type SendOperation,
} from '../../../nodes/ConnectSafely/actions/operation';
import {
	INBOX_ACCOUNT_ID,
	SALES_NAV_ACCOUNT_ID,
	validateSendBody,
	type SendEndpoint,
} from '../../standin/server';
import { NODE_TYPE, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

/** The send operations (the reads check their own, fewer fields). */
const OPS: Array<[resource: string, operation: string, op: SendOperation]> = Object.entries(
	operations,
).flatMap(([resource, byName]) =>
	Object.entries(byName).flatMap(([name, op]) =>
		isItemOperation(op) ? [] : [[resource, name, op] as [string, string, SendOperation]],
	),
);

const FIELD =
	/^(Message|Recipient|Recipient \(By (URL|ID|URN)\)|Account|Recipient Profile URN|Group ID|Conversation URN|Message URNs to Acknowledge|Attachments|Subject|Message Type|Messaging Channel)(: .+ (is|are) .+| is empty)$/s;

const node: INode = {
	id: 'fuzz',
	name: 'ConnectSafely',
	type: NODE_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

// ---- values ------------------------------------------------------------------------------------------------

const URN = 'urn:li:fsd_profile:ACoAAFpqSoMB8vTqRbg4mN_wbabO8w0gjgFu-6o';
const MSG_URN = 'urn:li:msg_message:(urn:li:fsd_profile:ACoAAATPlQ0Bc8wdg,2-MTcwMDAwMDAwMDAwMA==)';
const CONVERSATION = 'urn:li:msg_conversation:(urn:li:fsd_profile:ACoAAATPlQ0Bc8wdg,2-NzkzMDFl)';

const huge = fc.constantFrom(
	'x'.repeat(100_000),
	`https://www.linkedin.com/in/${'a'.repeat(50_000)}`,
	`urn:li:fsd_profile:${'A'.repeat(10_000)}`,
	`${MSG_URN},`.repeat(2_000),
	'('.repeat(20_000),
	'😀'.repeat(30_000),
	' \n'.repeat(20_000),
);

/** Text as people and upstream nodes produce it: any unicode, near-valid shapes, blanks. */
const text = fc.oneof(
	fc.string(),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 20 }),
	fc.constantFrom(
		'',
		' ',
		'\t\n',
		'\u00a0',
		'\u200b',
		'=',
		'{{ $json.x }}',
		'null',
		'undefined',
		'[]',
		'{}',
		'0',
	),
	fc.constantFrom(
		'jane-doe',
		'jörg-müller',
		'ab',
		'https://www.linkedin.com/in/jane-doe/',
		'https://uk.linkedin.com/in/jane-doe?x=1#y',
		'linkedin.com/in/',
		'https://www.linkedin.com/in/%E0%A4%A',
		'https://example.com/in/jane-doe',
		'https://www.linkedin.com/sales/lead/ACwAAA',
		URN,
		`${URN} `,
		'urn:li:fsd_profile:',
		'urn:li:member:123',
		MSG_URN,
		CONVERSATION,
		`${MSG_URN}, ${MSG_URN}`,
		`${MSG_URN}\n\nurn:li:msg_message:1`,
		'urn:li:msg_message:(a,b), nope',
		'12345678',
		' 12345678 ',
		'1e5',
		'-1',
		'normal',
		'inmail',
		'InMail',
		'auto',
		'sales_navigator',
		'linkedin_inbox',
		SALES_NAV_ACCOUNT_ID,
		'[{"id":"att-1"}]',
		'[{"id":"att-1"}, 2]',
		'{"id":"att-1"}',
		'[]',
		'[[]]',
		'not json',
	),
);

const scalar = fc.oneof(
	text,
	fc.integer(),
	fc.double(),
	fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 12345678, Number.MAX_SAFE_INTEGER),
	fc.bigInt(),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.date(),
);

/** Anything an expression can yield: scalars, lists, objects, nested, huge. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 6, arbitrary: scalar },
	{ weight: 2, arbitrary: fc.array(scalar, { maxLength: 4 }) },
	{ weight: 1, arbitrary: fc.array(text, { maxLength: 4 }) },
	{
		weight: 1,
		arbitrary: fc.array(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), {
			maxLength: 3,
		}),
	},
	{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
	{ weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
	{ weight: 1, arbitrary: huge },
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			[MSG_URN],
			[MSG_URN, ' urn:li:msg_message:2 '],
			[{ id: 'att' }],
			[],
			[[]],
			[null],
		),
	},
);

/** Mostly a value the field accepts, else anything: so that both outcomes, and every field's check, are reached. */
function mostly<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
	return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: anyValue });
}

const slug = fc.stringMatching(/^[a-z][a-z0-9-]{2,30}$/);
const goodMessage = fc.oneof(
	fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
	fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).filter((s) => s.trim() !== ''),
);
const goodRecipient = fc.oneof(
	fc.record({ __rl: fc.constant(true), mode: fc.constant('id'), value: slug }),
	fc.record({
		__rl: fc.constant(true),
		mode: fc.constant('url'),
		value: fc
			.tuple(
				fc.constantFrom('https://www.', 'http://', '', 'https://uk.', 'www.'),
				slug,
				fc.constantFrom('', '/', '?trk=a', '/#x'),
			)
			.map(([prefix, id, suffix]) => `${prefix}linkedin.com/in/${id}${suffix}`),
	}),
	fc.record({
		__rl: fc.constant(true),
		mode: fc.constant('urn'),
		value: fc.stringMatching(/^[A-Za-z0-9_-]{2,40}$/).map((id) => `urn:li:fsd_profile:${id}`),
	}),
);
const goodAccount = fc.oneof(
	fc.record({
		__rl: fc.constant(true),
		mode: fc.constantFrom('list', 'id'),
		value: fc.constantFrom('', '  ', SALES_NAV_ACCOUNT_ID, INBOX_ACCOUNT_ID),
	}),
	fc.constant(undefined),
);
const goodUrns = fc.oneof(
	fc.constantFrom('', MSG_URN, `${MSG_URN}, urn:li:msg_message:2`, `${MSG_URN}\n${MSG_URN}`),
	fc.array(
		fc
			.stringMatching(/^[a-z0-9]{1,10}$/)
			.map((id) => `urn:li:msg_message:(urn:li:fsd_profile:X,${id})`),
		{ maxLength: 4 },
	),
);
const goodAttachments = fc.oneof(
	fc.array(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), {
		maxLength: 3,
	}),
	fc.constantFrom('', '[]', '[{"id":"att-1","name":"deck.pdf"}]'),
);

const locator = fc.oneof(
	fc.record({
		__rl: fc.constant(true),
		mode: fc.constantFrom('url', 'id', 'urn', 'list', 'other'),
		value: anyValue,
	}),
	fc.record({ mode: fc.constantFrom('url', 'id', 'urn') }),
	anyValue,
);

const optionsValue = fc.oneof(
	{
		weight: 6,
		arbitrary: fc.record(
			{
				subject: mostly(fc.oneof(fc.constant(''), goodMessage)),
				messageType: mostly(fc.constantFrom('normal', 'inmail', '')),
				conversationUrn: mostly(fc.constantFrom('', CONVERSATION, 'urn:li:msg_conversation:123')),
				attachments: mostly(goodAttachments),
				messagingChannel: mostly(fc.constantFrom('auto', 'sales_navigator', 'linkedin_inbox', '')),
				maxWaitForRateLimit: anyValue,
				timeout: anyValue,
			},
			{ requiredKeys: [] },
		),
	},
	{ weight: 1, arbitrary: anyValue },
);

const parameters = fc.record(
	{
		account: fc.oneof({ weight: 4, arbitrary: goodAccount }, { weight: 1, arbitrary: locator }),
		recipient: fc.oneof({ weight: 4, arbitrary: goodRecipient }, { weight: 1, arbitrary: locator }),
		message: mostly(goodMessage),
		messageUrns: mostly(goodUrns),
		conversationUrn: mostly(fc.constantFrom('', CONVERSATION)),
		recipientProfileUrn: mostly(fc.constant(URN)),
		groupId: mostly(fc.oneof(fc.stringMatching(/^\d{1,12}$/), fc.nat())),
		options: optionsValue,
	},
	{ requiredKeys: [] },
);

// ---- the property --------------------------------------------------------------------------------------------

const STRING_FIELDS = [
	'accountId',
	'recipientProfileId',
	'recipientProfileUrn',
	'conversationUrn',
	'groupId',
	'message',
	'subject',
	'messageType',
	'messagingChannel',
];

/** A body the node built: the stand-in's schema accepts it, and no field is empty or the wrong type. */
function expectWellFormedBody(path: string, body: IDataObject, attachmentsIn?: unknown): void {
	const verdict = validateSendBody(path as SendEndpoint, body);
	if (!verdict.ok)
		throw new Error(
			`stand-in rejects ${JSON.stringify(body).slice(0, 300)}: ${JSON.stringify(verdict.body)}`,
		);
	for (const [key, value] of Object.entries(body)) {
		expect(value).not.toBeUndefined();
		if (STRING_FIELDS.includes(key)) {
			expect(typeof value).toBe('string');
			expect((value as string).trim()).not.toBe('');
		}
	}
	if (body.messageUrns !== undefined) {
		const urns = body.messageUrns as unknown[];
		expect(urns.length).toBeGreaterThan(0);
		for (const urn of urns) expect(urn).toMatch(/^urn:li:\S+$/);
	}
	if (body.attachments !== undefined) {
		const list = body.attachments as unknown[];
		expect(list.length).toBeGreaterThan(0);
		for (const entry of list)
			expect(entry !== null && typeof entry === 'object' && !Array.isArray(entry)).toBe(true);
		if (Array.isArray(attachmentsIn)) expect(list).toEqual(attachmentsIn);
	}
	if (path !== '/messaging/send-group-with-ack') {
		const recipients = ['recipientProfileId', 'recipientProfileUrn'].filter((key) => key in body);
		expect(recipients.length).toBeLessThanOrEqual(1);
		if (path !== '/conversations/send') expect(recipients).toHaveLength(1);
		else expect(recipients.length + ('conversationUrn' in body ? 1 : 0)).toBeGreaterThan(0);
	}
	if (body.messageType === 'inmail') expect(body.subject).toEqual(expect.any(String));
}

function expectCleanInputError(error: unknown, itemIndex: number): void {
	if (!(error instanceof NodeOperationError)) throw error;
	expect(error.message).toMatch(FIELD);
	expect(error.message.length).toBeLessThan(400);
	expect(error.context.itemIndex).toBe(itemIndex);
	expect(error.description).toMatch(/Nothing was sent for this item\.$/);
}

describe('buildBody over generated parameter values', () => {
	test.each(OPS.map(([resource, operation, op]) => [`${resource} → ${operation}`, op] as const))(
		'%s: a clean field error or a well-formed body, never a crash',
		(_name, op) => {
			const outcomes = { built: 0, refused: 0 };
			fc.assert(
				fc.property(parameters, fc.nat({ max: 50 }), (values, itemIndex) => {
					const record = values as Record<string, unknown>;
					const read = (name: string) => record[name];
					let body: IDataObject;
					try {
						body = op.buildBody(read, { node, itemIndex });
					} catch (error) {
						expectCleanInputError(error, itemIndex);
						outcomes.refused++;
						return;
					}
					outcomes.built++;
					const options = record.options as IDataObject | undefined;
					const attachmentsIn =
						options !== null && typeof options === 'object' ? options.attachments : undefined;
					expectWellFormedBody(op.path, body, attachmentsIn);
				}),
				{ numRuns: 2_500 },
			);
			// Both outcomes are well represented: the property says something about each.
			expect(outcomes.built).toBeGreaterThan(250);
			expect(outcomes.refused).toBeGreaterThan(250);
		},
	);

	test('near-valid values always build well-formed bodies, their attachments included', () => {
		const [, , send] = OPS.find(([r, o]) => r === 'message' && o === 'send')!;
		// fc.assert fails on the first value that throws; what it cannot see is an attachment list dropped.
		let withAttachments = 0;
		fc.assert(
			fc.property(
				fc.record({
					recipient: fc.record({
						__rl: fc.constant(true),
						mode: fc.constant('id'),
						value: fc.stringMatching(/^[a-z][a-z0-9-]{2,30}$/),
					}),
					message: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
					options: fc.record({
						attachments: fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }))),
					}),
				}),
				(values) => {
					const body = send.buildBody((name) => (values as Record<string, unknown>)[name], {
						node,
						itemIndex: 0,
					});
					expectWellFormedBody(
						send.path,
						body,
						values.options.attachments.length > 0 ? values.options.attachments : undefined,
					);
					if (values.options.attachments.length > 0) {
						expect(body.attachments).toEqual(values.options.attachments);
						withAttachments++;
					}
				},
			),
			{ numRuns: 500 },
		);
		// Most runs carried attachments: the property says something about them.
		expect(withAttachments).toBeGreaterThan(250);
	});
});

// ---- through the engine --------------------------------------------------------------------------------------

/** Item values: what an upstream node can output (JSON), so every field comes out of an expression. */
const jsonField = fc.oneof(
	{ weight: 3, arbitrary: text },
	{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			[MSG_URN],
			[MSG_URN, 7],
			[{ id: 'att-1' }],
			[],
			12345678,
			true,
			null,
		),
	},
);

function oftenJson<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
	return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: jsonField });
}

/** The recipient's mode (a literal in the workflow) and the value its expression yields. */
const recipientArb: fc.Arbitrary<[string, unknown]> = fc.oneof(
	{ weight: 2, arbitrary: fc.tuple(fc.constant('id'), slug) },
	{
		weight: 2,
		arbitrary: fc.tuple(
			fc.constant('url'),
			slug.map((id) => `https://www.linkedin.com/in/${id}/`),
		),
	},
	{ weight: 1, arbitrary: fc.tuple(fc.constant('urn'), fc.constant(URN)) },
	{ weight: 1, arbitrary: fc.tuple(fc.constantFrom('url', 'id', 'urn'), jsonField) },
);

const itemArb = fc.record(
	{
		account: oftenJson(fc.constantFrom('', SALES_NAV_ACCOUNT_ID, INBOX_ACCOUNT_ID)),
		message: oftenJson(goodMessage),
		messageUrns: oftenJson(goodUrns),
		conversationUrn: oftenJson(fc.constantFrom('', CONVERSATION)),
		recipientProfileUrn: oftenJson(fc.constant(URN)),
		groupId: oftenJson(fc.oneof(fc.constant('12345678'), fc.nat())),
		subject: oftenJson(goodMessage),
		messageType: oftenJson(fc.constantFrom('normal', 'inmail')),
		attachments: oftenJson(
			fc.array(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), {
				maxLength: 3,
			}),
		),
		messagingChannel: oftenJson(fc.constantFrom('auto', 'linkedin_inbox', 'sales_navigator')),
	},
	{ requiredKeys: [] },
);

function engineParameters(
	resource: string,
	operation: string,
	mode: string,
	optionKeys: string[],
): INodeParameters {
	const options: INodeParameters = {};
	for (const key of optionKeys) options[key] = `={{ $json.${key} }}`;
	return {
		resource,
		operation,
		account: { __rl: true, mode: 'id', value: '={{ $json.account }}' },
		recipient: { __rl: true, mode, value: '={{ $json.recipient }}' },
		message: '={{ $json.message }}',
		messageUrns: '={{ $json.messageUrns }}',
		conversationUrn: '={{ $json.conversationUrn }}',
		recipientProfileUrn: '={{ $json.recipientProfileUrn }}',
		groupId: '={{ $json.groupId }}',
		options,
	};
}

const KNOWN_ACCOUNTS = [SALES_NAV_ACCOUNT_ID, INBOX_ACCOUNT_ID];

describe('generated items through the real engine and the stand-in', () => {
	jest.setTimeout(60_000);

	test.each(
		OPS.map(
			([resource, operation]) => [`${resource} → ${operation}`, resource, operation] as const,
		),
	)(
		'%s: a field error and nothing sent, or a request the API accepts',
		async (_name, resource, operation) => {
			const [, , op] = OPS.find(([r, o]) => r === resource && o === operation)!;
			const outcomes = { refused: 0, sent: 0, apiError: 0 };
			await fc.assert(
				fc.asyncProperty(
					itemArb,
					recipientArb,
					fc.subarray([
						'subject',
						'messageType',
						'conversationUrn',
						'attachments',
						'messagingChannel',
					]),
					async (item, [mode, recipient], optionKeys) => {
						bed.standin.reset();
						const result = await bed.run({
							parameters: engineParameters(resource, operation, mode, optionKeys),
							items: [{ ...(item as IDataObject), recipient } as IDataObject],
						});
						const error = result.nodeError;
						if (error?.name === 'NodeOperationError') {
							expect(error.message).toMatch(FIELD);
							expect(error.context.itemIndex).toBe(0);
							expect(bed.standin.requests).toHaveLength(0);
							outcomes.refused++;
							return;
						}
						expect(bed.standin.requests).toHaveLength(1);
						const body = bed.standin.requests[0].body as IDataObject;
						expectWellFormedBody(op.path, body);
						if (error === undefined) {
							expect(result.output[0].json.success).toBe(true);
							outcomes.sent++;
							return;
						}
						// The only API refusals a well-formed body may meet: an account ID of nobody (404), or a
						// Sales Navigator channel on the one account without it (400).
						expect(error.name).toBe('NodeApiError');
						outcomes.apiError++;
						const known =
							body.accountId === undefined || KNOWN_ACCOUNTS.includes(body.accountId as string);
						if (!known) expect((error as unknown as { httpCode: string }).httpCode).toBe('404');
						else {
							expect(body).toMatchObject({
								accountId: INBOX_ACCOUNT_ID,
								messagingChannel: 'sales_navigator',
							});
						}
					},
				),
				{ numRuns: 80 },
			);
			expect(outcomes.sent).toBeGreaterThan(10);
			expect(outcomes.refused).toBeGreaterThan(10);
		},
	);
});
