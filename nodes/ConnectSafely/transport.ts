import type {
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
	qs?: IDataObject;
	timeoutMs?: number;
}

/** The credential's base URL without a trailing slash, so `${baseUrl}${path}` is always one slash. */
export async function resolveBaseUrl(ctx: IExecuteFunctions | ILoadOptionsFunctions): Promise<string> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const raw = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	return (raw === '' ? DEFAULT_BASE_URL : raw).replace(/\/+$/, '');
}

/**
 * The one place that talks HTTP. It goes through n8n's own helper (axios inside n8n-core), which applies the
 * credential's Bearer header, so the key never passes through this code. It returns the full response and
 * never throws on an HTTP status: the caller needs the `X-RateLimit-*` headers and the error body, which
 * n8n's own status errors drop. Network failures still throw, for the caller to classify.
 */
export async function requestApi(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	baseUrl: string,
	request: ApiRequest,
): Promise<ApiResponse> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;
	if (request.timeoutMs !== undefined) options.timeout = request.timeoutMs;
	const response = (await ctx.helpers.httpRequestWithAuthentication.call(
		ctx,
		CREDENTIAL_TYPE,
		options,
	)) as { statusCode: number; headers?: IDataObject; body: unknown };
	return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
}
