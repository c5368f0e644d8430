/**
 * One measurement, in a fresh process: `node child.js <task> '<json args>'`. Prints progress on
 * stderr and one `BENCH_RESULT {...}` line on stdout. run.ts starts these.
 */
// n8n-core reads its user folder and settings when it loads: the harness env must come first.
import '../../test/harness/env';

import { performance } from 'node:perf_hooks';

import { shutdownN8nCore } from '../../test/harness';
import {
	deduplicationStore,
	forgetEarlierRuns,
	runGuardVariant,
	type GuardVariantName,
} from './guardVariants';
import { reportResult } from './protocol';
import {
	inlineStandin,
	remoteStandin,
	type BenchStandin,
	type StandinHandle,
	type StandinPlacement,
} from './standin';
import { loadNodeTypes, runVariant, VARIANTS, type RunMeasure, type VariantName } from './variants';

const log = (text: string) => process.stderr.write(`  ${text}\n`);

function gc(): void {
	const collect = (globalThis as { gc?: () => void }).gc;
	if (collect) {
		collect();
		collect();
	}
}

interface ChildArgs {
	/** Where the stand-in runs: in this process, or in the one `handle` points at. */
	placement: StandinPlacement;
	handle?: StandinHandle;
	appDir?: string;
}

interface MeasureArgs {
	standin: BenchStandin;
	appDir?: string;
}

/**
 * A clean start for a run: the stand-in reset, the send ledger emptied (it keeps every execution's entries after
 * a run returns, so without this a run would carry what all earlier runs sent) and a collected heap.
 */
async function cleanStart(
	args: MeasureArgs,
	types: ReturnType<typeof loadNodeTypes>,
): Promise<void> {
	await args.standin.reset();
	types.clearLedger();
	gc();
}

/** One run of a variant from a clean start, so runs do not tax each other. */
async function measure(variant: VariantName, n: number, args: MeasureArgs): Promise<RunMeasure> {
	const types = loadNodeTypes({ appDir: variant.startsWith('b') ? args.appDir : undefined });
	await cleanStart(args, types);
	return await runVariant(variant, n, args.standin, types);
}

/** What each variant actually sent in its warm-up: the benchmark compares like with like. */
async function firstRequest(
	args: MeasureArgs,
): Promise<{ body: string; authorization: string; path: string }> {
	const [first] = await args.standin.requests();
	return {
		path: first.path,
		body: first.rawBody,
		authorization: String(first.headers.authorization ?? '').replace(/Bearer .+/, 'Bearer <key>'),
	};
}

/** a b c d a b c d …: warm-up rounds, then measured rounds. */
async function compare(
	args: MeasureArgs & { n: number; warmup: number; rounds: number; variants: VariantName[] },
) {
	const rounds: Record<string, RunMeasure>[] = [];
	const sent: Record<string, unknown> = {};
	for (let round = -args.warmup; round < args.rounds; round++) {
		const measured: Record<string, RunMeasure> = {};
		for (const variant of args.variants) {
			measured[variant] = await measure(variant, args.n, args);
			if (round === -args.warmup) sent[variant] = await firstRequest(args);
		}
		const line = args.variants
			.map((v) => `${v} ${((measured[v].wallMs * 1000) / args.n).toFixed(0)}`)
			.join('  ');
		log(`${round < 0 ? 'warm-up' : `round ${round + 1}/${args.rounds}`}: µs/item ${line}`);
		if (round >= 0) rounds.push(measured);
	}
	return { rounds, sent };
}

/** Calls per endpoint (`GET /linkedin/conversations/exists/{id}`: the item's id left out), from the stand-in's record. */
function callsByEndpoint(
	requests: Array<{ method: string; path: string }>,
): Record<string, number> {
	const calls: Record<string, number> = {};
	for (const { method, path } of requests) {
		const endpoint = `${method} ${path.replace(/prospect-\d+/g, '{id}')}`;
		calls[endpoint] = (calls[endpoint] ?? 0) + 1;
	}
	return calls;
}

/**
 * Issue 23: the node before the guard list, now, and now with one guard's option on (guardVariants.ts), in rounds
 * as in `compare`. The calls each variant made in its warm-up run are counted per endpoint.
 */
async function guards(
	args: MeasureArgs & { n: number; warmup: number; rounds: number; variants: GuardVariantName[] },
) {
	const rounds: Array<Record<string, RunMeasure<GuardVariantName>>> = [];
	const calls: Record<string, Record<string, number>> = {};
	const store = await deduplicationStore();
	for (let round = -args.warmup; round < args.rounds; round++) {
		const measured: Record<string, RunMeasure<GuardVariantName>> = {};
		// Each round starts one variant further on, so that no variant always follows the same one.
		const shift = Math.max(round, 0) % args.variants.length;
		const order = [...args.variants.slice(shift), ...args.variants.slice(0, shift)];
		for (const variant of order) {
			await args.standin.reset();
			await forgetEarlierRuns();
			gc();
			measured[variant] = await runGuardVariant(variant, args.n, args.standin);
			if (round === -args.warmup) {
				calls[variant] = callsByEndpoint(await args.standin.requests());
				// n8n's deduplication store: not the API, but a call all the same (a database round trip in the app).
				for (const { method } of store.calls) {
					const name = `n8n store ${method}`;
					calls[variant][name] = (calls[variant][name] ?? 0) + 1;
				}
			}
		}
		const line = args.variants
			.map((v) => `${v} ${((measured[v].wallMs * 1000) / args.n).toFixed(0)}`)
			.join('  ');
		log(`${round < 0 ? 'warm-up' : `round ${round + 1}/${args.rounds}`}: µs/item ${line}`);
		if (round >= 0) rounds.push(measured);
	}
	return { rounds, calls };
}

/** µs per item at several list sizes, variants interleaved at each size. */
async function scaling(
	args: MeasureArgs & { sizes: Array<{ n: number; reps: number }>; variants: VariantName[] },
) {
	const runs: RunMeasure[] = [];
	for (const variant of args.variants) await measure(variant, 1000, args);
	for (const { n, reps } of args.sizes) {
		for (let rep = 0; rep < reps; rep++) {
			for (const variant of args.variants) {
				const run = await measure(variant, n, args);
				runs.push(run);
				log(
					`N=${n} ${variant} rep ${rep + 1}/${reps}: ${((run.wallMs * 1000) / n).toFixed(0)} µs/item`,
				);
			}
		}
	}
	return { runs };
}

/**
 * Peak memory of one execution of `n` items, after a small warm-up run (code loaded and compiled).
 * Peak RSS is the kernel's high-water mark (getrusage); the heap is sampled every 5 ms.
 */
async function memory(args: MeasureArgs & { variant: VariantName; n: number }) {
	const types = loadNodeTypes({ appDir: args.variant.startsWith('b') ? args.appDir : undefined });
	await measure(args.variant, 20, args);
	await cleanStart(args, types);
	const before = process.memoryUsage();
	const maxRssBefore = process.resourceUsage().maxRSS * 1024;
	let peakHeap = before.heapUsed;
	let peakRssSampled = before.rss;
	// The longest gap between two ticks of this 5 ms timer is the longest the execution kept the event loop
	// from anything else (other executions, webhooks, health checks). (monitorEventLoopDelay missed a 2.6 s
	// block here: it reported 0.18 s.)
	// This process's CPU time within that gap tells a block of its own work from time the machine did not give it
	// (on a loaded machine the process waits for a core, and the gap grows with nobody's code running).
	let lastTick = performance.now();
	let lastCpu = process.cpuUsage();
	let longestGapMs = 0;
	let longestGapCpuMs = 0;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakHeap = Math.max(peakHeap, now.heapUsed);
		peakRssSampled = Math.max(peakRssSampled, now.rss);
		const tick = performance.now();
		const cpu = process.cpuUsage();
		if (tick - lastTick > longestGapMs) {
			longestGapMs = tick - lastTick;
			longestGapCpuMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
		}
		lastTick = tick;
		lastCpu = cpu;
	}, 5);
	let run: RunMeasure | undefined = await runVariant(
		args.variant,
		args.n,
		args.standin,
		types,
		true,
	);
	clearInterval(sampler);
	const peakRss = process.resourceUsage().maxRSS * 1024;
	// What the ledger keeps of this execution (it started empty): read before anything else can change it.
	const ledgerEntries = types.ledgerSize();
	const wallMs = run.wallMs;
	// What the finished execution holds (its run data: input and output items), garbage collected away.
	gc();
	const liveHeapAtEnd = process.memoryUsage().heapUsed - before.heapUsed;
	run = undefined;
	// The execution is over and its result dropped: what stays is what the process keeps afterwards.
	// Promise jobs of the finished execution still hold its run data until they have run: let them.
	for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
	gc();
	const after = process.memoryUsage();
	return {
		variant: args.variant,
		n: args.n,
		wallMs,
		baseRss: before.rss,
		baseHeap: before.heapUsed,
		peakRss,
		maxRssBefore,
		peakRssSampled,
		peakHeap,
		liveHeapAtEnd,
		retainedHeap: after.heapUsed - before.heapUsed,
		rssAfter: after.rss,
		maxLoopDelayMs: longestGapMs,
		maxLoopDelayCpuMs: longestGapCpuMs,
		ledgerEntries,
	};
}

/**
 * Runs of one variant for the CPU profile. The child runs under `node --cpu-prof`; the window of the
 * measured runs (process.hrtime, the profiler's clock) lets the summary leave out loading and warm-up.
 */
async function profile(args: MeasureArgs & { variant: VariantName; n: number; reps: number }) {
	await measure(args.variant, args.n, args);
	const runs: RunMeasure[] = [];
	const windowStartUs = Number(process.hrtime.bigint() / 1000n);
	for (let rep = 0; rep < args.reps; rep++) runs.push(await measure(args.variant, args.n, args));
	const windowEndUs = Number(process.hrtime.bigint() / 1000n);
	return { variant: args.variant, runs, windowStartUs, windowEndUs };
}

/** What a child can be asked to measure (its first argument), each with its own arguments (the second, JSON). */
const TASKS = { compare, scaling, memory, profile, guards };

async function main(): Promise<void> {
	const [task, json] = process.argv.slice(2);
	const childArgs = JSON.parse(json ?? '{}') as ChildArgs;
	const standin =
		childArgs.placement === 'inline' ? await inlineStandin() : remoteStandin(childArgs.handle!);
	const args = { ...childArgs, standin };
	const started = performance.now();
	const run = Object.prototype.hasOwnProperty.call(TASKS, task)
		? (TASKS[task as keyof typeof TASKS] as (taskArgs: unknown) => Promise<unknown>)
		: undefined;
	if (run === undefined) {
		throw new Error(
			`Unknown task ${task}; tasks: ${Object.keys(TASKS).join(', ')} (${Object.keys(VARIANTS)})`,
		);
	}
	const result = await run(args);
	await standin.close();
	shutdownN8nCore();
	reportResult({ ...(result as object), childMs: performance.now() - started });
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		process.stderr.write(
			`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	},
);
