/**
 * ConnectSafely Trigger: a LinkedIn message arrives, a workflow starts — signed, once, ready to reply.
 * receive.ts is webhook() (the order of the checks and what each answers); signature.ts checks
 * X-Webhook-Signature; event.ts reads the body and shapes the item; redelivery.ts remembers message URNs.
 * It imports only n8n-workflow and crypto, and nothing of the send node (nodes/ConnectSafely/).
 */
import {
	NodeConnectionTypes,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { receiveDelivery } from './receive';

export class ConnectSafelyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ConnectSafely Trigger',
		name: 'connectSafelyTrigger',
		icon: { light: 'file:connectSafely.svg', dark: 'file:connectSafely.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'On message received',
		description:
			'Starts the workflow when a LinkedIn message or InMail arrives on a ConnectSafely account',
		defaults: { name: 'ConnectSafely Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'connectSafelyWebhookApi', required: true, testedBy: 'checkSigningSecret' },
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		triggerPanel: {
			header: '',
			executionsHelp: {
				inactive:
					"<b>While building your workflow</b>, click 'Listen for test event' and let ConnectSafely deliver an event to the <b>Test URL</b>. <br /><br /><b>Once you're happy with your workflow</b>, publish it and paste the <b>Production URL</b> into the ConnectSafely dashboard (Webhooks): every incoming LinkedIn message then starts an execution.",
				active:
					"<b>While building your workflow</b>, click 'Listen for test event' and let ConnectSafely deliver an event to the <b>Test URL</b>. <br /><br /><b>Your workflow is live</b>: every LinkedIn message ConnectSafely delivers to the <b>Production URL</b> starts an execution, once per message.",
			},
			activationHint:
				'Paste the Production URL into the ConnectSafely dashboard (Webhooks), with the signing secret it shows into the credential.',
		},
		properties: [
			{
				displayName:
					"Paste this node's Production URL (Webhook URLs, above) into the ConnectSafely dashboard (Webhooks), and the signing secret the dashboard shows into the credential. The Test URL works with 'Listen for test event'.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Ignore Messages From',
						name: 'ignoreSenders',
						type: 'string',
						default: '',
						placeholder: 'urn:li:fsd_profile:ACoAAB…, jane-doe',
						description:
							"Senders whose messages start nothing: profile URNs or public IDs, separated by commas. Put the account's own profile URN here to skip messages it sent: ConnectSafely's payload does not say who the account is.",
					},
					{
						displayName: 'Only These Accounts',
						name: 'accountIds',
						type: 'string',
						default: '',
						placeholder: '696ce9e780e0483585e4e553, 65fa…',
						description:
							'ConnectSafely account IDs, separated by commas. Messages to other accounts are acknowledged and start nothing. Empty: every account.',
					},
				],
			},
		],
	};

	// ConnectSafely documents no API to register a webhook: the user pastes the URL into its dashboard.
	// Saying it exists keeps n8n from trying to create it; there is nothing to delete either.
	webhookMethods = {
		default: {
			checkExists: async (): Promise<boolean> => true,
			create: async (): Promise<boolean> => true,
			delete: async (): Promise<boolean> => true,
		},
	};

	methods = {
		credentialTest: {
			// No ConnectSafely endpoint tells a right secret from a wrong one: check what can be checked here.
			async checkSigningSecret(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const secret = credential.data?.signingSecret;
				if (typeof secret !== 'string' || secret === '') {
					return { status: 'Error', message: 'The signing secret is empty' };
				}
				if (secret.trim() !== secret) {
					return {
						status: 'Error',
						message:
							'The signing secret starts or ends with a space or line break: copy it again without them',
					};
				}
				return {
					status: 'OK',
					message:
						'The secret is set. Whether it is the right one shows at the first delivery: a wrong one is refused with 401.',
				};
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}
}
