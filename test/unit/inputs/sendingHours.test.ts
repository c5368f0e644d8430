/**
 * Reading the Sending Hours option as n8n stores it (and as expressions may give it): days, From, To, Time Zone.
 */
import type { INode } from 'n8n-workflow';

import { readSendingHours } from '../../../nodes/ConnectSafely/inputs/sendingHours';

const node: INode = {
	id: 'node-1',
	name: 'ConnectSafely',
	type: 'n8n-nodes-connectsafely.connectSafely',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const item = { node, itemIndex: 3 };
const read = (window: unknown) => readSendingHours(item, { window });

test('not added: no window', () => {
	expect(readSendingHours(item, undefined)).toBeUndefined();
	expect(readSendingHours(item, {})).toBeUndefined();
});

test('the editor default: Monday to Friday, 09:00–17:00, the workflow time zone', () => {
	expect(
		read({
			days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
			from: '09:00',
			to: '17:00',
			timeZone: '',
		}),
	).toEqual({
		days: [false, true, true, true, true, true, false],
		fromMinute: 540,
		toMinute: 1020,
	});
});

test('an expression may give the days as text; 24:00 is the next midnight; 9:05 reads as 09:05', () => {
	expect(
		read({ days: 'Saturday, sunday', from: '9:05', to: '24:00', timeZone: ' Europe/Berlin ' }),
	).toEqual({
		days: [true, false, false, false, false, false, true],
		fromMinute: 545,
		toMinute: 0,
		timeZone: 'Europe/Berlin',
	});
});

test.each([
	[
		{ days: ['funday'], from: '09:00', to: '17:00' },
		/^Sending Hours \(Days\): "funday" is not a day/,
	],
	[
		{ days: 'monday', from: '24:00', to: '17:00' },
		/^Sending Hours \(From\): "24:00" is not a time/,
	],
	[{ days: 'monday', from: '09:00', to: 17 }, /^Sending Hours \(To\): number 17 is not a time/],
	[{ days: 'monday', from: '09:00', to: '17:00', timeZone: 'CEST+2' }, /Time Zone\): "CEST\+2"/],
])("%j is refused, naming the field (the item is in the error's context)", (window, message) => {
	expect(() => read(window)).toThrow(message);
	let itemIndex: unknown;
	try {
		read(window);
	} catch (error) {
		itemIndex = (error as { context?: { itemIndex?: number } }).context?.itemIndex;
	}
	expect(itemIndex).toBe(3);
});
