/**
 * Delivers webhooks to the ConnectSafely Trigger over real HTTP, the way the n8n app does: the node's `this`
 * is n8n-core's own WebhookContext and its `getWorkflowStaticData` is n8n-workflow's Workflow. What the app
 * itself does around a node's webhook() is replayed here from n8n 2.8.4's `LiveWebhooks` and
 * `webhook-helpers` (the e2e suite runs the real app):
 *
 * - the raw body is read and kept as `rawBody`; a body sent as `application/json` that does not parse is
 *   answered 422 by n8n before the node sees it;
 * - the workflow and its static data are loaded per request, and the static data saved back whole after
 *   webhook() if it changed (`database`, a JSON string, plays n8n's workflow table);
 * - `noWebhookResponse`: the node answered; no `workflowData`: 200 with `webhookResponse`; otherwise an
 *   execution starts (recorded in `executions`) and the answer is 200 with the webhook's response data as the
 *   body: n8n reads a missing `responseData` as 'firstEntryJson' and, in response mode onReceived, sends that
 *   string as it is (text/html); "Workflow was started" only when the response data is empty;
 * - a webhook() that throws gets a 500, and n8n records an execution with the error: `executions` too.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebhookContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWebhookResponseData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { ConnectSafelyWebhookApi } from '../../credentials/ConnectSafelyWebhookApi.credentials';
import { ConnectSafelyTrigger } from '../../nodes/ConnectSafelyTrigger/ConnectSafelyTrigger.node';
import { harnessAdditionalData } from '../harness/additional-data';
import { HarnessCredentialsHelper } from '../harness/credentials';
import { installLogCapture } from '../harness/logs';
import { HarnessNodeTypes } from '../harness/nodes';
import { registerHarnessTeardown } from '../harness/teardown';

installLogCapture();
registerHarnessTeardown();

export const TRIGGER_TYPE = 'CUSTOM.connectSafelyTrigger';
export const TRIGGER_NAME = 'ConnectSafely Trigger';

export interface StartedExecution {
	items: INodeExecutionData[];
	/** Set when webhook() threw: n8n records an execution that failed. */
	error?: Error;
}

export interface Delivery {
	status: number;
	text: string;
	json?: IDataObject;
}

export interface TriggerHarnessOptions {
	/** The node's parameters (e.g. `{ options: { accountIds: '…' } }`). */
	parameters?: INodeParameters;
	/** The credential's signing secret; `undefined` leaves the node without a credential. */
	signingSecret?: string;
	/** `webhook` (the Production URL of a published workflow, default) or `manual` (Listen for test event). */
	mode?: WorkflowExecuteMode;
	/** Another n8n process on the same database: share the database object of a first harness. */
	database?: { staticData: string };
	/** A node type instance, e.g. one loaded in a fresh module registry (a restarted process). */
	nodeType?: INodeType;
	workflowId?: string;
	/** Awaited after the workflow (and its static data) is loaded, before webhook() runs. */
	afterLoad?: () => Promise<void>;
	/**
	 * Awaited after webhook() answered, before the static data is saved: n8n saves it only after it has queued
	 * the execution, so on a busy server calls may save in another order than they ran.
	 */
	beforeSave?: (messageUrn: string | undefined) => Promise<void>;
}

let workflowCounter = 0;

async function readRaw(request: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export class TriggerHarness {
	readonly executions: StartedExecution[] = [];

	readonly database: { staticData: string };

	readonly workflowId: string;

	private readonly nodeType: INodeType;

	private constructor(
		private readonly server: Server,
		readonly url: string,
		private readonly options: TriggerHarnessOptions,
	) {
		this.database = options.database ?? { staticData: '{}' };
		this.workflowId = options.workflowId ?? `triggerWf${++workflowCounter}`;
		this.nodeType = options.nodeType ?? new ConnectSafelyTrigger();
	}

	static async start(options: TriggerHarnessOptions = {}): Promise<TriggerHarness> {
		let harness: TriggerHarness | undefined;
		const server = createServer((request, response) => {
			void harness!.handle(request, response).catch((error: Error) => {
				response.writeHead(500);
				response.end(String(error.message));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		harness = new TriggerHarness(server, `http://127.0.0.1:${port}/webhook`, options);
		return harness;
	}

	/** The static data n8n has saved for the trigger node. */
	get savedStaticData(): IDataObject {
		return JSON.parse(this.database.staticData) as IDataObject;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** POSTs bytes as given, with the headers given (content-type application/json unless set). */
	async post(body: string | Buffer, headers: Record<string, string> = {}): Promise<Delivery> {
		const response = await fetch(this.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body,
		});
		const text = await response.text();
		let json: IDataObject | undefined;
		try {
			json = JSON.parse(text) as IDataObject;
		} catch {
			json = undefined;
		}
		return { status: response.status, text, json };
	}

	/** POSTs an event signed the way ConnectSafely signs it. */
	async deliver(event: unknown, secret: string): Promise<Delivery> {
		const body = typeof event === 'string' ? event : JSON.stringify(event);
		return await this.post(body, { 'x-webhook-signature': sign(body, secret) });
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const rawBody = await readRaw(request);
		const contentType = request.headers['content-type']?.split(';')[0].trim();
		let body: unknown = {};
		if (rawBody.length > 0 && contentType === 'application/json') {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch (error) {
				response.writeHead(422, { 'content-type': 'application/json' });
				response.end(
					JSON.stringify({
						code: 422,
						message: 'Failed to parse request body',
						hint: String(error),
					}),
				);
				return;
			}
		}
		Object.assign(request, { rawBody, body, params: {}, query: {} });

		const nodeTypes = new HarnessNodeTypes({ [TRIGGER_TYPE]: this.nodeType });
		const node: INode = {
			id: 'trigger-node-1',
			name: TRIGGER_NAME,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: '6f1c5e4e-0000-4000-8000-000000000001',
			parameters: structuredClone(this.options.parameters ?? {}),
			...(this.options.signingSecret === undefined
				? {}
				: {
						credentials: {
							connectSafelyWebhookApi: { id: 'webhookCred0001', name: 'ConnectSafely Webhook API' },
						},
					}),
		};
		const workflow = new Workflow({
			id: this.workflowId,
			name: 'Trigger harness',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: JSON.parse(this.database.staticData) as IDataObject,
		});
		const credentialsHelper = new HarnessCredentialsHelper(
			[new ConnectSafelyWebhookApi()],
			this.options.signingSecret === undefined
				? {}
				: { connectSafelyWebhookApi: { signingSecret: this.options.signingSecret } },
		);
		const additionalData = harnessAdditionalData(credentialsHelper);
		additionalData.httpRequest = request as unknown as typeof additionalData.httpRequest;
		additionalData.httpResponse = response as unknown as typeof additionalData.httpResponse;
		const description = this.nodeType.description.webhooks![0];
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: node.name,
			path: `${node.webhookId}/${description.path}`,
			webhookDescription: description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: node.webhookId,
			isTest: this.options.mode === 'manual',
		};
		const mode = this.options.mode ?? 'webhook';
		const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
		await this.options.afterLoad?.();

		let result: IWebhookResponseData;
		try {
			result = await this.nodeType.webhook!.call(context);
		} catch (error) {
			this.executions.push({ items: [{ json: {} }], error: error as Error });
			response.writeHead(500, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ message: 'Error in workflow' }));
			return;
		}
		const data = (request as unknown as { body?: { data?: IDataObject } }).body?.data;
		await this.options.beforeSave?.(data?.message_urn as string | undefined);
		this.saveStaticData(workflow);

		if (result.noWebhookResponse === true) {
			if (!response.headersSent) throw new Error('noWebhookResponse, but the node sent nothing');
			return;
		}
		if (result.workflowData === undefined) {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify(result.webhookResponse ?? { message: 'Webhook call received' }));
			return;
		}
		this.executions.push({ items: result.workflowData[0] });
		// n8n 2.8.4's webhook-helpers (getComplexParameterValue(…, 'firstEntryJson')) and
		// extractWebhookOnReceivedResponse: the response data wins over webhookResponse and the default message.
		const responseData = this.nodeType.description.webhooks?.[0]?.responseData ?? 'firstEntryJson';
		if (responseData === 'noData') {
			response.writeHead(200);
			response.end();
		} else if (responseData !== '') {
			response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			response.end(responseData);
		} else {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify(result.webhookResponse ?? { message: 'Workflow was started' }));
		}
	}

	/** As n8n's WorkflowStaticDataService.saveStaticData: the whole object, when it changed. */
	private saveStaticData(workflow: Workflow): void {
		if (workflow.staticData.__dataChanged !== true) return;
		const { __dataChanged, ...data } = JSON.parse(
			JSON.stringify(workflow.staticData),
		) as IDataObject;
		void __dataChanged;
		this.database.staticData = JSON.stringify(data);
	}
}

export function sign(body: string | Buffer, secret: string): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A `message.received` event shaped like ConnectSafely's events page. */
export function messageEvent(overrides: IDataObject = {}, sender: IDataObject = {}): IDataObject {
	const id = (overrides.message_urn as string | undefined) ?? 'urn:li:messagingMessage:2-AbC123==';
	return {
		event: 'message.received',
		object: 'event',
		data: {
			id,
			message_urn: id,
			account_id: '696ce9e780e0483585e4e553',
			provider: 'LINKEDIN',
			sender: {
				id: 'urn:li:fsd_profile:ACoAABcdEf123',
				name: 'Jane Doe',
				profile_url: null,
				profile_picture: 'https://media.licdn.com/dms/image/jane.jpg',
				...sender,
			},
			body: 'Thanks for reaching out! Can we talk on Thursday?',
			timestamp: '2026-05-12T14:33:21.000Z',
			conversation_id: 'urn:li:messagingThread:2-ThReAd456==',
			attachments: [],
			...overrides,
		},
	};
}
