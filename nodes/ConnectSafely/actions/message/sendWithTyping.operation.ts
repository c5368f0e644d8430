import { readConversationUrn } from '../../inputs/readFields';
import { messagingEndpoint } from './messagingEndpoint';

/** POST /messaging/send-with-typing — shows a typing indicator first, for a more natural reply. */
export const sendWithTyping = messagingEndpoint({
	operation: 'sendWithTyping',
	path: '/messaging/send-with-typing',
	extraFields: [
		{
			displayName: 'Conversation URN',
			name: 'conversationUrn',
			type: 'string',
			default: '',
			placeholder: 'urn:li:msg_conversation:(urn:li:fsd_profile:…,2-…)',
			description: 'The existing conversation to type in. The typing indicator needs it.',
		},
	],
	addExtra(body, read, item) {
		const conversationUrn = readConversationUrn(item, read('conversationUrn'));
		if (conversationUrn !== undefined) body.conversationUrn = conversationUrn;
	},
});
