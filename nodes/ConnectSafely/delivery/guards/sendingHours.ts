/**
 * "Are we inside sending hours?" — the option "Sending Hours". Asked for each item at the moment it would go out,
 * so a list that reaches the end of the window stops there. Outside the window: not now, until it opens. The runner
 * waits when "Max Wait for Rate Limit" covers that; otherwise the item comes out as not sent (not an error), with
 * `nextWindowAt` for a Wait node. Applies only with the option on (the plan's `sendingHours`); makes no call.
 */
import { NodeApiError, type JsonObject } from 'n8n-workflow';

import { isKnownTimeZone, type SendingHours } from '../../inputs/sendingHours';
import type { PlannedSend } from '../plan';
import { sendingWindowAt, type WindowState } from '../sendingWindow';
import { GO, type GuardAnswer, type GuardContext, type SendGuard } from './guard';

/** A window's state, valid until `until` (the next time it opens or closes). */
interface KnownState {
	open: boolean;
	until: number | undefined;
}

export class SendingHoursGuard implements SendGuard {
	/** What each window (days, times, zone) was last found to be: the state holds until its next edge. */
	private readonly known = new Map<string, KnownState>();
	/** Whether each workflow time zone met in this run is known to Intl. */
	private readonly zones = new Map<string, boolean>();

	constructor(private readonly context: GuardContext) {}

	appliesTo(plan: PlannedSend): boolean {
		return plan.sendingHours !== undefined;
	}

	check(plan: PlannedSend, itemIndex: number): GuardAnswer {
		const option = plan.sendingHours;
		if (option === undefined) return GO;
		const hours = { ...option, timeZone: option.timeZone ?? this.context.ctx.getTimezone() };
		if (option.timeZone === undefined && !this.knownZone(hours.timeZone)) {
			return this.unknownWorkflowZone(hours.timeZone, itemIndex);
		}
		const now = Date.now();
		const state = this.stateAt(hours, now);
		let opensAt = state.until;
		if (state.open) {
			// "Pause Between Messages" waits after this check: a send it could carry past the window's end waits too.
			const latestSend = now + (plan.pause?.maxMs ?? 0);
			if (state.until === undefined || latestSend < state.until) return GO;
			const after = sendingWindowAt(hours, state.until);
			opensAt = after.open ? state.until : after.opensAt;
		}
		return {
			kind: 'notNow',
			until: opensAt,
			otherwise: () => {
				const nextWindowAt = new Date(opensAt ?? now).toISOString();
				return {
					kind: 'skip',
					item: {
						json: {
							notSent: true,
							reason: `Not sent: outside Sending Hours (${describe(hours)}); the window opens at ${nextWindowAt}`,
							recipient: plan.recipient,
							nextWindowAt,
						},
						pairedItem: { item: itemIndex },
					},
				};
			},
		};
	}

	/** Whether the workflow's time zone is one Intl knows (asked once per zone and run). */
	private knownZone(timeZone: string): boolean {
		let known = this.zones.get(timeZone);
		if (known === undefined) {
			known = isKnownTimeZone(timeZone);
			this.zones.set(timeZone, known);
		}
		return known;
	}

	/** The workflow's time zone setting is not one this Node.js knows: say so rather than guess. */
	private unknownWorkflowZone(timeZone: string, itemIndex: number): GuardAnswer {
		const error = new NodeApiError(this.context.node, { timeZone } as JsonObject, {
			message: `Sending Hours (Time Zone): the workflow's time zone "${timeZone}" is not a time zone name this n8n knows`,
			description:
				'Enter an IANA time zone name such as Europe/Berlin under Options → Sending Hours → Time Zone, or fix the Timezone in the workflow settings. Nothing was sent for this item.',
			itemIndex,
		});
		return { kind: 'fail', failure: { kind: 'rejected', error } };
	}

	/** The window's state at `now`: computed once per edge, since it holds until the next one. */
	private stateAt(hours: SendingHours, now: number): KnownState {
		const key = `${hours.days.join()}|${hours.fromMinute}|${hours.toMinute}|${hours.timeZone}`;
		let state = this.known.get(key);
		if (state === undefined || (state.until !== undefined && now >= state.until)) {
			state = known(sendingWindowAt(hours, now));
			this.known.set(key, state);
		}
		return state;
	}
}

function known(state: WindowState): KnownState {
	return state.open ? { open: true, until: state.closesAt } : { open: false, until: state.opensAt };
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function clock(minute: number): string {
	return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** The window as a person set it: "Mon, Tue 09:00–17:00 Europe/Berlin". */
function describe(hours: SendingHours): string {
	const days = DAY_NAMES.filter((_, index) => hours.days[index]).join(', ');
	return `${days} ${clock(hours.fromMinute)}–${clock(hours.toMinute)} ${hours.timeZone}`;
}
