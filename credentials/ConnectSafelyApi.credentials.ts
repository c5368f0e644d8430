import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** ConnectSafely's API; the node (transport/request.ts) sends to the same address when Base URL is empty. */
const DEFAULT_BASE_URL = 'https://api.connectsafely.ai/linkedin';

export class ConnectSafelyApi implements ICredentialType {
	name = 'connectSafelyApi';

	displayName = 'ConnectSafely API';

	icon: Icon = { light: 'file:connectSafely.svg', dark: 'file:connectSafely.dark.svg' };

	documentationUrl = 'https://github.com/connectsafely/n8n-nodes-connectsafely#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your ConnectSafely API key, from the ConnectSafely dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				"Where the API lives. Keep the default, or use ConnectSafely's sandbox or a local stand-in for testing.",
		},
	];

	// The key goes only into this header, added when n8n's request helper calls this; the node passes the
	// credential on and never reads the key itself. A function rather than the declarative
	// `'=Bearer {{$credentials.apiKey}}'`: n8n would run that template through its expression engine on every
	// request, ~100 µs of CPU each here (bench/README.md). Same header either way.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.apiKey ?? '')}`,
			},
		};
	}

	// /account/status checks the key for real (a bad key gets 401); /health would accept any key. An empty Base URL
	// is ConnectSafely's own address, as in the node (transport/request.ts, DEFAULT_BASE_URL).
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ (String($credentials.baseUrl || "").trim() || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}`,
			url: '/account/status',
			method: 'GET',
			// As in the node: a redirect would carry the key to whatever address it names.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Unauthorized - Invalid credentials: ConnectSafely rejected this API key. Copy it again from the ConnectSafely dashboard.',
				},
			},
		],
	};
}
