/** The API's request and response shapes, as the API pages describe them. */
import type { IDataObject } from 'n8n-workflow';

/** The body of every send endpoint, as the API pages list it; optional fields are left out when empty. */
export interface SendRequestBody extends IDataObject {
	accountId?: string;
	recipientProfileId?: string;
	recipientProfileUrn?: string;
	conversationUrn?: string;
	groupId?: string;
	message: string;
	subject?: string;
	messageType?: string;
	messageUrns?: string[];
	attachments?: IDataObject[];
	messagingChannel?: string;
}

/** The `X-RateLimit-*` headers, as the node puts them on every output item. */
export interface RateLimitInfo extends IDataObject {
	action?: string;
	limit?: number;
	used?: number;
	remaining?: number;
	resetsAt?: string;
}

/** A response as the transport hands it on: status, lower-cased headers and the parsed (or raw) body. */
export interface ApiResponse {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** A LinkedIn account of the API key, as `GET /accounts` returns it. */
export interface ConnectSafelyAccount {
	id: string;
	firstName?: string;
	lastName?: string;
	publicId?: string;
	status?: string;
}
