// @ts-check
// ConnectSafely's side of the trigger: `message.received` events shaped like its events page, signed the way it
// signs them (`X-Webhook-Signature: sha256=<HMAC-SHA256 of the raw body>`) and POSTed as it posts them.
import { createHmac } from 'node:crypto';

/**
 * @param {string | Buffer} body
 * @param {string} secret
 */
export function sign(body, secret) {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * A `message.received` event.
 * @param {{ messageUrn: string, accountId: string, conversationUrn?: string, text?: string, senderUrn?: string, senderName?: string }} fields
 */
export function messageReceived(fields) {
	return {
		event: 'message.received',
		object: 'event',
		data: {
			id: fields.messageUrn,
			message_urn: fields.messageUrn,
			account_id: fields.accountId,
			provider: 'LINKEDIN',
			sender: {
				id: fields.senderUrn ?? 'urn:li:fsd_profile:ACoAABcdEf123',
				name: fields.senderName ?? 'Jane Doe',
				profile_url: null,
				profile_picture: 'https://media.licdn.com/dms/image/jane.jpg',
			},
			body: fields.text ?? 'Thanks for reaching out! Can we talk on Thursday?',
			timestamp: new Date().toISOString(),
			conversation_id: fields.conversationUrn ?? 'urn:li:messagingThread:2-ThReAd456==',
			attachments: [],
		},
	};
}

/**
 * POSTs an event to a webhook URL as ConnectSafely does; `signature` overrides the header (null: none).
 * @param {string} url
 * @param {unknown} event
 * @param {{ secret: string, signature?: string | null }} options
 * @returns {Promise<{ status: number, contentType: string | null, body: string, ms: number }>}
 */
export async function deliver(url, event, { secret, signature }) {
	const body = JSON.stringify(event);
	/** @type {Record<string, string>} */
	const headers = { 'content-type': 'application/json', 'user-agent': 'ConnectSafely-Webhooks (e2e)' };
	const header = signature === undefined ? sign(body, secret) : signature;
	if (header !== null) headers['x-webhook-signature'] = header;
	const started = Date.now();
	const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
	return {
		status: response.status,
		contentType: response.headers.get('content-type'),
		body: await response.text(),
		ms: Date.now() - started,
	};
}
