import type { IDataObject, INode } from 'n8n-workflow';

import { ACCOUNT_ID_PATTERN, exactly } from '../../shared/patterns';
import { invalidInput, missingInput } from './inputErrors';
import {
	isProfileUrn,
	parseRecipient,
	RecipientProblem,
	type RecipientField,
	type RecipientMode,
} from './recipient';

/**
 * inputs/: reading and checking what the user gave. Checks for each field a user fills in: each takes the value
 * exactly as n8n resolved it (an expression can yield any type) and returns what goes into the request body, or
 * throws a NodeOperationError that names the item and the field. Nothing here sends anything. May import
 * transport/ types only.
 */

export interface ItemContext {
	node: INode;
	itemIndex: number;
}

const URN = /^urn:li:[A-Za-z_]+:\S+$/;
const GROUP_ID = /^\d{1,20}$/;
const ACCOUNT_ID = exactly(ACCOUNT_ID_PATTERN);

/** Text from an expression: numbers are fine as text; objects, lists and booleans are not. */
function asText(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	return undefined;
}

/** Characters that show nothing: a text of only these (and spaces) is as empty as "". */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

function isBlank(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.replace(INVISIBLE, '').trim() === '')
	);
}

export function readMessage({ node, itemIndex }: ItemContext, value: unknown): string {
	if (isBlank(value)) {
		throw missingInput(
			node,
			itemIndex,
			'Message',
			'Enter the text to send, or map it from an earlier node.',
		);
	}
	const text = asText(value);
	if (text === undefined) {
		throw invalidInput(
			node,
			itemIndex,
			'Message',
			value,
			'is not text',
			'Map a text field, e.g. {{ $json.note }}.',
		);
	}
	return text;
}

/** The sending account: empty means the API key's default account, so no `accountId` is sent. */
export function readAccountId(
	{ node, itemIndex }: ItemContext,
	locator: unknown,
): string | undefined {
	const value = locatorValue(locator);
	if (isBlank(value)) return undefined;
	const text = asText(value)?.trim();
	if (text === undefined || !ACCOUNT_ID.test(text)) {
		throw invalidInput(
			node,
			itemIndex,
			'Account',
			value,
			'is not a ConnectSafely account ID',
			"Pick the account from the list, or enter its ID as ConnectSafely's dashboard shows it (letters, digits, - and _). Leave it empty to use the default account.",
		);
	}
	return text;
}

function locatorValue(locator: unknown): unknown {
	if (locator !== null && typeof locator === 'object' && !Array.isArray(locator)) {
		return (locator as IDataObject).value;
	}
	return locator;
}

function locatorMode(locator: unknown): RecipientMode {
	if (locator !== null && typeof locator === 'object' && !Array.isArray(locator)) {
		const mode = (locator as IDataObject).mode;
		if (mode === 'id' || mode === 'urn') return mode;
	}
	return 'url';
}

const MODE_NAMES: Record<RecipientMode, string> = {
	url: 'Recipient (By URL)',
	id: 'Recipient (By ID)',
	urn: 'Recipient (By URN)',
};

/** The recipient resource locator; `undefined` when it is empty and `optional` allows that. */
export function readRecipient(
	{ node, itemIndex }: ItemContext,
	locator: unknown,
	emptyHint: string | undefined,
): RecipientField | undefined {
	const mode = locatorMode(locator);
	const value = locatorValue(locator);
	if (isBlank(value)) {
		if (emptyHint === undefined) return undefined;
		throw missingInput(node, itemIndex, 'Recipient', emptyHint);
	}
	const text = asText(value);
	if (text === undefined) {
		throw invalidInput(
			node,
			itemIndex,
			MODE_NAMES[mode],
			value,
			'is not text',
			'Map a single profile URL, public ID or URN, e.g. {{ $json.linkedinUrl }}.',
		);
	}
	const parsed = parseRecipient(mode, text);
	if (parsed instanceof RecipientProblem) {
		throw invalidInput(node, itemIndex, MODE_NAMES[mode], text, parsed.problem, parsed.hint);
	}
	return parsed;
}

export function readProfileUrn({ node, itemIndex }: ItemContext, value: unknown): string {
	if (isBlank(value)) {
		throw missingInput(
			node,
			itemIndex,
			'Recipient Profile URN',
			"Group messages need the member's URN, e.g. urn:li:fsd_profile:ACoAAB1234.",
		);
	}
	const urn = asText(value)?.trim();
	if (urn === undefined || !isProfileUrn(urn)) {
		throw invalidInput(
			node,
			itemIndex,
			'Recipient Profile URN',
			value,
			'is not a LinkedIn profile URN',
			'Use a URN like urn:li:fsd_profile:ACoAAB1234 (group messages cannot use a profile URL or ID).',
		);
	}
	return urn;
}

export function readGroupId({ node, itemIndex }: ItemContext, value: unknown): string {
	if (isBlank(value)) {
		throw missingInput(
			node,
			itemIndex,
			'Group ID',
			"Enter the LinkedIn group's numeric ID (from linkedin.com/groups/<ID>/).",
		);
	}
	const text = asText(value)?.trim();
	if (text === undefined || !GROUP_ID.test(text)) {
		throw invalidInput(
			node,
			itemIndex,
			'Group ID',
			value,
			'is not a numeric LinkedIn group ID',
			"Use the digits from the group's URL, e.g. 12345678 from linkedin.com/groups/12345678/.",
		);
	}
	return text;
}

export function readConversationUrn(
	{ node, itemIndex }: ItemContext,
	value: unknown,
): string | undefined {
	if (isBlank(value)) return undefined;
	const text = asText(value)?.trim();
	if (text === undefined || !URN.test(text)) {
		throw invalidInput(
			node,
			itemIndex,
			'Conversation URN',
			value,
			'is not a LinkedIn conversation URN',
			'Use the URN of an existing conversation, e.g. urn:li:msg_conversation:(urn:li:fsd_profile:…,2-…), or leave it empty.',
		);
	}
	return text;
}

/**
 * Splits "urn1, urn2" or one URN a line. Message URNs contain commas inside their parentheses
 * (`urn:li:msg_message:(urn:li:fsd_profile:X,2-Y)`), so only commas outside parentheses separate entries.
 */
export function splitUrnList(text: string): string[] {
	const entries: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === '(') depth++;
		else if (char === ')') depth = Math.max(0, depth - 1);
		else if (char === '\n' || char === '\r' || (char === ',' && depth === 0)) {
			entries.push(text.slice(start, i));
			start = i + 1;
		}
	}
	entries.push(text.slice(start));
	return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

export function readMessageUrns(
	{ node, itemIndex }: ItemContext,
	value: unknown,
): string[] | undefined {
	if (isBlank(value)) return undefined;
	let entries: unknown[];
	if (Array.isArray(value)) entries = value;
	else if (typeof value === 'string') entries = splitUrnList(value);
	else {
		throw invalidInput(
			node,
			itemIndex,
			'Message URNs to Acknowledge',
			value,
			'is neither a list nor text',
			'Give a list of urn:li: URNs from an expression, or text with one URN per line or separated by commas.',
		);
	}
	const urns: string[] = [];
	for (const entry of entries) {
		const text = typeof entry === 'string' ? entry.trim() : undefined;
		if (text === undefined || !URN.test(text)) {
			throw invalidInput(
				node,
				itemIndex,
				'Message URNs to Acknowledge',
				entry,
				'is not a urn:li: URN',
				'Each entry must be a LinkedIn message URN, e.g. urn:li:msg_message:(urn:li:fsd_profile:…,2-…).',
			);
		}
		urns.push(text);
	}
	return urns.length > 0 ? urns : undefined;
}

function isPlainObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * One attachment as `/conversations/send` takes it: `{ file: { assetUrn, byteSize, mediaType, name } }` (docs,
 * section 10). The Upload operation's answer (`{ success, attachment }`), the attachment object itself, or an
 * entry already wrapped in `file` all give that shape; any other object is passed through unchanged.
 */
function asSendAttachment(entry: IDataObject): IDataObject {
	if (isPlainObject(entry.file)) return { file: entry.file };
	if (isPlainObject(entry.attachment)) return { file: entry.attachment };
	if (typeof entry.assetUrn === 'string') return { file: entry };
	return entry;
}

/** Attachments from the Upload operation: its output as it is (one answer or a list), or JSON of those. */
export function readAttachments(
	{ node, itemIndex }: ItemContext,
	value: unknown,
): IDataObject[] | undefined {
	if (isBlank(value)) return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw invalidInput(
				node,
				itemIndex,
				'Attachments',
				value,
				'is not valid JSON',
				'Map the output of the Upload operation, e.g. {{ $json }} or {{ $("Upload").all().map(i => i.json) }}, or write a JSON list of objects.',
			);
		}
	}
	const list = isPlainObject(parsed) ? [parsed] : parsed;
	if (!Array.isArray(list) || !list.every(isPlainObject)) {
		throw invalidInput(
			node,
			itemIndex,
			'Attachments',
			value,
			'is not a list of attachment objects',
			'Attachments must be the output of the Upload operation (Resource: Attachment): one attachment, or a list of the objects the upload step returned, e.g. {{ $json }}.',
		);
	}
	return list.length > 0 ? list.map(asSendAttachment) : undefined;
}

function readOptionalText(value: unknown): string | undefined {
	if (isBlank(value)) return undefined;
	return asText(value);
}

export function readSubject(
	{ node, itemIndex }: ItemContext,
	value: unknown,
	messageType: string | undefined,
): string | undefined {
	if (!isBlank(value) && asText(value) === undefined) {
		throw invalidInput(
			node,
			itemIndex,
			'Subject',
			value,
			'is not text',
			'Enter the subject line as text.',
		);
	}
	const subject = readOptionalText(value);
	if (messageType === 'inmail' && subject === undefined) {
		throw missingInput(
			node,
			itemIndex,
			'Subject',
			'InMail needs a subject line: add "Subject" under Options, or set Message Type to Normal.',
		);
	}
	return subject;
}

/** An options-type field, which an expression can set to any value: only the listed values pass. */
export function readChoice(
	{ node, itemIndex }: ItemContext,
	field: string,
	value: unknown,
	allowed: readonly string[],
): string | undefined {
	if (isBlank(value)) return undefined;
	if (typeof value === 'string' && allowed.includes(value)) return value;
	throw invalidInput(
		node,
		itemIndex,
		field,
		value,
		'is not one of its choices',
		`Use one of: ${allowed.join(', ')}.`,
	);
}

/** A conversation URN the operation cannot do without (both forms the docs show pass: msg_conversation, messagingThread). */
export function readRequiredConversationUrn(item: ItemContext, value: unknown): string {
	const urn = readConversationUrn(item, value);
	if (urn === undefined) {
		throw missingInput(
			item.node,
			item.itemIndex,
			'Conversation URN',
			'Map it from Get Many or from the ConnectSafely Trigger, e.g. {{ $json.conversationUrn }}.',
		);
	}
	return urn;
}

/**
 * "Only messages newer than": a date and time (ISO 8601, as n8n's date picker gives it) or epoch milliseconds, as
 * epoch milliseconds (the unit the API's other timestamps use).
 */
export function readSince(
	{ node, itemIndex }: ItemContext,
	value: unknown,
	field = 'Since',
): number | undefined {
	if (isBlank(value)) return undefined;
	const ms =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\d+$/.test(value.trim())
				? Number(value.trim())
				: typeof value === 'string'
					? Date.parse(value)
					: value instanceof Date
						? value.getTime()
						: NaN;
	if (!Number.isFinite(ms) || ms < 0) {
		throw invalidInput(
			node,
			itemIndex,
			field,
			value,
			'is not a date and time',
			'Pick a date and time, or map one, e.g. {{ $now.minus(1, "hour") }} or epoch milliseconds.',
		);
	}
	return ms;
}

/**
 * The person to look up by public profile ID (ConnectSafely's conversation check takes the slug, not a URN).
 * `field` names the field or option in errors.
 */
export function readLookupProfileId(item: ItemContext, locator: unknown, field: string): string {
	const parsed = readRecipient(
		item,
		locator,
		'Enter the person to look up: a profile URL or a public ID.',
	);
	if (parsed !== undefined && 'recipientProfileId' in parsed) return parsed.recipientProfileId;
	throw invalidInput(
		item.node,
		item.itemIndex,
		field,
		locatorValue(locator),
		'needs a profile URL or public ID, not a URN',
		"ConnectSafely's conversation check takes the public ID (the part after linkedin.com/in/). Use the recipient's profile URL or ID.",
	);
}
