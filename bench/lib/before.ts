/**
 * The figures before issue 15 (commit f2ff07c: the flat layout, with the node's own `{{ $json.x }}` template
 * fill-in), for the before/after table in RESULTS.md. Copied from that run's RESULTS.md, which is kept whole in
 * bench/RESULTS.before.md; that run saved no figures.json, so these few are written out here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BEFORE = {
	commit: 'f2ff07c',
	date: '2026-11-25',
	loadBefore: [0.56, 1.02, 1.22],
	loadAfter: [2.19, 1.49, 1.35],
	/** Medians of pairwise ratios at N = 1,000. */
	aOverB: { wall: 0.5, cpu: 0.704 },
	aOverC: { wall: 0.76, cpu: 0.789 },
	/** µs per item, medians at N = 1,000. */
	aWallUs: 917,
	aCpuUs: 1200,
	bWallUs: 1851,
	cWallUs: 1202,
	/** µs/item at N = 10,000 over N = 100 (medians). */
	scaling: 0.63,
	/** Added peak RSS at 10,000 items, MB: median, min, max of 7 runs. */
	rss10k: { median: 90, min: 89, max: 95, runs: 7 },
	/** Longest event-loop block, ms: the median at 10,000 items (that report printed medians only). */
	longestBlockMs10k: 19,
	retainedHeap10kMb: 1.5,
	ledgerEntries10k: 0,
	loadMs: 6.2,
	packedKb: 37.2,
};

export const BEFORE_FILE = 'bench/RESULTS.before.md';

/** The before run's whole write-up, its headings one level down, to follow the new figures. */
export function beforeSection(rootDir: string): string[] {
	const text = readFileSync(join(rootDir, BEFORE_FILE), 'utf8');
	return text
		.trimEnd()
		.split('\n')
		.map((line) => (line.startsWith('#') ? `#${line}` : line));
}
