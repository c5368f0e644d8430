import type { IDataObject } from 'n8n-workflow';

import { invalidInput } from './inputErrors';
import type { ItemContext } from './readFields';

/** The option "Pause Between Messages" read into milliseconds: each pause is drawn between the two. */
export interface PauseBounds {
	minMs: number;
	maxMs: number;
}

/** Longer pauses are a schedule's or a Wait node's job: an execution open for hours is easily lost. */
export const MAX_PAUSE_SECONDS = 3600;
const FIELD = 'Pause Between Messages';

function isPlainObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readSeconds(item: ItemContext, label: string, value: unknown): number {
	const field = `${FIELD} (${label})`;
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			field,
			value,
			'is not a number of seconds',
			`Enter a number of seconds, or make the expression return one (e.g. {{ Number($json.pause) }}).`,
		);
	}
	if (value < 0 || value > MAX_PAUSE_SECONDS) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			field,
			value,
			`is not between 0 and ${MAX_PAUSE_SECONDS} seconds`,
			`Use 0 to ${MAX_PAUSE_SECONDS} seconds; for longer gaps run the list on a schedule.`,
		);
	}
	return value;
}

/**
 * The option as n8n stores it — `{ pause: { minSeconds, maxSeconds } }` — or undefined when it was not added.
 * Expressions can yield anything, so each bound is checked for every item.
 */
export function readPauseBounds(item: ItemContext, value: unknown): PauseBounds | undefined {
	if (value === undefined || value === null) return undefined;
	const entry = isPlainObject(value) ? value.pause : value;
	if (entry === undefined) return undefined;
	if (!isPlainObject(entry)) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			FIELD,
			entry,
			'is not a minimum and a maximum',
			'Set Min Seconds and Max Seconds under Options → Pause Between Messages.',
		);
	}
	const min = readSeconds(item, 'Min Seconds', entry.minSeconds);
	const max = readSeconds(item, 'Max Seconds', entry.maxSeconds);
	if (min > max) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			`${FIELD} (Min Seconds)`,
			min,
			`is more than Max Seconds (${max})`,
			'Make Min Seconds at most Max Seconds (equal for a fixed pause).',
		);
	}
	return { minMs: Math.round(min * 1000), maxMs: Math.round(max * 1000) };
}
