/**
 * "Sending Hours": outside the window nothing is sent and no call is made; each item comes out as not sent with
 * the time the window opens, for a Wait node. Windows are chosen relative to the real current time, in fixed-offset
 * zones (Etc/GMT±n) that put the local clock where a test needs it. A daylight-saving change, a list crossing the
 * window's end and a wait for the window need a given instant: there, and only there, Date is faked (timers
 * stay real, and the faked clock moves on with real time).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ConnectSafelyApi } from '../../../credentials/ConnectSafelyApi.credentials';
import { ConnectSafely } from '../../../nodes/ConnectSafely/ConnectSafely.node';
import { runNode } from '../../harness';
import { faults } from '../../standin/faults';
import { byId, NODE_TYPE, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const HOUR = 3600_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const EVERY_DAY = WEEKDAYS;

interface Window {
	days?: string[];
	from: string;
	to: string;
	timeZone?: string;
}

function send(window: Window, options: IDataObject = {}): INodeParameters {
	return {
		resource: 'message',
		operation: 'send',
		recipient: byId('={{ $json.id }}'),
		message: 'Hello',
		options: { sendingHours: { window: { days: EVERY_DAY, ...window } }, ...options },
	};
}

const people = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ id: `person-${index + 1}` }));

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** A fixed-offset zone whose clock now shows `hour`:xx, its offset (ms) and its weekday now. */
function zoneShowing(hour: number, now = Date.now()) {
	let offsetHours = (((hour - new Date(now).getUTCHours()) % 24) + 24) % 24;
	if (offsetHours > 14) offsetHours -= 24;
	// Etc/GMT names count the other way round: Etc/GMT-2 is UTC+2.
	const timeZone =
		offsetHours === 0 ? 'UTC' : `Etc/GMT${offsetHours > 0 ? '-' : '+'}${Math.abs(offsetHours)}`;
	const offset = offsetHours * HOUR;
	const local = now + offset;
	return {
		timeZone,
		offset,
		weekday: new Date(local).getUTCDay(),
		/** Epoch ms of hh:mm on the zone's today. */
		today: (hh: number, mm = 0) =>
			Math.floor(local / (24 * HOUR)) * 24 * HOUR + (hh * 60 + mm) * 60_000 - offset,
	};
}

/** Fakes Date only, from `iso` on, moving with real time; timers stay real. */
function clockAt(iso: string): void {
	jest.useFakeTimers({
		now: Date.parse(iso),
		advanceTimers: true,
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'requestAnimationFrame',
			'cancelAnimationFrame',
			'requestIdleCallback',
			'cancelIdleCallback',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
	});
}

afterEach(() => jest.useRealTimers());

describe('outside and inside the window', () => {
	test('outside: nothing is sent, no call is made, each item is not sent (not an error) with nextWindowAt, paired', async () => {
		const now = Date.now();
		const opens = now + 2 * HOUR;
		const result = await bed.run({
			parameters: send({ from: clock(opens), to: clock(opens + HOUR), timeZone: 'UTC' }),
			items: people(2),
		});
		expect(result.nodeError).toBeUndefined();
		expect(bed.standin.requests).toHaveLength(0);
		const nextWindowAt = new Date(Math.floor(opens / 60_000) * 60_000).toISOString();
		expect(result.output).toEqual(
			[0, 1].map((index) => ({
				json: {
					notSent: true,
					reason: expect.stringMatching(
						/^Not sent: outside Sending Hours \(Sun, Mon, Tue, Wed, Thu, Fri, Sat \d\d:\d\d–\d\d:\d\d UTC\); the window opens at /,
					),
					recipient: `person-${index + 1}`,
					nextWindowAt,
				},
				pairedItem: { item: index },
			})),
		);
	});

	test('inside: every item is sent', async () => {
		const now = Date.now();
		const result = await bed.run({
			parameters: send({ from: clock(now - HOUR), to: clock(now + HOUR), timeZone: 'UTC' }),
			items: people(3),
		});
		expect(result.output.map((item) => item.json.success)).toEqual([true, true, true]);
		expect(bed.standin.delivered).toHaveLength(3);
	});

	test('a day not chosen is outside, even at the right time of day', async () => {
		const zone = zoneShowing(12);
		const otherDays = WEEKDAYS.filter((_, index) => index !== zone.weekday);
		const result = await bed.run({
			parameters: send({ days: otherDays, from: '00:00', to: '00:00', timeZone: zone.timeZone }),
			items: people(1),
		});
		expect(bed.standin.requests).toHaveLength(0);
		expect(result.output[0].json.nextWindowAt).toBe(new Date(zone.today(24)).toISOString());
	});
});

describe('a window across midnight (22:00–03:00), read at 01:xx on the clock of the zone', () => {
	const night = (days: string[], timeZone: string) =>
		send({ days, from: '22:00', to: '03:00', timeZone });

	test('belongs to the day it started: chosen yesterday, it is open now', async () => {
		const zone = zoneShowing(1);
		const yesterday = WEEKDAYS[(zone.weekday + 6) % 7];
		const result = await bed.run({
			parameters: night([yesterday], zone.timeZone),
			items: people(1),
		});
		expect(result.output[0].json.success).toBe(true);
	});

	test('chosen only today, it opens tonight at 22:00', async () => {
		const zone = zoneShowing(1);
		const result = await bed.run({
			parameters: night([WEEKDAYS[zone.weekday]], zone.timeZone),
			items: people(1),
		});
		expect(bed.standin.requests).toHaveLength(0);
		expect(result.output[0].json).toMatchObject({
			notSent: true,
			nextWindowAt: new Date(zone.today(22)).toISOString(),
		});
	});

	test("with no Time Zone, the window is read in the workflow's time zone", async () => {
		const zone = zoneShowing(1);
		const yesterday = WEEKDAYS[(zone.weekday + 6) % 7];
		const run = async (timezone: string) =>
			await runNode({
				node: new ConnectSafely(),
				type: NODE_TYPE,
				name: 'ConnectSafely',
				parameters: send({ days: [yesterday], from: '22:00', to: '03:00' }),
				credentials: bed.credentials(),
				credentialTypes: [new ConnectSafelyApi()],
				items: people(1),
				settings: { timezone },
			});
		expect((await run(zone.timeZone)).output[0].json.success).toBe(true);
		// Twelve hours away, the same window is closed.
		const far = zoneShowing(13);
		expect((await run(far.timeZone)).output[0].json.notSent).toBe(true);
	});
});

test('a workflow time zone this n8n does not know fails the item with a clear error, nothing sent', async () => {
	const result = await runNode({
		node: new ConnectSafely(),
		type: NODE_TYPE,
		name: 'ConnectSafely',
		parameters: send({ from: '09:00', to: '17:00' }),
		credentials: bed.credentials(),
		credentialTypes: [new ConnectSafelyApi()],
		items: people(1),
		settings: { timezone: 'Mars/Olympus_Mons' },
	});
	expect(result.nodeError?.message).toMatch(
		/^Sending Hours \(Time Zone\): the workflow's time zone "Mars\/Olympus_Mons" is not a time zone name/,
	);
	expect(bed.standin.requests).toHaveLength(0);
});

describe('a given instant (Date faked)', () => {
	test('daylight saving: on the Saturday before Berlin springs forward, Sunday 09:00 is 07:00 UTC (summer time), not 08:00', async () => {
		clockAt('2026-03-28T12:00:00Z');
		const result = await bed.run({
			parameters: send({ days: ['sunday'], from: '09:00', to: '17:00', timeZone: 'Europe/Berlin' }),
			items: people(1),
		});
		expect(result.output[0].json.nextWindowAt).toBe('2026-03-29T07:00:00.000Z');
	});

	test('daylight saving: a night window in New York the night the clocks go back ends at 06:00 EST (11:00 UTC)', async () => {
		clockAt('2026-11-01T10:30:00Z'); // 05:30 EST, inside Saturday's 22:00–06:00
		const night = send({
			days: ['saturday'],
			from: '22:00',
			to: '06:00',
			timeZone: 'America/New_York',
		});
		const inside = await bed.run({ parameters: night, items: people(1) });
		expect(inside.output[0].json.success).toBe(true);
		clockAt('2026-11-01T11:00:00Z');
		const after = await bed.run({ parameters: night, items: [{ id: 'someone-else' }] });
		expect(after.output[0].json.nextWindowAt).toBe('2026-11-08T03:00:00.000Z');
	});

	test('a list that reaches the end of the window stops there; the rest are not sent, with the next opening', async () => {
		clockAt('2026-12-09T16:59:50Z');
		// The second send is answered late; meanwhile the clock passes 17:00.
		bed.standin.injectFault({ ...faults.slow(1500), recipient: 'person-2' });
		const running = bed.run({
			parameters: send({ days: ['wednesday'], from: '09:00', to: '17:00', timeZone: 'UTC' }),
			items: people(4),
		});
		while (bed.standin.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
		jest.setSystemTime(Date.parse('2026-12-09T17:00:01Z'));
		const result = await running;
		expect(bed.standin.delivered.map((m) => m.recipient)).toEqual(['person-1', 'person-2']);
		expect(result.output.map((item) => item.json.notSent ?? false)).toEqual([
			false,
			false,
			true,
			true,
		]);
		expect(result.output[3].json.nextWindowAt).toBe('2026-12-16T09:00:00.000Z');
	});

	test('when the window opens within "Max Wait for Rate Limit", the node waits and sends', async () => {
		clockAt('2026-12-09T08:59:58Z');
		const started = Date.now();
		const result = await bed.run({
			parameters: send(
				{ from: '09:00', to: '17:00', timeZone: 'UTC' },
				{ maxWaitForRateLimit: 10 },
			),
			items: people(1),
		});
		expect(result.output[0].json.success).toBe(true);
		expect(Date.parse(bed.standin.requests[0].at)).toBeGreaterThanOrEqual(
			Date.parse('2026-12-09T09:00:00Z'),
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
	});

	test('when it opens later than "Max Wait for Rate Limit", the item is not sent', async () => {
		clockAt('2026-12-09T08:59:00Z');
		const result = await bed.run({
			parameters: send(
				{ from: '09:00', to: '17:00', timeZone: 'UTC' },
				{ maxWaitForRateLimit: 10 },
			),
			items: people(1),
		});
		expect(bed.standin.requests).toHaveLength(0);
		expect(result.output[0].json.nextWindowAt).toBe('2026-12-09T09:00:00.000Z');
	});

	test('with "Pause Between Messages", a send the pause could carry past the window\'s end is not started', async () => {
		clockAt('2026-12-09T16:59:55Z');
		const result = await bed.run({
			parameters: send(
				{ days: ['wednesday'], from: '09:00', to: '17:00', timeZone: 'UTC' },
				{ pauseBetweenMessages: { pause: { minSeconds: 10, maxSeconds: 10 } } },
			),
			items: people(1),
		});
		expect(bed.standin.requests).toHaveLength(0);
		expect(result.output[0].json.nextWindowAt).toBe('2026-12-16T09:00:00.000Z');
	});
});

describe('bad input: a clear error naming the field, nothing sent', () => {
	test.each([
		[{ from: '9am', to: '17:00' }, /^Sending Hours \(From\): "9am" is not a time of day/],
		[{ from: '09:00', to: '25:00' }, /^Sending Hours \(To\): "25:00" is not a time of day/],
		[
			{ from: '09:00', to: '17:00', timeZone: 'Europe/Berlinn' },
			/^Sending Hours \(Time Zone\): "Europe\/Berlinn" is not a time zone name/,
		],
		[{ days: [], from: '09:00', to: '17:00' }, /^Sending Hours \(Days\): a list of 0 names no day/],
	])('%j', async (window, message) => {
		const result = await bed.run({ parameters: send(window), items: people(2) });
		expect(result.nodeError?.message).toMatch(message);
		expect(bed.standin.requests).toHaveLength(0);
	});
});
