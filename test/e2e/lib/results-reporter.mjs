// @ts-check
// A node:test reporter that writes one JSON line per finished test and per diagnostic, for run.sh's results file
// (test/e2e/lib/record-results.mjs) and the tables of docs/compatibility.md (scripts/compat-table.mjs).
//   node --test --test-reporter=./test/e2e/lib/results-reporter.mjs --test-reporter-destination=<file> …

/**
 * @param {AsyncIterable<{ type: string, data: any }>} source
 */
export default async function* resultsReporter(source) {
	for await (const event of source) {
		const { type, data } = event;
		if (type === 'test:pass' || type === 'test:fail') {
			// A describe() block is reported as a test too; its children carry the results that count.
			if (data.details?.type === 'suite') continue;
			let status = type === 'test:pass' ? 'pass' : 'fail';
			if (data.skip !== undefined && data.skip !== false) status = 'skip';
			else if (data.todo !== undefined && data.todo !== false) status = 'todo';
			const reason = typeof data.skip === 'string' ? data.skip : typeof data.todo === 'string' ? data.todo : undefined;
			yield `${JSON.stringify({
				kind: 'test',
				file: data.file,
				name: data.name,
				status,
				reason,
				ms: Math.round(data.details?.duration_ms ?? 0),
				error: status === 'fail' ? String(data.details?.error?.message ?? data.details?.error ?? '').slice(0, 500) : undefined,
			})}\n`;
		} else if (type === 'test:diagnostic' && data.file) {
			yield `${JSON.stringify({ kind: 'diagnostic', file: data.file, message: data.message })}\n`;
		}
	}
}
