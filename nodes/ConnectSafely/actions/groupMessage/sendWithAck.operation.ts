import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import {
	accountField,
	messageField,
	messageUrnsField,
	optionsCollection,
} from '../../descriptions/fields';
import {
	readAccountId,
	readGroupId,
	readMessage,
	readMessageUrns,
	readProfileUrn,
} from '../../inputs/readFields';
import type { SendRequestBody } from '../../transport/types';
import type { SendOperation } from '../operation';

/** POST /messaging/send-group-with-ack — message a fellow group member; the API needs the member's URN. */

const properties: INodeProperties[] = [
	accountField,
	{
		displayName: 'Recipient Profile URN',
		name: 'recipientProfileUrn',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'urn:li:fsd_profile:ACoAAB1234',
		description:
			'The group member to message. Group messages need the URN: a profile URL or ID is not enough.',
	},
	{
		displayName: 'Group ID',
		name: 'groupId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '12345678',
		description:
			'The LinkedIn group you share with the member: the digits in linkedin.com/groups/12345678/',
	},
	messageField,
	messageUrnsField,
	optionsCollection([]),
];

export const sendGroupWithAck: SendOperation = {
	path: '/messaging/send-group-with-ack',
	description: updateDisplayOptions(
		{ show: { resource: ['groupMessage'], operation: ['sendWithAck'] } },
		properties,
	),
	buildBody(read, item) {
		const accountId = readAccountId(item, read('account'));
		const body: SendRequestBody = {
			...(accountId === undefined ? {} : { accountId }),
			recipientProfileUrn: readProfileUrn(item, read('recipientProfileUrn')),
			groupId: readGroupId(item, read('groupId')),
			message: readMessage(item, read('message')),
		};
		const messageUrns = readMessageUrns(item, read('messageUrns'));
		if (messageUrns !== undefined) body.messageUrns = messageUrns;
		return body;
	},
};
