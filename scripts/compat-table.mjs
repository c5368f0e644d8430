#!/usr/bin/env node
// Writes the README's Compatibility table from what the e2e suite recorded (test/e2e/.work/results/n8n-*.json,
// one per n8n version, written by test/e2e/run.sh): which test files ran on which n8n and Node, when, and what
// was skipped and why. Replaces the lines between <!-- compat-table:start --> and <!-- compat-table:end -->, and
// the queue-mode overlap figures (08-queue-mode's diagnostics) between <!-- overlap-table:start/end -->.
//   node scripts/compat-table.mjs            rewrite README.md
//   node scripts/compat-table.mjs --print    print the table only
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(repo, 'test', 'e2e', '.work', 'results');
const readme = join(repo, 'README.md');

/** @param {string} v */
const key = (v) => v.split('.').map(Number);
/** @param {string} a @param {string} b */
const byVersion = (a, b) => {
	const [x, y] = [key(a), key(b)];
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return 0;
};

if (!existsSync(resultsDir)) {
	console.error(`no results in ${resultsDir}: run the e2e suite first (bash test/e2e/run.sh)`);
	process.exit(1);
}
const all = readdirSync(resultsDir)
	.filter((name) => /^n8n-[\d.]+\.json$/.test(name))
	.map((name) => JSON.parse(readFileSync(join(resultsDir, name), 'utf8')))
	.sort((a, b) => byVersion(a.version, b.version));

/** `08-queue-mode.test.mjs` → `08` */
const short = (/** @type {string} */ file) => file.replace(/-.*$/, '');

const rows = [];
const notes = [];
for (const result of all) {
	const files = Object.entries(result.files).sort(([a], [b]) => a.localeCompare(b));
	const passed = [];
	const failed = [];
	let pass = 0;
	let fail = 0;
	let skip = 0;
	const dates = [];
	for (const [file, run] of files) {
		dates.push(run.ranAt.slice(0, 10));
		const tests = /** @type {Array<{ status: string, name: string, reason?: string }>} */ (run.tests);
		const counts = { pass: 0, fail: 0, skip: 0 };
		for (const test of tests) {
			if (test.status === 'pass') counts.pass++;
			else if (test.status === 'fail') counts.fail++;
			else {
				counts.skip++;
				notes.push(`n8n ${result.version}, \`${file}\` — ${test.name}: not run (${test.reason ?? test.status}).`);
			}
		}
		pass += counts.pass;
		fail += counts.fail;
		skip += counts.skip;
		(counts.fail ? failed : passed).push(short(file));
	}
	const range = [...new Set(dates)].sort();
	rows.push(
		`| **${result.version}** | ${result.node.replace(/^v/, '').replace(/\..*/, '')} | ${passed.join(' ') || '—'} | ` +
			`${failed.join(' ') || '—'} | ${pass} / ${fail} / ${skip} | ${range.length > 1 ? `${range[0]} – ${range.at(-1)}` : range[0]} |`,
	);
}

// 08-queue-mode's figures: "overlap-option-off 50 of 50 recipients got two messages", …
const overlapRows = [];
for (const result of all) {
	const figures = result.files['08-queue-mode.test.mjs']?.figures ?? [];
	const history = result.files['08-queue-mode.test.mjs']?.figureHistory ?? [];
	/** @param {string[]} list @param {string} name */
	const count = (list, name) => {
		const match = list.find((text) => text.startsWith(`${name} `))?.match(/^\S+ (\d+) of (\d+)/);
		return match ? { n: Number(match[1]), of: Number(match[2]) } : undefined;
	};
	/** The latest figure, and the range over the recorded runs when there are several. @param {string} name */
	const figure = (name) => {
		const latest = count(figures, name);
		if (!latest) return '—';
		const all = history.map((run) => count(run.figures, name)?.n).filter((n) => n !== undefined);
		const [low, high] = [Math.min(...all), Math.max(...all)];
		return all.length > 1 && low !== high ? `${latest.n} of ${latest.of} (${low}–${high} in ${all.length} runs)` : `${latest.n} of ${latest.of}`;
	};
	if (!figures.length) continue;
	const ranAt = result.files['08-queue-mode.test.mjs'].ranAt.slice(0, 10);
	overlapRows.push(
		`| ${result.version} (${ranAt}) | ${figure('overlap-option-off')} | ${figure('overlap-option-on')} | ${figure('overlap-option-on-later')} |`,
	);
}
const overlapTable = [
	'| n8n (run on) | recipients messaged twice, option off | with *Skip Recipients Already Messaged* | sent again by the same call posted once more after both finished (option on) |',
	'|---|---|---|---|',
	...overlapRows,
].join('\n');

const table = [
	'| n8n | Node | e2e files passed | files with a failure | tests passed / failed / skipped | run on |',
	'|---|---|---|---|---|---|',
	...rows,
	'',
	...notes.map((note) => `- ${note}`),
].join('\n');

/**
 * @param {string} text
 * @param {string} name
 * @param {string} content
 */
function replaceBlock(text, name, content) {
	const start = `<!-- ${name}:start -->`;
	const end = `<!-- ${name}:end -->`;
	const from = text.indexOf(start);
	const to = text.indexOf(end);
	if (from < 0 || to < from) {
		console.error(`README.md has no ${start} … ${end} block`);
		process.exit(1);
	}
	return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

if (process.argv.includes('--print')) {
	console.log(`${table}\n\n${overlapTable}`);
} else {
	let text = readFileSync(readme, 'utf8');
	text = replaceBlock(text, 'compat-table', table);
	text = replaceBlock(text, 'overlap-table', overlapTable);
	writeFileSync(readme, text);
	console.log(`README.md: Compatibility and overlap tables written from ${all.length} results files`);
}
