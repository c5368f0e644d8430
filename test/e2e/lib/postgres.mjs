// @ts-check
// Debian's PostgreSQL server for queue mode, the database n8n's queue-mode docs pair with main + workers: a
// cluster of its own (initdb) in a temporary folder, on 127.0.0.1 and a free port, started and removed by the test.
// The server refuses to run as root: as root (CI), the folder belongs to the `postgres` user the Debian package
// creates and the server runs through `runuser -u postgres`; as any other user it runs as that user.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { repoRoot } from './paths.mjs';
import { freePort, runChecked, runCommand, Server, waitUntil } from './processes.mjs';

/** The folder holding initdb/postgres/pg_isready/createdb (Debian: /usr/lib/postgresql/<major>/bin), newest major. */
function binDir() {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = readdirSync(root)
		.filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? join(root, majors[0], 'bin') : undefined;
}

/** PostgreSQL's binaries; runs scripts/install-debian-packages.sh first when they are missing. */
async function ensurePostgres() {
	let dir = binDir();
	if (dir) return dir;
	const script = join(repoRoot, 'scripts', 'install-debian-packages.sh');
	const result = await runCommand('bash', [script], { timeoutMs: 600_000 });
	dir = binDir();
	if (!dir) throw new Error(`postgresql is not installed and ${script} could not install it:\n${result.stderr.slice(-3000)}`);
	return dir;
}

export class PostgresServer {
	/**
	 * @param {Server} server
	 * @param {number} port
	 * @param {string} dataDir
	 * @param {string} bin
	 */
	constructor(server, port, dataDir, bin) {
		this.server = server;
		this.port = port;
		this.dataDir = dataDir;
		this.bin = bin;
		this.user = 'n8n';
		this.password = 'n8n-e2e';
		this.database = 'n8n';
	}

	/**
	 * initdb into a new temporary folder, start the server on 127.0.0.1 and create the `n8n` database.
	 */
	static async start() {
		const bin = await ensurePostgres();
		// Under /tmp, not the clone: the postgres user must be able to reach the folder.
		const dataDir = await mkdtemp(join(tmpdir(), 'connectsafely-pg-'));
		/** @type {string[]} */
		let asServer = [];
		if (process.getuid?.() === 0) {
			const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
			const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
			if (!uid) throw new Error('running as root, but there is no postgres user (Debian package postgresql)');
			await chown(dataDir, uid, gid);
			asServer = ['runuser', '-u', 'postgres', '--'];
		}
		/** @param {string} tool @param {string[]} args */
		const asPostgres = (tool, args) =>
			asServer.length ? /** @type {const} */ ([asServer[0], [...asServer.slice(1), join(bin, tool), ...args]]) : /** @type {const} */ ([join(bin, tool), args]);

		const cluster = join(dataDir, 'data');
		const pwfile = join(dataDir, 'pw');
		await runChecked('sh', ['-c', `printf %s 'n8n-e2e' > '${pwfile}' && chmod 644 '${pwfile}'`]);
		// The superuser is `n8n` with a password, as a managed Postgres gives n8n one; loopback only.
		const [initCommand, initArgs] = asPostgres('initdb', [
			'-D', cluster, '-U', 'n8n', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync',
		]);
		await runChecked(initCommand, [...initArgs], { timeoutMs: 120_000 });

		const port = await freePort();
		const [command, args] = asPostgres('postgres', [
			'-D', cluster, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dataDir}`,
			// A test database: losing it in a power cut is fine, the time fsync costs on a shared disk is not.
			'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
		]);
		const server = new Server(command, [...args]);
		const postgres = new PostgresServer(server, port, dataDir, bin);
		try {
			await waitUntil(
				async () => {
					if (!server.alive) throw new Error('exited');
					const ready = await runCommand(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { timeoutMs: 5000 });
					return ready.code === 0;
				},
				{ timeoutMs: 60_000, what: `postgres on 127.0.0.1:${port}` },
			).catch((error) => {
				throw new Error(`${error.message}\n${server.output.slice(-3000)}`);
			});
			await runChecked(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], {
				env: { ...process.env, PGPASSWORD: postgres.password },
			});
		} catch (error) {
			await postgres.stop();
			throw error;
		}
		return postgres;
	}

	/** The settings that point n8n at this database (n8n's DB_POSTGRESDB_* variables). */
	n8nEnv() {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: this.user,
			DB_POSTGRESDB_PASSWORD: this.password,
		};
	}

	/**
	 * One SQL statement through Debian's psql, as the n8n user; the rows as psql prints them unaligned, one a line.
	 * @param {string} sql
	 * @returns {Promise<string[]>}
	 */
	async query(sql) {
		const result = await runChecked(
			join(this.bin, 'psql'),
			['-h', '127.0.0.1', '-p', String(this.port), '-U', this.user, '-d', this.database, '-At', '-c', sql],
			{ env: { ...process.env, PGPASSWORD: this.password }, timeoutMs: 30_000 },
		);
		return result.stdout.split('\n').filter((line) => line !== '');
	}

	/** Stops the server (fast shutdown: SIGINT) and deletes its folder (kept with E2E_KEEP=1). */
	async stop() {
		if (this.server.alive && this.server.child.pid !== undefined) {
			try {
				process.kill(-this.server.child.pid, 'SIGINT');
			} catch {
				/* gone */
			}
		}
		await this.server.stop(10_000);
		if (process.env.E2E_KEEP === '1') {
			process.stderr.write(`[e2e] kept the postgres folder ${this.dataDir}\n`);
			return;
		}
		await rm(this.dataDir, { recursive: true, force: true });
	}
}
