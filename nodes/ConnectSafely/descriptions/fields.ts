import type { INodeProperties } from 'n8n-workflow';

import {
	ACCOUNT_ID_PATTERN,
	emptyOr,
	PROFILE_URL_PATTERN,
	PROFILE_URN_PATTERN,
} from '../../shared/patterns';

/**
 * descriptions/: fields shared by several operations; each operation file places them with its own display options.
 * Imports nothing of the node's; the editor's checks use the patterns the run-time checks use (nodes/shared).
 */

export const accountField: INodeProperties = {
	displayName: 'Account',
	name: 'account',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'The LinkedIn account that sends the message. Leave empty to use the default account of the API key.',
	// Every mode's check lets an empty value through: an empty account means the default one, and for Send an
	// empty recipient is fine with a Conversation URN. n8n refuses to run a workflow whose locator fails its
	// regex, so a check that rejected "" would stop those workflows before the node could run.
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Default account',
			typeOptions: { searchListMethod: 'searchAccounts', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '65a1b2c3d4e5f60718293a4b',
			hint: 'The account ID from the ConnectSafely dashboard',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: emptyOr(ACCOUNT_ID_PATTERN),
						errorMessage: 'Not a ConnectSafely account ID',
					},
				},
			],
		},
	],
};

export function recipientField(required: boolean): INodeProperties {
	return {
		displayName: 'Recipient',
		name: 'recipient',
		type: 'resourceLocator',
		default: { mode: 'url', value: '' },
		required,
		description: required
			? 'The LinkedIn member to message'
			: 'The LinkedIn member to message. May stay empty when a Conversation URN is set under Options.',
		modes: [
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://www.linkedin.com/in/jane-doe',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: emptyOr(PROFILE_URL_PATTERN),
							errorMessage: 'Not a LinkedIn profile URL (https://www.linkedin.com/in/…)',
						},
					},
				],
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'jane-doe',
				hint: 'The public profile ID: the part after linkedin.com/in/',
			},
			{
				displayName: 'By URN',
				name: 'urn',
				type: 'string',
				placeholder: 'urn:li:fsd_profile:ACoAAB1234',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: emptyOr(PROFILE_URN_PATTERN),
							errorMessage: 'Not a LinkedIn profile URN (urn:li:fsd_profile:…)',
						},
					},
				],
			},
		],
	};
}

export const messageField: INodeProperties = {
	displayName: 'Message',
	name: 'message',
	type: 'string',
	default: '',
	required: true,
	typeOptions: { rows: 4 },
	placeholder: 'Hi {{ $json.firstName }}, …',
	description: 'The text of the message',
};

export const messageUrnsField: INodeProperties = {
	displayName: 'Message URNs to Acknowledge',
	name: 'messageUrns',
	type: 'string',
	default: '',
	typeOptions: { rows: 2 },
	placeholder: 'urn:li:msg_message:(urn:li:fsd_profile:…,2-…)',
	description:
		'Received messages to mark as acknowledged: one URN per line or separated by commas, or a list from an expression',
};

export const subjectOption: INodeProperties = {
	displayName: 'Subject',
	name: 'subject',
	type: 'string',
	default: '',
	description: 'Subject line. Required for InMail.',
};

export const messageTypeOption: INodeProperties = {
	displayName: 'Message Type',
	name: 'messageType',
	type: 'options',
	default: 'normal',
	options: [
		{ name: 'InMail', value: 'inmail', description: 'An InMail; needs a subject' },
		{ name: 'Normal', value: 'normal', description: 'A regular message to a connection' },
	],
};

export const onlyIfNoConversationYetOption: INodeProperties = {
	displayName: 'Only If No Conversation Yet',
	name: 'onlyIfNoConversationYet',
	type: 'boolean',
	default: false,
	description:
		'Whether to ask ConnectSafely first if the account already has a conversation with the recipient, and send nothing when it has (one extra API call per item; needs a profile URL or ID, not a URN). Catches messages sent by hand, by other workflows or by other n8n workers.',
};

export const dailyLimitPerAccountOption: INodeProperties = {
	displayName: 'Daily Limit per Account',
	name: 'dailyLimitPerAccount',
	type: 'number',
	default: 20,
	typeOptions: { minValue: 0 },
	description:
		"Your own ceiling, below ConnectSafely's: send at most this many messages per account in ConnectSafely's daily window (midnight to midnight UTC). It counts with ConnectSafely's own number, so messages sent today by other executions, workflows or workers count too (one quota read per account per run). Items beyond it are not sent, with the reset time. An expression makes a warm-up ramp.",
};

export const onlyIfNotRepliedOption: INodeProperties = {
	displayName: "Only If They Haven't Replied",
	name: 'onlyIfNotReplied',
	type: 'boolean',
	default: false,
	description:
		'Whether to look at the conversation with the recipient first, and send nothing when they wrote in it (ever, or since the time in "Only If They Haven\'t Replied Since"): the item comes out as skipped, with repliedAt. No conversation yet: the message is sent. Costs one extra API call per item (the conversation check), plus one per 50 messages read when a conversation exists; needs a profile URL or ID, not a URN. If the check fails, nothing is sent.',
};

export const onlyIfNotRepliedSinceOption: INodeProperties = {
	displayName: "Only If They Haven't Replied Since",
	name: 'onlyIfNotRepliedSince',
	type: 'dateTime',
	default: '',
	description:
		'With "Only If They Haven\'t Replied": count only messages they wrote after this time, e.g. the time of the first message of your sequence, mapped from your sheet. Empty: a reply at any time counts.',
};

export const rateLimitWaitOption: INodeProperties = {
	displayName: 'Max Wait for Rate Limit (Seconds)',
	name: 'maxWaitForRateLimit',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0, maxValue: 3600 },
	description:
		'When the account hits its limit and the limit resets within this many seconds, wait for the reset and try the item once more. 0 means never wait.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: 60,
	typeOptions: { minValue: 1, maxValue: 600 },
	description:
		'How long to wait for ConnectSafely to answer one send. A send that times out may still have been delivered: it is reported, never resent.',
};

export const skipAlreadyMessagedOption: INodeProperties = {
	displayName: 'Skip Recipients Already Messaged',
	name: 'skipAlreadyMessaged',
	type: 'options',
	default: 'recipient',
	description:
		"Remember in n8n's deduplication store who this workflow messaged, and skip them in later runs and later items. Choose what counts as the same message.",
	options: [
		{
			name: 'Same Recipient (From the Same Account)',
			value: 'recipient',
			description: 'Message each person at most once from each account',
		},
		{
			name: 'Same Recipient and Same Text',
			value: 'recipientAndMessage',
			description: 'Skip only an identical text to the same person; a new text goes out',
		},
	],
};

export const rememberedRecipientsOption: INodeProperties = {
	displayName: 'Remembered Recipients Limit',
	name: 'rememberedRecipientsLimit',
	type: 'number',
	default: 10000,
	typeOptions: { minValue: 1 },
	description:
		'How many recipients "Skip Recipients Already Messaged" remembers for this workflow; the oldest are forgotten first',
};

export const pauseBetweenMessagesOption: INodeProperties = {
	displayName: 'Pause Between Messages',
	name: 'pauseBetweenMessages',
	type: 'fixedCollection',
	placeholder: 'Add Pause',
	typeOptions: { multipleValues: false },
	default: { pause: {} },
	description:
		'Wait a random time between two messages from the same account, as a person would. Accounts do not wait for each other.',
	options: [
		{
			displayName: 'Pause',
			name: 'pause',
			values: [
				{
					displayName: 'Min Seconds',
					name: 'minSeconds',
					type: 'number',
					default: 30,
					typeOptions: { minValue: 0, maxValue: 3600 },
					description: 'The shortest pause between two messages from one account',
				},
				{
					displayName: 'Max Seconds',
					name: 'maxSeconds',
					type: 'number',
					default: 90,
					typeOptions: { minValue: 0, maxValue: 3600 },
					description: 'The longest pause; equal to Min Seconds for a fixed pause',
				},
			],
		},
	],
};

export const sendingHoursOption: INodeProperties = {
	displayName: 'Sending Hours',
	name: 'sendingHours',
	type: 'fixedCollection',
	placeholder: 'Add Sending Hours',
	typeOptions: { multipleValues: false },
	default: { window: {} },
	description:
		'Send only inside this weekly window. An item outside it is not sent and comes out as { notSent, reason, nextWindowAt } (not an error), so a Wait node can resume at its nextWindowAt; when the window opens within "Max Wait for Rate Limit", the node waits instead. Checked before each item: a list that reaches the end of the window stops there. No extra API call.',
	options: [
		{
			displayName: 'Window',
			name: 'window',
			values: [
				{
					displayName: 'Days',
					name: 'days',
					type: 'multiOptions',
					default: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
					description:
						'The days on which the window starts. A window that ends after midnight belongs to the day it starts on.',
					// Alphabetical, as n8n's verification scanner requires (it ignores eslint-disable comments).
					options: [
						{ name: 'Friday', value: 'friday' },
						{ name: 'Monday', value: 'monday' },
						{ name: 'Saturday', value: 'saturday' },
						{ name: 'Sunday', value: 'sunday' },
						{ name: 'Thursday', value: 'thursday' },
						{ name: 'Tuesday', value: 'tuesday' },
						{ name: 'Wednesday', value: 'wednesday' },
					],
				},
				{
					displayName: 'From',
					name: 'from',
					type: 'string',
					default: '09:00',
					placeholder: '09:00',
					description: 'When the window opens, as HH:mm on a 24-hour clock',
				},
				{
					displayName: 'To',
					name: 'to',
					type: 'string',
					default: '17:00',
					placeholder: '17:00',
					description:
						'When the window closes, as HH:mm (this minute is outside). At or before From: the window ends the next day (22:00 to 06:00 runs through the night).',
				},
				{
					displayName: 'Time Zone',
					name: 'timeZone',
					type: 'string',
					default: '',
					placeholder: 'Europe/Berlin',
					description:
						"An IANA time zone name. Empty: the workflow's time zone (its settings, else the n8n instance's). Daylight saving is followed: 09:00 stays 09:00 on the wall.",
				},
			],
		},
	],
};

/** Node version 1.1: a production execution does not repeat a message the workflow sent in the window. */
export const repeatWindowOption: INodeProperties = {
	displayName: 'Repeat Protection Window (Hours)',
	name: 'repeatWindowHours',
	type: 'number',
	default: 24,
	typeOptions: { minValue: 0, maxValue: 168, numberPrecision: 0 },
	displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } },
	description:
		"Don't send a message identical to one this workflow sent (or may have sent) in the last this many hours: the repeat comes out as a skipped item. On by default (24). 0 turns it off. Applies to active workflows, schedules and retries; manual executions from the editor neither block nor are blocked, so testing with your own profile stays easy.",
};

/** Options every operation has: how a send waits, times out and guards against duplicates. */
const deliveryOptions = [
	dailyLimitPerAccountOption,
	pauseBetweenMessagesOption,
	repeatWindowOption,
	rateLimitWaitOption,
	timeoutOption,
	skipAlreadyMessagedOption,
	rememberedRecipientsOption,
	sendingHoursOption,
];

/**
 * Alphabetical by display name, the order n8n's lint asks for. For these ASCII names, comparing lower-cased text
 * gives the same order as localeCompare, without its first call's cost: loading ICU's collator took ~5 ms of the
 * node's load time (bench/RESULTS.md, module load).
 */
function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	const x = a.displayName.toLowerCase();
	const y = b.displayName.toLowerCase();
	return x < y ? -1 : x > y ? 1 : 0;
}

/** An Options collection of just these fields (operations that send nothing have no delivery options). */
export function ownOptions(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...options].sort(byDisplayName),
	};
}

/** The Options collection: the option fields of one operation plus the delivery options all share. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return ownOptions([...options, ...deliveryOptions]);
}
