/**
 * n8n loads and decrypts a credential each time a node asks for it (in the app: a database read and a
 * decryption). The node reads its credential once per run and hands it to n8n's request helper, which still
 * applies it: the Bearer header comes from the credential's `authenticate`.
 */
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

test('a run of 50 items reads the credential once, and every request still carries the Bearer key', async () => {
	const items = Array.from({ length: 50 }, (_, index) => ({ id: `prospect-${index}` }));
	const result = await bed.run({
		parameters: {
			resource: 'message',
			operation: 'send',
			recipient: byId('={{ $json.id }}'),
			message: 'Hi',
		},
		items,
	});
	expect(result.output).toHaveLength(50);
	expect([...result.credentialReads.values()].reduce((sum, count) => sum + count, 0)).toBe(1);
	expect(bed.standin.requests).toHaveLength(50);
	for (const request of bed.standin.requests) {
		expect(request.headers.authorization).toBe(`Bearer ${bed.standin.apiKey}`);
	}
});
