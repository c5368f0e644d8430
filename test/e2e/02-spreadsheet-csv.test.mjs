// @ts-check
// examples/02-spreadsheet-csv.json: Read/Write Files from Disk + Extract From File → ConnectSafely, one message a row.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertRateLimit, assertSentOnceEach } from './lib/assertions.mjs';
import { Suite } from './lib/suite.mjs';

const rows = [
	{ id: 'jane-doe', text: 'Hi Jane, loved your talk on pipeline hygiene at SaaStr.' },
	{ id: 'omar-farouk', text: 'Hi Omar, congrats on the Series A! Happy to share what worked for other RevOps teams.' },
	{ id: 'sofia-rossi', text: 'Hi Sofia, your post on cold outreach, and the replies, made me think we should talk.' },
	{ id: 'tom-becker-42', text: 'Hi Tom, we met at the Berlin meetup; here is the deck I mentioned.' },
];

describe('example 2: prospects from a CSV file', () => {
	/** @type {Suite} */
	let suite;
	/** @type {import('./lib/n8n.mjs').Execution} */
	let run;

	before(async () => {
		suite = await Suite.start({ name: 'spreadsheet' });
		run = await suite.run('02-spreadsheet-csv.json');
	});
	after(() => suite?.dispose());

	it('reads examples/prospects.csv and extracts one item per row', () => {
		assert.equal(run.status, 'success', run.describe());
		assert.deepEqual(
			run.items('Extract rows').map((row) => row.name),
			['Jane Doe', 'Omar Farouk', 'Sofia Rossi', 'Tom Becker'],
		);
	});

	it('sends one request per row, with the recipient from the URL column and the message built from the row', async () => {
		const requests = await suite.api.requests();
		assert.deepEqual(
			requests.map((request) => [request.path, request.body]),
			rows.map((row) => ['/linkedin/conversations/send', { recipientProfileId: row.id, message: row.text }]),
		);
		await assertSentOnceEach(
			suite.api,
			rows.map((row) => row.id),
		);
	});

	it('outputs one item per row, in order, each with the rate limit after its send', () => {
		const items = run.items('Message each prospect');
		assert.equal(items.length, rows.length);
		items.forEach((item, index) => {
			assert.equal(item.success, true);
			assert.equal(item.message, rows[index].text);
			assertRateLimit(item.rateLimit, { used: index + 1 }, `row ${index}`);
		});
	});
});
