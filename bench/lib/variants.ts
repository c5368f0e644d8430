/**
 * The four ways of sending N `send` items that the benchmark compares, each run once per call:
 *
 *   a  the ConnectSafely node (the built package in dist/), Send Message
 *   b  n8n's HTTP Request node 4.4 (n8n-nodes-base from the cached app), POST /conversations/send
 *      with the same body and the same Bearer key, the way someone without this package sets it up:
 *      Authentication: Generic Credential Type → Header Auth (Authorization: Bearer <key>)
 *   bp the same HTTP Request node with Authentication: Predefined Credential Type → ConnectSafely API
 *      (possible once this package is installed; the credential applies the same header)
 *   c  MinimalSend (test/fixtures): reads recipient and message, one httpRequestWithAuthentication per
 *      item — the floor for a community node inside n8n
 *   d  a bare keep-alive node:http loop in this process: the floor of the machine
 *
 * a, b and c run as Manual Trigger → Items → Send through n8n-core's real WorkflowExecute (the test
 * harness). The Send node's execute() is wrapped to time it: the wrapper calls the real execute with
 * n8n's own ExecuteContext as `this`.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

import type {
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	ITEMS_NODE_TYPE,
	MANUAL_TRIGGER_TYPE,
	clearLogs,
	itemsNodeType,
	runWorkflow,
} from '../../test/harness';
import { MinimalSend } from '../../test/fixtures/MinimalSend.node';
import {
	HTTP_REQUEST_TYPE,
	HTTP_REQUEST_VERSION,
	httpHeaderAuthCredential,
	httpRequestV3,
} from './httpRequestNode';
import { DIST_CREDENTIAL, DIST_LEDGER, DIST_NODE } from './paths';
import type { BenchStandin } from './standin';

type StandinHandle = Pick<BenchStandin, 'url' | 'apiKey'>;

export type VariantName = 'a' | 'b' | 'bp' | 'c' | 'd';

export const VARIANTS: Record<VariantName, string> = {
	a: 'ConnectSafely node',
	b: 'HTTP Request node (Header Auth)',
	bp: 'HTTP Request node (ConnectSafely credential)',
	c: 'MinimalSend (floor in n8n)',
	d: 'bare keep-alive HTTP loop',
};

export interface RunMeasure<Name extends string = VariantName> {
	variant: Name;
	n: number;
	/** Wall time of the Send node's execute() (for d: the whole loop). */
	wallMs: number;
	/** CPU time of this process (user + system, all threads) during it. */
	cpuMs: number;
	/** Wall time of the whole workflow run (trigger, items node, engine bookkeeping), for a–c. */
	workflowMs?: number;
	/** The engine's own figure for the Send node (ITaskData.executionTime, whole ms). */
	engineMs?: number;
	outputs: number;
	/** The workflow's run data, only when asked for (memory: what an execution holds at its end). */
	kept?: unknown;
}

/** The items every variant sends: one recipient per item. */
export function prospects(n: number): Array<{ id: string }> {
	return Array.from({ length: n }, (_, index) => ({ id: `prospect-${index}` }));
}

/** The message every variant sends, as an n8n expression and as plain code (for d). */
// How the editor writes a personalised message: text with the item's field in it.
const MESSAGE_EXPRESSION = '=Hello {{ $json.id }}';
const RECIPIENT_EXPRESSION = '={{ $json.id }}';
const messageFor = (id: string) => `Hello ${id}`;

interface Loaded {
	connectSafely: INodeType;
	credential: ICredentialType;
	minimalSend: INodeType;
	httpRequest?: INodeType;
	headerAuth?: ICredentialType;
	/** The node's send ledger (delivery/sendLedger.js): it keeps every execution's entries after a run returns. */
	clearLedger: () => void;
	ledgerSize: () => number;
}

let loaded: Loaded | undefined;

/** Load the node types once (the HTTP Request node only when b is used: it takes ~0.5 s). */
export function loadNodeTypes(options: { appDir?: string }): Loaded {
	if (loaded === undefined) {
		/* eslint-disable @typescript-eslint/no-require-imports */
		const { ConnectSafely } = require(DIST_NODE) as { ConnectSafely: new () => INodeType };
		const { ConnectSafelyApi } = require(DIST_CREDENTIAL) as {
			ConnectSafelyApi: new () => ICredentialType;
		};
		const ledger = require(DIST_LEDGER) as { clearLedger?: () => void; ledgerSize?: () => number };
		/* eslint-enable @typescript-eslint/no-require-imports */
		if (ledger.clearLedger === undefined || ledger.ledgerSize === undefined) {
			// Without them, runs would start from whatever earlier runs left in the ledger.
			throw new Error(`${DIST_LEDGER} does not export clearLedger and ledgerSize`);
		}
		loaded = {
			connectSafely: new ConnectSafely(),
			credential: new ConnectSafelyApi(),
			minimalSend: new MinimalSend(),
			clearLedger: ledger.clearLedger,
			ledgerSize: ledger.ledgerSize,
		};
	}
	if (options.appDir !== undefined && loaded.httpRequest === undefined) {
		loaded.httpRequest = httpRequestV3(options.appDir);
		loaded.headerAuth = httpHeaderAuthCredential(options.appDir);
	}
	return loaded;
}

interface Timing {
	wallMs: number;
	cpuMs: number;
}

/** The same node type, its execute() timed. `this` stays n8n's ExecuteContext. */
function timed(inner: INodeType, timing: Timing): INodeType {
	const execute = inner.execute;
	if (execute === undefined) throw new Error(`${inner.description.name} has no execute()`);
	return {
		description: inner.description,
		methods: inner.methods,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const cpuBefore = process.cpuUsage();
			const start = performance.now();
			try {
				return (await execute.call(this)) as INodeExecutionData[][];
			} finally {
				timing.wallMs = performance.now() - start;
				const cpu = process.cpuUsage(cpuBefore);
				timing.cpuMs = (cpu.user + cpu.system) / 1000;
			}
		},
	};
}

export interface SendNodeSetup {
	type: string;
	nodeType: INodeType;
	typeVersion?: number;
	parameters: INodeParameters;
	/** Set when the node does not declare the credential itself (the HTTP Request node picks it). */
	credentials?: Record<string, { id: string; name: string }>;
}

/** The harness numbers credentials in the order it is given them: `cred0000000000001`, … */
const CREDENTIAL_IDS: Record<string, string> = {
	connectSafelyApi: 'cred0000000000001',
	httpHeaderAuth: 'cred0000000000002',
};

function sendNodeSetup(
	variant: Exclude<VariantName, 'd'>,
	types: Loaded,
	standin: StandinHandle,
): SendNodeSetup {
	switch (variant) {
		case 'a':
			return connectSafelySetup(types.connectSafely);
		case 'b':
		case 'bp': {
			if (types.httpRequest === undefined) throw new Error('The HTTP Request node is not loaded');
			const auth: INodeParameters =
				variant === 'b'
					? { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' }
					: { authentication: 'predefinedCredentialType', nodeCredentialType: 'connectSafelyApi' };
			const credentialType = variant === 'b' ? 'httpHeaderAuth' : 'connectSafelyApi';
			return {
				type: HTTP_REQUEST_TYPE,
				nodeType: types.httpRequest,
				typeVersion: HTTP_REQUEST_VERSION,
				parameters: {
					method: 'POST',
					url: `${standin.url}/conversations/send`,
					...auth,
					sendBody: true,
					contentType: 'json',
					specifyBody: 'keypair',
					bodyParameters: {
						parameters: [
							{ name: 'recipientProfileId', value: RECIPIENT_EXPRESSION },
							{ name: 'message', value: MESSAGE_EXPRESSION },
						],
					},
					options: {},
				},
				credentials: {
					[credentialType]: {
						id: CREDENTIAL_IDS[credentialType],
						name: `${credentialType} (bench)`,
					},
				},
			};
		}
		case 'c':
			return {
				type: 'CUSTOM.minimalSend',
				nodeType: types.minimalSend,
				parameters: { recipient: RECIPIENT_EXPRESSION, message: MESSAGE_EXPRESSION },
			};
	}
}

/**
 * (a): Message → Send with the recipient and message of every variant. `options` is the node's Options collection
 * (the guards' options, bench/lib/guardVariants.ts); `typeVersion` undefined: the newest the node type has.
 */
export function connectSafelySetup(
	nodeType: INodeType,
	options?: INodeParameters,
	typeVersion?: number,
): SendNodeSetup {
	return {
		type: 'n8n-nodes-connectsafely.connectSafely',
		nodeType,
		typeVersion,
		parameters: {
			resource: 'message',
			operation: 'send',
			recipient: { __rl: true, mode: 'id', value: RECIPIENT_EXPRESSION },
			message: MESSAGE_EXPRESSION,
			...(options === undefined ? {} : { options }),
		},
	};
}

let executionCounter = 0;

/** Run Manual Trigger → Items(n) → Send once through n8n-core; the Send node's outputs are checked. */
export async function runInN8n(
	variant: Exclude<VariantName, 'd'>,
	n: number,
	standin: StandinHandle,
	types: Loaded,
	keepResult = false,
): Promise<RunMeasure> {
	const setup = sendNodeSetup(variant, types, standin);
	return await runSetup(variant, VARIANTS[variant], setup, n, standin, types, { keepResult });
}

/**
 * The same workflow with any Send node set up: `mode` is the execution mode n8n-core runs it in ('manual' unless
 * given: as from the editor; 'trigger' or 'webhook' is a production execution).
 */
export async function runSetup<Name extends string>(
	variant: Name,
	label: string,
	setup: SendNodeSetup,
	n: number,
	standin: StandinHandle,
	types: Pick<Loaded, 'credential' | 'headerAuth'>,
	options: { keepResult?: boolean; mode?: WorkflowExecuteMode } = {},
): Promise<RunMeasure<Name>> {
	const timing: Timing = { wallMs: NaN, cpuMs: NaN };
	const start = performance.now();
	const result = await runWorkflow({
		nodeTypes: {
			[setup.type]: timed(setup.nodeType, timing),
			[ITEMS_NODE_TYPE]: itemsNodeType(prospects(n)),
		},
		nodes: [
			{ name: 'Manual Trigger', type: MANUAL_TRIGGER_TYPE },
			{ name: 'Items', type: ITEMS_NODE_TYPE },
			{
				name: 'Send',
				type: setup.type,
				typeVersion: setup.typeVersion,
				parameters: setup.parameters,
				credentials: setup.credentials,
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
		credentials: {
			connectSafelyApi: { apiKey: standin.apiKey, baseUrl: standin.url },
			...(types.headerAuth
				? { httpHeaderAuth: { name: 'Authorization', value: `Bearer ${standin.apiKey}` } }
				: {}),
		},
		credentialTypes: types.headerAuth ? [types.credential, types.headerAuth] : [types.credential],
		executionId: `bench-${process.pid}-${++executionCounter}`,
		mode: options.mode,
	});
	const workflowMs = performance.now() - start;
	clearLogs();
	const output = result.outputOf('Send');
	if (result.status !== 'success' || output.length !== n) {
		const why = result.error?.message ?? `${output.length} outputs`;
		throw new Error(`${label} with ${n} items: ${result.status} (${why})`);
	}
	const last = output[n - 1].json;
	if (last.success !== true) {
		throw new Error(`${label}: the last item did not succeed: ${JSON.stringify(last)}`);
	}
	return {
		variant,
		n,
		wallMs: timing.wallMs,
		cpuMs: timing.cpuMs,
		workflowMs,
		engineMs: result.taskOf('Send')?.executionTime,
		outputs: output.length,
		kept: options.keepResult === true ? result.run : undefined,
	};
}

/** d: POST the same bodies with the same header, one after the other, on one keep-alive socket. */
export async function runBareLoop(n: number, standin: StandinHandle): Promise<RunMeasure> {
	const url = new URL(`${standin.url}/conversations/send`);
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	const authorization = `Bearer ${standin.apiKey}`;
	const post = (body: string) =>
		new Promise<unknown>((resolve, reject) => {
			const req = request(
				{
					agent,
					host: url.hostname,
					port: url.port,
					path: url.pathname,
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(body),
						accept: 'application/json',
						authorization,
					},
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (chunk: Buffer) => chunks.push(chunk));
					res.on('end', () => {
						try {
							resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
						} catch (error) {
							reject(error as Error);
						}
					});
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	const items = prospects(n);
	const outputs: unknown[] = new Array(n);
	const cpuBefore = process.cpuUsage();
	const start = performance.now();
	for (let index = 0; index < n; index++) {
		const { id } = items[index];
		outputs[index] = await post(
			JSON.stringify({ recipientProfileId: id, message: messageFor(id) }),
		);
	}
	const wallMs = performance.now() - start;
	const cpu = process.cpuUsage(cpuBefore);
	agent.destroy();
	if ((outputs[n - 1] as { success?: boolean }).success !== true) {
		throw new Error(
			`bare loop: the last request did not succeed: ${JSON.stringify(outputs[n - 1])}`,
		);
	}
	return { variant: 'd', n, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, outputs: n };
}

export async function runVariant(
	variant: VariantName,
	n: number,
	standin: StandinHandle,
	types: Loaded,
	keepResult = false,
): Promise<RunMeasure> {
	return variant === 'd'
		? await runBareLoop(n, standin)
		: await runInN8n(variant, n, standin, types, keepResult);
}
