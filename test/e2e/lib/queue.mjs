// @ts-check
// n8n in queue mode on 127.0.0.1, for the e2e suite: Debian's redis-server (started here, no persistence, its own
// port), a main instance (`n8n start`, EXECUTIONS_MODE=queue) and workers (`n8n worker`), all using one sqlite
// database and one encryption key, each with its own task-broker port. Built on the suite's N8nUserFolder, Editor
// and Server: `stop()` stops every process it started, and processes.mjs kills them should the test process die or be
// interrupted.
//
// The main instance uses the N8nUserFolder; each worker gets an n8n folder of its own (as on its own machine) with
// DB_SQLITE_DATABASE pointing at the main instance's database and the installed community packages linked in.
// Workers must not share a folder: a starting worker reads the event log in its folder (n8nEventLog-worker.log)
// and marks every execution it finds unfinished there as crashed, including those another worker is running.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { join } from 'node:path';

import { repoRoot } from './paths.mjs';
import { freePort, runCommand, Server, waitUntil } from './processes.mjs';

export const OWNER = { email: 'owner@example.com', password: 'E2e-passw0rd' };

/**
 * The path of Debian's redis-server. When it is missing, runs scripts/install-debian-packages.sh (root or sudo;
 * apt-get only when something is missing), as `npm test` installs what it needs.
 * @returns {Promise<string>}
 */
export async function ensureRedisServer() {
	const find = () => {
		const which = spawnSync('sh', ['-c', 'command -v redis-server || ls /usr/bin/redis-server 2>/dev/null'], {
			encoding: 'utf8',
		});
		return which.stdout.trim().split('\n')[0] || undefined;
	};
	let path = find();
	if (path) return path;
	const script = join(repoRoot, 'scripts', 'install-debian-packages.sh');
	const result = await runCommand('bash', [script], { timeoutMs: 600_000 });
	path = find();
	if (!path) {
		throw new Error(
			`redis-server is not installed and ${script} could not install it (exit ${result.code}):\n${result.stderr.slice(-3000)}`,
		);
	}
	return path;
}

/**
 * One RESP command to a Redis on 127.0.0.1 (enough to look into Bull's lists; n8n brings its own client).
 * @param {number} port
 * @param {string[]} args
 * @returns {Promise<unknown>}
 */
export function redisCommand(port, args) {
	return new Promise((resolve, reject) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let buffer = Buffer.alloc(0);
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error(`redis ${args.join(' ')}: no answer within 5 s`));
		}, 5000);
		socket.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		socket.on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			const parsed = parseResp(buffer, 0);
			if (!parsed) return;
			clearTimeout(timer);
			socket.end();
			if (parsed.value instanceof Error) reject(parsed.value);
			else resolve(parsed.value);
		});
		socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`);
	});
}

/**
 * @param {Buffer} buffer
 * @param {number} offset
 * @returns {{ value: unknown, end: number } | undefined} undefined while the reply is incomplete
 */
function parseResp(buffer, offset) {
	const lineEnd = buffer.indexOf('\r\n', offset);
	if (lineEnd < 0) return undefined;
	const type = String.fromCharCode(buffer[offset]);
	const line = buffer.toString('utf8', offset + 1, lineEnd);
	const next = lineEnd + 2;
	if (type === '+') return { value: line, end: next };
	if (type === '-') return { value: new Error(line), end: next };
	if (type === ':') return { value: Number(line), end: next };
	if (type === '$') {
		const length = Number(line);
		if (length < 0) return { value: null, end: next };
		if (buffer.length < next + length + 2) return undefined;
		return { value: buffer.toString('utf8', next, next + length), end: next + length + 2 };
	}
	if (type === '*') {
		const count = Number(line);
		/** @type {unknown[]} */
		const values = [];
		let position = next;
		for (let index = 0; index < count; index++) {
			const item = parseResp(buffer, position);
			if (!item) return undefined;
			values.push(item.value);
			position = item.end;
		}
		return { value: values, end: position };
	}
	throw new Error(`unexpected RESP reply: ${buffer.toString('utf8', offset, Math.min(buffer.length, offset + 80))}`);
}

/** Debian's redis-server on 127.0.0.1 and a port of its own, in memory only (`--save ''`, no AOF). */
export class RedisServer {
	/**
	 * @param {Server} server
	 * @param {number} port
	 */
	constructor(server, port) {
		this.server = server;
		this.port = port;
	}

	/**
	 * @param {{ dir: string }} options a folder for Redis's working directory (it writes nothing with these flags)
	 */
	static async start({ dir }) {
		const binary = await ensureRedisServer();
		const port = await freePort();
		const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
		args.push('--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'notice');
		const server = new Server(binary, args);
		await server.waitForLine((line) => line.includes('Ready to accept connections'), 30_000);
		const redis = new RedisServer(server, port);
		await waitUntil(async () => (await redis.command('PING')) === 'PONG', { timeoutMs: 10_000, what: 'redis PING' });
		return redis;
	}

	/** @param {string[]} args */
	command(...args) {
		return redisCommand(this.port, args);
	}

	/**
	 * How many Bull jobs of n8n's queue ("jobs", prefix "bull") sit in each list.
	 * @returns {Promise<{ waiting: number, active: number, failed: number, completed: number }>}
	 */
	async bullCounts() {
		const [waiting, active, failed, completed] = await Promise.all([
			this.command('LLEN', 'bull:jobs:wait'),
			this.command('LLEN', 'bull:jobs:active'),
			this.command('ZCARD', 'bull:jobs:failed'),
			this.command('ZCARD', 'bull:jobs:completed'),
		]);
		return {
			waiting: Number(waiting),
			active: Number(active),
			failed: Number(failed),
			completed: Number(completed),
		};
	}

	stop() {
		return this.server.stop(5000);
	}
}

/**
 * An `n8n worker` process. Remembers which executions it started, from its log line
 * "Worker started execution <id> (job <job>)".
 */
export class QueueWorker {
	/**
	 * @param {string} name
	 * @param {Server} server
	 */
	constructor(name, server) {
		this.name = name;
		this.server = server;
		/** @type {string[]} execution ids, in the order the worker started them */
		this.started = [];
		/** @type {string[]} */
		this.finished = [];
		let buffer = '';
		server.child.stdout?.on('data', (chunk) => {
			buffer += chunk;
			const lines = buffer.split('\n');
			buffer = lines.pop() ?? '';
			for (const line of lines) {
				const start = /Worker started execution (\d+) \(job/.exec(line);
				if (start) this.started.push(start[1]);
				const finish = /Worker finished execution (\d+) \(job/.exec(line);
				if (finish) this.finished.push(finish[1]);
			}
		});
	}

	get pid() {
		return this.server.child.pid;
	}

	get alive() {
		return this.server.alive;
	}

	/** SIGKILL to the worker's whole process group (the worker and its task runner): a crash, no shutdown. */
	async kill() {
		if (this.pid !== undefined) {
			try {
				process.kill(-this.pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}
		await this.server.exited;
	}

	stop() {
		return this.server.stop(15_000);
	}
}

/** An `n8n webhook` process: its base URL (`${url}/webhook/<path>`) and its process. */
export class WebhookProcess {
	/**
	 * @param {string} name
	 * @param {Server} server
	 * @param {string} url
	 */
	constructor(name, server, url) {
		this.name = name;
		this.server = server;
		this.url = url;
	}

	get alive() {
		return this.server.alive;
	}

	stop() {
		return this.server.stop(15_000);
	}
}

/**
 * Main + workers + Redis over one N8nUserFolder. The folder must be prepared (package installed, credentials and
 * workflows imported and published) before `start`: every process then finds the migrated database.
 */
export class QueueCluster {
	/**
	 * @param {import('./n8n.mjs').N8nUserFolder} n8n
	 * @param {RedisServer} redis
	 * @param {NodeJS.ProcessEnv} settings
	 */
	constructor(n8n, redis, settings) {
		this.n8n = n8n;
		this.redis = redis;
		this.settings = settings;
		const major = n8n.line.major;
		/** How this n8n line's queue mode behaves where the lines differ (measured by 08-queue-mode). */
		this.line = {
			/**
			 * n8n 1.x hands the jobs of a worker that died to another worker, which runs those executions again
			 * from their first node (seen on 1.123.81); 2.x gives them up ("error", or "crashed" after a restart).
			 */
			rerunsDeadWorkersJobs: major < 2,
		};
		/** @type {import('./n8n.mjs').Editor | undefined} */
		this.editor = undefined;
		/** @type {number | undefined} */
		this.mainPort = undefined;
		/** @type {QueueWorker[]} */
		this.workers = [];
		/** @type {WebhookProcess[]} `n8n webhook` processes (startWebhookProcess) */
		this.webhookProcesses = [];
		/** The one sqlite database of the cluster: the main instance's, which the CLI commands migrated. */
		this.database = join(n8n.path, '.n8n', 'database.sqlite');
	}

	/**
	 * Starts Redis, the main instance and `workers` workers (in parallel), and signs the owner in.
	 * @param {import('./n8n.mjs').N8nUserFolder} n8n
	 * @param {{ workers?: number, concurrency?: number, env?: NodeJS.ProcessEnv }} [options]
	 */
	static async start(n8n, options = {}) {
		const redis = await RedisServer.start({ dir: await mkdtemp(join(n8n.path, 'redis-')) });
		const cluster = new QueueCluster(n8n, redis, {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_HEALTH_CHECK_ACTIVE: 'false',
			N8N_LOG_LEVEL: 'info',
			...options.env,
		});
		try {
			const count = options.workers ?? 2;
			await Promise.all([
				cluster.startMain(),
				...Array.from({ length: count }, (_, index) => cluster.startWorker(`worker-${index + 1}`, options.concurrency)),
			]);
			return cluster;
		} catch (error) {
			await cluster.stop();
			throw error;
		}
	}

	/** The environment of every process of the cluster (N8nUserFolder.env adds the folder, key and database). */
	env(extra = {}) {
		return { ...this.settings, ...extra };
	}

	/**
	 * `n8n start` in queue mode on 127.0.0.1 (the same port after a restart), with the owner signed in.
	 * @param {NodeJS.ProcessEnv} [extra] settings for this start only
	 */
	async startMain(extra = {}) {
		this.mainPort ??= await freePort();
		const editor = await this.n8n.startEditor({
			port: this.mainPort,
			env: this.env(extra),
			readyTimeoutMs: 180_000,
		});
		// /rest/settings answers a moment before the auth routes exist: on a busy machine the first sign-in can 404.
		/** @type {unknown} */
		let lastError;
		await waitUntil(
			async () => {
				try {
					await editor.signIn(OWNER);
					return true;
				} catch (error) {
					lastError = error;
					return false;
				}
			},
			{ timeoutMs: 60_000, intervalMs: 500, what: 'signing in to the main instance' },
		).catch((error) => {
			throw new Error(`${error.message}: ${lastError instanceof Error ? lastError.message.slice(0, 300) : lastError}`);
		});
		this.editor = editor;
		return editor;
	}

	/**
	 * Stops the main instance (SIGTERM) if it still runs, and starts it again: a redeploy or a host restart.
	 * @param {NodeJS.ProcessEnv} [extra] settings for the new start only
	 */
	async restartMain(extra = {}) {
		await this.editor?.stop();
		return this.startMain(extra);
	}

	/** SIGKILL to the main instance's process group: it dies without shutting down. */
	async killMain() {
		const server = this.editor?.server;
		if (!server) return;
		if (server.child.pid !== undefined) {
			try {
				process.kill(-server.child.pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}
		await server.exited;
	}

	/**
	 * `n8n worker --concurrency=<n>`, ready when it logs "n8n worker is now ready".
	 * @param {string} name
	 * @param {number} [concurrency]
	 */
	async startWorker(name, concurrency = 5) {
		const { install } = this.n8n;
		// A worker is another machine: its own n8n folder (event log, instance id), the shared database and the
		// community packages of the main instance's folder.
		const folder = join(this.n8n.path, 'workers', name);
		const n8nFolder = join(folder, '.n8n');
		await mkdir(n8nFolder, { recursive: true });
		if (!existsSync(join(n8nFolder, 'nodes'))) await symlink(join(this.n8n.path, '.n8n', 'nodes'), join(n8nFolder, 'nodes'));
		const server = new Server(
			join(install.nodeBin, 'node'),
			[join(install.dir, 'node_modules', 'n8n', 'bin', 'n8n'), 'worker', `--concurrency=${concurrency}`],
			{
				cwd: repoRoot,
				env: this.n8n.env(
					this.env({
						N8N_USER_FOLDER: folder,
						DB_SQLITE_DATABASE: this.database,
						N8N_RUNNERS_BROKER_PORT: String(await freePort()),
					}),
				),
			},
		);
		// N8nUserFolder.dispose() stops what is in its list, whatever happens to this cluster object.
		this.n8n.servers.push(server);
		const worker = new QueueWorker(name, server);
		this.workers.push(worker);
		await server.waitForLine((line) => line.includes('n8n worker is now ready'), 180_000);
		return worker;
	}

	/**
	 * `n8n webhook`: n8n's separate process for production webhook calls (the Production URLs), on 127.0.0.1 and a
	 * port of its own; it loads the workflow per call, runs the trigger's webhook() and queues the execution for the
	 * workers. Like a worker it is another machine: its own n8n folder, the shared database and community packages.
	 * Ready when it logs "Webhook listener waiting for requests". Start the main instance with
	 * N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true for the production setup where only webhook processes take them.
	 * @param {string} name
	 */
	async startWebhookProcess(name) {
		const { install } = this.n8n;
		const folder = join(this.n8n.path, 'webhook-processes', name);
		const n8nFolder = join(folder, '.n8n');
		await mkdir(n8nFolder, { recursive: true });
		if (!existsSync(join(n8nFolder, 'nodes'))) await symlink(join(this.n8n.path, '.n8n', 'nodes'), join(n8nFolder, 'nodes'));
		const port = await freePort();
		const server = new Server(
			join(install.nodeBin, 'node'),
			[join(install.dir, 'node_modules', 'n8n', 'bin', 'n8n'), 'webhook'],
			{
				cwd: repoRoot,
				env: this.n8n.env(
					this.env({
						N8N_USER_FOLDER: folder,
						DB_SQLITE_DATABASE: this.database,
						N8N_PORT: String(port),
						N8N_LISTEN_ADDRESS: '127.0.0.1',
						N8N_RUNNERS_BROKER_PORT: String(await freePort()),
					}),
				),
			},
		);
		this.n8n.servers.push(server);
		const webhookProcess = new WebhookProcess(name, server, `http://127.0.0.1:${port}`);
		this.webhookProcesses.push(webhookProcess);
		await server.waitForLine((line) => line.includes('Webhook listener waiting for requests'), 180_000);
		return webhookProcess;
	}

	/**
	 * Stops the running workers (SIGTERM: they finish what they run) and starts `count` new ones.
	 * @param {number} count
	 * @param {number} concurrency
	 */
	async replaceWorkers(count, concurrency) {
		const old = this.workers.filter((worker) => worker.alive);
		await Promise.all(old.map((worker) => worker.stop()));
		const first = this.workers.length + 1;
		return Promise.all(
			Array.from({ length: count }, (_, index) => this.startWorker(`worker-${first + index}`, concurrency)),
		);
	}

	/** The main instance, driven through the editor's REST API (signed in as the owner). */
	get main() {
		if (!this.editor) throw new Error('the main instance is not running');
		return this.editor;
	}

	/** The base URL of the main instance (webhooks: `${url}/webhook/<path>`). */
	get url() {
		return this.main.url;
	}

	/**
	 * Which worker logged the start of an execution (undefined: none did).
	 * @param {string} executionId
	 */
	workerOf(executionId) {
		return this.workers.find((worker) => worker.started.includes(executionId));
	}

	/** Stops every worker and the main instance (SIGTERM, then SIGKILL), then Redis. Never throws. */
	async stop() {
		await Promise.allSettled([
			...this.workers.map((worker) => worker.stop()),
			...this.webhookProcesses.map((webhookProcess) => webhookProcess.stop()),
			this.editor?.stop(),
		]);
		await this.redis.stop().catch(() => undefined);
	}
}

/** Waits until n8n serves the POST webhook at `url` (see n8n.mjs). */
export { waitForWebhook } from './n8n.mjs';

/**
 * POSTs each body to a webhook, at most `parallel` at a time, each call bounded by a timeout: a finite list, so the
 * loop stops by itself. Only 127.0.0.1 is allowed.
 * @param {string} url
 * @param {unknown[]} bodies
 * @param {{ parallel?: number, timeoutMs?: number }} [options]
 * @returns {Promise<Array<{ status: number, body: string }>>} in the order of `bodies`
 */
export async function postAll(url, bodies, { parallel = 10, timeoutMs = 30_000 } = {}) {
	if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing to fire at ${url}: 127.0.0.1 only`);
	/** @type {Array<{ status: number, body: string }>} */
	const answers = new Array(bodies.length);
	let next = 0;
	const lane = async () => {
		while (next < bodies.length) {
			const index = next++;
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(bodies[index]),
				signal: AbortSignal.timeout(timeoutMs),
			});
			answers[index] = { status: response.status, body: await response.text() };
		}
	};
	await Promise.all(Array.from({ length: Math.min(parallel, bodies.length) }, lane));
	return answers;
}

/**
 * @typedef {{ id: string, workflowId: string, mode: string, status: string, finished: boolean, retryOf?: string | null,
 *   retrySuccessId?: string | null, startedAt?: string | null, stoppedAt?: string | null }} ExecutionSummary
 */

/**
 * Every execution of a workflow that n8n stored (the editor's Executions list), oldest first.
 * @param {import('./n8n.mjs').Editor} editor
 * @param {string} workflowId
 * @returns {Promise<ExecutionSummary[]>}
 */
export async function listExecutions(editor, workflowId) {
	/** @type {ExecutionSummary[]} */
	const all = [];
	let lastId;
	for (let page = 0; page < 20; page++) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const range = lastId ? `&lastId=${lastId}` : '';
		const { data } = await editor.get(`/rest/executions?filter=${filter}&limit=100${range}`);
		/** @type {ExecutionSummary[]} */
		const results = data.results;
		for (const execution of results) if (!all.some((known) => known.id === execution.id)) all.push(execution);
		if (results.length < 100) break;
		lastId = results[results.length - 1].id;
	}
	return all.sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Waits until a workflow has `count` executions and none of them is new, running or waiting.
 * @param {import('./n8n.mjs').Editor} editor
 * @param {string} workflowId
 * @param {number} count
 * @param {number} timeoutMs
 */
export async function waitForFinishedExecutions(editor, workflowId, count, timeoutMs) {
	/** @type {ExecutionSummary[]} */
	let executions = [];
	await waitUntil(
		async () => {
			executions = await listExecutions(editor, workflowId);
			return executions.length >= count && executions.every((execution) => isSettled(execution.status));
		},
		{ timeoutMs, intervalMs: 500, what: `${count} finished executions of ${workflowId}` },
	).catch((error) => {
		const seen = executions.map((execution) => `${execution.id}:${execution.status}`).join(' ');
		throw new Error(`${error.message}; n8n has ${executions.length}: ${seen}`);
	});
	return executions;
}

/** @param {string} status */
export function isSettled(status) {
	return !['new', 'running', 'waiting', 'unknown'].includes(status);
}

/** @type {((text: string) => any) | undefined} */
let flattedParse;

/**
 * One execution with its data, as the editor opens it (`GET /rest/executions/:id`; n8n sends the data in the
 * `flatted` format, parsed here with the copy of flatted that n8n ships).
 * @param {import('./n8n.mjs').Editor} editor
 * @param {import('./n8n.mjs').N8nUserFolder} n8n
 * @param {string} id
 * @returns {Promise<any>} the execution; `data` is the run data (`resultData.runData`, `resultData.error`, …)
 */
export async function executionDetails(editor, n8n, id) {
	if (!flattedParse) {
		const require = createRequire(join(n8n.install.dir, 'node_modules', 'n8n', 'package.json'));
		flattedParse = require('flatted').parse;
	}
	const { data } = await editor.get(`/rest/executions/${id}`);
	const parse = /** @type {(text: string) => any} */ (flattedParse);
	return { ...data, data: typeof data.data === 'string' ? parse(data.data) : data.data };
}

/**
 * `POST /rest/executions/:id/retry`: the editor's "Retry" button on a failed or crashed execution (`loadWorkflow`
 * false: "Retry with original workflow", true: "Retry with currently saved workflow"). Resolves with n8n's answer
 * (the new execution, once it finished) or its refusal.
 * @param {import('./n8n.mjs').Editor} editor
 * @param {string} id
 * @param {{ loadWorkflow?: boolean, timeoutMs?: number }} [options]
 * @returns {Promise<{ ok: boolean, status: number, body: any }>}
 */
export async function retryExecution(editor, id, { loadWorkflow = false, timeoutMs = 60_000 } = {}) {
	const response = await fetch(`${editor.url}/rest/executions/${id}/retry`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(editor.cookie ? { cookie: editor.cookie } : {}) },
		body: JSON.stringify({ loadWorkflow }),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await response.text();
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = text;
	}
	return { ok: response.ok, status: response.status, body };
}

/** Whether Debian's redis-server binary is where apt-get puts it (for messages; ensureRedisServer installs it). */
export function redisServerInstalled() {
	return existsSync('/usr/bin/redis-server');
}
