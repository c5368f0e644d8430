/**
 * Turns the guards bench's figures (issue 23) into bench/RESULTS.guards.md and the headline lines run.ts prints.
 * Every ratio is a median of pairwise ratios (a round's figure over the same round's other figure), with its spread.
 */
import type { GuardsFigures, GuardsResult } from './figures';
import { GUARD_VARIANTS, type GuardVariantName } from './guardVariants';
import { pairwiseRatios, spread, type Spread } from './stats';

const f0 = (value: number) => value.toFixed(0);
const f1 = (value: number) => value.toFixed(1);
const f2 = (value: number) => value.toFixed(2);
const f3 = (value: number) => value.toFixed(3);
const thousands = (n: number) => n.toLocaleString('en-US');
const spreadText = (s: Spread, format: (v: number) => string) =>
	s.count === 1
		? format(s.median)
		: `${format(s.min)} / **${format(s.median)}** / ${format(s.max)}`;

type Measure = 'wallMs' | 'cpuMs';

function series(result: GuardsResult, variant: GuardVariantName, measure: Measure): number[] {
	return result.rounds.map((round) => {
		const run = round[variant];
		return run === undefined ? NaN : (run[measure] * 1000) / run.n;
	});
}

function has(result: GuardsResult, variant: GuardVariantName): boolean {
	return result.rounds.length > 0 && result.rounds[0][variant] !== undefined;
}

function ratio(result: GuardsResult, x: GuardVariantName, y: GuardVariantName, measure: Measure) {
	return pairwiseRatios(series(result, x, measure), series(result, y, measure));
}

/**
 * What a ratio shows, read the same way for every question: ≤ 1 by its median is "no slower"; above 1 with some
 * rounds at or below 1 is slower by the median, not in every round; above 1 in every round is slower.
 */
function verdict(s: Spread): string {
	if (s.median <= 1) return 'no slower (median ≤ 1)';
	const by = `${f0((s.median - 1) * 100)} %`;
	if (s.min <= 1) return `slower by the median (${by}), not in every round`;
	return `**slower in every round** (median ${by})`;
}

/** Calls per item by endpoint, the API's base path left out: `POST /conversations/send 1.000`. */
function callsText(calls: Record<string, number> | undefined, n: number): string {
	if (calls === undefined) return '—';
	return Object.entries(calls)
		.sort(([, x], [, y]) => y - x)
		.map(([endpoint, count]) => `${endpoint.replace(/ \/[^/]+/, ' ')} ${f3(count / n)}`)
		.join('<br>');
}

/** Only the send endpoint, once per item: the options that are off made no call. */
function onlySends(calls: Record<string, number> | undefined, n: number): boolean {
	if (calls === undefined) return false;
	const endpoints = Object.entries(calls);
	return (
		endpoints.length === 1 &&
		endpoints[0][0].endsWith('/conversations/send') &&
		endpoints[0][1] === n
	);
}

interface Question {
	text: string;
	x: GuardVariantName;
	y: GuardVariantName;
	result: GuardsResult;
}

function questionRow(q: Question): string | undefined {
	if (!has(q.result, q.x) || !has(q.result, q.y)) return undefined;
	const wall = ratio(q.result, q.x, q.y, 'wallMs');
	const cpu = ratio(q.result, q.x, q.y, 'cpuMs');
	return `| ${q.text} | ${q.x}/${q.y} | ${spreadText(wall, f3)} | ${spreadText(cpu, f3)} | wall: ${verdict(wall)}; CPU: ${verdict(cpu)} |`;
}

function variantTable(result: GuardsResult, variants: GuardVariantName[], n: number): string[] {
	const present = variants.filter((v) => has(result, v));
	const lines = [
		'| variant | wall µs/item | CPU µs/item | calls per item (warm-up run) | wall / a0 | CPU / a0 | wall / a | CPU / a |',
		'|---|---|---|---|---|---|---|---|',
	];
	for (const v of present) {
		const over = (y: GuardVariantName, measure: Measure) =>
			v === y || !has(result, y) ? '—' : spreadText(ratio(result, v, y, measure), f2);
		lines.push(
			`| ${v}: ${GUARD_VARIANTS[v].label} | ${spreadText(spread(series(result, v, 'wallMs')), f0)} | ${spreadText(spread(series(result, v, 'cpuMs')), f0)} | ${callsText(result.calls[v], n)} | ${over('a0', 'wallMs')} | ${over('a0', 'cpuMs')} | ${over('a', 'wallMs')} | ${over('a', 'cpuMs')} |`,
		);
	}
	lines.push(
		'',
		'Each round, wall µs per item (the spread the ratios come from):',
		'',
		`| round | ${present.join(' | ')} |`,
		`|---:|${present.map(() => '---:|').join('')}`,
	);
	result.rounds.forEach((round, index) => {
		lines.push(
			`| ${index + 1} | ${present.map((v) => f0((round[v]!.wallMs * 1000) / round[v]!.n)).join(' | ')} |`,
		);
	});
	return lines;
}

export function buildGuardsReport(figures: GuardsFigures): {
	markdown: string;
	headline: string[];
} {
	const { machine: m, plan, guards, repeat } = figures;
	const load = figures.loadDuring.length > 0 ? spread(figures.loadDuring) : undefined;
	const before = figures.beforeCommit ?? 'bc7b53a';
	const questions: Question[] = [
		{ text: 'Options off: now against today', x: 'a', y: 'a0', result: guards },
		{
			text: "Only If They Haven't Replied against Only If No Conversation Yet (the same exists call)",
			x: 'notReplied',
			y: 'noConversation',
			result: guards,
		},
		{
			text: 'Only If No Conversation Yet: now against today',
			x: 'noConversation',
			y: 'a0NoConversation',
			result: guards,
		},
		{
			text: "Only If They Haven't Replied against today's Only If No Conversation Yet",
			x: 'notReplied',
			y: 'a0NoConversation',
			result: guards,
		},
		{ text: 'Sending Hours on against today (off)', x: 'hours', y: 'a0', result: guards },
		{ text: 'Sending Hours on against now, off', x: 'hours', y: 'a', result: guards },
		{
			text: 'Daily Limit per Account on against today (off)',
			x: 'dailyLimit',
			y: 'a0',
			result: guards,
		},
		{
			text: 'Daily Limit per Account on against now, off',
			x: 'dailyLimit',
			y: 'a',
			result: guards,
		},
		{
			text: `Repeat Protection (N = ${plan.repeat.n}) against today`,
			x: 'repeat',
			y: 'a0',
			result: repeat,
		},
		{
			text: `Repeat Protection (N = ${plan.repeat.n}) against now, manual`,
			x: 'repeat',
			y: 'a',
			result: repeat,
		},
	];
	const rows = questions.map(questionRow).filter((row): row is string => row !== undefined);
	const offCalls = guards.calls.a;
	const unavailable = Object.entries(figures.unavailable);
	const offRatio =
		has(guards, 'a0') && has(guards, 'a') ? ratio(guards, 'a', 'a0', 'wallMs') : undefined;
	const offCpu =
		has(guards, 'a0') && has(guards, 'a') ? ratio(guards, 'a', 'a0', 'cpuMs') : undefined;

	const headline = [
		`guards, N=${thousands(plan.guards.n)}: options off makes ${onlySends(offCalls, plan.guards.n) ? 'only the sends' : 'other calls too'}; a/a0 wall ${offRatio ? f3(offRatio.median) : 'n/a'} (CPU ${offCpu ? f3(offCpu.median) : 'n/a'})`,
		`1-minute load during the guards bench: ${load ? `${f1(load.min)} / ${f1(load.median)} / ${f1(load.max)}` : 'n/a'}`,
		...(unavailable.length ? [`not measured: ${unavailable.map(([v]) => v).join(', ')}`] : []),
	];

	const lines = [
		'# Guards bench (issue 23)',
		'',
		`Written by \`npm run bench\` (bench/run.ts; \`BENCH_ONLY=guards\` runs this part alone) on ${m.date}; it took ${f0(figures.elapsedS)} s.${figures.quick ? ' **BENCH_QUICK run: too few rounds to quote.**' : ''}`,
		'What the variants are: bench/lib/guardVariants.ts; how a comparison runs: bench/README.md.',
		'',
		`- Machine: ${m.cpus} CPUs (\`nproc\`), ${m.cpuModel}, shared with other jobs. 1-minute load average sampled every 5 s during this part: ${load ? `${f1(load.min)} / **${f1(load.median)}** / ${f1(load.max)} (min / median / max of ${load.count})` : 'not sampled'}; load average (1, 5, 15 min) ${m.loadBefore.map(f2).join(' ')} at the start, ${(m.loadAfter ?? []).map(f2).join(' ')} at the end.`,
		`- Node ${m.node}; n8n-core ${m.n8nCore}, n8n-workflow ${m.n8nWorkflow}.`,
		`- Now: commit ${m.commit}${m.uncommittedNodeFiles.length ? `, with uncommitted changes in ${m.uncommittedNodeFiles.map((l) => `\`${l.slice(3)}\``).join(', ')}` : ''}, as built into \`dist/\`. Today (a0): the node at ${before}, before the send path became a list of guards (\`bash bench/before-dist.sh\`).`,
		...(unavailable.length
			? [
					`- **Not measured**: ${unavailable.map(([v, why]) => `${v} (${GUARD_VARIANTS[v as GuardVariantName].label}): ${why}`).join('; ')}.`,
				]
			: []),
		'',
		'## The questions',
		'',
		'Medians of pairwise ratios, min / **median** / max over the rounds. Read: ≤ 1 by the median is "no slower"; above 1',
		'with some rounds at or below 1, slower by the median but not in every round (on this machine, within its noise);',
		'above 1 in every round, slower.',
		'',
		`Options off, calls: the node now made ${onlySends(offCalls, plan.guards.n) ? `**only its ${thousands(plan.guards.n)} sends** (no other call)` : `**other calls besides the sends**: ${callsText(offCalls, plan.guards.n)}`} for ${thousands(plan.guards.n)} items.`,
		'',
		'| question | ratio | wall | CPU | reading |',
		'|---|---|---|---|---|',
		...rows,
		'',
		`## Per item at N = ${thousands(plan.guards.n)}`,
		'',
		`${plan.guards.rounds} rounds of ${plan.guards.variants.join(' ')} after ${plan.guards.warmup} warm-up round, in one process with the stand-in`,
		"(a full GC, a stand-in reset and emptied ledgers and stores before every run). Wall = the Send node's `execute()`;",
		"CPU = this process's user + system time over it (the stand-in's share included). min / **median** / max:",
		'',
		...variantTable(guards, plan.guards.variants, plan.guards.n),
	];
	if (repeat.rounds.length > 0) {
		lines.push(
			'',
			`## Repeat Protection, N = ${thousands(plan.repeat.n)}`,
			'',
			`${plan.repeat.rounds} rounds of ${plan.repeat.variants.join(' ')} after ${plan.repeat.warmup} warm-up round. Fewer items: with n8n's deduplication store, each new message`,
			'waits 100–250 ms before its claim is read back (delivery/repeatStore.ts, CLAIM_WAIT_MS), so wall time per item is that wait; CPU',
			"time is what the guard costs besides it. The store here is the harness's in-memory one: the app's database round trips are not in these figures.",
			'',
			...variantTable(repeat, plan.repeat.variants, plan.repeat.n),
		);
	}
	return { markdown: `${lines.join('\n')}\n`, headline };
}
