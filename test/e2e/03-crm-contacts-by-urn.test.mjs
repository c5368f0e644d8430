// @ts-check
// examples/03-crm-contacts-by-urn.json: HubSpot-shaped contacts, deduplicated, messaged by profile URN.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertSentOnceEach } from './lib/assertions.mjs';
import { Suite } from './lib/suite.mjs';

describe('example 3: CRM contacts by profile URN', () => {
	/** @type {Suite} */
	let suite;
	/** @type {import('./lib/n8n.mjs').Execution} */
	let run;

	before(async () => {
		suite = await Suite.start({ name: 'crm' });
		run = await suite.run('03-crm-contacts-by-urn.json');
	});
	after(() => suite?.dispose());

	it('runs to the end in n8n', () => {
		assert.equal(run.status, 'success', run.describe());
		assert.equal(run.items('HubSpot contacts (sample)').length, 4, 'four contacts, one of them twice');
	});

	it('addresses each contact by URN, with no recipient ID and no profile lookup', async () => {
		const requests = await suite.api.requests();
		assert.deepEqual(
			requests.map((request) => request.body),
			[
				{
					recipientProfileUrn: 'urn:li:fsd_profile:ACoAAAmaraOkafor',
					message:
						"Hi Amara, following up on Northwind's interest: may I send over a short proposal?",
				},
				{
					recipientProfileUrn: 'urn:li:fsd_profile:ACoAABrunoSilva',
					message: "Hi Bruno, following up on Contoso's interest: may I send over a short proposal?",
				},
				{
					recipientProfileUrn: 'urn:li:fsd_profile:ACoAAChenJing',
					message: "Hi Chen, following up on Fabrikam's interest: may I send over a short proposal?",
				},
			],
		);
	});

	it('messages the contact who sits on two lists once', async () => {
		await assertSentOnceEach(suite.api, [
			'urn:li:fsd_profile:ACoAAAmaraOkafor',
			'urn:li:fsd_profile:ACoAABrunoSilva',
			'urn:li:fsd_profile:ACoAAChenJing',
		]);
	});

	it('outputs the URN ConnectSafely confirms for each contact', () => {
		assert.deepEqual(
			run.items('Message each contact').map((item) => item.recipientProfileUrn),
			[
				'urn:li:fsd_profile:ACoAAAmaraOkafor',
				'urn:li:fsd_profile:ACoAABrunoSilva',
				'urn:li:fsd_profile:ACoAAChenJing',
			],
		);
	});
});
