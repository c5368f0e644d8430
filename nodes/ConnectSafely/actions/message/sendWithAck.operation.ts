import { messageUrnsField } from '../../descriptions/fields';
import { readMessageUrns } from '../../inputs/readFields';
import { messagingEndpoint } from './messagingEndpoint';

/** POST /messaging/send-with-ack — reply and mark received messages as acknowledged. */
export const sendWithAck = messagingEndpoint({
	operation: 'sendWithAck',
	path: '/messaging/send-with-ack',
	extraFields: [messageUrnsField],
	addExtra(body, read, item) {
		const messageUrns = readMessageUrns(item, read('messageUrns'));
		if (messageUrns !== undefined) body.messageUrns = messageUrns;
	},
});
