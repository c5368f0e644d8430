import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret ConnectSafely signs its webhooks with. Only the ConnectSafely Trigger reads it, to check
 * `X-Webhook-Signature`; it is never sent anywhere. Its Test button is the trigger's own check
 * (`testedBy` in the node): there is no ConnectSafely endpoint that could tell a right secret from a wrong one.
 */
export class ConnectSafelyWebhookApi implements ICredentialType {
	name = 'connectSafelyWebhookApi';

	// It holds no API access, only the secret webhooks are signed with: "API" in its name would mislead.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'ConnectSafely Webhook';

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
