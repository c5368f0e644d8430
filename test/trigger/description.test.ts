/**
 * What the editor shows and n8n loads: a POST webhook trigger whose panel says where its URL goes, listed
 * in the package's "n8n" section beside its credential.
 */
import { ConnectSafelyWebhookApi } from '../../credentials/ConnectSafelyWebhookApi.credentials';
import { ConnectSafelyTrigger } from '../../nodes/ConnectSafelyTrigger/ConnectSafelyTrigger.node';
import packageJson from '../../package.json';

const { description } = new ConnectSafelyTrigger();

test('a version 1 trigger named connectSafelyTrigger, with no inputs, listening for POST', () => {
	expect(description).toMatchObject({
		name: 'connectSafelyTrigger',
		displayName: 'ConnectSafely Trigger',
		version: 1,
		group: ['trigger'],
		inputs: [],
	});
	expect(description.webhooks).toEqual([
		{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
	]);
});

test('the panel says to paste the URL into the ConnectSafely dashboard (Webhooks)', () => {
	const notice = description.properties.find((property) => property.type === 'notice');
	expect(notice?.displayName).toMatch(/Production URL.*ConnectSafely dashboard \(Webhooks\)/);
	expect(notice?.displayName).toMatch(/Test URL works with 'Listen for test event'/);
});

test('the credential connectSafelyWebhookApi holds the signing secret as a password', () => {
	expect(description.credentials).toEqual([
		{ name: 'connectSafelyWebhookApi', required: true, testedBy: 'checkSigningSecret' },
	]);
	const credential = new ConnectSafelyWebhookApi();
	expect(credential.displayName).toBe('ConnectSafely Webhook API');
	expect(credential.properties).toEqual([
		expect.objectContaining({
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
		}),
	]);
});

test('n8n loads the trigger and its credential from the package', () => {
	expect(packageJson.n8n.nodes).toContain(
		'dist/nodes/ConnectSafelyTrigger/ConnectSafelyTrigger.node.js',
	);
	expect(packageJson.n8n.credentials).toContain(
		'dist/credentials/ConnectSafelyWebhookApi.credentials.js',
	);
});
