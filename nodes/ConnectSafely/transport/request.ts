/**
 * transport/: the one function that talks HTTP (through n8n's helper, which applies the credential), the API's
 * answers → node errors (apiErrors.ts, readRequest.ts), the rate-limit headers (rateLimit.ts) and the API's types.
 * Imports nothing of the node's other folders.
 */
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import type { ApiResponse } from './types';

export const CREDENTIAL_TYPE = 'connectSafelyApi';
export const DEFAULT_BASE_URL = 'https://api.connectsafely.ai/linkedin';

export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	/** A file sent as the raw request body (the attachment upload), with its MIME type as Content-Type. */
	rawBody?: { data: Buffer; contentType: string };
	qs?: IDataObject;
	timeoutMs?: number;
}

/** The credential of a run, read and decrypted once, and the base URL it names. */
export interface Connection {
	/** Without a trailing slash, so `${baseUrl}${path}` is always one slash. */
	baseUrl: string;
	credentials: ICredentialsDecrypted;
}

/**
 * Reads the credential once per run. n8n would otherwise load and decrypt it again for every request (in the app:
 * a database read and a decryption per item); handing the decrypted credential to n8n's helper skips only that.
 * n8n still applies it: the key is added to the request by the credential's `authenticate`, not by this code.
 */
export async function resolveConnection(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
): Promise<Connection> {
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	const raw = typeof data.baseUrl === 'string' ? data.baseUrl.trim() : '';
	const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	return {
		baseUrl: (raw === '' ? DEFAULT_BASE_URL : raw).replace(/\/+$/, ''),
		credentials: {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data,
		},
	};
}

/**
 * The one place that talks HTTP. It goes through n8n's own helper (axios inside n8n-core), which applies the
 * credential's Bearer header, so the key never passes through this code. It returns the full response and
 * never throws on an HTTP status: the caller needs the `X-RateLimit-*` headers and the error body, which
 * n8n's own status errors drop. Network failures still throw, for the caller to classify.
 */
export async function requestApi(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	connection: Connection,
	request: ApiRequest,
): Promise<ApiResponse> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect is answered with an error instead (apiErrors.ts): following it would send the Bearer key to
		// whatever address it names, and turn a POST into a GET on 301/302.
		disableFollowRedirect: true,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.rawBody !== undefined) {
		options.body = request.rawBody.data;
		options.headers = { 'content-type': request.rawBody.contentType };
	}
	if (request.qs !== undefined) options.qs = request.qs;
	if (request.timeoutMs !== undefined) options.timeout = request.timeoutMs;
	const response = (await ctx.helpers.httpRequestWithAuthentication.call(
		ctx,
		CREDENTIAL_TYPE,
		options,
		{
			credentialsDecrypted: connection.credentials,
		},
	)) as { statusCode: number; headers?: IDataObject; body: unknown };
	return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
}
