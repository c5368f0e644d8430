/**
 * The n8n-core test harness: real workflows through n8n-core's WorkflowExecute.
 *
 *   import { runNode, runWorkflow, testCredential, visibleParameters } from '../harness';
 */
export { runNode, runWorkflow, startNode, startWorkflow } from './run';
export type {
	HarnessNode,
	NodeRunResult,
	NodeSettings,
	RunNodeOptions,
	RunWorkflowOptions,
	RunningWorkflow,
	WorkflowRunResult,
} from './run';
export { testCredential, visibleCredentialProperties } from './credential-test';
export type { CredentialTestOutcome } from './credential-test';
export {
	parametersWithDefaults,
	visibleOptionsOf,
	visibleParameters,
	visibleProperties,
} from './display';
export { HarnessCredentialsHelper, packageCredentialTypes, withDefaults } from './credentials';
export type { CredentialsByType } from './credentials';
export { allLogs, clearLogs, installLogCapture, logMark, logsSince } from './logs';
export type { CapturedLevel, CapturedLog } from './logs';
export {
	HarnessNodeTypes,
	ITEMS_NODE_TYPE,
	MANUAL_TRIGGER_TYPE,
	ManualTrigger,
	itemsNodeType,
	binaryFile,
} from './nodes';
export { registerHarnessTeardown, shutdownN8nCore } from './teardown';
export { installMemoryDeduplication, MemoryDeduplicator } from './deduplication';
