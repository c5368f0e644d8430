import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { messageItem, messageUrnOf, parseEvent } from './event';
import type { MessageReceivedData } from './event';
import { isFirstDelivery } from './redelivery';
import { SIGNATURE_HEADER, verifySignature } from './signature';

/** What the trigger reads of n8n's request: the headers and the body's bytes as received. */
interface SignedRequest {
	headers: Record<string, string | string[] | undefined>;
	rawBody?: Buffer;
}

/** The part of n8n's response the trigger uses to refuse a delivery with its own status. */
interface Response {
	headersSent: boolean;
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body: string): unknown;
}

interface TriggerOptions {
	accountIds?: string;
	ignoreSenders?: string;
}

/** Answers with a status of the trigger's choosing and starts no execution. */
function refuse(response: Response, status: number, message: string): IWebhookResponseData {
	if (!response.headersSent) {
		response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
		response.end(JSON.stringify({ message }));
	}
	return { noWebhookResponse: true };
}

/** A 2xx (n8n's response code, 200) without an execution: ConnectSafely counts it as delivered. */
function acknowledge(message: string): IWebhookResponseData {
	return { webhookResponse: { message } };
}

/** Comma- or line-separated entries, compared case-insensitively; a profile URN and its bare ID are one. */
function listOf(value: string | undefined): string[] {
	return (value ?? '')
		.split(/[\s,]+/)
		.map(comparable)
		.filter((entry) => entry !== '');
}

function comparable(form: string): string {
	return form
		.trim()
		.toLowerCase()
		.replace(/^urn:li:fsd_profile:/, '');
}

function senderIsIgnored(data: MessageReceivedData, ignored: string[]): boolean {
	const { senderProfileUrn, senderProfileId } = messageItem(data).json;
	return [senderProfileUrn, senderProfileId].some(
		(form) => typeof form === 'string' && ignored.includes(comparable(form)),
	);
}

/**
 * One delivery from ConnectSafely: the signature first (401, nothing runs), then the body (400), then the
 * filters and the redelivery check (200, nothing runs). Only then an execution starts, and n8n answers 200
 * at once (response mode "onReceived"), well within ConnectSafely's 15 s.
 */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request: SignedRequest = this.getRequestObject();
	const response: Response = this.getResponseObject();
	const refused = (status: number, reason: string) => {
		this.logger.warn(`ConnectSafely Trigger refused a delivery (${status}): ${reason}`, {
			workflowId: this.getWorkflow().id,
			node: this.getNode().name,
		});
		return refuse(response, status, `Refused: ${reason}`);
	};

	let secret = '';
	try {
		const credentials = await this.getCredentials('connectSafelyWebhookApi');
		secret = typeof credentials.signingSecret === 'string' ? credentials.signingSecret : '';
	} catch {
		return refused(401, 'the trigger has no ConnectSafely Webhook API credential');
	}
	const signature = verifySignature(request.rawBody, request.headers[SIGNATURE_HEADER], secret);
	if (!signature.valid) return refused(401, signature.reason);

	// verifySignature has made sure the raw body is there.
	const parsed = parseEvent(request.rawBody as Buffer);
	if (parsed.kind === 'invalid') return refused(400, parsed.reason);
	if (parsed.kind === 'other') {
		return acknowledge(`Ignored: this trigger handles message.received, not ${parsed.event}`);
	}

	const { data } = parsed;
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const accounts = listOf(options.accountIds);
	if (accounts.length > 0 && !accounts.includes(String(data.account_id ?? '').toLowerCase())) {
		return acknowledge('Ignored: the message is for an account this trigger does not listen to');
	}
	if (senderIsIgnored(data, listOf(options.ignoreSenders))) {
		return acknowledge('Ignored: the sender is in "Ignore Messages From"');
	}

	// "Listen for test event" shows every delivery; only live workflows skip redeliveries.
	const messageUrn = messageUrnOf(data);
	if (this.getMode() !== 'manual' && messageUrn !== null && !isFirstDelivery(this, messageUrn)) {
		return acknowledge('Already received: this message started an execution before');
	}
	if (messageUrn === null) {
		this.logger.warn(
			'ConnectSafely Trigger: the event has no data.message_urn or data.id, so a redelivery of it cannot be recognised',
			{ workflowId: this.getWorkflow().id, node: this.getNode().name },
		);
	}
	return { workflowData: [[messageItem(data)]] };
}
