/**
 * What "the same message" means for duplicate safety: the same sending account, the same person (every form of
 * one person gives one key: inputs/recipient.ts), the same endpoint, conversation, group, text, subject and
 * attachments. Not part of it: how the API is asked to deliver (message type, channel, URNs to acknowledge,
 * timeout), which a prospect does not see.
 */
import { createHash } from 'crypto';

import { recipientKey } from '../inputs/recipient';
import type { SendRequestBody } from '../transport/types';

/** JSON with object keys sorted, so that attachments written in another key order are the same attachments. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, inner]) => inner !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** The same text as a person reads it: line endings and surrounding white space do not make it another message. */
function readText(text: string | undefined): string {
	return (text ?? '').replace(/\r\n?/g, '\n').trim();
}

/**
 * The sending account: its ID, or — when the key's default account sends — the credential, since two API keys
 * have two different default accounts.
 */
export function sendingAccount(body: SendRequestBody, credentialId: string): string {
	return body.accountId !== undefined ? `account:${body.accountId}` : `default:${credentialId}`;
}

/** A fixed-length key (SHA-256) of the message's identity: the ledger keeps no copy of texts. */
export function messageKey(path: string, body: SendRequestBody, credentialId: string): string {
	const identity = [
		sendingAccount(body, credentialId),
		recipientKey(body),
		path,
		body.conversationUrn ?? '',
		body.groupId ?? '',
		readText(body.message),
		readText(body.subject),
		body.attachments === undefined ? '' : canonicalJson(body.attachments),
	];
	return createHash('sha256').update(JSON.stringify(identity)).digest('base64url');
}

/** The recipient as a skipped item names it. */
export function recipientLabel(body: SendRequestBody): string {
	return body.recipientProfileId ?? body.recipientProfileUrn ?? body.conversationUrn ?? '';
}
