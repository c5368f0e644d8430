import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret ConnectSafely signs its webhooks with. Only the ConnectSafely Trigger reads it, to check
 * `X-Webhook-Signature`; it is never sent anywhere. Its Test button is the trigger's own check
 * (`testedBy` in the node): there is no ConnectSafely endpoint that could tell a right secret from a wrong one.
 */
export class ConnectSafelyWebhookApi implements ICredentialType {
	name = 'connectSafelyWebhookApi';

	// n8n asks every credential's display name to end in "API" (its verification scanner checks it). This one holds
	// no API key, only the secret ConnectSafely's webhook API signs its deliveries with (the Signing Secret field says so).
	displayName = 'ConnectSafely Webhook API';

	icon: Icon = { light: 'file:connectSafely.svg', dark: 'file:connectSafely.dark.svg' };

	documentationUrl = 'https://github.com/connectsafely/n8n-nodes-connectsafely#trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Signing Secret',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The webhook's signing secret, which the ConnectSafely dashboard shows once when you create the webhook. Without it every delivery is refused.",
		},
	];
}
