/**
 * n8n's own HTTP Request node, loaded from n8n-nodes-base in the cached n8n app.
 *
 * In the app there is one n8n-workflow: n8n-core and n8n-nodes-base share it. Here n8n-core (the
 * project's devDependency, 2.8.1 like the app's) has its own copy, so n8n-nodes-base's
 * `require('n8n-workflow')` is pointed at that same copy. Both are 2.8.0; sharing it keeps
 * `instanceof NodeApiError` and the expression engine one and the same, as in the app.
 */
import Module from 'node:module';

import type { ICredentialType, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { appModule, httpRequestNodeFile, PROJECT_N8N_WORKFLOW } from './paths';

/** The type name n8n-core grants full credential access to (any credential type, picked in the node). */
export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
/** The version a new HTTP Request node gets in n8n 2.8 (served by HttpRequestV3). */
export const HTTP_REQUEST_VERSION = 4.4;

const SHARED = new Set(['n8n-workflow']);

type ResolveFilename = (
	request: string,
	parent: NodeModule | undefined,
	...rest: unknown[]
) => string;

let hooked = false;

/** Make every module under `appDir` resolve n8n-workflow to the project's copy. */
export function shareN8nWorkflowWith(appDir: string): void {
	if (hooked) return;
	hooked = true;
	const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };
	const original = moduleInternals._resolveFilename;
	const projectWorkflow = require.resolve(PROJECT_N8N_WORKFLOW);
	moduleInternals._resolveFilename = function (request, parent, ...rest) {
		if (SHARED.has(request) && parent?.filename?.startsWith(appDir)) return projectWorkflow;
		return original.call(this, request, parent, ...rest);
	};
}

/** The HTTP Request node type (versioned), sharing the project's n8n-workflow. */
export function loadHttpRequestNode(appDir: string): IVersionedNodeType {
	shareN8nWorkflowWith(appDir);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { HttpRequest } = require(httpRequestNodeFile(appDir)) as {
		HttpRequest: new () => IVersionedNodeType;
	};
	return new HttpRequest();
}

/** Its V3 implementation, as n8n-core runs a 4.4 node. */
export function httpRequestV3(appDir: string): INodeType {
	return loadHttpRequestNode(appDir).getNodeType(HTTP_REQUEST_VERSION);
}

/** n8n-nodes-base's Header Auth credential (generic: one header, applied by the app's helper). */
export function httpHeaderAuthCredential(appDir: string): ICredentialType {
	shareN8nWorkflowWith(appDir);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { HttpHeaderAuth } = require(
		appModule(appDir, 'n8n-nodes-base/dist/credentials/HttpHeaderAuth.credentials.js'),
	) as { HttpHeaderAuth: new () => ICredentialType };
	return new HttpHeaderAuth();
}
