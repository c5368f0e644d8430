import type { IDataObject } from 'n8n-workflow';

import type { DuplicateCheck } from './duplicateGuard';

/** Who receives a message: exactly one of these goes into a request body. */
export type RecipientField = { recipientProfileId: string } | { recipientProfileUrn: string };

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

/** What one input item turns into before anything is sent. */
export interface PlannedSend {
	path: string;
	body: SendRequestBody;
	/** The account the request spends quota on; '' is the key's default account. */
	accountKey: string;
	timeoutMs: number;
	maxRateLimitWaitMs: number;
	/** Set when "Skip Recipients Already Messaged" is on. */
	duplicateCheck?: DuplicateCheck;
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
