// @ts-check
// The stand-in ConnectSafely API (test/standin/, built by `tsc -p tsconfig.tools.json` into .build/): either the
// one run.sh started (E2E_STANDIN_URL, E2E_STANDIN_API_KEY) or one started here, and its control API.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './paths.mjs';
import { runCommand, Server } from './processes.mjs';

const cli = join(repoRoot, '.build', 'test', 'standin', 'cli.js');

/** Compiles the stand-in when .build does not hold it yet (run.sh always compiles it first). */
export async function buildStandin() {
	// tsc emits even when it reports type errors elsewhere in the tools project: what matters is cli.js.
	const result = await runCommand('npx', ['tsc', '-p', 'tsconfig.tools.json'], { cwd: repoRoot, timeoutMs: 180_000 });
	if (!existsSync(cli)) throw new Error(`tsc -p tsconfig.tools.json did not emit ${cli}:\n${result.stdout}${result.stderr}`);
}

export class Standin {
	/**
	 * @param {string} url the API base URL the credential points at, e.g. http://127.0.0.1:PORT/linkedin
	 * @param {string} apiKey
	 * @param {Server} [server] set when this process started it
	 */
	constructor(url, apiKey, server) {
		this.url = url;
		this.apiKey = apiKey;
		this.server = server;
		this.origin = new URL(url).origin;
	}

	/**
	 * Starts a stand-in of its own (for one test file run alone), or connects to run.sh's.
	 * @param {{ port?: number, key?: string, quota?: number, resetInMs?: number, own?: boolean }} [options]
	 */
	static async start(options = {}) {
		if (!options.own && process.env.E2E_STANDIN_URL && process.env.E2E_STANDIN_API_KEY) {
			return new Standin(process.env.E2E_STANDIN_URL, process.env.E2E_STANDIN_API_KEY);
		}
		if (!existsSync(cli)) await buildStandin();
		const args = [cli];
		if (options.port !== undefined) args.push('--port', String(options.port));
		if (options.key !== undefined) args.push('--key', options.key);
		if (options.quota !== undefined) args.push('--quota', String(options.quota));
		if (options.resetInMs !== undefined) args.push('--reset-in-ms', String(options.resetInMs));
		const server = new Server(process.execPath, args, { cwd: repoRoot });
		const line = await server.waitForLine((text) => text.startsWith('{') && text.includes('"url"'), 30_000);
		/** @type {{ url: string, apiKey: string }} */
		const ready = JSON.parse(line);
		return new Standin(ready.url, ready.apiKey, server);
	}

	/**
	 * @param {'GET' | 'POST'} method
	 * @param {string} path below /__standin/
	 * @param {unknown} [body]
	 */
	async control(method, path, body) {
		const response = await fetch(`${this.origin}/__standin/${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`stand-in ${method} /__standin/${path}: ${response.status} ${text}`);
		return text ? JSON.parse(text) : undefined;
	}

	/**
	 * Every request the stand-in received since the last reset, in order (`rawBodyBase64`: the body byte for byte).
	 * @returns {Promise<Array<{ method: string, path: string, query: Record<string, string>, headers: Record<string, string>, body: any, rawBody: string, rawBodyBase64: string }>>}
	 */
	async requests() {
		const result = await this.control('GET', 'requests');
		return Array.isArray(result) ? result : result.requests;
	}

	/**
	 * The messages it accepted (answered 2xx), in order.
	 * @returns {Promise<Array<Record<string, any>>>}
	 */
	async delivered() {
		const result = await this.control('GET', 'delivered');
		return Array.isArray(result) ? result : result.delivered;
	}

	/** Forgets requests, deliveries, faults, quota use, conversations and uploads. */
	reset() {
		return this.control('POST', 'reset', {});
	}

	/**
	 * Scripted failures, in the stand-in's format.
	 * @param {unknown} faults
	 */
	faults(faults) {
		return this.control('POST', 'faults', faults);
	}

	/**
	 * The daily quota: how many messages it accepts before answering 429, and when that resets.
	 * @param {{ limit?: number, used?: number, resetInMs?: number } & Record<string, unknown>} quota
	 */
	quota(quota) {
		return this.control('POST', 'quota', quota);
	}

	/**
	 * Adds a conversation (or messages to the existing one with that person). Incoming messages (fromOwner false) are
	 * unread. Pass an array to seed several at once (then the answer is an array).
	 * @param {{ accountId?: string, profileId: string, profileUrn?: string, name?: string, headline?: string,
	 *   profilePicture?: string, distance?: string, labels?: string[],
	 *   messages?: Array<{ text: string, fromOwner?: boolean, sentAt?: number, read?: boolean }> }} spec
	 * @returns {Promise<{ conversationUrn: string, messageUrns: string[] }>}
	 */
	seedConversation(spec) {
		return this.control('POST', 'conversations', spec);
	}

	/**
	 * Every conversation (newest activity first) with its messages (oldest first), read state and labels.
	 * @param {string} [accountId]
	 * @returns {Promise<Array<{ conversationUrn: string, threadId: string, accountId: string, person: Record<string, any>,
	 *   labels: string[], unreadCount: number, lastActivityAt: number,
	 *   messages: Array<{ messageUrn: string, text: string, sentAt: number, fromOwner: boolean, read: boolean, attachments: any[] }> }>>}
	 */
	conversations(accountId) {
		return this.control('GET', accountId ? `conversations?accountId=${encodeURIComponent(accountId)}` : 'conversations');
	}

	/**
	 * The person writes in their conversation with the account (isSentByOwner false, unread); the conversation is
	 * created when there is none.
	 * @param {string} person a public slug or a profile URN
	 * @param {{ text?: string, sentAt?: number, accountId?: string }} [spec]
	 * @returns {Promise<{ conversationUrn: string, messageUrn: string, sentAt: number }>}
	 */
	reply(person, spec = {}) {
		return this.control('POST', 'reply', { ...spec, person });
	}

	/**
	 * LinkedIn's temporary hold: every send of the account answers 429 with `holdUntil` in its body until then, even
	 * after the quota resets.
	 * @param {{ accountId?: string, holdUntil?: number, holdInMs?: number }} hold
	 */
	hold(hold) {
		return this.control('POST', 'hold', hold);
	}

	/**
	 * Every file uploaded with POST /conversations/upload-attachment, its bytes as base64.
	 * @returns {Promise<Array<{ assetUrn: string, accountId: string, byteSize: number, mediaType: string, name: string,
	 *   contentType: string, sha256: string, uploadedAt: string, bytesBase64: string }>>}
	 */
	attachments() {
		return this.control('GET', 'attachments');
	}

	async stop() {
		await this.server?.stop();
	}
}
