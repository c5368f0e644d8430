/**
 * How one item is to be delivered: the request, the account it spends quota on, the message's identity for the
 * send ledger, and the common options (timeout, rate-limit wait, Skip Recipients Already Messaged, Pause Between
 * Messages, Daily Limit per Account) read into numbers and rules. May import inputs/ and transport/ types; nothing
 * here sends.
 */
import type { IDataObject } from 'n8n-workflow';

import { invalidInput } from '../inputs/inputErrors';
import { readDailyLimit } from '../inputs/dailyLimit';
import { readPauseBounds, type PauseBounds } from '../inputs/pauseBounds';
import { readChoice, readSince, type ItemContext } from '../inputs/readFields';
import { readRepeatWindowHours } from '../inputs/repeatWindow';
import { readSendingHours, type SendingHoursOption } from '../inputs/sendingHours';
import type { SendRequestBody } from '../transport/types';
import { duplicateCheckFor, type DuplicateCheck, type SameMessageRule } from './duplicateGuard';
import { messageKey, recipientLabel } from './messageIdentity';

const DEFAULT_TIMEOUT_S = 60;
const DEFAULT_REMEMBERED_RECIPIENTS = 10_000;
const SAME_MESSAGE_RULES: SameMessageRule[] = ['recipient', 'recipientAndMessage'];

/** What one input item turns into before anything is sent. */
export interface PlannedSend {
	path: string;
	body: SendRequestBody;
	/** The account the request spends quota on; '' is the key's default account. */
	accountKey: string;
	/** The message's identity in the send ledger (messageIdentity.ts). */
	messageKey: string;
	/** The recipient as a skipped item names it. */
	recipient: string;
	timeoutMs: number;
	maxRateLimitWaitMs: number;
	/** Set when "Skip Recipients Already Messaged" is on. */
	duplicateCheck?: DuplicateCheck;
	/** Set when "Only If No Conversation Yet" is on: the public ID to ask ConnectSafely about first. */
	conversationCheck?: { profileId: string };
	/**
	 * Set when "Only If They Haven't Replied" is on: the public ID to look up, and the time from which a message of
	 * theirs counts (epoch ms; none: ever).
	 */
	replyCheck?: { profileId: string; since?: number };
	/** Set when "Pause Between Messages" is on: the bounds of the pause before this item's send. */
	pause?: PauseBounds;
	/** Set when "Daily Limit per Account" is on: at most this many messages from the account in the API's day. */
	dailyLimit?: number;
	/** Set when "Sending Hours" is on: the weekly window (no time zone: the workflow's). */
	sendingHours?: SendingHoursOption;
	/** "Repeat Protection Window (Hours)" (node version 1.1; 0 = off): see guards/recentRepeats.ts. */
	repeatWindowHours: number;
}

const NOT_REPLIED = "Only If They Haven't Replied";
const REPLIED_SINCE = "Only If They Haven't Replied Since";

/** The public ID a conversation check asks about: ConnectSafely's exists check takes no URN. */
function profileIdToCheck(item: ItemContext, body: SendRequestBody, option: string): string {
	if (body.recipientProfileId !== undefined) return body.recipientProfileId;
	throw invalidInput(
		item.node,
		item.itemIndex,
		option,
		body.recipientProfileUrn ?? body.conversationUrn,
		body.recipientProfileUrn === undefined
			? 'needs a Recipient to check'
			: 'needs a profile URL or public ID, not a URN',
		"ConnectSafely's conversation check takes the recipient's public ID: give the Recipient by URL or ID, or turn the option off.",
	);
}

/** A number option as the user set it, or the default when it is missing, negative or not a number. */
function nonNegativeNumber(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Turns a checked request body and the item's Options into its delivery plan. */
export function planDelivery(
	item: ItemContext,
	path: string,
	body: SendRequestBody,
	options: IDataObject,
	credentialId: string,
): PlannedSend {
	const plan: PlannedSend = {
		path,
		body,
		accountKey: body.accountId ?? '',
		messageKey: messageKey(path, body, credentialId),
		recipient: recipientLabel(body),
		timeoutMs: Math.max(1, nonNegativeNumber(options.timeout, DEFAULT_TIMEOUT_S)) * 1000,
		maxRateLimitWaitMs: nonNegativeNumber(options.maxWaitForRateLimit, 0) * 1000,
		repeatWindowHours: readRepeatWindowHours(item, options.repeatWindowHours),
	};
	const rule = readChoice(
		item,
		'Skip Recipients Already Messaged',
		options.skipAlreadyMessaged,
		SAME_MESSAGE_RULES,
	);
	if (options.onlyIfNoConversationYet === true) {
		plan.conversationCheck = {
			profileId: profileIdToCheck(item, body, 'Only If No Conversation Yet'),
		};
	}
	const repliedSince = readSince(item, options.onlyIfNotRepliedSince, REPLIED_SINCE);
	if (options.onlyIfNotReplied === true) {
		plan.replyCheck = { profileId: profileIdToCheck(item, body, NOT_REPLIED) };
		if (repliedSince !== undefined) plan.replyCheck.since = repliedSince;
	} else if (repliedSince !== undefined) {
		throw invalidInput(
			item.node,
			item.itemIndex,
			REPLIED_SINCE,
			options.onlyIfNotRepliedSince,
			`is set, but "${NOT_REPLIED}" is off`,
			`Turn on "${NOT_REPLIED}" to skip people who replied since then, or remove this option.`,
		);
	}
	if (rule !== undefined) {
		const limit = nonNegativeNumber(
			options.rememberedRecipientsLimit,
			DEFAULT_REMEMBERED_RECIPIENTS,
		);
		plan.duplicateCheck = duplicateCheckFor(
			body,
			rule as SameMessageRule,
			Math.max(1, Math.floor(limit)),
		);
	}
	const pause = readPauseBounds(item, options.pauseBetweenMessages);
	if (pause !== undefined) plan.pause = pause;
	const dailyLimit = readDailyLimit(item, options.dailyLimitPerAccount);
	if (dailyLimit !== undefined) plan.dailyLimit = dailyLimit;
	const sendingHours = readSendingHours(item, options.sendingHours);
	if (sendingHours !== undefined) plan.sendingHours = sendingHours;
	return plan;
}
