// @ts-check
// run.sh's last step: merges one run's results (results-reporter.mjs lines) into the results file of that n8n
// version, test/e2e/.work/results/n8n-<version>.json. Each test file keeps its latest run, so running one file
// again updates that file's row only. scripts/compat-table.mjs writes the README's Compatibility table from these.
//   node test/e2e/lib/record-results.mjs <reporter output> <n8n version> <node version> <flavour> <seconds>
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { workDir } from './paths.mjs';

export const resultsDir = join(workDir, 'results');

const [lines, version, node, flavour, seconds] = process.argv.slice(2);
if (!lines || !version) {
	console.error('usage: node test/e2e/lib/record-results.mjs <reporter output> <n8n version> <node> <flavour> <seconds>');
	process.exit(2);
}

/** @type {Array<any>} */
const events = existsSync(lines)
	? (await readFile(lines, 'utf8'))
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line))
	: [];
await mkdir(resultsDir, { recursive: true });
const target = join(resultsDir, `n8n-${version}.json`);
const results = existsSync(target)
	? JSON.parse(await readFile(target, 'utf8'))
	: { version, node, flavour, files: {} };
const now = new Date().toISOString();
/** @type {Record<string, any>} */
const files = {};
for (const event of events) {
	const file = basename(event.file);
	files[file] ??= { ranAt: now, tests: [], figures: [] };
	if (event.kind === 'test') {
		const { name, status, reason, ms, error } = event;
		files[file].tests.push({ name, status, reason, ms, error });
	} else if (/^figure /.test(event.message)) {
		files[file].figures.push(event.message.replace(/^figure /, ''));
	}
}
Object.assign(results, { version, node, flavour, lastRun: { at: now, seconds: Number(seconds), files: Object.keys(files) } });
// Figures vary from run to run (e.g. how closely two executions overlap): keep the last ten runs' figures too.
for (const [file, run] of Object.entries(files)) {
	const history = results.files[file]?.figureHistory ?? [];
	run.figureHistory = run.figures.length ? [...history, { ranAt: now, figures: run.figures }].slice(-10) : history;
}
Object.assign(results.files, files);
await writeFile(target, `${JSON.stringify(results, null, '\t')}\n`);
console.log(`[e2e] results of n8n ${version} recorded in ${target}`);
