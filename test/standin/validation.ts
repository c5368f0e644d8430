/**
 * Request body checks of the five send endpoints, as the API pages describe them.
 *
 * Two layers, like the live API:
 * 1. a schema check (types, enums, unknown keys) that fails with the ZodError body
 *    `{"success":false,"error":{"name":"ZodError","issues":[...]}}`;
 * 2. the endpoint's own required-field checks, with the plain-text errors of the pages
 *    (`message is required`, `recipientProfileUrn, groupId, and message are required`, ...).
 *
 * Unknown body fields are rejected (ZodError `unrecognized_keys`): the live API may ignore them,
 * but the stand-in is strict so a test notices a node that sends undocumented fields.
 */

export type SendEndpoint =
	| '/conversations/send'
	| '/messaging/send-with-ack'
	| '/messaging/send-with-typing'
	| '/messaging/send'
	| '/messaging/send-group-with-ack';

export const SEND_ENDPOINTS: readonly SendEndpoint[] = [
	'/conversations/send',
	'/messaging/send-with-ack',
	'/messaging/send-with-typing',
	'/messaging/send',
	'/messaging/send-group-with-ack',
];

export const MESSAGING_CHANNELS = ['auto', 'sales_navigator', 'linkedin_inbox'] as const;
export type MessagingChannel = (typeof MESSAGING_CHANNELS)[number];

type FieldKind = 'string' | 'stringArray' | 'objectArray' | 'messagingChannel';

const COMMON: Record<string, FieldKind> = {
	accountId: 'string',
	recipientProfileId: 'string',
	recipientProfileUrn: 'string',
	message: 'string',
};

const FIELDS: Record<SendEndpoint, Record<string, FieldKind>> = {
	'/conversations/send': {
		...COMMON,
		conversationUrn: 'string',
		subject: 'string',
		attachments: 'objectArray',
		messagingChannel: 'messagingChannel',
	},
	'/messaging/send-with-ack': {
		...COMMON,
		subject: 'string',
		messageType: 'string',
		messageUrns: 'stringArray',
	},
	'/messaging/send-with-typing': {
		...COMMON,
		subject: 'string',
		messageType: 'string',
		conversationUrn: 'string',
	},
	'/messaging/send': { ...COMMON, subject: 'string', messageType: 'string' },
	'/messaging/send-group-with-ack': {
		accountId: 'string',
		recipientProfileUrn: 'string',
		groupId: 'string',
		message: 'string',
		messageUrns: 'stringArray',
	},
};

/** One issue of a ZodError body, with the fields zod itself sends. */
export interface ZodIssue {
	code: string;
	path: Array<string | number>;
	message: string;
	expected?: string;
	received?: string;
	keys?: string[];
	options?: readonly string[];
}

/** A body that passed the checks. Every field has its documented type. */
export interface SendBody {
	accountId?: string;
	recipientProfileId?: string;
	recipientProfileUrn?: string;
	conversationUrn?: string;
	message: string;
	subject?: string;
	messageType?: string;
	messageUrns?: string[];
	attachments?: Array<Record<string, unknown>>;
	messagingChannel?: MessagingChannel;
	groupId?: string;
}

export type ValidationResult =
	{ ok: true; body: SendBody } | { ok: false; status: 400; body: Record<string, unknown> };

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

function invalidType(path: Array<string | number>, expected: string, value: unknown): ZodIssue {
	const received = value === undefined ? 'undefined' : typeName(value);
	return {
		code: 'invalid_type',
		expected,
		received,
		path,
		message: value === undefined ? 'Required' : `Expected ${expected}, received ${received}`,
	};
}

function checkField(name: string, kind: FieldKind, value: unknown): ZodIssue[] {
	switch (kind) {
		case 'string':
			return typeof value === 'string' ? [] : [invalidType([name], 'string', value)];
		case 'messagingChannel':
			if (typeof value === 'string' && (MESSAGING_CHANNELS as readonly string[]).includes(value)) {
				return [];
			}
			return [
				{
					code: 'invalid_enum_value',
					options: MESSAGING_CHANNELS,
					path: [name],
					message: `Invalid enum value. Expected 'auto' | 'sales_navigator' | 'linkedin_inbox', received '${String(value)}'`,
				},
			];
		case 'stringArray':
		case 'objectArray': {
			if (!Array.isArray(value)) return [invalidType([name], 'array', value)];
			const expected = kind === 'stringArray' ? 'string' : 'object';
			const issues: ZodIssue[] = [];
			value.forEach((element: unknown, index) => {
				if (typeName(element) !== expected)
					issues.push(invalidType([name, index], expected, element));
			});
			return issues;
		}
	}
}

function zodError(issues: ZodIssue[]): ValidationResult {
	return {
		ok: false,
		status: 400,
		body: { success: false, error: { name: 'ZodError', issues } },
	};
}

function plainError(endpoint: SendEndpoint, error: string): ValidationResult {
	// /conversations/send documents `{"error": "..."}`; the /messaging pages add `success: false`.
	const body = endpoint === '/conversations/send' ? { error } : { success: false, error };
	return { ok: false, status: 400, body };
}

const isBlank = (value: string | undefined) => value === undefined || value.trim() === '';

/** Checks a parsed JSON body against the endpoint's documented fields. */
export function validateSendBody(endpoint: SendEndpoint, raw: unknown): ValidationResult {
	if (typeName(raw) !== 'object') {
		return zodError([invalidType([], 'object', raw)]);
	}
	const input = raw as Record<string, unknown>;
	const fields = FIELDS[endpoint];
	const issues: ZodIssue[] = [];

	const unknownKeys = Object.keys(input).filter((key) => !(key in fields));
	if (unknownKeys.length > 0) {
		issues.push({
			code: 'unrecognized_keys',
			keys: unknownKeys,
			path: [],
			message: `Unrecognized key(s) in object: ${unknownKeys.map((k) => `'${k}'`).join(', ')}`,
		});
	}
	for (const [name, kind] of Object.entries(fields)) {
		const value = input[name];
		if (value === undefined) {
			// The newer /conversations/send schema declares message required itself.
			if (endpoint === '/conversations/send' && name === 'message') {
				issues.push(invalidType([name], 'string', value));
			}
			continue;
		}
		issues.push(...checkField(name, kind, value));
	}
	if (endpoint === '/conversations/send' && input.message === '') {
		issues.push({
			code: 'too_small',
			path: ['message'],
			message: 'String must contain at least 1 character(s)',
		});
	}
	if (issues.length > 0) return zodError(issues);

	const body = input as unknown as SendBody;

	if (endpoint === '/messaging/send-group-with-ack') {
		if (isBlank(body.recipientProfileUrn) || isBlank(body.groupId) || isBlank(body.message)) {
			return plainError(endpoint, 'recipientProfileUrn, groupId, and message are required');
		}
	} else {
		if (isBlank(body.message)) return plainError(endpoint, 'message is required');
		const hasRecipient = !isBlank(body.recipientProfileId) || !isBlank(body.recipientProfileUrn);
		if (!hasRecipient) {
			if (endpoint !== '/conversations/send') {
				return plainError(
					endpoint,
					'Either recipientProfileId or recipientProfileUrn must be provided',
				);
			}
			if (isBlank(body.conversationUrn)) {
				return plainError(
					endpoint,
					'Either recipientProfileId, recipientProfileUrn or conversationUrn must be provided',
				);
			}
		}
	}

	// Beyond the pages: values LinkedIn itself would reject. A profile URL passed as an ID or a
	// malformed URN fails the recipient lookup; the stand-in says so instead of "sending".
	if (body.recipientProfileId !== undefined && !isBlank(body.recipientProfileId)) {
		if (!/^[\p{L}\p{N}\-_.%]+$/u.test(body.recipientProfileId)) {
			return plainError(
				endpoint,
				`Profile not found for recipientProfileId "${body.recipientProfileId}": expected a public profile ID such as "john-doe-123"`,
			);
		}
	}
	if (body.recipientProfileUrn !== undefined && !isBlank(body.recipientProfileUrn)) {
		if (!/^urn:li:(fsd_profile|fs_miniProfile|member):[\w\-]+$/.test(body.recipientProfileUrn)) {
			return plainError(endpoint, `Invalid recipientProfileUrn "${body.recipientProfileUrn}"`);
		}
	}
	if (body.conversationUrn !== undefined && !isBlank(body.conversationUrn)) {
		if (!body.conversationUrn.startsWith('urn:li:')) {
			return plainError(endpoint, `Invalid conversationUrn "${body.conversationUrn}"`);
		}
	}
	return { ok: true, body };
}
