/**
 * Never the same message twice: whatever makes n8n run the node again within an execution — Retry On Fail
 * (also the re-run n8n makes when the first output item carries `json.error`), two inputs, a loop, an AI agent
 * repeating a tool call, a list holding the same row twice, one person written two ways — and a retried
 * execution. Every workflow here runs through n8n-core's real WorkflowExecute against the stand-in API.
 */
import type {
	EngineRequest,
	EngineResponse,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	NodeOutput,
} from 'n8n-workflow';

import { ConnectSafely } from '../../../nodes/ConnectSafely/ConnectSafely.node';
import { itemsNodeType, runWorkflow, type HarnessNode, type NodeSettings } from '../../harness';
import { byId, byUrl, NODE_TYPE, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

/** The real node, counting how often n8n ran it: proof that n8n's re-runs happened. */
let nodeRuns = 0;
class CountedConnectSafely extends ConnectSafely {
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		nodeRuns++;
		return await ConnectSafely.prototype.execute.call(this);
	}
}
beforeEach(() => {
	nodeRuns = 0;
});

const RECIPIENTS = ['ada-lovelace', 'grace-hopper', 'alan-turing', 'edsger-dijkstra'];
const rows: IDataObject[] = RECIPIENTS.map((id) => ({ id, note: `Hi ${id.split('-')[0]}` }));
const send: INodeParameters = {
	resource: 'message',
	operation: 'send',
	recipient: byId('={{ $json.id }}'),
	message: '={{ $json.note }}',
};
/** A 500 after which the message may have gone out. */
const upstreamTimeout = { status: 500, body: { success: false, error: 'Upstream timeout' } };
// n8n reads 0 as its default (1 s) and waits at most 5 s between tries.
const retryOnFail: NodeSettings = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };

function expectEachOnce(ids: string[]): void {
	for (const id of ids) expect(bed.standin.deliveredTo(id)).toHaveLength(1);
	expect(bed.standin.delivered).toHaveLength(ids.length);
}

/** The rows through the node with Retry On Fail and On Error "Continue": what the first three tests below share. */
async function sendRowsRetryingAndContinuing() {
	return await bed.run({
		parameters: send,
		items: rows,
		nodeSettings: { ...retryOnFail, onError: 'continueRegularOutput' },
	});
}

describe('Retry On Fail with On Error "Continue": n8n re-runs the node while item 0 is an error item', () => {
	test.each<[string, NodeSettings['onError']]>([
		['regular output', 'continueRegularOutput'],
		['error output', 'continueErrorOutput'],
	])(
		'a bad first row (%s): n8n re-ran the node, and every good row went out once',
		async (_, onError) => {
			const result = await bed.run({
				parameters: send,
				items: [{ id: 'not a profile id!', note: 'Hi' }, ...rows],
				nodeSettings: { ...retryOnFail, onError },
			});
			expect(result.error).toBeUndefined();
			expectEachOnce(RECIPIENTS);
			const sent = result.outputs[0].filter((item) => item.json.success === true);
			expect(sent).toHaveLength(RECIPIENTS.length);
			expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(RECIPIENTS.length);
		},
	);

	test('n8n really re-runs a node whose first item is an error item (the premise of the test above)', async () => {
		const node = new CountedConnectSafely();
		const result = await runWorkflow({
			nodeTypes: { [NODE_TYPE]: node, 'harness.items': itemsNodeType([{ id: 'x!' }, ...rows]) },
			nodes: [
				{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger' },
				{ name: 'Items', type: 'harness.items' },
				{
					name: 'ConnectSafely',
					type: NODE_TYPE,
					parameters: send,
					...retryOnFail,
					onError: 'continueRegularOutput',
				},
			],
			connections: chain('Manual Trigger', 'Items', 'ConnectSafely'),
			credentials: bed.credentials(),
		});
		expect(result.status).toBe('success');
		expect(nodeRuns).toBe(3);
		expectEachOnce(RECIPIENTS);
	});

	test('a 400 on the first row: each other row once, and the refused row is not reported as sent', async () => {
		bed.standin.injectFault({
			recipient: RECIPIENTS[0],
			times: 10,
			status: 400,
			body: { error: 'Recipient not reachable' },
		});
		const result = await sendRowsRetryingAndContinuing();
		expectEachOnce(RECIPIENTS.slice(1));
		expect(result.output[0].json.error).toMatch(/Recipient not reachable/);
		expect(result.output.slice(1).every((item) => item.json.success === true)).toBe(true);
	});

	test('a 500 on the first row: it is not sent again (it may have gone out), each other row once', async () => {
		bed.standin.injectFault({ ...upstreamTimeout, recipient: RECIPIENTS[0], times: 10 });
		const result = await sendRowsRetryingAndContinuing();
		expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(RECIPIENTS.length);
		expectEachOnce(RECIPIENTS.slice(1));
		expect(result.output[0].json.error).toMatch(/not sent again/);
		expect(result.output[0].json.description).toMatch(/may have been delivered/);
	});

	test('a 429 on the first row with the reset an hour away: no call at all after the 429, in any re-run', async () => {
		bed.standin.setQuota(undefined, { limit: 5, used: 5, resetInMs: 60 * 60 * 1000 });
		const result = await sendRowsRetryingAndContinuing();
		expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(1);
		expect(bed.standin.delivered).toHaveLength(0);
		expect(result.output).toHaveLength(RECIPIENTS.length);
		expect(result.output.every((item) => item.json.httpCode === '429')).toBe(true);
		expect(result.output[1].json.error).toMatch(
			/^Not sent: the default account reached its rate limit/,
		);
	});
});

describe('one execution reaching the node again sends nothing twice', () => {
	test('the same row twice in one list: one message, the repeat is a skipped item naming when it went out', async () => {
		const result = await bed.run({ parameters: send, items: [rows[0], rows[1], rows[0]] });
		expectEachOnce(RECIPIENTS.slice(0, 2));
		expect(result.output[2]).toEqual({
			json: expect.objectContaining({
				skipped: true,
				recipient: RECIPIENTS[0],
				sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				reason: expect.stringMatching(
					/^Not sent: the same message went to ada-lovelace at .*, earlier in this execution \(node "ConnectSafely", item 0\)$/,
				),
			}),
			pairedItem: { item: 2 },
		});
	});

	test('the same person by profile URL in one node and by public ID (other case) in the next: one message', async () => {
		const result = await runWorkflow({
			nodeTypes: {
				[NODE_TYPE]: new ConnectSafely(),
				'harness.items': itemsNodeType([{ url: 'https://www.linkedin.com/in/ada-lovelace/en/' }]),
			},
			nodes: [
				{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger' },
				{ name: 'Items', type: 'harness.items' },
				sendNode('By URL', { recipient: byUrl('={{ $json.url }}'), message: 'Hello' }),
				sendNode('By ID', { recipient: byId('Ada-Lovelace'), message: 'Hello' }),
			],
			connections: chain('Manual Trigger', 'Items', 'By URL', 'By ID'),
			credentials: bed.credentials(),
		});
		expect(bed.standin.delivered).toHaveLength(1);
		expect(result.outputOf('By ID')[0].json).toMatchObject({ skipped: true });
	});

	test('a different text to the same person is another message: both go out', async () => {
		await bed.run({ parameters: send, items: [rows[0], { ...rows[0], note: 'Another thought' }] });
		expect(bed.standin.deliveredTo(RECIPIENTS[0])).toHaveLength(2);
	});

	test('two inputs bring the same row: the node runs twice, the second run sends nothing', async () => {
		const result = await runWorkflow({
			nodeTypes: {
				[NODE_TYPE]: new CountedConnectSafely(),
				'harness.items': itemsNodeType([rows[0]]),
			},
			nodes: [
				{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger' },
				{ name: 'Sheet', type: 'harness.items' },
				{ name: 'CRM', type: 'harness.items' },
				sendNode('ConnectSafely', send),
			],
			connections: {
				'Manual Trigger': {
					main: [
						[
							{ node: 'Sheet', type: 'main', index: 0 },
							{ node: 'CRM', type: 'main', index: 0 },
						],
					],
				},
				Sheet: { main: [[{ node: 'ConnectSafely', type: 'main', index: 0 }]] },
				CRM: { main: [[{ node: 'ConnectSafely', type: 'main', index: 0 }]] },
			},
			credentials: bed.credentials(),
		});
		expect(nodeRuns).toBe(2);
		expect(bed.standin.delivered).toHaveLength(1);
		expect(result.runData.ConnectSafely[1].data?.main[0]?.[0].json).toMatchObject({
			skipped: true,
		});
	});

	test('a loop brings the same items back to the node: the second pass sends nothing', async () => {
		const result = await runWorkflow({
			nodeTypes: {
				[NODE_TYPE]: new CountedConnectSafely(),
				'harness.items': itemsNodeType(rows.slice(0, 2)),
				'harness.loopOnce': loopOnceNodeType(),
			},
			nodes: [
				{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger' },
				{ name: 'Items', type: 'harness.items' },
				sendNode('ConnectSafely', send),
				{ name: 'Loop Once', type: 'harness.loopOnce' },
			],
			connections: {
				...chain('Manual Trigger', 'Items', 'ConnectSafely', 'Loop Once'),
				'Loop Once': { main: [[{ node: 'ConnectSafely', type: 'main', index: 0 }], []] },
			},
			credentials: bed.credentials(),
		});
		expect(result.status).toBe('success');
		expect(nodeRuns).toBe(2);
		expectEachOnce(RECIPIENTS.slice(0, 2));
	});
});

describe('the node as an AI-agent tool (n8n 2.x engine requests)', () => {
	test('an agent calling the tool twice with the same arguments, in one turn and again in the next: one message', async () => {
		const call = { recipient: 'ada-lovelace', text: 'Hi Ada, shall we talk?' };
		const agent = scriptedAgent([[call, call], [call]]);
		const result = await runWorkflow({
			nodeTypes: {
				[NODE_TYPE]: new CountedConnectSafely(),
				'harness.items': itemsNodeType([{}]),
				'harness.agent': agent.type,
			},
			nodes: [
				{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger' },
				{ name: 'Items', type: 'harness.items' },
				{ name: 'Agent', type: 'harness.agent' },
				sendNode('ConnectSafely', {
					...send,
					recipient: byId('={{ $json.recipient }}'),
					message: '={{ $json.text }}',
				}),
			],
			connections: {
				...chain('Manual Trigger', 'Items', 'Agent'),
				ConnectSafely: { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
			},
			credentials: bed.credentials(),
		});
		expect(result.status).toBe('success');
		expect(nodeRuns).toBe(3);
		expect(bed.standin.deliveredTo('ada-lovelace')).toHaveLength(1);
		const answers = agent.answers.flat();
		expect(answers.filter((answer) => answer.success === true)).toHaveLength(1);
		expect(answers.filter((answer) => answer.skipped === true)).toHaveLength(2);
	});
});

describe("n8n's Retry of a failed execution", () => {
	test('sends nothing the failed execution sent or may have sent; those items say when and where they went out', async () => {
		bed.standin.injectFault({ ...upstreamTimeout, recipient: RECIPIENTS[2] });
		const failed = await bed.run({ parameters: send, items: rows, executionId: 'exec-failed' });
		expect(failed.nodeError?.message).toMatch(/500/);
		expect(bed.standin.delivered.map((m) => m.recipient)).toEqual(RECIPIENTS.slice(0, 2));

		const retried = await bed.run({
			parameters: send,
			items: rows,
			executionId: 'exec-retry',
			mode: 'retry',
		});
		expect(retried.error).toBeUndefined();
		expectEachOnce([RECIPIENTS[0], RECIPIENTS[1], RECIPIENTS[3]]);
		for (const item of retried.output.slice(0, 3)) {
			expect(item.json).toMatchObject({ skipped: true, executionId: 'exec-failed' });
			expect(item.json.reason).toMatch(/in execution exec-failed of this workflow/);
		}
		expect(retried.output[2].json.reason).toMatch(/may have gone out/);
		expect(retried.output[3].json.success).toBe(true);
	});

	test('a new manual execution may message the same test recipient again (only a retry looks back)', async () => {
		await bed.run({ parameters: send, items: rows.slice(0, 1), executionId: 'exec-1' });
		await bed.run({ parameters: send, items: rows.slice(0, 1), executionId: 'exec-2' });
		expect(bed.standin.deliveredTo(RECIPIENTS[0])).toHaveLength(2);
	});
});

describe('no wasted 429', () => {
	test('after a success that says 0 remaining, the next item of that account is not sent before the reset', async () => {
		bed.standin.setQuota(undefined, { limit: 2, used: 0, resetInMs: 60 * 60 * 1000 });
		const result = await bed.run({
			parameters: send,
			items: rows,
			nodeSettings: { onError: 'continueRegularOutput' },
		});
		expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(2);
		expect(result.output[2].json.error).toMatch(
			/^Not sent: the default account has no messages left until its reset\. It resets at /,
		);
		expect(result.output[2].json.description).toMatch(/X-RateLimit-Remaining: 0/);
	});

	test('with Max Wait for Rate Limit covering the reset, the next item waits for the reset, then goes out', async () => {
		bed.standin.setQuota(undefined, { limit: 1, used: 0, resetInMs: 1500 });
		const started = Date.now();
		const result = await bed.run({
			parameters: { ...send, options: { maxWaitForRateLimit: 10 } },
			items: rows.slice(0, 2),
		});
		expect(result.error).toBeUndefined();
		expectEachOnce(RECIPIENTS.slice(0, 2));
		expect(bed.standin.requestsTo('/conversations/send')).toHaveLength(2);
		const [first, second] = bed.standin.requestsTo('/conversations/send');
		expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(1000);
		expect(Date.parse(second.at)).toBeGreaterThanOrEqual(started + 1000);
	});
});

// ——— workflow pieces ———

function sendNode(
	name: string,
	parameters: INodeParameters,
	settings: NodeSettings = {},
): HarnessNode {
	return { name, type: NODE_TYPE, parameters: { ...send, ...parameters }, ...settings };
}

function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/** Output 0 (back to the node) on its first run, output 1 (done) on its second: a loop of two passes. */
function loopOnceNodeType(): INodeType {
	let runs = 0;
	return {
		description: {
			displayName: 'Loop Once',
			name: 'loopOnce',
			group: ['transform'],
			version: 1,
			description: 'Sends its items back once',
			defaults: { name: 'Loop Once' },
			inputs: ['main'],
			outputs: ['main', 'main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			runs++;
			const items = this.getInputData().map((_, index) => ({
				json: { ...rows[index] },
				pairedItem: { item: index },
			}));
			return runs === 1 ? [items, []] : [[], items];
		},
	};
}

/**
 * An agent node as n8n 2.x runs one: it answers with an engine request for tool calls, and n8n-core runs the
 * tool node once per call (a new run of that node each time) and calls the agent back with the results.
 */
function scriptedAgent(turns: IDataObject[][]) {
	const answers: IDataObject[][] = [];
	const type: INodeType = {
		description: {
			displayName: 'Scripted Agent',
			name: 'scriptedAgent',
			group: ['transform'],
			version: 1,
			description: 'Calls its tools as scripted',
			defaults: { name: 'Agent' },
			inputs: ['main', 'ai_tool'],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions, response?: EngineResponse): Promise<NodeOutput> {
			const turn = (response?.metadata as { turn?: number } | undefined)?.turn ?? -1;
			if (response) {
				answers.push(
					response.actionResponses.map((answer) => {
						const out = answer.data.data?.ai_tool?.[0]?.[0]?.json;
						return out ?? {};
					}),
				);
			}
			const next = turn + 1;
			if (next < turns.length) {
				const request: EngineRequest<{ turn: number; itemIndex: number }> = {
					actions: turns[next].map((input, index) => ({
						actionType: 'ExecutionNodeAction',
						nodeName: 'ConnectSafely',
						input,
						type: 'ai_tool',
						id: `call-${next}-${index}`,
						metadata: { turn: next, itemIndex: 0 },
					})),
					metadata: { turn: next, itemIndex: 0 },
				};
				return request;
			}
			return [[{ json: { answers } }]];
		},
	};
	return { type, answers };
}
