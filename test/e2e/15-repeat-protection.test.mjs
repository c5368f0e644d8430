// @ts-check
// Repeat Protection in the real n8n app (node version 1.1, on by default): a published Webhook → ConnectSafely
// workflow with the node's defaults gets the same call twice — at once, 300 ms apart, 5 s apart, and once more after
// n8n restarted — and the person gets one message each time. Two different texts are two messages; a manual run
// from the editor ("Listen for test event") sends the same message again; every execution succeeds.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';

import { waitUntil } from './lib/processes.mjs';
import { NODE_TYPE, Suite } from './lib/suite.mjs';

const OWNER = { email: 'owner@example.com', password: 'E2e-passw0rd' };
const PATH = 'connectsafely-repeat-e2e';
const PERSON = 'jane-doe';
const WORKFLOW_ID = 'csRepeatProtect1';

/** What the editor saves for Webhook → a new ConnectSafely node left at its defaults (version 1.1). */
const workflow = {
	id: WORKFLOW_ID,
	name: 'Repeat Protection: a CRM posts a signup',
	active: false,
	nodes: [
		{
			id: '7b1d2e3f-0000-4000-8000-000000001501',
			name: 'Signup posted',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [0, 0],
			webhookId: '7b1d2e3f-0000-4000-8000-00000000e215',
			parameters: { httpMethod: 'POST', path: PATH, responseMode: 'onReceived', options: {} },
		},
		{
			id: '7b1d2e3f-0000-4000-8000-000000001502',
			name: 'Send',
			type: NODE_TYPE,
			typeVersion: 1.1,
			position: [220, 0],
			credentials: { connectSafelyApi: { id: 'connectSafely001', name: 'ConnectSafely account' } },
			parameters: {
				resource: 'message',
				operation: 'send',
				account: { __rl: true, mode: 'list', value: '' },
				recipient: { __rl: true, mode: 'id', value: '={{ $json.body.id }}' },
				message: '={{ $json.body.text }}',
				options: {},
			},
		},
	],
	connections: { 'Signup posted': { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

describe('Repeat Protection in real n8n: the same webhook call twice sends one message', () => {
	/** @type {Suite} */
	let suite;
	/** @type {import('./lib/n8n.mjs').Editor} */
	let editor;
	let finishedSoFar = 0;

	before(async () => {
		suite = await Suite.start({ name: 'repeat-protection' });
		const [id] = await suite.n8n.importWorkflows(workflow);
		await suite.n8n.publishWorkflow(id);
		editor = await suite.n8n.startEditor();
		await editor.signIn(OWNER);
	});
	after(async () => {
		await editor?.stop();
		await suite?.dispose();
	});

	/**
	 * One call as a CRM makes it: its own connection (fetch would reuse a kept-alive socket that n8n may be closing
	 * at that moment, and fail the call before n8n saw it).
	 * @param {string} text
	 * @param {string} [path]
	 */
	async function post(text, path = `/webhook/${PATH}`) {
		const body = JSON.stringify({ id: PERSON, text });
		/** @type {{ status: number, text: string }} */
		const answer = await new Promise((resolve, reject) => {
			const request = httpRequest(
				`${editor.url}${path}`,
				{ method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
				(response) => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', (chunk) => (text += chunk));
					response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
				},
			);
			request.on('error', reject);
			request.end(body);
		});
		assert.equal(answer.status, 200, answer.text);
	}

	/** The workflow's executions, newest first (all of them: more than n8n's default page). */
	async function executions() {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
		/** @type {{ data: { results: Array<{ id: string, mode: string, status: string }> } }} */
		const { data } = await editor.get(`/rest/executions?filter=${filter}&limit=100`);
		return data.results;
	}

	/** The workflow's executions once `more` further ones have finished; every one must have succeeded. */
	async function settle(more = 2) {
		finishedSoFar += more;
		/** @type {Array<{ id: string, mode: string, status: string }>} */
		let listed = [];
		await waitUntil(
			async () =>
				(listed = (await executions()).filter(
					(execution) => !['running', 'new', 'waiting'].includes(execution.status),
				)).length >= finishedSoFar,
			{ timeoutMs: 90_000, intervalMs: 500, what: `${finishedSoFar} finished execution(s)` },
		);
		assert.equal(listed.length, finishedSoFar, JSON.stringify(listed));
		assert.deepEqual(
			listed.filter((execution) => execution.status !== 'success'),
			[],
			'every execution succeeds',
		);
		return listed;
	}

	/** @param {string} text */
	async function deliveredWith(text) {
		return (await suite.api.delivered()).filter(
			(message) => message.recipient === PERSON && message.message === text,
		).length;
	}

	/** @param {string} executionId */
	async function outputOf(executionId) {
		return JSON.stringify((await editor.get(`/rest/executions/${executionId}`)).data);
	}

	it('a new ConnectSafely node is version 1.1', async () => {
		const types = await editor.nodeTypes();
		const node = types.find((type) => type.name === NODE_TYPE);
		assert.ok(node, 'the editor lists the node');
		const versions = [node.version].flat();
		assert.deepEqual(versions, [1, 1.1]);
		assert.equal(node.defaultVersion ?? Math.max(...versions), 1.1);
	});

	it('posted twice at the same moment: one message, and the second execution outputs a skipped item', async () => {
		const text = 'Welcome aboard! (at once)';
		await Promise.all([post(text), post(text)]);
		const [newest, previous] = await settle(2);
		assert.equal(await deliveredWith(text), 1);
		const outputs = (await outputOf(newest.id)) + (await outputOf(previous.id));
		assert.match(outputs, /Not sent: the same message went to jane-doe at .*Repeat Protection/);
	});

	it('posted twice 300 ms apart: one message', async () => {
		const text = 'Welcome aboard! (300 ms)';
		await Promise.all([post(text), new Promise((resolve) => setTimeout(resolve, 300)).then(() => post(text))]);
		await settle(2);
		assert.equal(await deliveredWith(text), 1);
	});

	it('posted twice 5 s apart: one message', async () => {
		const text = 'Welcome aboard! (5 s)';
		await post(text);
		await new Promise((resolve) => setTimeout(resolve, 5000));
		await post(text);
		await settle(2);
		assert.equal(await deliveredWith(text), 1);
	});

	it('two different texts to the same person at once: two messages', async () => {
		await Promise.all([post('Your trial starts today'), post('Here is your login link')]);
		await settle(2);
		assert.equal(await deliveredWith('Your trial starts today'), 1);
		assert.equal(await deliveredWith('Here is your login link'), 1);
	});

	it("posted once more after n8n restarted: no message (n8n's database remembers)", async () => {
		const text = 'Welcome aboard! (at once)';
		await editor.stop();
		editor = await suite.n8n.startEditor();
		await editor.signIn(OWNER);
		await post(text);
		const [newest] = await settle(1);
		assert.equal(await deliveredWith(text), 1);
		assert.match(await outputOf(newest.id), /remembered in n8n's deduplication store/);
	});

	it("a manual run from the editor ('Listen for test event') sends the same message again", async () => {
		const text = 'Welcome aboard! (at once)';
		const saved = (await editor.get(`/rest/workflows/${WORKFLOW_ID}`)).data;
		const listen = await fetch(`${editor.url}/rest/workflows/${WORKFLOW_ID}/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: editor.cookie ?? '' },
			body: JSON.stringify({ workflowData: saved, triggerToStartFrom: { name: 'Signup posted' } }),
		});
		const listening = await listen.json();
		assert.equal(listen.status, 200, JSON.stringify(listening));
		await post(text, `/webhook-test/${PATH}`);
		const [newest] = await settle(1);
		assert.equal(newest.mode, 'manual');
		assert.equal(await deliveredWith(text), 2);
	});
});
