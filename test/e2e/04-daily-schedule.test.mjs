// @ts-check
// examples/04-daily-schedule.json the way users run outreach daily: published, and fired by its Schedule Trigger
// inside `n8n start`, once. Its 9:00-on-weekdays rule is set to every 30 seconds here, so that the test waits at
// most that long; everything else is the example as shipped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertSentOnceEach } from './lib/assertions.mjs';
import { waitUntil } from './lib/processes.mjs';
import { loadExample, Suite } from './lib/suite.mjs';

const TRIGGER = 'Every weekday at 9:00';

describe('example 4: a Schedule Trigger run, executed once by n8n itself', () => {
	/** @type {Suite} */
	let suite;
	/** @type {Awaited<ReturnType<import('./lib/n8n.mjs').Editor['executions']>>} */
	let executions = [];

	before(async () => {
		suite = await Suite.start({ name: 'schedule' });
		const workflow = await loadExample('04-daily-schedule.json');
		const trigger = workflow.nodes.find((/** @type {{ name: string }} */ node) => node.name === TRIGGER);
		assert.deepEqual(trigger.parameters.rule.interval, [{ field: 'cronExpression', expression: '0 9 * * 1-5' }]);
		trigger.parameters.rule.interval = [{ field: 'seconds', secondsInterval: 30 }];
		const [id] = await suite.n8n.importWorkflows(workflow);
		await suite.n8n.publishWorkflow(id);

		const editor = await suite.n8n.startEditor();
		await editor.signIn({ email: 'owner@example.com', password: 'E2e-passw0rd' });
		// Stop n8n as soon as the first scheduled execution has finished: the next tick is 30 s away.
		await waitUntil(
			async () => {
				executions = await editor.executions(id);
				return executions.some((execution) => execution.finished || execution.status !== 'running');
			},
			{ timeoutMs: 90_000, intervalMs: 500, what: 'the first scheduled execution' },
		);
		await editor.stop();
	});
	after(() => suite?.dispose());

	it('n8n ran the published workflow from its trigger, once, successfully', () => {
		assert.equal(executions.length, 1, JSON.stringify(executions));
		const [execution] = executions;
		assert.equal(execution.mode, 'trigger');
		assert.equal(execution.status, 'success', JSON.stringify(execution));
	});

	it("messaged each of the day's follow-ups once", async () => {
		const requests = await suite.api.requests();
		assert.deepEqual(
			requests.map((request) => request.body),
			[
				{
					recipientProfileId: 'dana-whitfield',
					message: 'Hi Dana, good to be in touch after the RevOps meetup. Shall we pick this up next week?',
				},
				{
					recipientProfileId: 'eli-navarro',
					message:
						'Hi Eli, good to be in touch after your post on outbound benchmarks. Shall we pick this up next week?',
				},
			],
		);
		await assertSentOnceEach(suite.api, ['dana-whitfield', 'eli-navarro']);
	});
});
