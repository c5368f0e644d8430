/**
 * The IWorkflowExecuteAdditionalData an n8n app would pass to WorkflowExecute, reduced to what a
 * single-process test needs. Features a test cannot use (sub-workflows, the Code node's task
 * runner) fail loudly instead of pretending.
 */
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentials';

export interface AdditionalDataOptions {
	hooks?: ExecutionLifecycleHooks;
	executionId?: string;
	executionTimeoutTimestamp?: number;
}

export function harnessAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	options: AdditionalDataOptions = {},
): IWorkflowExecuteAdditionalData {
	const notAvailable = (what: string) => async (): Promise<never> => {
		throw new Error(`${what} is not available in the harness`);
	};
	return {
		credentialsHelper,
		hooks: options.hooks,
		executionId: options.executionId,
		currentNodeExecutionIndex: 0,
		executeWorkflow: notAvailable('Executing sub-workflows'),
		getRunExecutionData: async () => undefined,
		startRunnerTask: notAvailable('The task runner (Code node)'),
		logAiEvent: () => {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		executionTimeoutTimestamp: options.executionTimeoutTimestamp,
		// Declared by n8n-core on the interface; only nodes that read external secrets touch it.
		externalSecretsProxy:
			undefined as unknown as IWorkflowExecuteAdditionalData['externalSecretsProxy'],
	};
}
