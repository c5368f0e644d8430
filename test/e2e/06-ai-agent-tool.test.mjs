// @ts-check
// examples/06-ai-agent-tool.json: the node as an AI-agent tool. First what the running editor serves (the tool
// variant of the node in /types/nodes.json, with the descriptions an agent reads), then a real AI Agent run in
// which a scripted OpenAI-compatible model calls the tool, and the tool sends one message through the stand-in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { FakeOpenAi } from './lib/fake-openai.mjs';
import { CREDENTIAL, loadExample, NODE_TYPE, Suite } from './lib/suite.mjs';

const TOOL_TYPE = `${NODE_TYPE}Tool`;
const TOOL_NODE = 'Send LinkedIn message';

describe('example 6: ConnectSafely as an AI-agent tool', () => {
	/** @type {Suite} */
	let suite;
	/** @type {any[]} */
	let nodeTypes;
	/** @type {any} */
	let importedWorkflow;

	before(async () => {
		suite = await Suite.start({ name: 'ai-tool' });
		await suite.n8n.importWorkflows(await loadExample('06-ai-agent-tool.json'));
		const editor = await suite.n8n.startEditor();
		await editor.signIn({ email: 'owner@example.com', password: 'E2e-passw0rd' });
		nodeTypes = await editor.nodeTypes();
		importedWorkflow = (await editor.get('/rest/workflows/csExampleAiAgent')).data;
		await editor.stop();
	});
	after(() => suite?.dispose());

	it('the editor offers the node and its tool variant, from the installed package', () => {
		const node = nodeTypes.find((type) => type.name === NODE_TYPE);
		const tool = nodeTypes.find((type) => type.name === TOOL_TYPE);
		assert.ok(node, `${NODE_TYPE} is not among the ${nodeTypes.length} node types`);
		assert.ok(tool, `${TOOL_TYPE} is not served: is usableAsTool set?`);
		assert.equal(tool.displayName, 'ConnectSafely Tool');
		assert.deepEqual(tool.inputs, []);
		assert.deepEqual(tool.outputs, ['ai_tool']);
		assert.deepEqual(tool.credentials, [{ name: 'connectSafelyApi', required: true }]);
		assert.equal(tool.communityNodePackageVersion, '0.1.0');
		assert.ok(tool.codex?.categories?.includes('AI'), JSON.stringify(tool.codex));
	});

	it('the tool carries the descriptions an agent reads: what it does, and each field', () => {
		const tool = nodeTypes.find((type) => type.name === TOOL_TYPE);
		assert.match(tool.description, /LinkedIn/);
		/** @param {string} name */
		const property = (name) => tool.properties.find((/** @type {{ name: string }} */ p) => p.name === name);
		assert.ok(property('toolDescription'), 'n8n adds the tool description field');
		for (const name of ['resource', 'operation', 'recipient', 'message']) {
			const field = property(name);
			assert.ok(field, `no ${name} field`);
			if (name !== 'resource') assert.ok(String(field.description ?? '').length > 10 || field.options, `${name} has no description`);
		}
		const operations = tool.properties
			.filter((/** @type {{ name: string }} */ p) => p.name === 'operation')
			.flatMap((/** @type {{ options: Array<{ value: string, action?: string }> }} */ p) => p.options);
		// n8n itself adds "Custom API Call" (__CUSTOM_API_CALL__) to nodes with credentials; that one has no action text.
		const own = operations.filter((/** @type {{ value: string }} */ operation) => !operation.value.startsWith('__'));
		assert.equal(own.length, 10, JSON.stringify(operations)); // 4 message, 1 group message, 3 conversation, 1 attachment, 1 account
		for (const operation of own) assert.ok(operation.action, `operation ${operation.value} has no action text`);
	});

	it('the example imports with the tool wired to the agent', () => {
		const toolNode = importedWorkflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === TOOL_NODE);
		assert.equal(toolNode.type, TOOL_TYPE);
		assert.deepEqual(toolNode.credentials, { connectSafelyApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } });
		assert.deepEqual(importedWorkflow.connections[TOOL_NODE], {
			ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
		});
	});

	it('an AI Agent run calls the tool with the values the model chose, and the tool sends exactly one message', async () => {
		const model = new FakeOpenAi({
			toolName: /LinkedIn|ConnectSafely/i,
			toolArguments: { profileUrl: 'https://www.linkedin.com/in/jane-doe/', message: 'Thank you for the intro, Jane!' },
		});
		const modelUrl = await model.listen();
		try {
			await suite.api.reset();
			await suite.n8n.importCredentials([
				{ id: 'fakeOpenAiCred01', name: 'Scripted model', type: 'openAiApi', data: { apiKey: 'sk-e2e', url: modelUrl } },
			]);
			const workflow = await scriptedAgentWorkflow('csAiAgentRunOnce');
			const run = await suite.run(workflow);
			assert.equal(run.status, 'success', run.describe());

			const requests = await suite.api.requests();
			assert.deepEqual(
				requests.map((request) => [request.path, request.body]),
				[['/linkedin/conversations/send', { recipientProfileId: 'jane-doe', message: 'Thank you for the intro, Jane!' }]],
			);

			const [first, second] = model.requests;
			assert.equal(model.requests.length, 2, 'one completion to pick the tool, one after its result');
			const offered = first.tools?.find((tool) => /LinkedIn|ConnectSafely/i.test(tool.function.name));
			assert.ok(offered, `tools offered: ${JSON.stringify(first.tools?.map((tool) => tool.function.name))}`);
			assert.match(String(offered.function.description), /Sends a LinkedIn direct message/);
			assert.deepEqual(Object.keys(offered.function.parameters?.properties ?? {}).sort(), ['message', 'profileUrl']);
			const toolMessage = second.messages.find((message) => message.role === 'tool');
			assert.match(String(toolMessage?.content), /"success":\s*true/, 'the agent saw the send succeed');

			const [answer] = run.items('AI Agent');
			assert.match(String(answer.output), /^Done\. The tool answered: /);
		} finally {
			await model.close();
		}
	});

	it('a model repeating the same tool call (twice in one turn, once more in the next) sends one message; the repeats read "already sent"', async () => {
		const model = new FakeOpenAi({
			toolName: /LinkedIn|ConnectSafely/i,
			toolArguments: { profileUrl: 'https://www.linkedin.com/in/jane-doe/', message: 'Thank you for the intro, Jane!' },
			callsPerTurn: [2, 1],
		});
		const modelUrl = await model.listen();
		try {
			await suite.api.reset();
			await suite.n8n.importCredentials([
				{ id: 'fakeOpenAiCred01', name: 'Scripted model', type: 'openAiApi', data: { apiKey: 'sk-e2e', url: modelUrl } },
			]);
			const run = await suite.run(await scriptedAgentWorkflow('csAiAgentRepeats'));
			assert.equal(run.status, 'success', run.describe());
			assert.equal(model.requests.length, 3, 'two turns with tool calls, then the answer');

			const requests = await suite.api.requests();
			assert.deepEqual(
				requests.map((request) => [request.path, request.body]),
				[['/linkedin/conversations/send', { recipientProfileId: 'jane-doe', message: 'Thank you for the intro, Jane!' }]],
				'the tool was called three times and sent once',
			);
			const results = model.requests[2].messages.filter((message) => message.role === 'tool').map((message) => String(message.content));
			assert.equal(results.length, 3, JSON.stringify(results));
			const skipped = results.filter((content) => /"skipped":\s*true/.test(content));
			const sent = results.filter((content) => !skipped.includes(content) && /"success":\s*true/.test(content));
			assert.equal(sent.length, 1, JSON.stringify(results));
			assert.equal(skipped.length, 2, JSON.stringify(results));
			assert.ok(results.some((content) => /the same message went to jane-doe/.test(content)), JSON.stringify(results));
		} finally {
			await model.close();
		}
	});
});

/**
 * Example 6 started from a Manual Trigger with the prompt written into the agent: the chat trigger waits for a chat
 * message, which `n8n execute` cannot send ("Define below" in the editor), and the chat model pointed at the
 * scripted model's credential.
 * @param {string} id
 */
async function scriptedAgentWorkflow(id) {
	const workflow = await loadExample('06-ai-agent-tool.json');
	workflow.id = id;
	workflow.name += ` (scripted model, ${id})`;
	const chatTrigger = workflow.nodes.find((/** @type {{ type: string }} */ node) => node.type.endsWith('.chatTrigger'));
	Object.assign(chatTrigger, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
	delete chatTrigger.webhookId;
	const agent = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === 'AI Agent');
	agent.parameters.promptType = 'define';
	agent.parameters.text = 'Message https://www.linkedin.com/in/jane-doe/ to thank her for the intro.';
	const chatModel = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === 'OpenAI Chat Model');
	chatModel.credentials = { openAiApi: { id: 'fakeOpenAiCred01', name: 'Scripted model' } };
	return workflow;
}
