import { invalidInput } from './inputErrors';
import type { ItemContext } from './readFields';

/** How many results a list operation returns: undefined for all of them. */
export function readLimit(
	item: ItemContext,
	returnAll: unknown,
	limit: unknown,
): number | undefined {
	if (returnAll === true) return undefined;
	const value = limit === undefined || limit === '' ? 50 : Number(limit);
	if (!Number.isInteger(value) || value < 1) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			'Limit',
			limit,
			'is not a whole number of 1 or more',
			'Enter how many results to return, or turn on Return All.',
		);
	}
	return value;
}
