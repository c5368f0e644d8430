// @ts-check
// Drives the real n8n app the way a user's installation runs: the cached n8n install (scripts/install-n8n.sh), a
// user folder of its own with a fixed encryption key, the packed package installed under .n8n/nodes like a
// community node, credentials and workflows imported with n8n's CLI, and workflows run with `n8n execute`.
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { examplesDir, repoRoot } from './paths.mjs';
import { freePort, runChecked, runCommand, Server, waitUntil } from './processes.mjs';

export const ENCRYPTION_KEY = 'connectsafely-e2e-fixed-encryption-key';

/**
 * @typedef {{ flavour: string, dir: string, nodeBin: string, version: string }} N8nInstall
 */

/** @type {Map<string, Promise<N8nInstall>>} */
const installs = new Map();

/**
 * The cached n8n to run: `E2E_N8N_DIR` when run.sh already resolved it, otherwise scripts/install-n8n.sh (which
 * returns at once when the cache holds it, and installs it on a first run).
 * @param {string} [flavour] `default` (n8n 2.8.4 on Node 20) or `latest` (newest tested 2.x on Node 24)
 * @returns {Promise<N8nInstall>}
 */
export function locateN8n(flavour = process.env.N8N_FLAVOUR || 'default') {
	let install = installs.get(flavour);
	if (!install) {
		install = (async () => {
			let dir = process.env.E2E_N8N_DIR;
			if (!dir) {
				const result = await runChecked('bash', [join(repoRoot, 'scripts', 'install-n8n.sh'), flavour], {
					timeoutMs: 30 * 60_000,
				});
				dir = result.stdout.trim().split('\n').pop() ?? '';
			}
			const nodeBin = (await readFile(join(dir, '.node-bin'), 'utf8')).trim();
			const { version } = JSON.parse(await readFile(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
			return { flavour, dir, nodeBin, version };
		})();
		installs.set(flavour, install);
	}
	return install;
}

/**
 * What differs between the n8n lines the suite runs on (1.x and 2.x), in one place: tests call N8nUserFolder and
 * Editor, which ask this. Keyed on the installed version, never on the flavour's name.
 * @param {string} version e.g. `1.85.4`
 */
export function n8nLine(version) {
	const [major, minor] = version.split('.').map(Number);
	return {
		major,
		/**
		 * n8n 1.123.x (Node 24, with isolated-vm 6) often dies of SIGSEGV while `n8n execute` shuts down, after it
		 * printed the finished run (3 of 6 runs of a Manual Trigger → Code workflow here, none of 2.x's). The run's
		 * own outcome is then the exit code n8n would have returned; `Execution.crashedAtExit` keeps the fact.
		 */
		segfaultsAtExit: major === 1 && minor >= 123,
		/** Making a workflow live from the CLI: `publish:workflow` is 2.x; 1.x sets the workflow active. */
		activateArgs: (/** @type {string} */ id) =>
			major >= 2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true'],
		/**
		 * Settings only one line needs. 1.x offers a community node's tool variant (usableAsTool) to AI agents only
		 * when N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE is true; 2.x always does.
		 * @type {NodeJS.ProcessEnv}
		 */
		env: major >= 2 ? {} : { N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true' },
		/**
		 * The status of what `n8n execute --rawOutput` printed. n8n 1.85 prints the run before it sets the final
		 * status (`status: "running"` with `finished` and `stoppedAt` set): there, a stopped run is an error when it
		 * carries one, a success otherwise; 1.123 and 2.x print the final status.
		 * @param {any} run
		 * @returns {string}
		 */
		executionStatus: (run) => {
			if (!run) return 'unparsed';
			if (run.status === 'running' && run.stoppedAt) return run.data?.resultData?.error ? 'error' : 'success';
			return run.status ?? 'unparsed';
		},
	};
}

/**
 * What `n8n execute --rawOutput` printed, parsed.
 */
export class Execution {
	/**
	 * @param {import('./processes.mjs').CommandResult} result
	 * @param {ReturnType<typeof n8nLine>} [line] the n8n line that printed it (default: 2.x)
	 */
	constructor(result, line = n8nLine('2.0.0')) {
		this.line = line;
		this.exitCode = result.code;
		this.signal = result.signal;
		this.stdout = result.stdout;
		this.stderr = result.stderr;
		this.durationMs = result.durationMs;
		/** @type {any} */
		this.run = parseRawOutput(result.stdout);
		/** n8n crashed while shutting down, after the run had finished and been printed (see n8nLine). */
		this.crashedAtExit = false;
		if (line.segfaultsAtExit && result.code === null && result.signal === 'SIGSEGV' && ['success', 'error'].includes(this.status)) {
			this.crashedAtExit = true;
			this.exitCode = this.status === 'success' ? 0 : 1;
		}
	}

	/** `success`, `error`, … as n8n stored it; `unparsed` when n8n printed no execution. */
	get status() {
		return this.line.executionStatus(this.run);
	}

	/** The workflow-level error (the one that failed the run), if any. */
	get error() {
		/** @type {{ message: string, description?: string | null, node?: { name: string }, httpCode?: string } | undefined} */
		const error = this.run?.data?.resultData?.error;
		return error;
	}

	/**
	 * Every run of a node: one, unless the node sits in a loop (Retry On Fail's tries stay inside one run).
	 * @param {string} nodeName
	 * @returns {any[]}
	 */
	runsOf(nodeName) {
		return this.run?.data?.resultData?.runData?.[nodeName] ?? [];
	}

	/**
	 * The `json` of the items a node emitted on one output in its last run ([] when it did not run).
	 * @param {string} nodeName
	 * @param {number} [outputIndex]
	 * @returns {any[]}
	 */
	items(nodeName, outputIndex = 0) {
		const runs = this.runsOf(nodeName);
		const last = runs[runs.length - 1];
		const output = last?.data?.main?.[outputIndex] ?? [];
		return output.map((/** @type {{ json: unknown }} */ item) => item.json);
	}

	/**
	 * The error a node's last run ended with, if it failed.
	 * @param {string} nodeName
	 */
	nodeError(nodeName) {
		const runs = this.runsOf(nodeName);
		return runs[runs.length - 1]?.error;
	}

	/** A short account of the run for assertion messages. */
	describe() {
		const ran = Object.keys(this.run?.data?.resultData?.runData ?? {});
		return [
			`exit code ${this.exitCode}${this.signal ? ` (killed by ${this.signal})` : ''}, status ${this.status}, nodes run: ${ran.join(', ') || 'none'}`,
			this.error ? `error: ${this.error.message}${this.error.description ? ` (${this.error.description})` : ''}` : '',
			this.run && this.exitCode !== null ? '' : `stdout:\n${this.stdout.slice(-3000)}\nstderr:\n${this.stderr.slice(-3000)}`,
		]
			.filter(Boolean)
			.join('\n');
	}
}

/**
 * `n8n execute --rawOutput` prints log lines (and, when the run failed, "Execution error:" and a rule) before the
 * execution as pretty-printed JSON: take the JSON from the first line that is just "{" to the last that is just "}".
 * @param {string} stdout
 */
export function parseRawOutput(stdout) {
	// At N8N_LOG_LEVEL=debug n8n colours its log lines and prints the execution as log text: its first line carries
	// the log prefix ("12:00:00.000   info    {") and its last the log metadata ("} { \"file\": … }").
	const plain = stdout
		.replace(/\x1b\[[0-9;]*m/g, '')
		.replace(/^\d\d:\d\d:\d\d\.\d+\s+info\s+\{$/m, '{')
		.replace(/^\} \{ "file": .*$/m, '}');
	const lines = plain.split('\n');
	const first = lines.findIndex((line) => line.trimEnd() === '{');
	let last = -1;
	for (let index = lines.length - 1; index > first; index--) {
		if (lines[index].trimEnd() === '}') {
			last = index;
			break;
		}
	}
	if (first < 0 || last < 0) return undefined;
	try {
		return JSON.parse(lines.slice(first, last + 1).join('\n'));
	} catch {
		return undefined;
	}
}

/**
 * A temporary n8n user folder: its own sqlite database, settings and installed community nodes.
 */
export class N8nUserFolder {
	/**
	 * @param {N8nInstall} install
	 * @param {string} path
	 */
	constructor(install, path) {
		this.install = install;
		this.line = n8nLine(install.version);
		this.path = path;
		/** @type {Server[]} */
		this.servers = [];
		/** @type {Map<string, string[]>} the POST webhook paths of each imported workflow */
		this.webhookPaths = new Map();
		/** @type {Set<string>} workflows made live with publishWorkflow: `startEditor` waits for their webhooks */
		this.live = new Set();
		/** @type {NodeJS.ProcessEnv} the database settings of every command (default: the folder's sqlite file) */
		this.database = { DB_TYPE: 'sqlite' };
	}

	/**
	 * Points every later command of this folder at another database, e.g. PostgresServer.n8nEnv() for queue mode.
	 * @param {NodeJS.ProcessEnv} settings n8n's DB_* variables
	 */
	useDatabase(settings) {
		this.database = settings;
	}

	/**
	 * A new temporary user folder: empty, or a copy of `from` (a prepared folder whose database is migrated and
	 * which holds the package and the credential already: run.sh prepares one, so that each test file does not
	 * pay for an npm install, n8n's migrations and an import).
	 * @param {{ flavour?: string, name?: string, from?: string }} [options]
	 */
	static async create(options = {}) {
		const install = await locateN8n(options.flavour);
		const base = process.env.E2E_TMP || tmpdir();
		await mkdir(base, { recursive: true });
		const path = await mkdtemp(join(base, `n8n-${options.name ?? 'user'}-`));
		if (options.from) await cp(options.from, path, { recursive: true, verbatimSymlinks: true });
		return new N8nUserFolder(install, path);
	}

	/**
	 * A user folder at a fixed path (created when missing), e.g. the template run.sh prepares.
	 * @param {string} path
	 * @param {{ flavour?: string }} [options]
	 */
	static async at(path, options = {}) {
		await mkdir(path, { recursive: true });
		return new N8nUserFolder(await locateN8n(options.flavour), path);
	}

	/**
	 * The environment of every n8n command for this folder.
	 * @param {NodeJS.ProcessEnv} [extra]
	 * @returns {NodeJS.ProcessEnv}
	 */
	env(extra = {}) {
		return {
			...process.env,
			PATH: `${this.install.nodeBin}:${process.env.PATH}`,
			N8N_USER_FOLDER: this.path,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			...this.database,
			// n8n 2.x only reads files below N8N_RESTRICT_FILE_ACCESS_TO (default ~/.n8n-files); the spreadsheet
			// example reads examples/prospects.csv relative to the working directory, the repository root.
			N8N_RESTRICT_FILE_ACCESS_TO: examplesDir,
			// `n8n execute --rawOutput` prints the execution through the logger at level info: keep it.
			N8N_LOG_LEVEL: 'info',
			...this.line.env,
			...extra,
		};
	}

	/**
	 * Runs one n8n CLI command. Each gets its own task-broker port: the default 5679 may be taken by an n8n the
	 * developer is running, or by a parallel run.
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number, env?: NodeJS.ProcessEnv }} [options]
	 */
	async cli(args, options = {}) {
		const brokerPort = String(await freePort());
		return runCommand(
			join(this.install.nodeBin, 'node'),
			[join(this.install.dir, 'node_modules', 'n8n', 'bin', 'n8n'), ...args],
			{
				cwd: repoRoot,
				env: this.env({ N8N_RUNNERS_BROKER_PORT: brokerPort, ...options.env }),
				timeoutMs: options.timeoutMs ?? 120_000,
			},
		);
	}

	/**
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number, env?: NodeJS.ProcessEnv }} [options]
	 */
	async cliChecked(args, options) {
		const result = await this.cli(args, options);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited with ${result.code}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`,
			);
		}
		return result;
	}

	/**
	 * Installs a packed community-node package the way n8n's own installer lays it out:
	 * `npm install <tgz>` in `<user folder>/.n8n/nodes`, without the peer dependency n8n itself provides.
	 * @param {string} tarball
	 */
	async installPackage(tarball) {
		const nodesDir = join(this.path, '.n8n', 'nodes');
		await mkdir(nodesDir, { recursive: true });
		if (!existsSync(join(nodesDir, 'package.json'))) {
			await writeFile(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, '\t'));
		}
		await runChecked(
			'npm',
			['install', tarball, '--omit=peer', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'],
			{ cwd: nodesDir, timeoutMs: 180_000 },
		);
	}

	/**
	 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} credentials
	 */
	async importCredentials(credentials) {
		const file = join(this.path, `credentials-${Date.now()}.json`);
		await writeFile(file, JSON.stringify(credentials));
		await this.cliChecked(['import:credentials', `--input=${file}`]);
		await rm(file);
	}

	/**
	 * Imports one workflow (or several) and returns the ids. Workflows must carry their `id`.
	 * @param {any | any[]} workflows
	 * @returns {Promise<string[]>}
	 */
	async importWorkflows(workflows) {
		const list = Array.isArray(workflows) ? workflows : [workflows];
		for (const workflow of list) {
			if (typeof workflow.id !== 'string') throw new Error(`workflow "${workflow.name}" has no id`);
		}
		const file = join(this.path, `workflows-${Date.now()}.json`);
		await writeFile(file, JSON.stringify(list));
		await this.cliChecked(['import:workflow', `--input=${file}`]);
		await rm(file);
		for (const workflow of list) {
			const paths = (workflow.nodes ?? [])
				.filter((/** @type {any} */ node) => node.type === 'n8n-nodes-base.webhook' && !node.disabled)
				.map((/** @type {any} */ node) => String(node.parameters?.path ?? ''));
			this.webhookPaths.set(workflow.id, paths);
		}
		return list.map((workflow) => workflow.id);
	}

	/**
	 * Makes an imported workflow live ("Publish" in the 2.x editor, "Active" in 1.x), so that its trigger runs by itself
	 * under `n8n start`. Run it before the editor starts: n8n activates published workflows at startup.
	 * @param {string} workflowId
	 */
	async publishWorkflow(workflowId) {
		await this.cliChecked(this.line.activateArgs(workflowId));
		this.live.add(workflowId);
	}

	/**
	 * Runs a workflow with `n8n execute` (its first trigger-less start: Manual Trigger, or a Schedule Trigger run
	 * once) and parses what it printed. A failed workflow is an Execution with status `error`, not an exception.
	 * @param {string} workflowId
	 * @param {{ timeoutMs?: number, env?: NodeJS.ProcessEnv }} [options]
	 */
	async execute(workflowId, options = {}) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			timeoutMs: options.timeoutMs ?? 180_000,
			env: options.env,
		});
		return new Execution(result, this.line);
	}

	/**
	 * Starts the editor (`n8n start`) on 127.0.0.1 and waits until it serves the REST API.
	 * @param {{ port?: number, echo?: boolean, env?: NodeJS.ProcessEnv, readyTimeoutMs?: number }} [options]
	 */
	async startEditor(options = {}) {
		const port = options.port ?? (await freePort());
		const server = new Server(
			join(this.install.nodeBin, 'node'),
			[join(this.install.dir, 'node_modules', 'n8n', 'bin', 'n8n'), 'start'],
			{
				cwd: repoRoot,
				echo: options.echo,
				env: this.env({
					N8N_PORT: String(port),
					N8N_LISTEN_ADDRESS: '127.0.0.1',
					N8N_HOST: 'localhost',
					N8N_SECURE_COOKIE: 'false',
					N8N_RUNNERS_BROKER_PORT: String(await freePort()),
					...options.env,
				}),
			},
		);
		this.servers.push(server);
		const editor = new Editor(server, `http://127.0.0.1:${port}`, this);
		await editor.waitUntilReady(options.readyTimeoutMs ?? 120_000);
		// n8n registers a live workflow's webhooks a moment after its REST API answers (2.41: seconds later); a call
		// before that gets 404 and runs nothing. Wait for them, so that a test may post at once.
		const paths = [...this.live].flatMap((id) => this.webhookPaths.get(id) ?? []);
		for (const path of paths) await waitForWebhook(`${editor.url}/webhook/${path}`, 60_000);
		return editor;
	}

	/** Stops what this folder started and deletes it (kept when E2E_KEEP=1, for a look after a failure). */
	async dispose() {
		await Promise.all(this.servers.map((server) => server.stop()));
		if (process.env.E2E_KEEP === '1') {
			process.stderr.write(`[e2e] kept n8n user folder ${this.path}\n`);
			return;
		}
		await rm(this.path, { recursive: true, force: true });
	}
}

/**
 * Waits until n8n serves the POST webhook at `url`. A GET probes without running the workflow: n8n answers it "not
 * registered for GET … Did you mean to make a POST request?" once the POST webhook exists, and "… is not
 * registered" (404) before.
 * @param {string} url
 * @param {number} timeoutMs
 */
export async function waitForWebhook(url, timeoutMs) {
	await waitUntil(
		async () => {
			const response = await fetch(url, { method: 'GET' });
			const text = await response.text();
			return response.status !== 404 || /POST request/i.test(text);
		},
		{ timeoutMs, what: `the webhook ${url}` },
	);
}

/**
 * A running `n8n start`, driven through the same REST endpoints the editor uses.
 */
export class Editor {
	/**
	 * @param {Server} server
	 * @param {string} url
	 * @param {N8nUserFolder} [folder] the folder it runs on
	 */
	constructor(server, url, folder) {
		this.server = server;
		this.url = url;
		this.folder = folder;
		/** @type {string | undefined} */
		this.cookie = undefined;
	}

	/** `/healthz` answers within seconds; the REST API only after migrations and node loading. */
	async waitUntilReady(timeoutMs = 120_000) {
		await waitUntil(
			async () => {
				if (!this.server.alive) throw new Error('exited');
				const response = await fetch(`${this.url}/rest/settings`);
				return response.ok;
			},
			{ timeoutMs, what: `n8n at ${this.url}` },
		).catch((error) => {
			throw new Error(`${error.message}\n${this.server.output.slice(-4000)}`);
		});
	}

	/**
	 * Creates the instance owner (first start) or logs in, and keeps the session cookie.
	 * @param {{ email: string, password: string, firstName?: string, lastName?: string }} owner
	 */
	async signIn(owner) {
		// Right after /rest/settings answers, a busy n8n may not have mounted its auth routes yet: the editor's
		// catch-all then answers 200 (no cookie) or 404. Try again for a while before calling it a failure.
		const deadline = Date.now() + 60_000;
		let last = '';
		for (;;) {
			const cookie = await this.trySignIn(owner).catch((error) => {
				last = String(error);
				return undefined;
			});
			if (cookie) {
				this.cookie = cookie;
				return;
			}
			if (Date.now() > deadline) throw new Error(`could not sign in to n8n: ${last || 'no n8n-auth cookie'}`);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}

	/**
	 * One attempt: owner setup, else login. The session cookie, or undefined when n8n set none.
	 * @param {{ email: string, password: string, firstName?: string, lastName?: string }} owner
	 */
	async trySignIn(owner) {
		let response = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ firstName: 'E2E', lastName: 'Owner', ...owner }),
		});
		if (!response.ok || !response.headers.getSetCookie().some((value) => value.startsWith('n8n-auth='))) {
			response = await fetch(`${this.url}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
			});
		}
		if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
		const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
		return cookie?.split(';')[0];
	}

	/**
	 * GET with the session cookie; returns the parsed JSON.
	 * @param {string} path
	 */
	async get(path) {
		const response = await fetch(`${this.url}${path}`, { headers: this.cookie ? { cookie: this.cookie } : {} });
		if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
		return response.json();
	}

	/**
	 * The executions n8n stored, newest first (as the editor's Executions list shows them).
	 * @param {string} [workflowId]
	 * @returns {Promise<Array<{ id: string, workflowId: string, mode: string, status: string, finished: boolean }>>}
	 */
	async executions(workflowId) {
		const filter = workflowId ? `?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}` : '';
		const { data } = await this.get(`/rest/executions${filter}`);
		return data.results;
	}

	/**
	 * The node types the editor offers (what `/types/nodes.json` serves the browser).
	 * @returns {Promise<any[]>}
	 */
	async nodeTypes() {
		/** @type {any[]} */
		const types = await this.get('/types/nodes.json');
		// n8n 2.x marks a community node's types with the version of the package it loaded them from
		// (communityNodePackageVersion, read from that package's package.json); 1.x serves no such field. Add it
		// from the same package.json, so that tests read one shape.
		if (this.folder && this.folder.line.major < 2) {
			const modules = join(this.folder.path, '.n8n', 'nodes', 'node_modules');
			const packages = existsSync(modules) ? await readdir(modules) : [];
			for (const name of packages) {
				const manifest = join(modules, name, 'package.json');
				if (!existsSync(manifest)) continue;
				const { version } = JSON.parse(await readFile(manifest, 'utf8'));
				for (const type of types) {
					if (type.name.startsWith(`${name}.`)) type.communityNodePackageVersion ??= version;
				}
			}
		}
		return types;
	}

	stop() {
		return this.server.stop();
	}
}
