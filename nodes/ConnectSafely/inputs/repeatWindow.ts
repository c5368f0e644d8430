import { invalidInput } from './inputErrors';
import type { ItemContext } from './readFields';

/** The option "Repeat Protection Window (Hours)" (node version 1.1): how long a production send blocks its repeat. */
export const DEFAULT_REPEAT_WINDOW_HOURS = 24;
/** The send ledger forgets after 7 days: a longer window could not be kept in memory. */
export const MAX_REPEAT_WINDOW_HOURS = 168;
const FIELD = 'Repeat Protection Window (Hours)';

/**
 * The window in whole hours as the user set it; the default when the option was not added; 0 turns the
 * protection off. Expressions can yield anything, so the value is checked for every item.
 */
export function readRepeatWindowHours(item: ItemContext, value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_REPEAT_WINDOW_HOURS;
	const hours = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof hours !== 'number' || !Number.isFinite(hours)) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			FIELD,
			value,
			'is not a number of hours',
			'Enter a number of hours (0 turns the protection off), or make the expression return one.',
		);
	}
	if (hours < 0 || hours > MAX_REPEAT_WINDOW_HOURS || !Number.isInteger(hours)) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			FIELD,
			value,
			`is not a whole number of hours from 0 to ${MAX_REPEAT_WINDOW_HOURS}`,
			`Use 0 (off) to ${MAX_REPEAT_WINDOW_HOURS} hours (7 days); for a longer memory turn on "Skip Recipients Already Messaged".`,
		);
	}
	return hours;
}
