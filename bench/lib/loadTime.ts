/**
 * Module load time, in a fresh process: `node loadTime.js node|http [appDir]`.
 *
 * n8n-workflow is required first and timed on its own: in the n8n app it is loaded long before any
 * node, so what a node costs at startup is what comes after it. Then the built ConnectSafely node and
 * credential (`node`), or n8n-nodes-base's HTTP Request node with its own n8n-workflow (`http`), are
 * required and instantiated, as the app's loader does.
 */
import {
	appModule,
	DIST_CREDENTIAL,
	DIST_NODE,
	httpRequestNodeFile,
	PROJECT_N8N_WORKFLOW,
} from './paths';
import { reportResult } from './protocol';

type Constructor = new () => object;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const loadedFiles = () => Object.keys(require.cache).length;

function measure(what: 'node' | 'http', appDir: string | undefined) {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const workflowPath = what === 'node' ? PROJECT_N8N_WORKFLOW : appModule(appDir!, 'n8n-workflow');
	const files0 = loadedFiles();
	const t0 = now();
	require(workflowPath);
	const t1 = now();
	const files1 = loadedFiles();
	let classes: Constructor[];
	if (what === 'node') {
		const { ConnectSafely } = require(DIST_NODE) as { ConnectSafely: Constructor };
		const { ConnectSafelyApi } = require(DIST_CREDENTIAL) as { ConnectSafelyApi: Constructor };
		classes = [ConnectSafely, ConnectSafelyApi];
	} else {
		const { HttpRequest } = require(httpRequestNodeFile(appDir!)) as { HttpRequest: Constructor };
		classes = [HttpRequest];
	}
	/* eslint-enable @typescript-eslint/no-require-imports */
	const t2 = now();
	for (const Class of classes) new Class();
	const t3 = now();
	return {
		what,
		n8nWorkflowMs: t1 - t0,
		n8nWorkflowFiles: files1 - files0,
		requireMs: t2 - t1,
		instantiateMs: t3 - t2,
		totalMs: t3 - t1,
		files: loadedFiles() - files1,
	};
}

const [what, appDir] = process.argv.slice(2);
if (what !== 'node' && what !== 'http') throw new Error('usage: loadTime.js node|http [appDir]');
reportResult(measure(what, appDir));
