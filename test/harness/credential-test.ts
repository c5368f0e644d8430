/**
 * Runs a credential's `test` request the way the n8n app's "Test" button does: a throwaway
 * declarative node whose only routing is the test request, executed by n8n-core's RoutingNode in a
 * real ExecuteContext, so the request goes through n8n-core's HTTP path with the credential applied.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeType,
} from 'n8n-workflow';

import { harnessAdditionalData } from './additional-data';
import { HarnessCredentialsHelper, withDefaults } from './credentials';
import { installLogCapture } from './logs';
import { HarnessNodeTypes } from './nodes';
import { registerHarnessTeardown } from './teardown';

installLogCapture();
registerHarnessTeardown();

export interface CredentialTestOutcome extends INodeCredentialTestResult {
	/** HTTP status of the test request's answer, when there was one. */
	httpCode?: number;
	/** The answer's body on success. */
	body?: IDataObject;
}

interface ErrorWithCause {
	message?: string;
	httpCode?: string | null;
	cause?: { response?: { status?: number; statusText?: string }; code?: string };
}

/** Test `data` with the credential type's `test` request; never throws for a failed test. */
export async function testCredential(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestOutcome> {
	const testRequest = credentialType.test;
	if (testRequest === undefined) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}
	const credentialsHelper = new HarnessCredentialsHelper([credentialType], {
		[credentialType.name]: data,
	});
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: 'Runs a credential test request',
			defaults: { name: 'Credential Test' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType.name, required: true }],
			requestDefaults: {},
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'credential-test',
		name: 'Credential Test',
		type: 'harness.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: 'credential-under-test', name: 'Under test' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes({ [node.type]: nodeType }),
	});
	const context = new ExecuteContext(
		workflow,
		node,
		harnessAdditionalData(credentialsHelper),
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: 'credential-under-test',
		name: 'Under test',
		type: credentialType.name,
		data: withDefaults(credentialType, data),
	});

	let body: IDataObject | undefined;
	try {
		const response = await routingNode.runNode();
		body = response?.[0]?.[0]?.json;
	} catch (caught) {
		const error = caught as ErrorWithCause;
		const status = error.cause?.response?.status ?? (Number(error.httpCode) || undefined);
		if (status !== undefined) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return { status: 'Error', message: rule.properties.message, httpCode: status };
				}
			}
			return {
				status: 'Error',
				message: error.cause?.response?.statusText || `Received HTTP status code: ${status}`,
				httpCode: status,
			};
		}
		return { status: 'Error', message: error.cause?.code ?? String(error.message) };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && body !== undefined) {
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>((at, key) => (at as IDataObject | undefined)?.[key], body);
			if (value === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message, httpCode: 200, body };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!', httpCode: 200, body };
}

/** Which credential properties the credential form shows for `data`. */
export function visibleCredentialProperties(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): string[] {
	const values = withDefaults(credentialType, data);
	return credentialType.properties
		.filter((property) => NodeHelpers.displayParameter(values, property, null, null, values))
		.map((property) => property.name);
}
