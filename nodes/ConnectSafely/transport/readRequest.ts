/**
 * A request that changes nothing on LinkedIn (reading conversations, checking for one, uploading a file that is
 * not sent yet) and the API's answers to it as node errors. Reads are never "maybe delivered": every failure is
 * safe to run again, and the errors say so. Uses request.ts for HTTP and apiErrors.ts for the shared wording.
 */
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import {
	apiError,
	apiErrorText,
	isCancellation,
	isRedirect,
	networkErrorCode,
	rateLimitFailure,
	redirectText,
	showBaseUrl,
} from './apiErrors';
import { readRateLimit } from './rateLimit';
import { requestApi, type ApiRequest, type Connection } from './request';
import type { RateLimitInfo } from './types';

const DEFAULT_TIMEOUT_MS = 60_000;

export interface ReadRequest extends ApiRequest {
	/** What a 404 means for this request, naming what was asked for, e.g. "The conversation urn:li:… was not found". */
	notFound: string;
	/** What to do about a 404. */
	notFoundHint: string;
}

export interface ReadAnswer {
	body: IDataObject;
	rateLimit?: RateLimitInfo;
}

function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The account a request was made for, as an error names it: its ID, or the API key's default account. */
export function accountAskedFor(accountId: string | undefined): string {
	return accountId === undefined
		? 'The default LinkedIn account of this API key'
		: `The LinkedIn account ${accountId}`;
}

const RUN_AGAIN = 'Nothing was changed on LinkedIn: running the item again is safe.';

/** Sends a read and returns the API's JSON answer, or throws the node's error for the item. */
export async function readApi(
	ctx: IExecuteFunctions,
	connection: Connection,
	request: ReadRequest,
	itemIndex: number,
): Promise<ReadAnswer> {
	const node = ctx.getNode();
	let response;
	try {
		response = await requestApi(ctx, connection, {
			timeoutMs: DEFAULT_TIMEOUT_MS,
			...request,
		});
	} catch (error) {
		throw networkError(node, itemIndex, networkErrorCode(error), connection.baseUrl);
	}
	const { statusCode, body } = response;
	const rateLimit = readRateLimit(response.headers);
	if (statusCode >= 200 && statusCode < 300 && isObject(body) && body.success !== false) {
		return { body, rateLimit };
	}
	const text = apiErrorText(body);
	const said = text ? `: ${text}` : '';
	const fail = (message: string, description: string) =>
		apiError(node, itemIndex, statusCode, body, message, description);
	if (statusCode === 429)
		throw rateLimitFailure(node, itemIndex, response, text ?? '', rateLimit, Date.now()).error;
	if (statusCode >= 200 && statusCode < 300) {
		throw fail(
			isObject(body)
				? `ConnectSafely answered with success: false${said}`
				: `ConnectSafely answered ${statusCode} but its answer is not JSON`,
			RUN_AGAIN,
		);
	}
	if (isRedirect(statusCode)) {
		throw fail(
			redirectText(response),
			'Set the Base URL in the ConnectSafely credential to the address the API now lives at. The node does not follow redirects, so the API key is never sent elsewhere.',
		);
	}
	if (statusCode === 401) {
		throw fail(
			`ConnectSafely rejected the API key${said}`,
			'Check the API key in the ConnectSafely credential (ConnectSafely dashboard → API).',
		);
	}
	if (statusCode === 404) throw fail(`${request.notFound}${said}`, request.notFoundHint);
	if (statusCode >= 400 && statusCode < 500) {
		throw fail(
			`ConnectSafely rejected the request (${statusCode})${said}`,
			`Correct the fields the API names. ${RUN_AGAIN}`,
		);
	}
	throw fail(`ConnectSafely answered ${statusCode}${said}`, `Try again later. ${RUN_AGAIN}`);
}

function networkError(
	node: INode,
	itemIndex: number,
	code: string | undefined,
	baseUrl: string,
): NodeApiError {
	const where = showBaseUrl(baseUrl);
	const message = isCancellation(code)
		? 'The execution was stopped while ConnectSafely was being asked'
		: `Could not reach ConnectSafely at ${where} (${code ?? 'no answer'})`;
	return new NodeApiError(node, { networkError: code ?? 'unknown' } as JsonObject, {
		message,
		description: `Check the Base URL in the ConnectSafely credential and the network of your n8n. ${RUN_AGAIN}`,
		itemIndex,
	});
}
