/**
 * Issue 23: "a guard whose option is off costs nothing: no call and no measurable time; the node no slower than
 * today, with the options off and with each on". The same N `send` items as (a), through the same workflow:
 *
 *   a0        the node at the last commit before the send path became a list of guards (bc7b53a), built by
 *             bench/before-dist.sh into bench/.work/before-dist: "today"
 *   a         the node now, every option off (as (a) in the main comparison)
 *   hours     + Sending Hours, a window that is always open (every day 00:00–24:00, Europe/Berlin)
 *   notReplied + Only If They Haven't Replied: the stand-in has no conversation with anyone, so one exists call per item
 *   noConversation + Only If No Conversation Yet: the same exists call per item, the option that was there before
 *   a0NoConversation  the node at bc7b53a with Only If No Conversation Yet: that option "today"
 *   dailyLimit + Daily Limit per Account, a limit no run reaches (one quota read per account and run)
 *   repeat    node version 1.1 in a production execution ('trigger'): Repeat Protection, on by default there, with
 *             n8n's deduplication store as the app has one (the harness's in-memory store; the app's is a database)
 *
 * n8n's deduplication store is there for every variant, as in the app; its calls are counted with the API's.
 * A variant whose guard is not in the build measured (`needs`: a file of dist/) is left out, and the report says so.
 * Before each run: the stand-in reset, both builds' send ledgers emptied, Repeat Protection's memory and the store
 * emptied, a full GC (child.ts): every run sends N new messages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters, INodeType, WorkflowExecuteMode } from 'n8n-workflow';

import { installMemoryDeduplication, type MemoryDeduplicator } from '../../test/harness';
import { BEFORE_DIST_DIR, DIST_DIR } from './paths';
import type { BenchStandin } from './standin';
import { connectSafelySetup, loadNodeTypes, runSetup, type RunMeasure } from './variants';

export type GuardVariantName =
	| 'a0'
	| 'a'
	| 'hours'
	| 'notReplied'
	| 'noConversation'
	| 'a0NoConversation'
	| 'dailyLimit'
	| 'repeat';

interface GuardVariant {
	label: string;
	/** The node's Options collection. */
	options?: INodeParameters;
	mode?: WorkflowExecuteMode;
	typeVersion?: number;
	/** The node at bc7b53a (bench/.work/before-dist), not the one in dist/. */
	before?: true;
	/** A file of the build that holds this variant's guard: without it the option would be ignored, not measured. */
	needs?: string;
}

const EVERY_DAY = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const GUARDS = 'nodes/ConnectSafely/delivery/guards';

export const GUARD_VARIANTS: Record<GuardVariantName, GuardVariant> = {
	a0: { label: 'the node at bc7b53a (before the guard list), options off', before: true },
	a: { label: 'the node now, options off' },
	hours: {
		label: 'Sending Hours (always open)',
		options: {
			sendingHours: {
				window: { days: EVERY_DAY, from: '00:00', to: '24:00', timeZone: 'Europe/Berlin' },
			},
		},
		needs: `${GUARDS}/sendingHours.js`,
	},
	notReplied: {
		label: "Only If They Haven't Replied (no conversation)",
		options: { onlyIfNotReplied: true },
		needs: `${GUARDS}/notReplied.js`,
	},
	noConversation: {
		label: 'Only If No Conversation Yet (no conversation)',
		options: { onlyIfNoConversationYet: true },
		needs: `${GUARDS}/existingConversation.js`,
	},
	a0NoConversation: {
		label: 'the node at bc7b53a, Only If No Conversation Yet',
		options: { onlyIfNoConversationYet: true },
		before: true,
	},
	dailyLimit: {
		label: 'Daily Limit per Account (1,000,000)',
		options: { dailyLimitPerAccount: 1_000_000 },
		needs: `${GUARDS}/dailyLimit.js`,
	},
	repeat: {
		label: 'Repeat Protection (version 1.1, trigger mode)',
		mode: 'trigger',
		typeVersion: 1.1,
		needs: `${GUARDS}/recentRepeats.js`,
	},
};

/** Why a variant cannot be measured with the builds at hand, or undefined when it can. */
export function missing(name: GuardVariantName): string | undefined {
	if (GUARD_VARIANTS[name].before) {
		return existsSync(BEFORE_DIST_DIR)
			? undefined
			: `no ${BEFORE_DIST_DIR} (bash bench/before-dist.sh)`;
	}
	const needs = GUARD_VARIANTS[name].needs;
	return needs === undefined || existsSync(join(DIST_DIR, needs))
		? undefined
		: `not in this build (no ${needs})`;
}

/** The commit the "before" build was made from (bench/before-dist.sh writes it). */
export function beforeCommit(): string | undefined {
	const file = join(BEFORE_DIST_DIR, 'COMMIT');
	return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

interface BeforeBuild {
	node: INodeType;
	clearLedger: () => void;
}

let before: BeforeBuild | undefined;
let clearRecentSends: (() => void) | undefined;
let store: MemoryDeduplicator | undefined;

/* eslint-disable @typescript-eslint/no-require-imports */
function beforeBuild(): BeforeBuild {
	if (before === undefined) {
		// A second copy of the node, with its own module state (ledger, stores): required from its own folder.
		const { ConnectSafely } = require(
			join(BEFORE_DIST_DIR, 'nodes/ConnectSafely/ConnectSafely.node.js'),
		) as { ConnectSafely: new () => INodeType };
		const ledger = require(join(BEFORE_DIST_DIR, 'nodes/ConnectSafely/delivery/sendLedger.js')) as {
			clearLedger: () => void;
		};
		before = { node: new ConnectSafely(), clearLedger: ledger.clearLedger };
	}
	return before;
}

/** Empties what any build keeps between executions, so that every run sends N new messages. */
export async function forgetEarlierRuns(): Promise<void> {
	loadNodeTypes({}).clearLedger();
	before?.clearLedger();
	if (clearRecentSends === undefined) {
		const memory = join(DIST_DIR, 'nodes/ConnectSafely/delivery/repeatMemory.js');
		clearRecentSends = existsSync(memory)
			? (require(memory) as { clearRecentSends: () => void }).clearRecentSends
			: () => {};
	}
	clearRecentSends();
	store?.clear();
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * n8n's deduplication store, as the app has one (the harness's in-memory copy), installed for every variant so that
 * its calls can be counted for each: `store.calls`.
 */
export async function deduplicationStore(): Promise<MemoryDeduplicator> {
	store ??= await installMemoryDeduplication();
	return store;
}

export async function runGuardVariant(
	name: GuardVariantName,
	n: number,
	standin: Pick<BenchStandin, 'url' | 'apiKey'>,
): Promise<RunMeasure<GuardVariantName>> {
	const variant = GUARD_VARIANTS[name];
	const types = loadNodeTypes({});
	const node = variant.before ? beforeBuild().node : types.connectSafely;
	const setup = connectSafelySetup(node, variant.options, variant.typeVersion);
	return await runSetup(name, variant.label, setup, n, standin, types, { mode: variant.mode });
}
