import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { profileIdFromUrl } from '../shared/linkedinProfile';

/** The only event type ConnectSafely documents. */
export const MESSAGE_RECEIVED = 'message.received';

/**
 * `data` of a `message.received` event, as ConnectSafely's events page shows it. Every field is optional
 * here: the webhook is in beta, so a missing field becomes `null` in the output instead of a refusal.
 */
export interface MessageReceivedData extends IDataObject {
	id?: string;
	message_urn?: string;
	account_id?: string;
	provider?: string;
	sender?: {
		id?: string;
		name?: string;
		profile_url?: string | null;
		profile_picture?: string;
	};
	body?: string;
	timestamp?: string;
	conversation_id?: string;
	attachments?: IDataObject[];
}

export type ParsedEvent =
	| { kind: 'message'; data: MessageReceivedData }
	| { kind: 'other'; event: string }
	| { kind: 'invalid'; reason: string };

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the signed bytes themselves, so the item holds exactly what was signed. */
export function parseEvent(rawBody: Buffer): ParsedEvent {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch (error) {
		return { kind: 'invalid', reason: `the body is not JSON (${(error as Error).message})` };
	}
	if (!isObject(body) || typeof body.event !== 'string') {
		return { kind: 'invalid', reason: 'the body is not a ConnectSafely event (no "event" field)' };
	}
	if (body.event !== MESSAGE_RECEIVED) return { kind: 'other', event: body.event };
	if (!isObject(body.data)) {
		return { kind: 'invalid', reason: 'the message.received event has no "data" object' };
	}
	return { kind: 'message', data: body.data as MessageReceivedData };
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * `https://www.linkedin.com/in/jane-doe/` → `jane-doe`, the form the send node's Recipient "By ID" takes; the same
 * parser as the send node's (nodes/shared), so every URL form it accepts gives the same ID here.
 */
export function publicProfileId(profileUrl: string | null): string | null {
	return profileUrl === null ? null : (profileIdFromUrl(profileUrl) ?? null);
}

/** The message URN ConnectSafely recommends as the de-duplication key; `data.id` carries the same value. */
export function messageUrnOf(data: MessageReceivedData): string | null {
	return text(data.message_urn) ?? text(data.id);
}

/**
 * One item per event: the fields the send node takes, named as its fields are (Conversation URN, Message
 * URNs to Acknowledge, Account, Recipient by URN / ID / URL), then the event's `data` exactly as sent.
 */
export function messageItem(data: MessageReceivedData): INodeExecutionData {
	const sender = isObject(data.sender) ? data.sender : {};
	const senderProfileUrl = text(sender.profile_url);
	return {
		json: {
			event: MESSAGE_RECEIVED,
			conversationUrn: text(data.conversation_id),
			messageUrn: messageUrnOf(data),
			accountId: text(data.account_id),
			senderProfileUrn: text(sender.id),
			senderProfileId: publicProfileId(senderProfileUrl),
			senderProfileUrl,
			senderName: text(sender.name),
			text: typeof data.body === 'string' ? data.body : null,
			receivedAt: text(data.timestamp),
			data,
		},
	};
}
