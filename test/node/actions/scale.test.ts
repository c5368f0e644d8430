/**
 * Outreach lists are long: 10,000 items in one execution complete, one output item each, in order, with
 * each recipient messaged once.
 */
import { byId, useNodeTestBed } from '../setup';

const COUNT = 10_000;
const bed = useNodeTestBed({ dailyLimit: COUNT * 2 });

test('10,000 items in one execution: one output item each, in order, each recipient messaged once', async () => {
	const items = Array.from({ length: COUNT }, (_, index) => ({ id: `prospect-${index}` }));
	const result = await bed.run({
		parameters: {
			resource: 'message',
			operation: 'send',
			recipient: byId('={{ $json.id }}'),
			message: "={{ 'Hello ' + $json.id }}",
		},
		items,
	});
	expect(result.error).toBeUndefined();
	expect(result.output).toHaveLength(COUNT);
	result.output.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		expect(item.json.success).toBe(true);
	});
	expect(bed.standin.delivered).toHaveLength(COUNT);
	expect(new Set(bed.standin.delivered.map((message) => message.recipient)).size).toBe(COUNT);
	expect(bed.standin.delivered[COUNT - 1].recipient).toBe(`prospect-${COUNT - 1}`);
}, 300_000);
