// n8n's verification scanner, run here as n8n runs it before it verifies a community package
// (`@n8n/scan-community-package`, pinned in devDependencies). n8n lints two things, both with inline eslint
// comments ignored (`allowInlineConfig: false`), so an `eslint-disable` that quiets our own lint does nothing there:
//   1. the source the npm provenance points at: package.json and nodes/, credentials/ (SOURCE_FILE_PATTERNS);
//   2. the published tarball: its compiled .js and its package.json.
// Only the provenance check and the downloads need the network; the analysis below is the scanner's own function,
// called on this checkout and on the tarball `npm pack` makes from it. Any finding fails the build.
//
//   node scripts/scan.mjs            both legs (npm pack builds first, through `prepack`)
//   node scripts/scan.mjs --source   the source leg only (seconds; what `npm run lint` runs)
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

// The scanner makes a temporary folder when it loads (for its downloads, unused here); its `tmp` library removes
// that folder at exit only when asked to.
createRequire(import.meta.resolve('@n8n/scan-community-package/scanner/scanner.mjs'))(
	'tmp',
).setGracefulCleanup();

// The tarball leg's patterns, as in the scanner's analyzePackageByName (not exported there).
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

const root = resolve(fileURLToPath(import.meta.url), '../..');
const sourceOnly = process.argv.includes('--source');

function report(leg, result) {
	if (result.passed) {
		console.log(`scan (${leg}): no findings`);
		return true;
	}
	console.error(`scan (${leg}): ${result.message}`);
	if (result.details) console.error(result.details);
	return false;
}

/** Packs the package as `npm publish` would and extracts it as the scanner does (`--strip-components=1`). */
function packAndExtract(work) {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
			// prepack's build output goes to stderr, so that stdout stays the JSON answer
			stdio: ['ignore', 'pipe', 'inherit'],
		}),
	);
	const dir = join(work, 'package');
	mkdirSync(dir);
	execFileSync('tar', ['-xzf', join(work, packed[0].filename), '-C', dir, '--strip-components=1']);
	// An empty tarball would pass (the scanner reports "No files found to analyze" as a pass).
	if (!existsSync(join(dir, 'dist', 'nodes')))
		throw new Error(`the tarball has no dist/nodes: ${dir}`);
	return dir;
}

let passed = report('source', await analyzePackage(root, SOURCE_FILE_PATTERNS));
if (!sourceOnly) {
	const work = mkdtempSync(join(tmpdir(), 'connectsafely-scan-'));
	try {
		passed =
			report('tarball', await analyzePackage(packAndExtract(work), TARBALL_FILE_PATTERNS)) &&
			passed;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}
process.exitCode = passed ? 0 : 1;
