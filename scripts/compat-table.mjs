#!/usr/bin/env node
// Writes the compatibility tables from what the e2e suite recorded (test/e2e/.work/results/n8n-*.json, one per n8n
// version, written by test/e2e/run.sh through test/e2e/lib/record-results.mjs):
//   - docs/compatibility.md, between <!-- compat-table:start --> and <!-- compat-table:end -->: one row per n8n
//     version, from ONE run of it, dated and with its commit. The newest run that ran every e2e file is taken; only
//     when there is none, the newest run, labelled "subset: files …" (files it did not run are not failures).
//   - docs/scale.md, between <!-- overlap-table:start/end -->: the queue-mode overlap figures (08's diagnostics), and
//     between <!-- trigger-queue-table:start/end -->: the trigger behind an `n8n webhook` process (17's).
//   node scripts/compat-table.mjs            rewrite both files
//   node scripts/compat-table.mjs --print    print the tables only
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(repo, 'test', 'e2e', '.work', 'results');
const compatibilityDoc = join(repo, 'docs', 'compatibility.md');
const scaleDoc = join(repo, 'docs', 'scale.md');

/** @typedef {{ pass: number, fail: number, skip: number, failed: string[], skipped: string[] }} FileCounts */
/** @typedef {{ at: string, commit: string, node?: string, files: Record<string, FileCounts> }} Run */

/** @param {string} v */
const key = (v) => v.split('.').map(Number);
/** @param {string} a @param {string} b */
const byVersion = (a, b) => {
	const [x, y] = [key(a), key(b)];
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return 0;
};
/** `08-queue-mode.test.mjs` → `08` */
const short = (/** @type {string} */ file) => file.replace(/-.*$/, '');

function currentCommit() {
	try {
		return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
			cwd: repo,
			encoding: 'utf8',
		}).trim();
	} catch {
		return 'unknown';
	}
}

/** What a run tests: a commit that differs from HEAD only elsewhere (docs, say) ran the current code. */
const codePaths = ['nodes', 'credentials', 'examples', 'test', 'package.json', 'package-lock.json'];
/** @param {string} commit */
function sameCode(commit) {
	if (commit === 'not recorded' || commit === 'unknown') return true;
	try {
		execFileSync('git', ['diff', '--quiet', commit, 'HEAD', '--', ...codePaths], {
			cwd: repo,
			stdio: 'ignore',
		});
		return true;
	} catch {
		return false;
	}
}

/** The e2e files as they are now: a run is complete when it ran all of them. */
const e2eFiles = readdirSync(join(repo, 'test', 'e2e'))
	.filter((name) => name.endsWith('.test.mjs'))
	.sort();

/**
 * The runs of one version. Results files written before runs were kept whole have only each file's latest run: those
 * files are grouped by the moment they ran (one run.sh call stamps all its files with the same time).
 * @param {any} result
 * @returns {Run[]}
 */
function runsOf(result) {
	if (Array.isArray(result.runs) && result.runs.length) return result.runs;
	/** @type {Map<string, Run>} */
	const byTime = new Map();
	for (const [file, run] of Object.entries(result.files ?? {})) {
		const at = /** @type {string} */ (run.ranAt);
		/** @type {Run} */
		const group = byTime.get(at) ?? {
			at,
			commit: run.commit ?? 'not recorded',
			node: result.node,
			files: {},
		};
		/** @type {FileCounts} */
		const counts = { pass: 0, fail: 0, skip: 0, failed: [], skipped: [] };
		for (const test of run.tests ?? []) {
			if (test.status === 'pass') counts.pass++;
			else if (test.status === 'fail') counts.failed.push(test.name);
			else counts.skipped.push(`${test.name}: ${test.reason ?? test.status}`);
		}
		counts.fail = counts.failed.length;
		counts.skip = counts.skipped.length;
		group.files[file] = counts;
		byTime.set(at, group);
	}
	return [...byTime.values()].sort((a, b) => a.at.localeCompare(b.at));
}

/** @param {Run} run */
const isComplete = (run) => e2eFiles.every((file) => file in run.files);

if (!existsSync(resultsDir)) {
	console.error(
		`no results in ${resultsDir}: run the e2e suite first (npm test, or bash test/e2e/run.sh)`,
	);
	process.exit(1);
}
const all = readdirSync(resultsDir)
	.filter((name) => /^n8n-[\d.]+\.json$/.test(name))
	.map((name) => JSON.parse(readFileSync(join(resultsDir, name), 'utf8')))
	.sort((a, b) => byVersion(a.version, b.version));
const head = currentCommit();

const rows = [];
const notes = [];
for (const result of all) {
	const runs = runsOf(result);
	const complete = runs.filter(isComplete);
	const run = complete.at(-1) ?? runs.at(-1);
	if (!run) continue;
	const files = Object.keys(run.files).sort();
	const total = (/** @type {'pass' | 'fail' | 'skip'} */ what) =>
		files.reduce((sum, file) => sum + run.files[file][what], 0);
	const scope = isComplete(run)
		? `all ${e2eFiles.length} files`
		: `subset: files ${files.map(short).join(' ')} (${files.length} of ${e2eFiles.length})`;
	const commit = run.commit.replace(/\+$/, ' + uncommitted changes');
	const age = sameCode(run.commit.replace(/\+$/, ''))
		? ''
		: ' (older code than the current commit)';
	const node = String(run.node ?? result.node)
		.replace(/^v/, '')
		.replace(/\..*/, '');
	rows.push(
		`| **${result.version}** | ${node} | ${run.at.slice(0, 10)} | ${commit}${age} | ${scope} | ` +
			`${total('pass')} / ${total('fail')} / ${total('skip')} |`,
	);
	for (const file of files) {
		for (const name of run.files[file].failed)
			notes.push(`n8n ${result.version}, \`${file}\`: **failed** — ${name}`);
		for (const name of run.files[file].skipped)
			notes.push(`n8n ${result.version}, \`${file}\`: not run — ${name}`);
	}
}

const table = [
	'| n8n | Node | run on | commit | files | tests passed / failed / skipped |',
	'|---|---|---|---|---|---|',
	...rows,
	...(notes.length ? ['', ...notes.map((note) => `- ${note}`)] : []),
	'',
].join('\n');

/**
 * Reads the `figure …` diagnostics of one test file's runs: `figure(name)` is the latest "N of M", with the range
 * over the recorded runs when they differ.
 * @param {any} run the file's entry in a results file
 */
function figureReader(run) {
	const figures = run?.figures ?? [];
	const history = run?.figureHistory ?? [];
	/** @param {string[]} list @param {string} name */
	const count = (list, name) => {
		const match = list.find((text) => text.startsWith(`${name} `))?.match(/^\S+ (\d+) of (\d+)/);
		return match ? { n: Number(match[1]), of: Number(match[2]) } : undefined;
	};
	/** @param {string} name */
	const figure = (name) => {
		const latest = count(figures, name);
		if (!latest) return '—';
		const seen = history
			.map((/** @type {{ figures: string[] }} */ past) => count(past.figures, name)?.n)
			.filter((/** @type {number | undefined} */ n) => n !== undefined);
		const [low, high] = [Math.min(...seen), Math.max(...seen)];
		return seen.length > 1 && low !== high
			? `${latest.n} of ${latest.of} (${low}–${high} in ${seen.length} runs)`
			: `${latest.n} of ${latest.of}`;
	};
	const at = run
		? `${run.ranAt.slice(0, 10)}${run.commit ? `, ${run.commit.replace(/\+$/, '+uncommitted')}` : ''}`
		: '';
	return { any: figures.length > 0, figure, at };
}

// 08-queue-mode's figures: "overlap-option-off 50 of 50 recipients got two messages", …
const overlapRows = [];
for (const result of all) {
	const { any, figure, at } = figureReader(result.files?.['08-queue-mode.test.mjs']);
	if (!any) continue;
	overlapRows.push(
		`| ${result.version} (${at}) | ${figure('overlap-option-off')} | ${figure('overlap-option-on')} | ${figure('overlap-option-on-later')} |`,
	);
}
const overlapTable = [
	'| n8n (run on) | recipients messaged twice, option off | with *Skip Recipients Already Messaged* | sent again by the same call posted once more after both finished (option on) |',
	'|---|---|---|---|',
	...overlapRows,
].join('\n');

// 17-queue-webhook-process's figures: "trigger-redelivery-0ms 1 of 4 deliveries ran (1 replies)", …
const triggerRows = [];
for (const result of all) {
	const { any, figure, at } = figureReader(result.files?.['17-queue-webhook-process.test.mjs']);
	if (!any) continue;
	triggerRows.push(
		`| ${result.version} (${at}) | ${figure('trigger-redelivery-0ms')} | ${figure('trigger-redelivery-300ms')} | ` +
			`${figure('trigger-redelivery-5000ms')} | ${figure('trigger-pairs-saved')} | ${figure('trigger-restart-rerun')} | ` +
			`${figure('trigger-split-saved')} | ${figure('trigger-split-rerun')} |`,
	);
}
const triggerTable = [
	'| n8n (run on) | one event 4 times at once: deliveries that ran | 300 ms apart | 5 s apart | two events at once (3 pairs): records n8n saved | redeliveries that ran again after the webhook process restarted | two webhook processes, each pair split: records saved | redeliveries to the other process that ran again |',
	'|---|---|---|---|---|---|---|---|',
	...triggerRows,
].join('\n');

/**
 * @param {string} path
 * @param {string} name
 * @param {string} content
 */
function replaceBlock(path, name, content) {
	const text = readFileSync(path, 'utf8');
	const start = `<!-- ${name}:start -->`;
	const end = `<!-- ${name}:end -->`;
	const from = text.indexOf(start);
	const to = text.indexOf(end);
	if (from < 0 || to < from) {
		console.error(`${path} has no ${start} … ${end} block`);
		process.exit(1);
	}
	writeFileSync(path, `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`);
}

if (process.argv.includes('--print')) {
	console.log(`${table}\n${overlapTable}\n\n${triggerTable}`);
} else {
	replaceBlock(compatibilityDoc, 'compat-table', table);
	// Without a queue-mode run there are no figures: keep the ones the page has rather than blank them.
	if (overlapRows.length) replaceBlock(scaleDoc, 'overlap-table', overlapTable);
	else
		console.log(
			'docs/scale.md: no queue-mode figures in the results (08 did not run): its table is kept',
		);
	if (triggerRows.length) replaceBlock(scaleDoc, 'trigger-queue-table', triggerTable);
	else
		console.log(
			'docs/scale.md: no trigger figures in the results (17 did not run): its table is kept',
		);
	const incomplete = rows.filter((row) => row.includes('| subset:')).length;
	console.log(
		`docs/compatibility.md and docs/scale.md: tables written from ${all.length} results files at ${head}` +
			(incomplete ? ` (${incomplete} version(s) without a complete run: labelled "subset")` : ''),
	);
}
