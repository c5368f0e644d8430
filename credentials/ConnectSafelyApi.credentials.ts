import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class ConnectSafelyApi implements ICredentialType {
	name = 'connectSafelyApi';

	displayName = 'ConnectSafely API';

	documentationUrl = 'https://connectsafely.ai/docs';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your ConnectSafely API key (ConnectSafely dashboard → Settings → API)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.connectsafely.ai/linkedin',
			description:
				'Leave as is unless ConnectSafely gave you another address (e.g. the sandbox)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/account/status',
			method: 'GET',
		},
	};
}
