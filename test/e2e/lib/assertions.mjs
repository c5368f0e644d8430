// @ts-check
// Assertions the e2e files share: what the stand-in delivered, and the rate-limit block of an output item.
import assert from 'node:assert/strict';

/**
 * Each recipient got exactly one message and nobody else got any.
 * @param {import('./standin.mjs').Standin} standin
 * @param {string[]} recipients profile IDs or URNs, as the node sent them
 */
export async function assertSentOnceEach(standin, recipients) {
	const delivered = await standin.delivered();
	const got = delivered.map((message) => message.recipient);
	const duplicates = got.filter((recipient, index) => got.indexOf(recipient) !== index);
	assert.deepEqual(duplicates, [], `recipients messaged more than once: ${duplicates.join(', ')}`);
	assert.deepEqual([...got].sort(), [...recipients].sort());
}

/**
 * The `rateLimit` the node adds to every output item, from the X-RateLimit-* headers.
 * @param {any} rateLimit
 * @param {{ used?: number, limit?: number }} expected
 * @param {string} where
 */
export function assertRateLimit(rateLimit, expected, where) {
	assert.ok(rateLimit && typeof rateLimit === 'object', `${where}: no rateLimit in ${JSON.stringify(rateLimit)}`);
	assert.equal(rateLimit.action, 'MESSAGE', where);
	const limit = expected.limit ?? 150;
	assert.equal(rateLimit.limit, limit, where);
	if (expected.used !== undefined) {
		assert.equal(rateLimit.used, expected.used, where);
		assert.equal(rateLimit.remaining, limit - expected.used, where);
	}
	assert.ok(!Number.isNaN(Date.parse(rateLimit.resetsAt)), `${where}: resetsAt ${rateLimit.resetsAt}`);
}
