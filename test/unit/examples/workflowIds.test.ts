/**
 * The example workflows are imported with their ids (`n8n import:workflow` keeps them). n8n 1.x saves a
 * workflow's static data only when its id has at most 16 characters (`isWorkflowIdValid` in n8n's cli
 * utils.ts, 1.85.4 to 1.123.81): with a longer id the ConnectSafely Trigger's record of the messages it ran is
 * never saved, and after a restart a redelivery starts a second execution (docs/trigger.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const examplesDir = join(__dirname, '../../../examples');
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.json'));

test('there are example workflows to check', () => {
	expect(examples.length).toBeGreaterThan(5);
});

test.each(examples)(
	'%s has an id n8n 1.x saves static data for (at most 16 characters)',
	(file) => {
		const workflow = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { id?: unknown };
		expect(typeof workflow.id).toBe('string');
		expect((workflow.id as string).length).toBeLessThanOrEqual(16);
	},
);
