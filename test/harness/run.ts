/**
 * Runs real workflows through n8n-core's WorkflowExecute: the real ExecuteContext (`this` of a
 * node), the real expression engine, real `httpRequestWithAuthentication` → axios, and n8n's own
 * Retry On Fail / Continue On Fail handling. Nothing here imitates a node context.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { createDeferredPromise, createRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	ExecutionBaseError,
	IBinaryKeyData,
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunData,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { harnessAdditionalData } from './additional-data';
import { HarnessCredentialsHelper, packageCredentialTypes } from './credentials';
import type { CredentialsByType } from './credentials';
import { installLogCapture, logMark, logsSince } from './logs';
import type { CapturedLog } from './logs';
import {
	HarnessNodeTypes,
	ITEMS_NODE_TYPE,
	ManualTrigger,
	MANUAL_TRIGGER_TYPE,
	itemsNodeType,
} from './nodes';
import { registerHarnessTeardown } from './teardown';

installLogCapture();
registerHarnessTeardown();

/** A workflow node as tests write it: id, position and typeVersion are filled in. */
export type HarnessNode = Omit<INode, 'id' | 'position' | 'typeVersion' | 'parameters'> & {
	id?: string;
	position?: [number, number];
	typeVersion?: number;
	parameters?: INode['parameters'];
};

/** Node settings of the editor's Settings tab. */
export type NodeSettings = Pick<
	INode,
	| 'retryOnFail'
	| 'maxTries'
	| 'waitBetweenTries'
	| 'onError'
	| 'continueOnFail'
	| 'alwaysOutputData'
	| 'executeOnce'
	| 'disabled'
>;

export interface RunWorkflowOptions {
	/** Node types by type name. The manual trigger is added for you. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	nodes: HarnessNode[];
	connections: IConnections;
	/** Credential data by credential type name, e.g. `{ connectSafelyApi: { apiKey, baseUrl } }`. */
	credentials?: CredentialsByType;
	/** Credential type classes (their `authenticate` is applied). Default: the package's credential. */
	credentialTypes?: ICredentialType[];
	settings?: IWorkflowSettings;
	executionId?: string;
	/** 'manual' (default: the start node's trigger() runs) or e.g. 'trigger' / 'webhook'. */
	mode?: WorkflowExecuteMode;
	/** Aborting this stops the execution, like the Stop button. */
	signal?: AbortSignal;
	/** Execution timeout (workflow setting "Timeout Workflow"), as an absolute ms timestamp. */
	executionTimeoutTimestamp?: number;
}

export interface WorkflowRunResult {
	run: IRun;
	status: ExecutionStatus;
	runData: IRunData;
	/** Items of a node's output (default output 0, last run). [] if it produced none. */
	outputOf(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The task data of a node's last run. */
	taskOf(nodeName: string): ITaskData | undefined;
	/** The execution's error (the failing node's error when it stopped the workflow). */
	error?: ExecutionBaseError;
	/** What was logged through LoggerProxy / this.logger during this run. */
	logs: CapturedLog[];
	/** All captured log text joined, to search for secrets. */
	logText: string;
	/** Node names in the order they finished. */
	executionOrder: string[];
	/** Credential reads per type (getDecrypted calls). */
	credentialReads: Map<string, number>;
}

export interface RunningWorkflow {
	/** Stop the execution (what the Stop button does: the cancel signal fires). */
	cancel(): void;
	result: Promise<WorkflowRunResult>;
}

function latestVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function completeNodes(
	nodes: HarnessNode[],
	nodeTypes: Record<string, INodeType | IVersionedNodeType>,
	credentialIds: Record<string, string>,
): INode[] {
	return nodes.map((node, index) => {
		const type = nodeTypes[node.type];
		const complete: INode = {
			...node,
			id: node.id ?? `node-${index}`,
			position: node.position ?? [index * 200, 0],
			typeVersion: node.typeVersion ?? (type ? latestVersion(type) : 1),
			parameters: structuredClone(node.parameters ?? {}),
		};
		// Attach a credential for every credential type the node declares and the test supplies.
		if (complete.credentials === undefined && type !== undefined) {
			const description =
				'nodeVersions' in type
					? type.nodeVersions[complete.typeVersion].description
					: type.description;
			for (const { name } of description.credentials ?? []) {
				if (credentialIds[name] !== undefined) {
					complete.credentials ??= {};
					complete.credentials[name] = { id: credentialIds[name], name: `${name} (harness)` };
				}
			}
		}
		return complete;
	});
}

let executionCounter = 0;

/** Start a workflow; returns at once with a handle to cancel it and the result promise. */
export function startWorkflow(options: RunWorkflowOptions): RunningWorkflow {
	const executionId = options.executionId ?? `harness-${++executionCounter}`;
	const mode = options.mode ?? 'manual';
	const nodeTypes: Record<string, INodeType | IVersionedNodeType> = {
		[MANUAL_TRIGGER_TYPE]: new ManualTrigger(),
		...options.nodeTypes,
	};
	const credentialData = options.credentials ?? {};
	const credentialIds = Object.fromEntries(
		Object.keys(credentialData).map((type, index) => [
			type,
			`cred${String(index + 1).padStart(13, '0')}`,
		]),
	);
	const credentialTypes =
		options.credentialTypes ??
		(Object.keys(credentialData).length > 0 ? packageCredentialTypes() : []);
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, credentialData);
	const nodes = completeNodes(options.nodes, nodeTypes, credentialIds);
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...(options.settings ?? {}) };

	const workflow = new Workflow({
		id: 'harness-workflow',
		name: 'Harness workflow',
		nodes,
		connections: options.connections,
		active: false,
		nodeTypes: new HarnessNodeTypes(nodeTypes),
		settings,
	});
	const startNode = workflow.getStartNode();
	if (startNode === undefined) {
		throw new Error(`The workflow needs a start node of type ${MANUAL_TRIGGER_TYPE}`);
	}

	const now = new Date();
	const workflowData: IWorkflowBase = {
		id: workflow.id,
		name: workflow.name ?? 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		nodes,
		connections: options.connections,
		settings,
	};
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const executionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executionOrder.push(nodeName);
	});
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));

	const mark = logMark();
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const workflowExecute = new WorkflowExecute(
		harnessAdditionalData(credentialsHelper, {
			hooks,
			executionId,
			executionTimeoutTimestamp: options.executionTimeoutTimestamp,
		}),
		mode,
		runExecutionData,
	);
	const execution = workflowExecute.processRunExecutionData(workflow);
	const cancel = () => execution.cancel();
	options.signal?.addEventListener('abort', cancel, { once: true });
	// With shouldReject=false a cancelled run never settles `execution`; the hook always fires.
	execution.catch((error: unknown) => finished.reject(error as Error));

	const result = finished.promise.then((run): WorkflowRunResult => {
		options.signal?.removeEventListener('abort', cancel);
		const runData = run.data.resultData.runData;
		const taskOf = (nodeName: string) => runData[nodeName]?.at(-1);
		const logs = logsSince(mark);
		return {
			run,
			status: run.status,
			runData,
			taskOf,
			outputOf: (nodeName, outputIndex = 0) => taskOf(nodeName)?.data?.main?.[outputIndex] ?? [],
			error: run.data.resultData.error,
			logs,
			logText: logs.map((log) => log.text).join('\n'),
			executionOrder,
			credentialReads: credentialsHelper.reads,
		};
	});
	return { cancel, result };
}

/** Run a workflow to its end. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	return await startWorkflow(options).result;
}

export interface RunNodeOptions {
	/** The node type under test (an instance of its class). */
	node: INodeType | IVersionedNodeType;
	/** Its type name in the workflow (default `CUSTOM.<description.name>`). */
	type?: string;
	/** Its name in the workflow (default: the description's default name or display name). */
	name?: string;
	typeVersion?: number;
	parameters?: INode['parameters'];
	/** The items the node receives, from an upstream node (so `{{ $json.x }}` works). */
	items?: IDataObject[];
	/** Binary fields every item carries (see binaryFile). */
	binary?: IBinaryKeyData;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	credentialTypes?: ICredentialType[];
	nodeSettings?: NodeSettings;
	settings?: IWorkflowSettings;
	mode?: WorkflowExecuteMode;
	signal?: AbortSignal;
	executionTimeoutTimestamp?: number;
	executionId?: string;
}

export interface NodeRunResult extends WorkflowRunResult {
	/** The name of the node under test in the workflow. */
	nodeName: string;
	/** Its main output 0 (shortcut for outputOf(nodeName)). */
	output: INodeExecutionData[];
	/** Every output of its last run (e.g. [success, error] with onError 'continueErrorOutput'). */
	outputs: INodeExecutionData[][];
	/** The error the node threw, if it failed (also in `error` when it stopped the workflow). */
	nodeError?: ExecutionBaseError;
}

/** Build Manual Trigger → Items → node under test. */
function nodeWorkflow(options: RunNodeOptions): RunWorkflowOptions & { nodeName: string } {
	const base =
		'nodeVersions' in options.node
			? options.node.getNodeType(options.typeVersion).description
			: options.node.description;
	const type = options.type ?? `CUSTOM.${base.name}`;
	const nodeName = options.name ?? base.defaults?.name ?? base.displayName;
	const items = options.items ?? [{}];
	return {
		nodeName,
		nodeTypes: { [type]: options.node, [ITEMS_NODE_TYPE]: itemsNodeType(items, options.binary) },
		nodes: [
			{ name: 'Manual Trigger', type: MANUAL_TRIGGER_TYPE },
			{ name: 'Items', type: ITEMS_NODE_TYPE },
			{
				name: nodeName,
				type,
				typeVersion: options.typeVersion,
				parameters: options.parameters ?? {},
				...(options.nodeSettings ?? {}),
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: nodeName, type: 'main', index: 0 }]] },
		},
		credentials: options.credentials,
		credentialTypes: options.credentialTypes,
		settings: options.settings,
		mode: options.mode,
		signal: options.signal,
		executionTimeoutTimestamp: options.executionTimeoutTimestamp,
		executionId: options.executionId,
	};
}

function toNodeResult(result: WorkflowRunResult, nodeName: string): NodeRunResult {
	const task = result.taskOf(nodeName);
	return {
		...result,
		nodeName,
		output: result.outputOf(nodeName),
		outputs: task?.data?.main?.map((items) => items ?? []) ?? [],
		nodeError: task?.error,
	};
}

/** Start one node fed with items; cancel() stops it. */
export function startNode(options: RunNodeOptions): {
	cancel(): void;
	result: Promise<NodeRunResult>;
} {
	const { nodeName, ...workflow } = nodeWorkflow(options);
	const running = startWorkflow(workflow);
	return {
		cancel: running.cancel,
		result: running.result.then((result) => toNodeResult(result, nodeName)),
	};
}

/** Run one node fed with items, through a real workflow: Manual Trigger → Items → node. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	return await startNode(options).result;
}
