/** What `npm run bench` measures, as run.ts collects it and report.ts writes it up. */
import type { GuardVariantName } from './guardVariants';
import type { ProfileSummary } from './profileSummary';
import type { RunMeasure, VariantName } from './variants';

export interface Machine {
	cpus: number;
	cpuModel: string;
	memoryGb: number;
	node: string;
	n8n: string;
	n8nCore: string;
	n8nWorkflow: string;
	commit: string;
	/** `git status --porcelain` lines for nodes/ and credentials/: code measured that is not in the commit. */
	uncommittedNodeFiles: string[];
	date: string;
	loadBefore: number[];
	loadAfter?: number[];
}

export interface PackInfo {
	size: number;
	unpackedSize: number;
	files: number;
}

export interface LoadResult {
	what: 'node' | 'http';
	n8nWorkflowMs: number;
	n8nWorkflowFiles: number;
	requireMs: number;
	instantiateMs: number;
	totalMs: number;
	files: number;
}

export interface SentRequest {
	path: string;
	body: string;
	authorization: string;
}

export interface CompareResult {
	rounds: Array<Record<VariantName, RunMeasure>>;
	sent: Record<VariantName, SentRequest>;
}

export interface ScalingResult {
	runs: RunMeasure[];
}

export interface MemoryResult {
	variant: VariantName;
	n: number;
	wallMs: number;
	baseRss: number;
	baseHeap: number;
	/** getrusage maxRSS after the run (bytes). */
	peakRss: number;
	/** getrusage maxRSS just before the run: a peak above this was made by the run. */
	maxRssBefore: number;
	peakRssSampled: number;
	peakHeap: number;
	/** Heap after a full GC at the end of the execution, its result still held, minus base. */
	liveHeapAtEnd: number;
	/** Heap after a full GC once the result is dropped, minus base: what the process keeps. */
	retainedHeap: number;
	/** The longest gap between ticks of a 5 ms timer during the execution: the event loop's longest block, ms. */
	maxLoopDelayMs: number;
	/** This process's CPU time (user + system, all threads) within that longest gap, ms. */
	maxLoopDelayCpuMs?: number;
	ledgerEntries?: number;
}

export interface ProfileResult {
	variant: VariantName;
	runs: RunMeasure[];
	windowStartUs: number;
	windowEndUs: number;
}

export interface ProfiledVariant {
	result: ProfileResult;
	summary: ProfileSummary;
	file: string;
}

export interface Plan {
	quick: boolean;
	loadRuns: number;
	compare: { n: number; warmup: number; rounds: number; variants: VariantName[] };
	scaling: { sizes: Array<{ n: number; reps: number }>; variants: VariantName[] };
	memory: { sizes: number[]; runs: Partial<Record<VariantName, number[]>> };
	profile: { n: number; reps: number; variants: VariantName[] };
}

export interface Figures {
	plan: Plan;
	machine: Machine;
	pack: PackInfo;
	load: Record<'node' | 'http', LoadResult[]>;
	compare: CompareResult;
	scaling: ScalingResult;
	memory: MemoryResult[];
	profiles: Partial<Record<VariantName, ProfiledVariant>>;
	elapsedS: number;
}

/** One comparison of the guards bench (lib/guardVariants.ts): rounds of the variants, as `compare`. */
export interface GuardsPlanEntry {
	n: number;
	warmup: number;
	rounds: number;
	variants: GuardVariantName[];
}

export interface GuardsResult {
	rounds: Array<Partial<Record<GuardVariantName, RunMeasure<GuardVariantName>>>>;
	/** Calls per endpoint in each variant's warm-up run (all N items). */
	calls: Partial<Record<GuardVariantName, Record<string, number>>>;
}

/** What the guards bench measured (bench/RESULTS.guards.md). */
export interface GuardsFigures {
	quick: boolean;
	machine: Machine;
	/** The commit the "before" build (a0) was made from. */
	beforeCommit?: string;
	plan: { guards: GuardsPlanEntry; repeat: GuardsPlanEntry };
	/** Variants left out, and why (their guard is not in the build measured). */
	unavailable: Partial<Record<GuardVariantName, string>>;
	guards: GuardsResult;
	repeat: GuardsResult;
	/** The 1-minute load average, sampled every 5 s while the guards bench ran. */
	loadDuring: number[];
	elapsedS: number;
}
