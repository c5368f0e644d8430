// @ts-check
// A scripted OpenAI-compatible chat model on 127.0.0.1, so that n8n's AI Agent can run offline. It plays a model
// that calls one tool once: the first completion asks for a call of the offered tool whose name matches
// `toolName`, with `toolArguments`; once the request carries the tool's result, it answers with text that quotes it.
import { createServer } from 'node:http';

/**
 * @typedef {{ role: string, content?: unknown, tool_calls?: unknown[], tool_call_id?: string }} ChatMessage
 * @typedef {{ model: string, messages: ChatMessage[], tools?: Array<{ type: string, function: { name: string, description?: string, parameters?: any } }>, stream?: boolean }} ChatRequest
 */

export class FakeOpenAi {
	/**
	 * @param {{ toolName: RegExp, toolArguments: Record<string, unknown>, callsPerTurn?: number[], reply?: string }} script
	 *   `callsPerTurn`: how many identical tool calls the model makes in each turn before it answers (default [1]);
	 *   `reply`: the answer when the request offers no tools (an agent that only drafts text)
	 */
	constructor(script) {
		this.script = script;
		/** @type {ChatRequest[]} */
		this.requests = [];
		this.server = createServer((req, res) => {
			let raw = '';
			req.on('data', (chunk) => (raw += chunk));
			req.on('end', () => {
				if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
					res.writeHead(404, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ error: { message: `not scripted: ${req.method} ${req.url}` } }));
					return;
				}
				/** @type {ChatRequest} */
				const request = JSON.parse(raw);
				this.requests.push(request);
				this.answer(request, res);
			});
		});
	}

	/** @returns {Promise<string>} the base URL to put in the OpenAI credential */
	listen() {
		return new Promise((resolve) => {
			this.server.listen(0, '127.0.0.1', () => {
				const address = this.server.address();
				const port = typeof address === 'object' && address ? address.port : 0;
				resolve(`http://127.0.0.1:${port}/v1`);
			});
		});
	}

	close() {
		this.server.closeAllConnections();
		return new Promise((resolve) => this.server.close(() => resolve(undefined)));
	}

	/**
	 * @param {ChatRequest} request
	 * @param {import('node:http').ServerResponse} res
	 */
	answer(request, res) {
		// Which turn this is: how many times the model already answered with tool calls.
		const turn = request.messages.filter((message) => Array.isArray(message.tool_calls) && message.tool_calls.length > 0).length;
		const callsPerTurn = this.script.callsPerTurn ?? [1];
		/** @type {Record<string, unknown>} */
		let message;
		let finishReason;
		if (this.script.reply !== undefined && !request.tools?.length) {
			message = { role: 'assistant', content: this.script.reply };
			finishReason = 'stop';
		} else if (turn >= callsPerTurn.length) {
			const results = request.messages.filter((message) => message.role === 'tool').map((message) => String(message.content));
			message = { role: 'assistant', content: `Done. The tool answered: ${results.join(' | ')}` };
			finishReason = 'stop';
		} else {
			const tool = request.tools?.find((candidate) => this.script.toolName.test(candidate.function.name));
			if (!tool) {
				const offered = request.tools?.map((candidate) => candidate.function.name).join(', ') || 'none';
				message = { role: 'assistant', content: `No tool matching ${this.script.toolName} was offered (${offered}).` };
				finishReason = 'stop';
			} else {
				message = {
					role: 'assistant',
					content: null,
					// A model may repeat a call: the same tool with the same arguments, several times in one turn.
					tool_calls: Array.from({ length: callsPerTurn[turn] }, (_, index) => ({
						id: turn === 0 && index === 0 ? 'call_e2e_1' : `call_e2e_${turn + 1}_${index + 1}`,
						type: 'function',
						function: { name: tool.function.name, arguments: JSON.stringify(this.script.toolArguments) },
					})),
				};
				finishReason = 'tool_calls';
			}
		}
		const base = { id: `chatcmpl-e2e-${this.requests.length}`, created: Math.floor(Date.now() / 1000), model: request.model };
		if (request.stream) {
			res.writeHead(200, { 'content-type': 'text/event-stream' });
			const delta = { ...message };
			if (Array.isArray(delta.tool_calls)) {
				delta.tool_calls = delta.tool_calls.map((call, index) => ({ index, ...call }));
			}
			const chunks = [
				{ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] },
				{ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finishReason }] },
			];
			for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
			return;
		}
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(
			JSON.stringify({
				...base,
				object: 'chat.completion',
				choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
				usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
			}),
		);
	}
}
