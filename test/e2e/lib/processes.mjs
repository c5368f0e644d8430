// @ts-check
// Child processes for the e2e suite: one-shot commands with a timeout, and long-lived servers that are always
// stopped, with their whole process group (n8n starts task runners of its own), even when a test throws.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();

/**
 * Signals the child's whole process group (every child is spawned detached, so it leads its own group). The group
 * may outlive its leader: n8n's task runner does when n8n is killed hard.
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} signal
 */
function killGroup(child, signal = 'SIGTERM') {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* the group is gone */
	}
}

// A test file that crashes or is interrupted (Ctrl-C) must not leave an n8n or a stand-in behind: they run in
// process groups of their own, which a terminal's Ctrl-C does not reach.
process.on('exit', () => {
	for (const child of running) killGroup(child, 'SIGKILL');
});
for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
	process.once(signal, () => {
		for (const child of running) killGroup(child, 'SIGKILL');
		process.exit(130);
	});
}

/**
 * @typedef {{ code: number | null, signal?: NodeJS.Signals | null, stdout: string, stderr: string, durationMs: number }} CommandResult
 */

/**
 * Runs a command to its end and captures its output. Never rejects on a non-zero exit: callers decide.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number, input?: string }} [options]
 * @returns {Promise<CommandResult>}
 */
export function runCommand(command, args, options = {}) {
	const { env = process.env, cwd, timeoutMs = 120_000 } = options;
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const stdin = options.input === undefined ? 'ignore' : 'pipe';
		const child = spawn(command, args, { env, cwd, detached: true, stdio: [stdin, 'pipe', 'pipe'] });
		running.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk) => (stdout += chunk));
		child.stderr?.on('data', (chunk) => (stderr += chunk));
		if (options.input !== undefined) child.stdin?.end(options.input);
		const timer = setTimeout(() => {
			stderr += `\n[e2e] ${command} ${args.join(' ')} timed out after ${timeoutMs} ms: killed`;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			running.delete(child);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			running.delete(child);
			resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started });
		});
	});
}

/**
 * Like runCommand, but a non-zero exit is an error that shows the command's output.
 * @param {string} command
 * @param {string[]} args
 * @param {Parameters<typeof runCommand>[2]} [options]
 */
export async function runChecked(command, args, options) {
	const result = await runCommand(command, args, options);
	if (result.code !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} exited with ${result.code}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`,
		);
	}
	return result;
}

/**
 * A long-lived child (n8n start, the stand-in). Output is kept for error messages.
 */
export class Server {
	/**
	 * @param {string} command
	 * @param {string[]} args
	 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, echo?: boolean }} [options]
	 */
	constructor(command, args, options = {}) {
		this.description = `${command} ${args.join(' ')}`;
		this.output = '';
		this.child = spawn(command, args, {
			env: options.env ?? process.env,
			cwd: options.cwd,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		running.add(this.child);
		/** @type {Promise<number | null>} */
		this.exited = new Promise((resolve) => {
			this.child.on('close', (code) => {
				running.delete(this.child);
				resolve(code);
			});
			this.child.on('error', (error) => {
				this.output += `\n[e2e] could not start ${this.description}: ${error.message}`;
				running.delete(this.child);
				resolve(null);
			});
		});
		for (const stream of [this.child.stdout, this.child.stderr]) {
			stream?.on('data', (chunk) => {
				this.output += chunk;
				if (this.output.length > 200_000) this.output = this.output.slice(-100_000);
				if (options.echo) process.stderr.write(chunk);
			});
		}
	}

	get alive() {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/**
	 * Resolves with the first stdout line that `match` accepts.
	 * @param {(line: string) => boolean} match
	 * @param {number} timeoutMs
	 * @returns {Promise<string>}
	 */
	waitForLine(match, timeoutMs) {
		return new Promise((resolve, reject) => {
			let buffer = '';
			const onData = (/** @type {Buffer} */ chunk) => {
				buffer += chunk;
				const lines = buffer.split('\n');
				buffer = lines.pop() ?? '';
				const line = lines.find((candidate) => match(candidate.trim()));
				if (line !== undefined) finish(() => resolve(line.trim()));
			};
			const onClose = () =>
				finish(() => reject(new Error(`${this.description} exited before it was ready:\n${this.output.slice(-4000)}`)));
			const timer = setTimeout(
				() => finish(() => reject(new Error(`${this.description} not ready after ${timeoutMs} ms:\n${this.output.slice(-4000)}`))),
				timeoutMs,
			);
			const finish = (/** @type {() => void} */ settle) => {
				clearTimeout(timer);
				this.child.stdout?.off('data', onData);
				this.child.off('close', onClose);
				settle();
			};
			this.child.stdout?.on('data', onData);
			this.child.on('close', onClose);
		});
	}

	/** Stops the process group: SIGTERM, then SIGKILL after `graceMs`. */
	async stop(graceMs = 10_000) {
		if (!this.alive) return this.exited;
		killGroup(this.child, 'SIGTERM');
		const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), graceMs);
		const code = await this.exited;
		clearTimeout(timer);
		// The leader may be gone while a child of its group (a task runner) still is.
		killGroup(this.child, 'SIGKILL');
		return code;
	}
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * Polls `probe` until it returns true.
 * @param {() => Promise<boolean>} probe
 * @param {{ timeoutMs: number, intervalMs?: number, what: string }} options
 */
export async function waitUntil(probe, { timeoutMs, intervalMs = 250, what }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			if (await probe()) return;
		} catch {
			/* not yet */
		}
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
