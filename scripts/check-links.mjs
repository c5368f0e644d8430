#!/usr/bin/env node
// Fails when a link in the documentation points nowhere: every relative link and image in README.md, CHANGELOG.md,
// docs/*.md and the READMEs of examples/, test/e2e/ and bench/ must name a file or folder of the repository, and
// every #anchor must name a heading (or an <a id/name>) of its target, with GitHub's heading slugs. Web addresses
// are not fetched (CI runs offline). `npm test` runs it next to lint.
//   node scripts/check-links.mjs                 the files above
//   node scripts/check-links.mjs <file.md>…      these files
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function defaultFiles() {
	const docs = existsSync(join(repo, 'docs'))
		? readdirSync(join(repo, 'docs'))
				.filter((name) => name.endsWith('.md'))
				.map((name) => join('docs', name))
		: [];
	return [
		'README.md',
		'CHANGELOG.md',
		...docs,
		'examples/README.md',
		'test/e2e/README.md',
		'bench/README.md',
	]
		.map((file) => join(repo, file))
		.filter((path) => existsSync(path));
}

/** Code blocks and code spans hold text, not links: blank them out, keeping line breaks so line numbers stay. */
function withoutCode(/** @type {string} */ text) {
	const blank = (/** @type {string} */ part) => part.replace(/[^\n]/g, ' ');
	return text
		.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank)
		.replace(/(`+)[^`\n]*?\1/g, blank);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, … */
function slug(/** @type {string} */ heading) {
	return heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/<[^>]+>/g, '')
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

/** @type {Map<string, Set<string>>} */
const anchorCache = new Map();
function anchorsOf(/** @type {string} */ path) {
	const cached = anchorCache.get(path);
	if (cached) return cached;
	const anchors = new Set();
	/** @type {Map<string, number>} */
	const seen = new Map();
	const text = readFileSync(path, 'utf8').replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
	for (const match of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
		const base = slug(match[1]);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
	anchorCache.set(path, anchors);
	return anchors;
}

/**
 * Every link target of a Markdown file, with its line.
 * @param {string} text
 */
function linksOf(text) {
	const plain = withoutCode(text);
	/** @type {Array<{ target: string, line: number }>} */
	const links = [];
	const lineAt = (/** @type {number} */ index) => plain.slice(0, index).split('\n').length;
	// [text](target "title") and ![alt](target), the text possibly across lines; <target> allowed.
	for (const match of plain.matchAll(
		/\]\(\s*(<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+"[^"]*")?\s*\)/g,
	)) {
		links.push({ target: match[1].replace(/^<|>$/g, ''), line: lineAt(match.index ?? 0) });
	}
	// [label]: target (reference definitions)
	for (const match of plain.matchAll(/^\s{0,3}\[[^\]]+\]:\s*(\S+)/gm)) {
		links.push({ target: match[1].replace(/^<|>$/g, ''), line: lineAt(match.index ?? 0) });
	}
	return links;
}

const files =
	process.argv.length > 2 ? process.argv.slice(2).map((file) => resolve(file)) : defaultFiles();
const problems = [];
let checked = 0;
for (const file of files) {
	for (const { target, line } of linksOf(readFileSync(file, 'utf8'))) {
		if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // https:, mailto:, …
		checked++;
		const where = `${relative(repo, file)}:${line}`;
		const [pathPart, anchor] = target.split('#', 2);
		const path = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
		if (!existsSync(path)) {
			problems.push(`${where}: ${target} — no such file or folder (${relative(repo, path)})`);
			continue;
		}
		if (anchor === undefined || anchor === '') continue;
		if (statSync(path).isDirectory() || !path.endsWith('.md')) {
			problems.push(`${where}: ${target} — an anchor into something that is not a Markdown file`);
			continue;
		}
		if (!anchorsOf(path).has(decodeURIComponent(anchor).toLowerCase())) {
			problems.push(`${where}: ${target} — ${relative(repo, path)} has no heading for #${anchor}`);
		}
	}
}

if (problems.length > 0) {
	console.error(`check-links: ${problems.length} broken link(s):`);
	for (const problem of problems) console.error(`  ${problem}`);
	process.exit(1);
}
console.log(`check-links: ${checked} relative links in ${files.length} files resolve`);
