// @ts-check
// What every e2e test file starts from: a fresh n8n user folder with the packed package installed, a credential
// pointing at the stand-in, and the example workflows ready to import and run.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { N8nUserFolder } from './n8n.mjs';
import { packageTarball } from './package.mjs';
import { examplesDir } from './paths.mjs';
import { Standin } from './standin.mjs';

/** The credential the examples reference (n8n ids are 16 characters). */
export const CREDENTIAL = { id: 'connectSafely001', name: 'ConnectSafely account', type: 'connectSafelyApi' };
export const NODE_TYPE = 'n8n-nodes-connectsafely.connectSafely';

/**
 * Reads a workflow from examples/.
 * @param {string} file e.g. `01-every-operation.json`
 * @returns {Promise<any>}
 */
export async function loadExample(file) {
	return JSON.parse(await readFile(join(examplesDir, file), 'utf8'));
}

/**
 * The nodes of a workflow of a type, e.g. every ConnectSafely node.
 * @param {any} workflow
 * @param {string} type
 * @returns {any[]}
 */
export function nodesOfType(workflow, type) {
	return workflow.nodes.filter((/** @type {{ type: string }} */ node) => node.type === type);
}

/**
 * Installs the packed package into a user folder and imports the credential for the stand-in.
 * @param {N8nUserFolder} n8n
 * @param {{ withPackage?: boolean, standin?: Standin }} options
 */
export async function prepareUserFolder(n8n, { withPackage = true, standin }) {
	if (withPackage) await n8n.installPackage(await packageTarball());
	if (standin) {
		await n8n.importCredentials([{ ...CREDENTIAL, data: { apiKey: standin.apiKey, baseUrl: standin.url } }]);
	}
}

export class Suite {
	/**
	 * @param {N8nUserFolder} n8n
	 * @param {Standin | undefined} standin
	 */
	constructor(n8n, standin) {
		this.n8n = n8n;
		this.standin = standin;
	}

	/**
	 * @param {{ name: string, withPackage?: boolean, withStandin?: boolean }} options
	 */
	static async start({ name, withPackage = true, withStandin = true }) {
		// run.sh prepares one folder with the package installed and the credential imported (E2E_TEMPLATE_USER_FOLDER):
		// copying it is what this would do, minus ~10 s of npm install, migrations and import per test file.
		const template = withPackage && withStandin ? process.env.E2E_TEMPLATE_USER_FOLDER : undefined;
		const n8n = await N8nUserFolder.create({ name, from: template });
		/** @type {Standin | undefined} */
		let standin;
		try {
			if (withStandin) {
				standin = await Standin.start();
				await standin.reset();
			}
			if (!template) await prepareUserFolder(n8n, { withPackage, standin });
			return new Suite(n8n, standin);
		} catch (error) {
			await standin?.stop();
			await n8n.dispose();
			throw error;
		}
	}

	/** The stand-in, which a test file that talks to ConnectSafely has. */
	get api() {
		if (!this.standin) throw new Error('this suite was started without the stand-in');
		return this.standin;
	}

	/**
	 * Imports a workflow (an object, or a file name in examples/) and runs it once with `n8n execute`.
	 * @param {any} workflow
	 * @param {{ timeoutMs?: number, env?: NodeJS.ProcessEnv }} [options]
	 */
	async run(workflow, options) {
		const definition = typeof workflow === 'string' ? await loadExample(workflow) : workflow;
		const [id] = await this.n8n.importWorkflows(definition);
		return this.n8n.execute(id, options);
	}

	async dispose() {
		await this.standin?.stop();
		await this.n8n.dispose();
	}
}
