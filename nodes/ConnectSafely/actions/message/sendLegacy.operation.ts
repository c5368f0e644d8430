import { messagingEndpoint } from './messagingEndpoint';

/** POST /messaging/send — deprecated by ConnectSafely; kept so that saved workflows keep working. */
export const sendLegacy = messagingEndpoint({
	operation: 'sendLegacy',
	path: '/messaging/send',
	leading: [
		{
			displayName:
				'ConnectSafely has deprecated this endpoint (POST /messaging/send). Use the "Send" operation instead: it sends the same message through POST /conversations/send.',
			name: 'deprecationNotice',
			type: 'notice',
			default: '',
		},
	],
});
