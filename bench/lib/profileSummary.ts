/**
 * Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and says where the time went: self time by
 * owner (the node, n8n-core, n8n-workflow, axios, Node.js, GC, idle…), the functions with the most
 * self time, and the inclusive time of the functions that belong to a node. Only samples inside the
 * measured window count, when one is given.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export interface TimeShare {
	name: string;
	ms: number;
	/** Share of all sampled time in the window (idle included). */
	percent: number;
}

export interface ProfileSummary {
	/** Sampled time in the window, ms. */
	totalMs: number;
	/** Whether the window was applied (false: the clocks did not line up and the whole profile counts). */
	windowed: boolean;
	byOwner: TimeShare[];
	topSelf: TimeShare[];
	/** Inclusive time of functions in the node's own files (or the fixture's), by function. */
	nodeInclusive: TimeShare[];
	/** Inclusive time of a few n8n entry points a node calls. */
	n8nInclusive: TimeShare[];
}

/** Who owns a frame: a package, the node, Node.js, or V8's own buckets. */
export function ownerOf(frame: CallFrame): string {
	const { url, functionName } = frame;
	if (functionName === '(garbage collector)') return 'GC';
	if (functionName === '(idle)') return 'idle (waiting for I/O)';
	if (functionName === '(program)') return 'V8 (program)';
	if (functionName === '(root)') return 'root';
	if (url.includes('/dist/nodes/ConnectSafely/') || url.includes('/dist/credentials/'))
		return 'ConnectSafely node';
	if (url.includes('/test/fixtures/')) return 'MinimalSend node';
	if (url.includes('/test/harness/')) return 'test harness (stands in for the app)';
	if (url.includes('/test/standin/')) return 'stand-in API server (same process)';
	if (url.includes('/bench/')) return 'benchmark';
	const packages = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
	if (packages) return packages[packages.length - 1].slice('node_modules/'.length);
	if (url.startsWith('node:')) return 'Node.js core';
	return 'V8 builtins / native';
}

function frameLabel(frame: CallFrame): string {
	const file = frame.url
		.replace(/^.*node_modules\//, '')
		.replace(/^.*\/(dist|bench|test)\//, '$1/');
	const name = frame.functionName || '(anonymous)';
	return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

const N8N_ENTRY_POINTS = [
	'getNodeParameter',
	'_getNodeParameter',
	'getParameterValue',
	'httpRequestWithAuthentication',
	'requestWithAuthentication',
	'getCredentials',
	'_getCredentials',
	'authenticate',
	'httpRequest',
	'proxyRequestToAxios',
	'invokeAxios',
	'request',
];

function shares(map: Map<string, number>, totalMs: number, limit: number): TimeShare[] {
	return [...map.entries()]
		.sort((x, y) => y[1] - x[1])
		.slice(0, limit)
		.map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / 1000 / totalMs }));
}

export function summarizeProfile(
	path: string,
	window?: { startUs: number; endUs: number },
): ProfileSummary {
	const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);

	const useWindow =
		window !== undefined &&
		window.startUs >= profile.startTime &&
		window.endUs <= profile.endTime + 1_000_000;
	const selfUs = new Map<number, number>();
	let totalUs = 0;
	let time = profile.startTime;
	for (let index = 0; index < profile.samples.length; index++) {
		time += profile.timeDeltas[index];
		const weight = profile.timeDeltas[index + 1] ?? 0;
		if (useWindow && (time < window.startUs || time > window.endUs)) continue;
		const id = profile.samples[index];
		selfUs.set(id, (selfUs.get(id) ?? 0) + weight);
		totalUs += weight;
	}
	const totalMs = totalUs / 1000;

	const byOwner = new Map<string, number>();
	const bySelf = new Map<string, number>();
	const nodeInclusive = new Map<string, number>();
	const n8nInclusive = new Map<string, number>();
	for (const [id, us] of selfUs) {
		const frame = byId.get(id)!.callFrame;
		const owner = ownerOf(frame);
		byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
		const label = `${frameLabel(frame)} [${owner}]`;
		bySelf.set(label, (bySelf.get(label) ?? 0) + us);
		// Inclusive: every distinct function on the stack of this sample gets its time once.
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const callFrame = byId.get(at)!.callFrame;
			const callOwner = ownerOf(callFrame);
			const key = frameLabel(callFrame);
			if (seen.has(key)) continue;
			seen.add(key);
			if (callOwner === 'ConnectSafely node' || callOwner === 'MinimalSend node') {
				nodeInclusive.set(key, (nodeInclusive.get(key) ?? 0) + us);
			} else if (
				(callOwner === 'n8n-core' || callOwner === 'n8n-workflow') &&
				N8N_ENTRY_POINTS.includes(callFrame.functionName)
			) {
				n8nInclusive.set(key, (n8nInclusive.get(key) ?? 0) + us);
			}
		}
	}
	return {
		totalMs,
		windowed: useWindow,
		byOwner: shares(byOwner, totalMs, 20),
		topSelf: shares(bySelf, totalMs, 25),
		nodeInclusive: shares(nodeInclusive, totalMs, 25),
		n8nInclusive: shares(n8nInclusive, totalMs, 15),
	};
}
