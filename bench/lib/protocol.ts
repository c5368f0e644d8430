/** How a measuring child hands its result to run.ts: one line on stdout. */
export const RESULT_MARK = 'BENCH_RESULT ';

export function reportResult(result: object): void {
	process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
}
