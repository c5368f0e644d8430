/**
 * What the node's form shows for each resource and operation, computed by n8n-workflow's own display logic
 * (NodeHelpers.getNodeParameters / displayParameter) over the node's description — and the public names that
 * saved workflows depend on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeHelpers, type INode, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { ConnectSafelyApi } from '../../../credentials/ConnectSafelyApi.credentials';
import { ConnectSafely } from '../../../nodes/ConnectSafely/ConnectSafely.node';
import {
	parametersWithDefaults,
	visibleCredentialProperties,
	visibleOptionsOf,
	visibleParameters,
	visibleProperties,
} from '../../harness';

const node = new ConnectSafely();
const { description } = node;

type Op = [resource: string, operation: string];
const ALL_OPS: Op[] = [
	['message', 'send'],
	['message', 'sendWithAck'],
	['message', 'sendWithTyping'],
	['message', 'sendLegacy'],
	['groupMessage', 'sendWithAck'],
];

const params = ([resource, operation]: Op): INodeParameters => ({ resource, operation });
const shown = (op: Op) => visibleParameters(node, params(op));
const shownOptions = (op: Op) => visibleOptionsOf(node, params(op), 'options');
const label = ([resource, operation]: Op) => `${resource} → ${operation}`;

/** Parameter issues as n8n computes them before every execution (WorkflowExecute.checkForWorkflowIssues). */
function issuesOf(parameters: INodeParameters) {
	const values = parametersWithDefaults(node, parameters);
	const workflowNode: INode = {
		id: 'n',
		name: 'ConnectSafely',
		type: 'n8n-nodes-connectsafely.connectSafely',
		typeVersion: 1,
		position: [0, 0],
		parameters: values,
	};
	return (
		NodeHelpers.getNodeParametersIssues(description.properties, workflowNode, description)
			?.parameters ?? {}
	);
}

describe('the fields each operation shows', () => {
	test.each<[Op, string[], string[]]>([
		[
			['message', 'send'],
			['resource', 'operation', 'account', 'recipient', 'message', 'options'],
			[
				'attachments',
				'conversationUrn',
				'dailyLimitPerAccount',
				'maxWaitForRateLimit',
				'messagingChannel',
				'onlyIfNoConversationYet',
				'onlyIfNotReplied',
				'onlyIfNotRepliedSince',
				'pauseBetweenMessages',
				'rememberedRecipientsLimit',
				'repeatWindowHours',
				'sendingHours',
				'skipAlreadyMessaged',
				'subject',
				'timeout',
			],
		],
		[
			['message', 'sendWithAck'],
			['resource', 'operation', 'account', 'recipient', 'message', 'messageUrns', 'options'],
			[
				'dailyLimitPerAccount',
				'maxWaitForRateLimit',
				'messageType',
				'onlyIfNoConversationYet',
				'onlyIfNotReplied',
				'onlyIfNotRepliedSince',
				'pauseBetweenMessages',
				'rememberedRecipientsLimit',
				'repeatWindowHours',
				'sendingHours',
				'skipAlreadyMessaged',
				'subject',
				'timeout',
			],
		],
		[
			['message', 'sendWithTyping'],
			['resource', 'operation', 'account', 'recipient', 'message', 'conversationUrn', 'options'],
			[
				'dailyLimitPerAccount',
				'maxWaitForRateLimit',
				'messageType',
				'onlyIfNoConversationYet',
				'onlyIfNotReplied',
				'onlyIfNotRepliedSince',
				'pauseBetweenMessages',
				'rememberedRecipientsLimit',
				'repeatWindowHours',
				'sendingHours',
				'skipAlreadyMessaged',
				'subject',
				'timeout',
			],
		],
		[
			['message', 'sendLegacy'],
			['resource', 'operation', 'deprecationNotice', 'account', 'recipient', 'message', 'options'],
			[
				'dailyLimitPerAccount',
				'maxWaitForRateLimit',
				'messageType',
				'onlyIfNoConversationYet',
				'onlyIfNotReplied',
				'onlyIfNotRepliedSince',
				'pauseBetweenMessages',
				'rememberedRecipientsLimit',
				'repeatWindowHours',
				'sendingHours',
				'skipAlreadyMessaged',
				'subject',
				'timeout',
			],
		],
		[
			['groupMessage', 'sendWithAck'],
			[
				'resource',
				'operation',
				'account',
				'recipientProfileUrn',
				'groupId',
				'message',
				'messageUrns',
				'options',
			],
			[
				'dailyLimitPerAccount',
				'maxWaitForRateLimit',
				'pauseBetweenMessages',
				'rememberedRecipientsLimit',
				'repeatWindowHours',
				'sendingHours',
				'skipAlreadyMessaged',
				'timeout',
			],
		],
		[
			['conversation', 'getMany'],
			['resource', 'operation', 'account', 'returnAll', 'limit', 'filters'],
			[],
		],
		[
			['conversation', 'getMessages'],
			['resource', 'operation', 'account', 'conversationUrn', 'returnAll', 'limit', 'options'],
			['since'],
		],
		[['conversation', 'getByRecipient'], ['resource', 'operation', 'account', 'recipient'], []],
		[['account', 'getQuota'], ['resource', 'operation', 'account'], []],
		[
			['attachment', 'upload'],
			['resource', 'operation', 'account', 'binaryPropertyName', 'options'],
			['fileName'],
		],
	])('%j shows exactly these fields, in this order, and these options', (op, fields, options) => {
		expect(shown(op)).toEqual(fields);
		expect(shownOptions(op)).toEqual(options);
	});

	test('Repeat Protection Window (Hours) is offered from version 1.1 (default 24), not to a node saved with version 1', () => {
		for (const op of ALL_OPS) {
			expect(visibleOptionsOf(node, params(op), 'options', 1)).not.toContain('repeatWindowHours');
			expect(visibleOptionsOf(node, params(op), 'options', 1.1)).toContain('repeatWindowHours');
		}
		const option = description.properties
			.find((p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('send'))
			?.options?.find((o) => o.name === 'repeatWindowHours');
		expect(option).toMatchObject({ type: 'number', default: 24 });
		expect((option as INodeProperties).description).toMatch(
			/manual executions from the editor neither block nor are blocked/,
		);
	});

	test('a new node shows Message → Send', () => {
		expect(visibleParameters(node, {})).toEqual(shown(['message', 'send']));
		expect(parametersWithDefaults(node, {})).toMatchObject({
			resource: 'message',
			operation: 'send',
		});
	});

	test('choosing Group Message shows its one operation by default', () => {
		expect(parametersWithDefaults(node, { resource: 'groupMessage' })).toMatchObject({
			operation: 'sendWithAck',
		});
		expect(visibleParameters(node, { resource: 'groupMessage' })).toEqual(
			shown(['groupMessage', 'sendWithAck']),
		);
	});

	const where = (predicate: (op: Op) => boolean) => ALL_OPS.filter(predicate).map(label).sort();

	test.each<[string, (op: Op) => boolean, string[]]>([
		['groupId', (op) => shown(op).includes('groupId'), ['groupMessage → sendWithAck']],
		[
			'recipientProfileUrn',
			(op) => shown(op).includes('recipientProfileUrn'),
			['groupMessage → sendWithAck'],
		],
		[
			'recipient (the locator)',
			(op) => shown(op).includes('recipient'),
			[
				'message → send',
				'message → sendLegacy',
				'message → sendWithAck',
				'message → sendWithTyping',
			],
		],
		[
			'conversationUrn as a field',
			(op) => shown(op).includes('conversationUrn'),
			['message → sendWithTyping'],
		],
		[
			'conversationUrn as an option',
			(op) => shownOptions(op).includes('conversationUrn'),
			['message → send'],
		],
		[
			'messageUrns',
			(op) => shown(op).includes('messageUrns'),
			['groupMessage → sendWithAck', 'message → sendWithAck'],
		],
		['attachments', (op) => shownOptions(op).includes('attachments'), ['message → send']],
		['messagingChannel', (op) => shownOptions(op).includes('messagingChannel'), ['message → send']],
		[
			'the deprecation notice',
			(op) => shown(op).includes('deprecationNotice'),
			['message → sendLegacy'],
		],
		[
			'subject',
			(op) => shownOptions(op).includes('subject'),
			[
				'message → send',
				'message → sendLegacy',
				'message → sendWithAck',
				'message → sendWithTyping',
			],
		],
		[
			'messageType (not on send: /conversations/send takes none)',
			(op) => shownOptions(op).includes('messageType'),
			['message → sendLegacy', 'message → sendWithAck', 'message → sendWithTyping'],
		],
		['account', (op) => shown(op).includes('account'), ALL_OPS.map(label).sort()],
		['message', (op) => shown(op).includes('message'), ALL_OPS.map(label).sort()],
	])('%s is shown only where it applies', (_field, isShown, expected) => {
		expect(where(isShown)).toEqual(expected);
	});

	test('the deprecation notice is a notice that points to Send', () => {
		const notice = visibleProperties(node, params(['message', 'sendLegacy'])).find(
			(p) => p.name === 'deprecationNotice',
		);
		expect(notice?.type).toBe('notice');
		expect(notice?.displayName).toMatch(/deprecated/i);
		expect(notice?.displayName).toMatch(/"Send"/);
	});

	test('the message field is a required multi-line text on every operation', () => {
		for (const op of ALL_OPS) {
			const message = visibleProperties(node, params(op)).find((p) => p.name === 'message');
			expect(message).toMatchObject({ type: 'string', required: true });
			expect(message?.typeOptions?.rows).toBeGreaterThan(1);
		}
	});

	test('the recipient is required except on Send, where a Conversation URN can stand in for it', () => {
		for (const op of ALL_OPS.filter(([resource]) => resource === 'message')) {
			const recipient = visibleProperties(node, params(op)).find((p) => p.name === 'recipient');
			expect({ op: label(op), required: recipient?.required }).toEqual({
				op: label(op),
				required: op[1] !== 'send',
			});
		}
	});

	test('group ID and recipient URN are required on the group operation', () => {
		const properties = visibleProperties(node, params(['groupMessage', 'sendWithAck']));
		for (const name of ['groupId', 'recipientProfileUrn']) {
			expect(properties.find((p) => p.name === name)?.required).toBe(true);
		}
	});
});

describe('what n8n flags before a run (the same check WorkflowExecute makes)', () => {
	test('Send with a Conversation URN and an empty recipient has no issues', () => {
		expect(
			issuesOf({ message: 'Hi', options: { conversationUrn: 'urn:li:msg_conversation:1' } }),
		).toEqual({});
	});

	test.each(['list', 'id'])(
		'an empty account in mode %s has no issues (it means the default account)',
		(mode) => {
			expect(
				issuesOf({
					account: { __rl: true, mode, value: '' },
					recipient: { __rl: true, mode: 'id', value: 'jane-doe' },
					message: 'Hi',
				}),
			).toEqual({});
		},
	);

	test('an empty recipient on an operation that needs one is flagged as required', () => {
		const issues = issuesOf({ operation: 'sendWithAck', message: 'Hi' });
		expect(Object.keys(issues)).toEqual(['recipient']);
	});

	test.each<[string, string, string]>([
		['url', 'https://example.com/jane', 'Not a LinkedIn profile URL'],
		['urn', 'urn:li:member:1', 'Not a LinkedIn profile URN'],
	])(
		'a recipient in mode %s that fails its check is flagged with what is expected',
		(mode, value, text) => {
			const issues = issuesOf({ recipient: { __rl: true, mode, value }, message: 'Hi' });
			expect(issues.recipient?.join(' ')).toContain(text);
		},
	);

	test.each([
		'https://www.linkedin.com/in/jane-doe',
		'https://uk.linkedin.com/in/jane-doe/',
		'linkedin.com/in/jane-doe?trk=x#top',
		' https://www.linkedin.com/in/jane-doe ',
		'={{ $json.url }}',
	])('a recipient URL the node accepts is not flagged: %s', (value) => {
		expect(issuesOf({ recipient: { __rl: true, mode: 'url', value }, message: 'Hi' })).toEqual({});
	});
});

describe('the public interface saved workflows depend on', () => {
	test('the node is connectSafely, versions 1 and 1.1 (what a new node gets), usable as a tool, with the connectSafelyApi credential', () => {
		expect(description).toMatchObject({
			name: 'connectSafely',
			displayName: 'ConnectSafely',
			version: [1, 1.1],
			usableAsTool: true,
			credentials: [{ name: 'connectSafelyApi', required: true }],
		});
		expect(description.subtitle).toContain('$parameter["operation"]');
		expect(description.subtitle).toContain('$parameter["resource"]');
	});

	function valuesOf(property: INodeProperties | undefined): unknown[] {
		return (property?.options ?? [])
			.map((option) => ('value' in option ? option.value : undefined))
			.sort();
	}

	test('resources are message (default), groupMessage, conversation, attachment and account', () => {
		const resource = description.properties.find((p) => p.name === 'resource');
		expect(resource?.default).toBe('message');
		expect(valuesOf(resource)).toEqual([
			'account',
			'attachment',
			'conversation',
			'groupMessage',
			'message',
		]);
	});

	test('conversation operations are getMany (default), getMessages, getByRecipient; attachment has upload', () => {
		const operationFor = (resource: string) =>
			visibleProperties(node, { resource }).find((p) => p.name === 'operation');
		expect(operationFor('conversation')?.default).toBe('getMany');
		expect(valuesOf(operationFor('conversation'))).toEqual([
			'getByRecipient',
			'getMany',
			'getMessages',
		]);
		expect(valuesOf(operationFor('attachment'))).toEqual(['upload']);
		expect(valuesOf(operationFor('account'))).toEqual(['getQuota']);
	});

	test('message operations are send (default), sendWithAck, sendWithTyping, sendLegacy; groupMessage has sendWithAck', () => {
		const operationFor = (resource: string) =>
			visibleProperties(node, { resource }).find((p) => p.name === 'operation');
		expect(operationFor('message')?.default).toBe('send');
		expect(valuesOf(operationFor('message'))).toEqual([
			'send',
			'sendLegacy',
			'sendWithAck',
			'sendWithTyping',
		]);
		expect(valuesOf(operationFor('groupMessage'))).toEqual(['sendWithAck']);
	});

	test('parameter names and choice values are stable', () => {
		const send = visibleProperties(node, params(['message', 'send']));
		const options = send.find((p) => p.name === 'options')?.options as INodeProperties[];
		expect(valuesOf(options.find((o) => o.name === 'messagingChannel'))).toEqual([
			'auto',
			'linkedin_inbox',
			'sales_navigator',
		]);
		const ack = visibleProperties(node, params(['message', 'sendWithAck']));
		const ackOptions = ack.find((p) => p.name === 'options')?.options as INodeProperties[];
		expect(valuesOf(ackOptions.find((o) => o.name === 'messageType'))).toEqual([
			'inmail',
			'normal',
		]);
		const recipient = send.find((p) => p.name === 'recipient');
		expect(recipient?.modes?.map((m) => m.name)).toEqual(['url', 'id', 'urn']);
		const account = send.find((p) => p.name === 'account');
		expect(account?.type).toBe('resourceLocator');
		expect(account?.modes?.map((m) => m.name)).toEqual(['list', 'id']);
		expect(account?.modes?.[0].typeOptions?.searchListMethod).toBe('searchAccounts');
		expect(typeof node.methods.listSearch.searchAccounts).toBe('function');
	});

	test('the credential is connectSafelyApi with apiKey (a password) and baseUrl defaulting to the live API', () => {
		const credential = new ConnectSafelyApi();
		expect(credential.name).toBe('connectSafelyApi');
		expect(visibleCredentialProperties(credential, {})).toEqual(['apiKey', 'baseUrl']);
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe(
			'https://api.connectsafely.ai/linkedin',
		);
		expect(typeof credential.authenticate).toBe('function');
		expect(credential.test.request.url).toBe('/account/status');
	});

	test("the credential adds only the Bearer header, keeping the request's own headers and leaving it unchanged", async () => {
		const request = {
			url: 'https://api.connectsafely.ai/linkedin/health',
			headers: { 'X-Trace': '1' },
		};
		const authenticated = await new ConnectSafelyApi().authenticate({ apiKey: 'key-1' }, request);
		expect(authenticated).toEqual({
			...request,
			headers: { 'X-Trace': '1', Authorization: 'Bearer key-1' },
		});
		expect(request.headers).toEqual({ 'X-Trace': '1' });
	});

	test('package.json declares the community package with the built node and credential', () => {
		const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
			name: string;
			keywords: string[];
			n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
			dependencies?: object;
			peerDependencies: Record<string, string>;
			files: string[];
		};
		expect(pkg.name).toBe('n8n-nodes-connectsafely');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.n8n).toEqual({
			n8nNodesApiVersion: 1,
			credentials: [
				'dist/credentials/ConnectSafelyApi.credentials.js',
				'dist/credentials/ConnectSafelyWebhookApi.credentials.js',
			],
			nodes: [
				'dist/nodes/ConnectSafely/ConnectSafely.node.js',
				'dist/nodes/ConnectSafelyTrigger/ConnectSafelyTrigger.node.js',
			],
		});
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.files).toEqual(['dist']);
	});
});

describe('the editor speaks to users', () => {
	/** Every description, hint and notice text in the node's form, options and collections included. */
	function texts(properties: INodeProperties[]): string[] {
		return properties.flatMap((property) => [
			...(property.type === 'notice' ? [property.displayName] : []),
			...(property.description ? [property.description] : []),
			...(property.hint ? [property.hint] : []),
			...((property.options ?? []) as Array<INodeProperties | { description?: string }>).flatMap(
				(option) =>
					'type' in option
						? texts([option])
						: 'values' in option
							? texts((option as { values: INodeProperties[] }).values)
							: option.description
								? [option.description]
								: [],
			),
		]);
	}

	test('no notes for developers: not about copies of the docs, nor how the API is spoken to', () => {
		const all = texts(description.properties);
		expect(all.length).toBeGreaterThan(40);
		for (const text of all) {
			expect(text).not.toMatch(
				/third-party|copy of the docs|epoch|shape the API expects|needs it\./i,
			);
		}
	});

	test('Send With Typing Indicator says when the indicator shows, and that the message goes without it', () => {
		const field = description.properties.find(
			(property) =>
				property.name === 'conversationUrn' &&
				property.displayOptions?.show?.operation?.includes('sendWithTyping'),
		);
		expect(field?.required).not.toBe(true);
		expect(field?.description).toMatch(
			/only when its URN is set here; without it the message is still sent/,
		);
	});
});
