import type { IDataObject } from 'n8n-workflow';

import { invalidInput } from './inputErrors';
import type { ItemContext } from './readFields';

/**
 * The option "Sending Hours" read into a weekly window: the days it may start on, its wall-clock From and To, and
 * the time zone it is read in (undefined: the workflow's, filled in at send time). Checked for every item, since
 * each field accepts an expression.
 */
export interface SendingHours {
	/** Indexed like Date.getUTCDay(): 0 is Sunday. */
	days: readonly boolean[];
	/** Minutes after midnight, 0–1439. */
	fromMinute: number;
	/** Minutes after midnight; at or before fromMinute: the window ends the next day. */
	toMinute: number;
	timeZone: string;
}

export type SendingHoursOption = Omit<SendingHours, 'timeZone'> & { timeZone?: string };

/** The option values of the Days field, indexed like Date.getUTCDay(). */
export const WEEKDAYS = [
	'sunday',
	'monday',
	'tuesday',
	'wednesday',
	'thursday',
	'friday',
	'saturday',
] as const;

const FIELD = 'Sending Hours';
const CLOCK_TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** Whether the runtime knows this IANA time zone name (Intl refuses an unknown one). */
export function isKnownTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

function isPlainObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readDays(item: ItemContext, value: unknown): boolean[] {
	const names =
		typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
	const days = WEEKDAYS.map(() => false);
	for (const name of names ?? []) {
		const index =
			typeof name === 'string' ? WEEKDAYS.indexOf(name.trim().toLowerCase() as never) : -1;
		if (index < 0) {
			throw invalidInput(
				item.node,
				item.itemIndex,
				`${FIELD} (Days)`,
				name,
				'is not a day of the week',
				'Pick the days from the list, or make the expression return day names such as ["monday", "friday"].',
			);
		}
		days[index] = true;
	}
	if (names === undefined || !days.includes(true)) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			`${FIELD} (Days)`,
			value,
			'names no day',
			'Pick at least one day on which messages may go out, or remove the option.',
		);
	}
	return days;
}

function readClockTime(item: ItemContext, label: 'From' | 'To', value: unknown): number {
	const text = typeof value === 'string' ? value.trim() : value;
	// "24:00" reads naturally as the end of the day; it is the next midnight, like "00:00".
	if (label === 'To' && text === '24:00') return 0;
	const match = typeof text === 'string' ? CLOCK_TIME.exec(text) : null;
	if (match === null) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			`${FIELD} (${label})`,
			value,
			'is not a time of day',
			'Enter the time as HH:mm on a 24-hour clock, e.g. 09:00 or 17:30.',
		);
	}
	return Number(match[1]) * 60 + Number(match[2]);
}

function readTimeZone(item: ItemContext, value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = typeof value === 'string' ? value.trim() : undefined;
	if (text === '') return undefined;
	if (text === undefined || !isKnownTimeZone(text)) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			`${FIELD} (Time Zone)`,
			value,
			'is not a time zone name',
			"Enter an IANA time zone name such as Europe/Berlin or America/New_York, or leave it empty for the workflow's time zone.",
		);
	}
	return text;
}

/** The option as n8n stores it — `{ window: { days, from, to, timeZone } }` — or undefined when it was not added. */
export function readSendingHours(
	item: ItemContext,
	value: unknown,
): SendingHoursOption | undefined {
	if (value === undefined || value === null) return undefined;
	const entry = isPlainObject(value) ? value.window : value;
	if (entry === undefined) return undefined;
	if (!isPlainObject(entry)) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			FIELD,
			entry,
			'is not a window of days and times',
			'Set Days, From and To under Options → Sending Hours.',
		);
	}
	const hours: SendingHoursOption = {
		days: readDays(item, entry.days),
		fromMinute: readClockTime(item, 'From', entry.from),
		toMinute: readClockTime(item, 'To', entry.to),
	};
	const timeZone = readTimeZone(item, entry.timeZone);
	if (timeZone !== undefined) hours.timeZone = timeZone;
	return hours;
}
