import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * n8n's node panel searches a node's display name and its codex `alias` list (nodes/<Node>/<Node>.node.json), not
 * its description: a word a person types must be an alias, or the node is not found (test/e2e/09 searches the real
 * panel for "LinkedIn" and "InMail").
 */
const codexOf = (node: string) =>
	JSON.parse(readFileSync(join(__dirname, `../../nodes/${node}/${node}.node.json`), 'utf8')) as {
		alias?: string[];
		categories?: string[];
	};

const SEARCHES = [
	'LinkedIn',
	'DM',
	'direct message',
	'InMail',
	'Sales Navigator',
	'inbox',
	'reply',
	'outreach',
];

describe.each(['ConnectSafely', 'ConnectSafelyTrigger'])('%s is found where users look', (node) => {
	test.each(SEARCHES)('typing "%s" finds it', (search) => {
		const aliases = (codexOf(node).alias ?? []).map((alias) => alias.toLowerCase());
		expect(aliases).toContain(search.toLowerCase());
	});

	test("it is listed under Communication, Sales and Marketing, beside n8n's own LinkedIn node", () => {
		expect(codexOf(node).categories).toEqual(['Communication', 'Sales', 'Marketing']);
	});
});
