/**
 * "Sending Hours" as time: whether an instant falls inside the user's weekly window in a time zone, and when that
 * changes. Pure (no n8n), computed with Intl.DateTimeFormat only, so that midnight-crossing windows and daylight
 * saving changes come out right without a date library.
 *
 * The window is a wall-clock rule: an instant is inside when the clock on the wall in the zone shows a time in
 * [from, to) on a chosen day. A window whose To is at or before its From ends the next day (22:00–06:00 on Monday
 * runs from Monday 22:00 to Tuesday 06:00); From = To is a 24-hour window. Days name the day a window starts.
 * When the clocks go forward and skip the From time, the window opens at the first instant after the jump; when they
 * go back, a time inside the window that the clock shows twice is inside both times.
 */
import type { SendingHours } from '../inputs/sendingHours';

export type WindowState =
	/** Inside; `closesAt` is the first instant outside (epoch ms), undefined when the window never closes. */
	| { open: true; closesAt: number | undefined }
	/** Outside; `opensAt` is the first instant inside (epoch ms). */
	| { open: false; opensAt: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A week and a window that starts on its last day and may cross one more midnight, plus a day of margin. */
const HORIZON = 9 * DAY;
/** Offsets are sampled this often to find daylight-saving changes: no zone changes twice within 6 hours. */
const SAMPLE_STEP = 6 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (formatter === undefined) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** The zone's offset from UTC at an instant (ms; local = UTC + offset). `at` must be a whole second. */
function offsetAt(timeZone: string, at: number): number {
	const parts: Record<string, number> = {};
	for (const part of formatterFor(timeZone).formatToParts(new Date(at))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const wall = Date.UTC(
		parts.year,
		parts.month - 1,
		parts.day,
		parts.hour % 24,
		parts.minute,
		parts.second,
	);
	return wall - at;
}

/** Whether a wall-clock time (as if UTC, ms) is inside the window. */
function insideAtWall(hours: SendingHours, wall: number): boolean {
	const minute = Math.floor((((wall % DAY) + DAY) % DAY) / MINUTE);
	const weekday = new Date(wall).getUTCDay();
	const { days, fromMinute, toMinute } = hours;
	if (fromMinute < toMinute) return days[weekday] && minute >= fromMinute && minute < toMinute;
	// Ends the next day: the evening part belongs to today, the morning part to yesterday.
	return (days[weekday] && minute >= fromMinute) || (days[(weekday + 6) % 7] && minute < toMinute);
}

/** A stretch of time with one offset: from `start` to the next segment's start. */
interface Segment {
	start: number;
	offset: number;
}

/** The zone's offsets from `from` on, split where the clocks change. */
function segmentsFrom(timeZone: string, from: number, until: number): Segment[] {
	const segments: Segment[] = [{ start: from, offset: offsetAt(timeZone, from) }];
	let previous = from;
	let previousOffset = segments[0].offset;
	for (let at = from + SAMPLE_STEP; at <= until + SAMPLE_STEP; at += SAMPLE_STEP) {
		const offset = offsetAt(timeZone, at);
		if (offset !== previousOffset) {
			// The change lies in (previous, at]: halve to the second.
			let low = previous;
			let high = at;
			while (high - low > 1000) {
				const middle = low + Math.floor((high - low) / 2000) * 1000;
				if (offsetAt(timeZone, middle) === previousOffset) low = middle;
				else high = middle;
			}
			segments.push({ start: high, offset: offsetAt(timeZone, high) });
		}
		previous = at;
		previousOffset = offset;
	}
	return segments;
}

/** Where the window is at `now` (epoch ms), and when that changes next. */
export function sendingWindowAt(hours: SendingHours, now: number): WindowState {
	const start = Math.floor(now / 1000) * 1000;
	const until = start + HORIZON;
	const segments = segmentsFrom(hours.timeZone, start, until);
	const offsetOf = (at: number): number => {
		let offset = segments[0].offset;
		for (const segment of segments) if (segment.start <= at) offset = segment.offset;
		return offset;
	};
	const inside = (at: number): boolean => insideAtWall(hours, at + offsetOf(at));

	// The state can only change where the wall clock passes From or To, or where the clocks change.
	const candidates: number[] = [];
	segments.forEach((segment, index) => {
		const end = index + 1 < segments.length ? segments[index + 1].start : until;
		if (index > 0) candidates.push(segment.start);
		const firstDay = Math.floor((segment.start + segment.offset) / DAY) * DAY - DAY;
		for (let day = firstDay; day <= end + segment.offset + DAY; day += DAY) {
			for (const minute of [hours.fromMinute, hours.toMinute]) {
				const at = day + minute * MINUTE - segment.offset;
				if (at > now && at >= segment.start && at < end) candidates.push(at);
			}
		}
	});
	candidates.sort((a, b) => a - b);

	if (inside(now)) {
		const closesAt = candidates.find((at) => !inside(at));
		return { open: true, closesAt };
	}
	const opensAt = candidates.find((at) => inside(at));
	// Unreachable with at least one day chosen (the horizon covers a week); a day later asks again.
	return { open: false, opensAt: opensAt ?? now + DAY };
}
