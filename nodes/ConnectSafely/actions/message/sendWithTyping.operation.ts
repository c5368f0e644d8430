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
			description:
				'The conversation to reply in. In an existing conversation ConnectSafely shows the typing indicator only when its URN is set here; without it the message is still sent.',
		},
	],
	addExtra(body, read, item) {
		const conversationUrn = readConversationUrn(item, read('conversationUrn'));
		if (conversationUrn !== undefined) body.conversationUrn = conversationUrn;
	},
});
