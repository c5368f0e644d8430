import { invalidInput } from './inputErrors';
import type { ItemContext } from './readFields';

const FIELD = 'Daily Limit per Account';

/**
 * The option "Daily Limit per Account" as a whole number of messages, or undefined when it was not added. An
 * expression (a warm-up ramp) may give a fraction or a number as text (mapped from a sheet): a fraction is rounded
 * down, so the limit is never exceeded; anything that is not a number of 0 or more stops the item.
 */
export function readDailyLimit(item: ItemContext, value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const limit =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value)
				: NaN;
	if (!Number.isFinite(limit) || limit < 0) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			FIELD,
			value,
			'is not a number of messages (0 or more)',
			'Enter how many messages each account may send per day, or make the expression return a number (e.g. {{ Math.min(50, 10 + 5 * $now.diff(DateTime.fromISO("2026-12-01"), "days").days) }}).',
		);
	}
	return Math.floor(limit);
}
