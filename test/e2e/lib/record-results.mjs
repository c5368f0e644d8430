// @ts-check
// run.sh's last step: merges one run's results (results-reporter.mjs lines) into the results file of that n8n
// version, test/e2e/.work/results/n8n-<version>.json. Each test file keeps its latest run, so running one file
// again updates that file's entry only. Each run is also kept whole in `runs` (its date, commit, the files it was
// asked to run and their counts), so that scripts/compat-table.mjs can show one complete run per version, dated,
// rather than a mix of files from different days.
//   node test/e2e/lib/record-results.mjs <reporter output> <n8n version> <node version> <flavour> <seconds> \
//     [<commit> [<test files asked for>…]]
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { workDir } from './paths.mjs';

export const resultsDir = join(workDir, 'results');

const [lines, version, node, flavour, seconds, commit = 'unknown', ...asked] =
	process.argv.slice(2);
if (!lines || !version) {
	console.error(
		'usage: node test/e2e/lib/record-results.mjs <reporter output> <n8n version> <node> <flavour> <seconds> [<commit> [<files>…]]',
	);
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
	files[file] ??= { ranAt: now, commit, tests: [], figures: [] };
	if (event.kind === 'test') {
		const { name, status, reason, ms, error } = event;
		files[file].tests.push({ name, status, reason, ms, error });
	} else if (/^figure /.test(event.message)) {
		files[file].figures.push(event.message.replace(/^figure /, ''));
	}
}
Object.assign(results, {
	version,
	node,
	flavour,
	lastRun: { at: now, seconds: Number(seconds), files: Object.keys(files) },
});

// The run as a whole. A file that was asked for but reported nothing (it crashed before its first test) counts as
// failed, so that a run missing a file is never mistaken for a complete, passing one.
/** @type {Record<string, { pass: number, fail: number, skip: number, failed: string[], skipped: string[] }>} */
const counts = {};
for (const file of asked.length ? asked.map((path) => basename(path)) : Object.keys(files)) {
	counts[file] = { pass: 0, fail: 0, skip: 0, failed: [], skipped: [] };
	const tests = files[file]?.tests ?? [];
	if (tests.length === 0) counts[file].failed.push('(the file reported no test)');
	for (const test of tests) {
		if (test.status === 'pass') counts[file].pass++;
		else if (test.status === 'fail') counts[file].failed.push(test.name);
		else counts[file].skipped.push(`${test.name}: ${test.reason ?? test.status}`);
	}
	counts[file].fail = counts[file].failed.length;
	counts[file].skip = counts[file].skipped.length;
}
results.runs = [
	...(results.runs ?? []),
	{ at: now, commit, node, seconds: Number(seconds), files: counts },
].slice(-30);
// Figures vary from run to run (e.g. how closely two executions overlap): keep the last ten runs' figures too.
for (const [file, run] of Object.entries(files)) {
	const history = results.files[file]?.figureHistory ?? [];
	run.figureHistory = run.figures.length
		? [...history, { ranAt: now, figures: run.figures }].slice(-10)
		: history;
}
Object.assign(results.files, files);
await writeFile(target, `${JSON.stringify(results, null, '\t')}\n`);
console.log(`[e2e] results of n8n ${version} recorded in ${target}`);
