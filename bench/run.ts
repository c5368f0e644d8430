/**
 * `npm run bench`: what the ConnectSafely node costs per item beside n8n's HTTP Request node, the
 * cheapest community node n8n allows (MinimalSend) and a bare HTTP loop; how that scales with the
 * list; memory; module load time; packed size. Writes bench/RESULTS.md and prints the headline.
 *
 * Every measurement runs in a child process (lib/child.ts, lib/loadTime.ts). BENCH_QUICK=1 runs a
 * few repetitions of everything into bench/.work/RESULTS.quick.md, to check the bench itself;
 * `--report-only` rewrites the results from the figures the last run saved in bench/.work/.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type {
	CompareResult,
	Figures,
	GuardsFigures,
	GuardsPlanEntry,
	GuardsResult,
	LoadResult,
	Machine,
	MemoryResult,
	PackInfo,
	Plan,
	ProfiledVariant,
	ProfileResult,
	ScalingResult,
} from './lib/figures';
import { beforeCommit, missing, type GuardVariantName } from './lib/guardVariants';
import { buildGuardsReport } from './lib/guardsReport';
import { BUILD_DIR, CHILD_ENTRY, n8nAppDir, ROOT, WORK_DIR } from './lib/paths';
import { summarizeProfile } from './lib/profileSummary';
import { RESULT_MARK } from './lib/protocol';
import { addedRss, buildReport } from './lib/report';
import { startStandinProcess } from './lib/standin';
import type { VariantName } from './lib/variants';

const QUICK = process.env.BENCH_QUICK === '1';
/** BENCH_ONLY=guards: only the guards bench (issue 23) → bench/RESULTS.guards.md. */
const ONLY_GUARDS = process.env.BENCH_ONLY === 'guards';

/** About 7–9 minutes on 2 cores that other jobs share; QUICK about 2. */
const PLAN: Plan = {
	quick: QUICK,
	loadRuns: QUICK ? 2 : 7,
	compare: { n: 1000, warmup: 1, rounds: QUICK ? 2 : 6, variants: ['a', 'b', 'bp', 'c', 'd'] },
	scaling: {
		sizes: [
			{ n: 100, reps: QUICK ? 2 : 7 },
			{ n: 1000, reps: QUICK ? 1 : 3 },
			{ n: 10_000, reps: QUICK ? 1 : 2 },
		],
		variants: ['a', 'c'],
	},
	memory: {
		sizes: [1000, 5000, 10_000],
		// Runs per size. Peak RSS at 10,000 items is bimodal (where V8 sets its second full GC, bench/README.md
		// finding 5): enough runs there for the median to mean something.
		runs: QUICK
			? { a: [1, 1, 1], b: [1, 1, 1], c: [1, 1, 1] }
			: { a: [2, 2, 7], b: [1, 1, 1], c: [2, 2, 5] },
	},
	profile: { n: 1000, reps: QUICK ? 1 : 2, variants: ['a', 'c'] },
};

/**
 * Issue 23: the node at bc7b53a against the node now, options off and each on (lib/guardVariants.ts). Repeat
 * Protection on its own, with fewer items: each new message waits for its store claim to be read back.
 */
const GUARDS_PLAN: GuardsFigures['plan'] = {
	// 500 items, 10 rounds: on this shared machine more pairs of runs make a steadier median than longer runs.
	guards: {
		n: 500,
		warmup: 1,
		rounds: QUICK ? 2 : 10,
		variants: [
			'a0',
			'a',
			'hours',
			'notReplied',
			'noConversation',
			'a0NoConversation',
			'dailyLimit',
		],
	},
	repeat: {
		n: QUICK ? 20 : 100,
		warmup: 1,
		rounds: QUICK ? 1 : 3,
		variants: ['a0', 'a', 'repeat'],
	},
};

const say = (text: string) => process.stderr.write(`${text}\n`);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** Run a child to its end; its stderr streams through, its BENCH_RESULT line is returned. */
async function child<T>(entry: string, args: string[], nodeFlags: string[] = []): Promise<T> {
	const proc = spawn(process.execPath, [...nodeFlags, entry, ...args], {
		stdio: ['ignore', 'pipe', 'inherit'],
		cwd: ROOT,
	});
	let out = '';
	proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
	const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
	const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
	if (code !== 0 || line === undefined) {
		throw new Error(`${entry} ${args[0]} failed (exit ${code}):\n${out.slice(-2000)}`);
	}
	return JSON.parse(line.slice(RESULT_MARK.length)) as T;
}

/** A measuring child, with `global.gc` so that each run starts from a collected heap. */
const measureChild = <T>(task: string, args: object, nodeFlags: string[] = []) =>
	child<T>(CHILD_ENTRY, [task, JSON.stringify(args)], ['--expose-gc', ...nodeFlags]);

function packageVersion(dir: string): string {
	return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
		.version;
}

function git(...args: string[]): string {
	try {
		return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
	} catch {
		return '';
	}
}

function machine(appDir: string): Machine {
	return {
		cpus: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
		cpuModel: cpus()[0]?.model ?? 'unknown',
		memoryGb: totalmem() / 2 ** 30,
		node: process.version,
		n8n: packageVersion(join(appDir, 'node_modules/n8n')),
		n8nCore: packageVersion(join(ROOT, 'node_modules/n8n-core')),
		n8nWorkflow: packageVersion(join(ROOT, 'node_modules/n8n-workflow')),
		commit: git('rev-parse', '--short', 'HEAD'),
		uncommittedNodeFiles: git('status', '--porcelain', '--', 'nodes', 'credentials')
			.split('\n')
			.filter(Boolean),
		date: new Date().toISOString(),
		loadBefore: loadavg(),
	};
}

function packedSize(): PackInfo {
	// `npm run build` just built dist/: --ignore-scripts skips prepack's second build.
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{
		size: number;
		unpackedSize: number;
		files: unknown[];
	}>;
	return { size: info.size, unpackedSize: info.unpackedSize, files: info.files.length };
}

async function loadTimes(appDir: string): Promise<Record<'node' | 'http', LoadResult[]>> {
	const results: Record<'node' | 'http', LoadResult[]> = { node: [], http: [] };
	const entry = join(BUILD_DIR, 'bench/lib/loadTime.js');
	// One untimed run of each first, so that both read their files from the page cache.
	for (let run = -1; run < PLAN.loadRuns; run++) {
		for (const what of ['node', 'http'] as const) {
			const result = await child<LoadResult>(entry, [what, appDir]);
			if (run >= 0) results[what].push(result);
		}
	}
	return results;
}

async function memoryRuns(appDir: string): Promise<MemoryResult[]> {
	const results: MemoryResult[] = [];
	// The stand-in keeps every request it receives: in its own process, that stays out of the figures.
	const { handle, stop } = await startStandinProcess();
	try {
		for (const [variant, runsBySize] of Object.entries(PLAN.memory.runs) as Array<
			[VariantName, number[]]
		>) {
			for (const [sizeIndex, n] of PLAN.memory.sizes.entries()) {
				const runs = runsBySize[sizeIndex];
				for (let run = 0; run < runs; run++) {
					const result = await measureChild<MemoryResult>('memory', {
						placement: 'process',
						handle,
						appDir,
						variant,
						n,
					});
					say(`  ${variant} N=${n} run ${run + 1}/${runs}: +${mb(addedRss(result))} MB peak RSS`);
					results.push(result);
				}
			}
		}
	} finally {
		await stop();
	}
	return results;
}

async function profiles(appDir: string): Promise<Partial<Record<VariantName, ProfiledVariant>>> {
	const dir = join(WORK_DIR, 'profiles');
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const profiled: Partial<Record<VariantName, ProfiledVariant>> = {};
	const { n, reps, variants } = PLAN.profile;
	for (const variant of variants) {
		const name = `${variant}.cpuprofile`;
		const result = await measureChild<ProfileResult>(
			'profile',
			{ placement: 'inline', appDir, variant, n, reps },
			['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`],
		);
		const file = join(dir, name);
		const summary = summarizeProfile(file, {
			startUs: result.windowStartUs,
			endUs: result.windowEndUs,
		});
		profiled[variant] = { result, summary, file };
	}
	for (const stray of readdirSync(dir)) {
		if (!stray.endsWith('.cpuprofile')) rmSync(join(dir, stray));
	}
	return profiled;
}

/** The guards bench: its variants that the builds at hand can run, in child processes, the load sampled meanwhile. */
async function guardsBench(appDir: string): Promise<GuardsFigures> {
	const started = performance.now();
	const info = machine(appDir);
	const loadDuring = [loadavg()[0]];
	const sampler = setInterval(() => loadDuring.push(loadavg()[0]), 5000);
	const unavailable: Partial<Record<GuardVariantName, string>> = {};
	const runnable = (entry: GuardsPlanEntry): GuardsPlanEntry => ({
		...entry,
		variants: entry.variants.filter((variant) => {
			const why = missing(variant);
			if (why !== undefined) unavailable[variant] = why;
			return why === undefined;
		}),
	});
	try {
		const plan = { guards: runnable(GUARDS_PLAN.guards), repeat: runnable(GUARDS_PLAN.repeat) };
		const guardsPlan = plan.guards;
		say(`== guards (issue 23), N = ${guardsPlan.n}: ${guardsPlan.variants.join(' ')} interleaved`);
		const guards = await measureChild<GuardsResult>('guards', {
			placement: 'inline',
			...guardsPlan,
		});
		const repeatPlan = plan.repeat;
		let repeat: GuardsResult = { rounds: [], calls: {} };
		if (repeatPlan.variants.includes('repeat')) {
			say(
				`== Repeat Protection, N = ${repeatPlan.n}: ${repeatPlan.variants.join(' ')} interleaved`,
			);
			repeat = await measureChild<GuardsResult>('guards', { placement: 'inline', ...repeatPlan });
		}
		info.loadAfter = loadavg();
		return {
			quick: QUICK,
			machine: info,
			beforeCommit: beforeCommit(),
			plan,
			unavailable,
			guards,
			repeat,
			loadDuring,
			elapsedS: (performance.now() - started) / 1000,
		};
	} finally {
		clearInterval(sampler);
	}
}

function writeGuardsReport(figures: GuardsFigures): void {
	const { markdown, headline } = buildGuardsReport(figures);
	const target = figures.quick
		? join(WORK_DIR, 'RESULTS.guards.quick.md')
		: join(ROOT, 'bench/RESULTS.guards.md');
	writeFileSync(target, markdown);
	say(`\nWrote ${target.replace(`${ROOT}/`, '')}`);
	for (const line of headline) say(`  ${line}`);
}

const guardsFiguresFile = () =>
	join(WORK_DIR, QUICK ? 'guards-figures.quick.json' : 'guards-figures.json');

function saveGuards(figures: GuardsFigures): void {
	mkdirSync(WORK_DIR, { recursive: true });
	writeFileSync(guardsFiguresFile(), JSON.stringify(figures, null, '\t'));
	writeGuardsReport(figures);
}

function writeReport(figures: Figures): void {
	const { markdown, headline } = buildReport(figures, ROOT);
	const target = figures.plan.quick
		? join(WORK_DIR, 'RESULTS.quick.md')
		: join(ROOT, 'bench/RESULTS.md');
	writeFileSync(target, markdown);
	say(`\nWrote ${target.replace(`${ROOT}/`, '')}`);
	for (const line of headline) say(`  ${line}`);
}

async function main(): Promise<void> {
	if (process.argv.includes('--report-only')) {
		// Rewrite RESULTS.md from the figures of the last run (after a change to the report's wording).
		const file = join(WORK_DIR, QUICK ? 'figures.quick.json' : 'figures.json');
		if (!ONLY_GUARDS) writeReport(JSON.parse(readFileSync(file, 'utf8')) as Figures);
		if (existsSync(guardsFiguresFile())) {
			writeGuardsReport(JSON.parse(readFileSync(guardsFiguresFile(), 'utf8')) as GuardsFigures);
		}
		return;
	}
	const started = performance.now();
	const appDir = n8nAppDir();
	if (ONLY_GUARDS) {
		saveGuards(await guardsBench(appDir));
		return;
	}
	const info = machine(appDir);
	say(
		`bench: ${info.cpus} CPUs, ${info.cpuModel}, Node ${info.node}, n8n ${info.n8n}${QUICK ? ' (quick)' : ''}`,
	);

	say('== packed size');
	const pack = packedSize();
	say(`  ${pack.size} bytes`);

	say('== module load (a fresh process per run)');
	const load = await loadTimes(appDir);

	const { n, variants } = PLAN.compare;
	say(`== per item at N = ${n}: ${variants.join(' ')} interleaved (stand-in in the same process)`);
	const compare = await measureChild<CompareResult>('compare', {
		placement: 'inline',
		appDir,
		...PLAN.compare,
	});

	const guards = await guardsBench(appDir);

	say('== scaling (stand-in in the same process)');
	const scaling = await measureChild<ScalingResult>('scaling', {
		placement: 'inline',
		...PLAN.scaling,
	});

	say('== memory (a fresh process per run; stand-in in its own process)');
	const memory = await memoryRuns(appDir);

	say('== CPU profiles');
	const profiled = await profiles(appDir);

	info.loadAfter = loadavg();
	const figures: Figures = {
		plan: PLAN,
		machine: info,
		pack,
		load,
		compare,
		scaling,
		memory,
		profiles: profiled,
		elapsedS: (performance.now() - started) / 1000,
	};
	mkdirSync(WORK_DIR, { recursive: true });
	writeFileSync(
		join(WORK_DIR, QUICK ? 'figures.quick.json' : 'figures.json'),
		JSON.stringify(figures, null, '\t'),
	);
	writeReport(figures);
	saveGuards(guards);
}

main().catch((error: unknown) => {
	say(error instanceof Error ? (error.stack ?? error.message) : String(error));
	process.exit(1);
});
