/**
 * Where things are: the package root, its built files, and the cached n8n app (scripts/install-n8n.sh
 * installs it once outside the clone and prints its folder).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The package root: bench/.work/build/bench/lib → five levels up. */
export const ROOT = resolve(__dirname, '../../../../..');

export const WORK_DIR = join(ROOT, 'bench/.work');
export const BUILD_DIR = join(WORK_DIR, 'build');

/**
 * The built node and credential, exactly as `npm pack` ships them. BENCH_DIST points at another build
 * (a copy of dist/ with a change to try, kept inside the package folder so that it finds n8n-workflow).
 */
export const DIST_DIR = process.env.BENCH_DIST
	? resolve(process.env.BENCH_DIST)
	: join(ROOT, 'dist');
/** The node before the send path became a list of guards (bench/before-dist.sh builds it), for the guards bench. */
export const BEFORE_DIST_DIR = process.env.BENCH_BEFORE_DIST
	? resolve(process.env.BENCH_BEFORE_DIST)
	: join(WORK_DIR, 'before-dist');
export const DIST_NODE = join(DIST_DIR, 'nodes/ConnectSafely/ConnectSafely.node.js');
export const DIST_CREDENTIAL = join(DIST_DIR, 'credentials/ConnectSafelyApi.credentials.js');
export const DIST_LEDGER = join(DIST_DIR, 'nodes/ConnectSafely/delivery/sendLedger.js');

/** The stand-in API's command line, compiled by bench/tsconfig.json. */
export const STANDIN_CLI = join(BUILD_DIR, 'test/standin/cli.js');

/** The child entry point every measurement runs in. */
export const CHILD_ENTRY = join(BUILD_DIR, 'bench/lib/child.js');

/** The project's own n8n-workflow: the one n8n-core and the node under test use. */
export const PROJECT_N8N_WORKFLOW = join(ROOT, 'node_modules/n8n-workflow');

let appDir: string | undefined;

/** The folder of the cached n8n app (installs it on first use; reuses it afterwards). */
export function n8nAppDir(): string {
	if (appDir !== undefined) return appDir;
	const fromEnv = process.env.BENCH_N8N_DIR;
	if (fromEnv && existsSync(join(fromEnv, 'node_modules/n8n-nodes-base'))) {
		appDir = fromEnv;
		return appDir;
	}
	const out = execFileSync('bash', [join(ROOT, 'scripts/install-n8n.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const lines = out.trim().split('\n');
	appDir = lines[lines.length - 1].trim();
	return appDir;
}

export function appModule(dir: string, ...path: string[]): string {
	return join(dir, 'node_modules', ...path);
}

/** n8n-nodes-base's HTTP Request node (all versions; V3 serves 4.x). */
export function httpRequestNodeFile(dir: string): string {
	return appModule(dir, 'n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js');
}
