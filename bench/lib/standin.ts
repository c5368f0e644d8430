/**
 * The stand-in ConnectSafely API (test/standin), no artificial delay, with a quota no run reaches.
 *
 * Two placements:
 * - `inline`: in the measuring process itself, on 127.0.0.1 (how the reference figures were
 *   taken). Client and server share one thread, so every variant's figure is its own work plus the
 *   same server work per request, and no variant gains from waiting on another process.
 * - `process`: in a process of its own, as the real API is. Used for memory, so that the stand-in's
 *   record of every request stays out of the measured process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';

import { STANDIN_CLI } from './paths';

export type StandinPlacement = 'inline' | 'process';

/** What a child needs to reach a stand-in running in another process. */
export interface StandinHandle {
	/** Base URL, e.g. http://127.0.0.1:PORT/linkedin */
	url: string;
	apiKey: string;
	control: string;
}

export interface RecordedRequestSummary {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
}

/** The stand-in as a measurement uses it, wherever it runs. */
export interface BenchStandin {
	url: string;
	apiKey: string;
	/** Forget recorded requests and quota use, so it does the same work on every run. */
	reset(): Promise<void>;
	requests(): Promise<RecordedRequestSummary[]>;
	close(): Promise<void>;
}

/** A quota no benchmark reaches: every send is delivered. */
const QUOTA = 1_000_000_000;

export async function startStandinProcess(): Promise<{
	handle: StandinHandle;
	stop(): Promise<void>;
}> {
	const child: ChildProcess = spawn(process.execPath, [STANDIN_CLI, '--quota', String(QUOTA)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const lines = createInterface({ input: child.stdout! });
	const handle = await new Promise<StandinHandle>((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`The stand-in exited with code ${code}`)));
		lines.once('line', (line) => resolve(JSON.parse(line) as StandinHandle));
	});
	child.removeAllListeners('exit');
	const stop = async () => {
		if (child.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		});
	};
	return { handle, stop };
}

/**
 * One control API call on a fresh connection: a run takes longer than the server's keep-alive
 * timeout, and a pooled socket closed by the server meanwhile would fail the next call.
 */
function controlCall(handle: StandinHandle, method: string, path: string): Promise<unknown> {
	const url = new URL(`${handle.control}${path}`);
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: url.hostname, port: url.port, path: url.pathname, method, agent: false },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					if (res.statusCode !== 200) {
						reject(new Error(`Stand-in control ${method} ${path}: ${res.statusCode} ${text}`));
						return;
					}
					resolve(JSON.parse(text));
				});
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end();
	});
}

/** A stand-in in another process, steered through its control API. */
export function remoteStandin(handle: StandinHandle): BenchStandin {
	return {
		url: handle.url,
		apiKey: handle.apiKey,
		reset: async () => {
			await controlCall(handle, 'POST', '/reset');
		},
		requests: async () =>
			(await controlCall(handle, 'GET', '/requests')) as RecordedRequestSummary[],
		close: async () => {},
	};
}

/** A stand-in in this process. */
export async function inlineStandin(): Promise<BenchStandin> {
	// Loaded only here: a child measuring against another process never loads the server code.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { startStandin } =
		require('../../test/standin/server') as typeof import('../../test/standin/server');
	const server = await startStandin({ dailyLimit: QUOTA });
	return {
		url: server.url,
		apiKey: server.apiKey,
		reset: async () => server.reset(),
		requests: async () =>
			server.requests.map(({ method, path, headers, rawBody }) => ({
				method,
				path,
				headers: headers as RecordedRequestSummary['headers'],
				rawBody,
			})),
		close: async () => await server.close(),
	};
}
