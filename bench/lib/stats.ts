/** Small statistics for a handful of runs. */

export interface Spread {
	min: number;
	median: number;
	max: number;
	count: number;
}

export function median(values: number[]): number {
	const sorted = [...values].sort((x, y) => x - y);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function spread(values: number[]): Spread {
	return {
		min: Math.min(...values),
		median: median(values),
		max: Math.max(...values),
		count: values.length,
	};
}

/** Ratios of paired runs (same round), so that what the machine did during a round cancels out. */
export function pairwiseRatios(numerators: number[], denominators: number[]): Spread {
	return spread(numerators.map((value, index) => value / denominators[index]));
}
