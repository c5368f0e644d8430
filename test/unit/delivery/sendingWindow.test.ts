/**
 * Sending Hours as time: inside or outside the window, and when that changes — across midnight and across the
 * daylight-saving changes of the chosen zone, where a window keeps to the clock on the wall.
 */
import type { SendingHours } from '../../../nodes/ConnectSafely/inputs/sendingHours';
import { sendingWindowAt } from '../../../nodes/ConnectSafely/delivery/sendingWindow';

const DAYS = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function hours(
	timeZone: string,
	from: string,
	to: string,
	days: Array<keyof typeof DAYS>,
): SendingHours {
	const minutes = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));
	const chosen = [false, false, false, false, false, false, false];
	for (const day of days) chosen[DAYS[day]] = true;
	return { days: chosen, fromMinute: minutes(from), toMinute: minutes(to), timeZone };
}

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function state(window: SendingHours, now: string) {
	const answer = sendingWindowAt(window, at(now));
	return answer.open
		? { open: true, closesAt: iso(answer.closesAt) }
		: { open: false, opensAt: iso(answer.opensAt) };
}

describe('office hours on weekdays', () => {
	const office = hours('Europe/Berlin', '09:00', '17:00', ['mon', 'tue', 'wed', 'thu', 'fri']);

	test('inside: open until 17:00 local (16:00 UTC in winter)', () => {
		expect(state(office, '2026-12-09T09:00:00Z')).toEqual({
			open: true,
			closesAt: '2026-12-09T16:00:00.000Z',
		});
	});

	test('the From minute is inside, the To minute is outside', () => {
		expect(state(office, '2026-12-09T08:00:00Z').open).toBe(true);
		expect(state(office, '2026-12-09T07:59:59.999Z').open).toBe(false);
		expect(state(office, '2026-12-09T16:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-12-10T08:00:00.000Z',
		});
	});

	test('Friday evening waits for Monday morning', () => {
		expect(state(office, '2026-12-11T18:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-12-14T08:00:00.000Z',
		});
	});
});

describe('a window across midnight belongs to the day it starts', () => {
	const night = hours('Europe/Berlin', '22:00', '06:00', ['mon']);

	test('Monday 23:00 is inside, until Tuesday 06:00', () => {
		expect(state(night, '2026-12-07T22:00:00Z')).toEqual({
			open: true,
			closesAt: '2026-12-08T05:00:00.000Z',
		});
	});

	test('Tuesday 05:00 is still Monday night', () => {
		expect(state(night, '2026-12-08T04:00:00Z').open).toBe(true);
	});

	test('Monday 01:00 is Sunday night, and Sunday is not chosen', () => {
		expect(state(night, '2026-12-07T00:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-12-07T21:00:00.000Z',
		});
	});

	test('Tuesday after 06:00 waits a week', () => {
		expect(state(night, '2026-12-08T06:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-12-14T21:00:00.000Z',
		});
	});

	test('To 00:00 ends at midnight; From = To is a whole day', () => {
		const evening = hours('UTC', '18:00', '00:00', ['wed']);
		expect(state(evening, '2026-12-09T20:00:00Z')).toEqual({
			open: true,
			closesAt: '2026-12-10T00:00:00.000Z',
		});
		const monday = hours('UTC', '00:00', '00:00', ['mon']);
		expect(state(monday, '2026-12-07T12:00:00Z')).toEqual({
			open: true,
			closesAt: '2026-12-08T00:00:00.000Z',
		});
		const always = hours('UTC', '00:00', '00:00', [
			'sun',
			'mon',
			'tue',
			'wed',
			'thu',
			'fri',
			'sat',
		]);
		expect(state(always, '2026-12-07T12:00:00Z')).toEqual({ open: true, closesAt: undefined });
	});
});

describe('daylight saving: the window keeps to the wall clock of the chosen zone', () => {
	test('Berlin, spring forward: a window on the change day opens at 09:00 summer time, asked the day before', () => {
		const sunday = hours('Europe/Berlin', '09:00', '17:00', ['sun']);
		// Saturday noon, still winter time (+01:00); Sunday 09:00 is +02:00.
		expect(state(sunday, '2026-03-28T11:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-03-29T07:00:00.000Z',
		});
	});

	test('Berlin, spring forward: a From the clocks skip (02:30) opens when they jump (03:00 summer time)', () => {
		const skipped = hours('Europe/Berlin', '02:30', '04:00', ['sun']);
		expect(state(skipped, '2026-03-28T12:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-03-29T01:00:00.000Z',
		});
		expect(state(skipped, '2026-03-29T01:30:00Z')).toEqual({
			open: true,
			closesAt: '2026-03-29T02:00:00.000Z',
		});
	});

	test('Berlin, spring forward: a night window whose To the clocks skip closes when they jump', () => {
		const night = hours('Europe/Berlin', '22:00', '02:30', ['sat']);
		expect(state(night, '2026-03-28T23:00:00Z')).toEqual({
			open: true,
			closesAt: '2026-03-29T01:00:00.000Z',
		});
	});

	test('Berlin, fall back: 02:00–02:30 comes twice, and is inside both times', () => {
		const twice = hours('Europe/Berlin', '02:00', '02:30', ['sun']);
		expect(state(twice, '2026-10-24T12:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-10-25T00:00:00.000Z',
		});
		expect(state(twice, '2026-10-25T00:10:00Z')).toEqual({
			open: true,
			closesAt: '2026-10-25T00:30:00.000Z',
		});
		expect(state(twice, '2026-10-25T00:45:00Z')).toEqual({
			open: false,
			opensAt: '2026-10-25T01:00:00.000Z',
		});
		expect(state(twice, '2026-10-25T01:10:00Z')).toEqual({
			open: true,
			closesAt: '2026-10-25T01:30:00.000Z',
		});
	});

	test('New York, spring forward: the night of the change is an hour shorter (22:00 EST to 06:00 EDT)', () => {
		const night = hours('America/New_York', '22:00', '06:00', ['sat']);
		expect(state(night, '2026-03-07T20:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-03-08T03:00:00.000Z',
		});
		expect(state(night, '2026-03-08T03:00:00Z')).toEqual({
			open: true,
			closesAt: '2026-03-08T10:00:00.000Z',
		});
	});

	test('New York, fall back: the night of the change is an hour longer (22:00 EDT to 06:00 EST)', () => {
		const night = hours('America/New_York', '22:00', '06:00', ['sat']);
		expect(state(night, '2026-10-31T12:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-11-01T02:00:00.000Z',
		});
		expect(state(night, '2026-11-01T05:30:00Z')).toEqual({
			open: true,
			closesAt: '2026-11-01T11:00:00.000Z',
		});
	});

	test('New York office hours after the change follow it: 09:00 EST is 14:00 UTC', () => {
		const office = hours('America/New_York', '09:00', '17:00', ['mon']);
		expect(state(office, '2026-10-31T12:00:00Z')).toEqual({
			open: false,
			opensAt: '2026-11-02T14:00:00.000Z',
		});
	});
});
