// @ts-check
// The node in the real n8n editor, in a real browser: `n8n start` with the packed package installed and a credential
// for the stand-in API, the owner created through n8n's REST API, then Debian's headless Chromium (driven by
// playwright-core) opens a new workflow, adds ConnectSafely through the node creator's search, and checks for every
// resource and operation which fields the node panel shows; then the account picker and the credential test.
//
//   bash scripts/install-debian-packages.sh                                       once: Debian's chromium
//   bash test/e2e/run.sh test/e2e/09-editor-browser.test.mjs
//   UPDATE_DOCS_SCREENSHOTS=1 bash test/e2e/run.sh test/e2e/09-editor-browser.test.mjs    also refresh docs/*.png
//
// Screenshots of the node panel for each operation and of the credential dialog go to test/e2e/.work/screenshots/
// (and to docs/ with UPDATE_DOCS_SCREENSHOTS=1, so that a test run never changes tracked files by itself). When a
// step fails, a screenshot of the whole page goes to test/e2e/.work/browser-failures/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Browser, EditorPage } from './lib/browser.mjs';
import { repoRoot, workDir } from './lib/paths.mjs';
import { CREDENTIAL, Suite } from './lib/suite.mjs';

const OWNER = { email: 'owner@example.com', password: 'E2e-passw0rd' };
const NODE = { search: 'ConnectSafely', nodeName: 'ConnectSafely' };
const WRONG_KEY = 'cs_wrong_key_e2e_browser';

const screenshotDirs = [join(workDir, 'screenshots')];
if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') screenshotDirs.push(join(repoRoot, 'docs'));
const failureDir = join(workDir, 'browser-failures');

/** The options every operation shares (how a send waits, paces, times out and skips recipients already messaged). */
const DELIVERY_OPTIONS = [
	'Daily Limit per Account',
	'Max Wait for Rate Limit (Seconds)',
	'Pause Between Messages',
	'Remembered Recipients Limit',
	// A node added in the editor is version 1.1, which offers Repeat Protection.
	'Repeat Protection Window (Hours)',
	'Sending Hours',
	'Skip Recipients Already Messaged',
	'Timeout (Seconds)',
];
/** The actions of the operations that send nothing (Conversation, Attachment, Account): in the node creator, not tested field by field here. */
const READ_ACTIONS = [
	'Check for a conversation with a person',
	'Get many conversations',
	'Get the messages of a conversation',
	'Upload a file to attach to a message',
	'Get the quota usage of an account',
];
/** Options of the four Message operations (they take a recipient the conversation check can look up). */
const MESSAGE_OPTIONS = [
	'Only If No Conversation Yet',
	"Only If They Haven't Replied",
	"Only If They Haven't Replied Since",
];
/** Options only `send` may offer. */
const SEND_ONLY_OPTIONS = ['Attachments', 'Conversation URN', 'Messaging Channel'];

/**
 * Each operation as a user adds it (the node creator's action), the top-level fields its panel must show, in order,
 * what its Options may and may not offer, and sample values typed in before the screenshot.
 * @type {Array<{ id: string, action: string, resource: string, operation: string, fields: string[], options: string[], fill: Record<string, string>, addOptions?: Record<string, string | null> }>}
 */
const OPERATIONS = [
	{
		id: 'send',
		action: 'Send a message',
		resource: 'Message',
		operation: 'Send',
		fields: ['credentials', 'resource', 'operation', 'account', 'recipient', 'message', 'collection:Options'],
		options: [...SEND_ONLY_OPTIONS, 'Subject', ...MESSAGE_OPTIONS, ...DELIVERY_OPTIONS],
		fill: { recipient: 'https://www.linkedin.com/in/jane-doe', message: 'Hi Jane, thanks for connecting!' },
		// Options that only `send` has, added to show them under Options (null: keep the default value).
		addOptions: { 'Conversation URN': null, 'Messaging Channel': null, Attachments: null },
	},
	{
		id: 'sendWithAck',
		action: 'Send a message and acknowledge received messages',
		resource: 'Message',
		operation: 'Send With Acknowledgment',
		fields: ['credentials', 'resource', 'operation', 'account', 'recipient', 'message', 'messageUrns', 'collection:Options'],
		options: ['Message Type', 'Subject', ...MESSAGE_OPTIONS, ...DELIVERY_OPTIONS],
		fill: {
			recipient: 'https://www.linkedin.com/in/jane-doe',
			message: 'Thanks, Jane. Talk soon!',
			messageUrns: 'urn:li:msg_message:(urn:li:fsd_profile:ACoAAB1234,2-MTcwMDAwMDAwMDAwMGI=)',
		},
	},
	{
		id: 'sendWithTyping',
		action: 'Send a message after a typing indicator',
		resource: 'Message',
		operation: 'Send With Typing Indicator',
		fields: ['credentials', 'resource', 'operation', 'account', 'recipient', 'message', 'conversationUrn', 'collection:Options'],
		options: ['Message Type', 'Subject', ...MESSAGE_OPTIONS, ...DELIVERY_OPTIONS],
		fill: {
			recipient: 'https://www.linkedin.com/in/jane-doe',
			message: 'Sounds good. Tuesday works for me.',
			conversationUrn: 'urn:li:msg_conversation:(urn:li:fsd_profile:ACoAAB1234,2-YWJjZGVm)',
		},
	},
	{
		id: 'sendLegacy',
		action: 'Send a message through the deprecated endpoint',
		resource: 'Message',
		operation: 'Send (Legacy)',
		fields: ['credentials', 'resource', 'operation', 'notice', 'account', 'recipient', 'message', 'collection:Options'],
		options: ['Message Type', 'Subject', ...MESSAGE_OPTIONS, ...DELIVERY_OPTIONS],
		fill: { recipient: 'https://www.linkedin.com/in/jane-doe', message: 'Hi Jane, thanks for connecting!' },
	},
	{
		id: 'group-sendWithAck',
		action: 'Send a group message and acknowledge received messages',
		resource: 'Group Message',
		operation: 'Send With Acknowledgment',
		fields: [
			'credentials',
			'resource',
			'operation',
			'account',
			'recipientProfileUrn',
			'groupId',
			'message',
			'messageUrns',
			'collection:Options',
		],
		options: [...DELIVERY_OPTIONS],
		fill: {
			recipientProfileUrn: 'urn:li:fsd_profile:ACoAAB1234',
			groupId: '12345678',
			message: 'Hi! We are both in the Analytical Engines group.',
		},
	},
];

describe('the ConnectSafely node in the n8n editor (headless Chromium)', () => {
	/** @type {Suite} */
	let suite;
	/** @type {import('./lib/n8n.mjs').Editor} */
	let editor;
	/** @type {Browser} */
	let browser;
	/** @type {EditorPage} */
	let ui;

	before(async () => {
		suite = await Suite.start({ name: 'browser' });
		try {
			editor = await suite.n8n.startEditor();
			// Owner setup through n8n's REST API; the browser then carries its session cookie.
			await editor.signIn(OWNER);
			browser = await Browser.launch();
			ui = new EditorPage(await browser.page(), editor.url);
			assert.ok(editor.cookie, 'signed in');
			await ui.useSession(editor.cookie);
		} catch (error) {
			await browser?.close();
			await suite.dispose();
			throw error;
		}
	});

	after(async () => {
		// Each one stops, whatever the others do: the browser, then n8n and the stand-in.
		await browser?.close().catch(() => undefined);
		await suite?.dispose();
	});

	/**
	 * Runs a step; when it fails, keeps a screenshot of the whole page for a look.
	 * @param {string} name
	 * @param {() => Promise<void>} body
	 */
	async function step(name, body) {
		try {
			await body();
		} catch (error) {
			await mkdir(failureDir, { recursive: true });
			const file = join(failureDir, `${name.replace(/[^a-z0-9-]+/gi, '_')}.png`);
			await ui?.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
			if (error instanceof Error) error.message += `\n(screenshot of the page: ${file})`;
			// Leave the canvas as the next step expects it: no open dialog, no open node panel.
			for (let attempt = 0; attempt < 3 && (await ui?.ndv().isVisible().catch(() => false)); attempt++) {
				await ui.page.keyboard.press('Escape').catch(() => undefined);
				await ui.page.waitForTimeout(300);
			}
			throw error;
		}
	}

	/** The dialog of the node's credential, opened from a new node's panel unless it is open already. */
	async function openCredentialDialog() {
		const modal = ui.page.getByTestId('editCredential-modal');
		if (!(await modal.isVisible())) {
			await ui.addNodeWithAction({ ...NODE, action: 'Send a message' });
			await ui.parameters().getByTestId('credential-edit-button').click();
			await modal.waitFor();
		}
		return modal;
	}

	/** @param {string} name a file name in the screenshot folders */
	async function screenshot(name) {
		for (const dir of screenshotDirs) await ui.screenshotParameters(join(dir, name));
	}

	it('the logged-in editor opens a new workflow, and the node creator finds ConnectSafely with its ten actions', () =>
		step('node-creator', async () => {
			await ui.newWorkflow();
			const found = await ui.searchNodeCreator('ConnectSafely');
			assert.deepEqual(found, ['ConnectSafely'], 'search results for "ConnectSafely"');
			const actions = await ui.openNodeActions(NODE.search, NODE.nodeName);
			assert.deepEqual(actions.sort(), [...OPERATIONS.map((operation) => operation.action), ...READ_ACTIONS].sort());
			await ui.page.keyboard.press('Escape');
			await ui.page.getByTestId('node-creator').waitFor({ state: 'hidden' });
		}));

	// n8n's node panel searches display names and the codex aliases (nodes/*/*.node.json), not descriptions: without
	// aliases, a user typing "LinkedIn" or "InMail" would not find ConnectSafely.
	for (const search of ['LinkedIn', 'InMail']) {
		it(`typing "${search}" in the node panel finds ConnectSafely, its trigger and its actions`, () =>
			step(`node-panel-${search}`, async () => {
				await ui.newWorkflow();
				const found = await ui.searchNodeCreator(search, NODE.nodeName);
				assert.ok(found.includes(NODE.nodeName), `search results for "${search}": ${found.join(', ')}`);
				for (const dir of screenshotDirs) await ui.screenshotNodeCreator(join(dir, `node-panel-${search.toLowerCase()}.png`));
				const offered = await ui.openNodeDetails(search, NODE.nodeName);
				assert.ok(offered.includes('Send a message'), `the actions: ${offered.join(', ')}`);
				assert.ok(
					offered.some((name) => /^On .*ConnectSafely/.test(name)),
					`the trigger (ConnectSafely Trigger) is offered too: ${offered.join(', ')}`,
				);
				if (search === 'LinkedIn') {
					for (const dir of screenshotDirs) await ui.screenshotNodeCreator(join(dir, 'node-panel-connectsafely.png'));
				}
				await ui.page.keyboard.press('Escape');
				await ui.page.getByTestId('node-creator').waitFor({ state: 'hidden' });
			}));
	}

	for (const operation of OPERATIONS) {
		it(`${operation.resource} → ${operation.operation}: the panel shows ${operation.fields.slice(3).join(', ')}`, () =>
			step(`operation-${operation.id}`, async () => {
				await ui.addNodeWithAction({ ...NODE, action: operation.action });
				assert.equal(await ui.parameters().getByTestId('parameter-input-resource').locator('input').inputValue(), operation.resource);
				assert.equal(await ui.parameters().getByTestId('parameter-input-operation').locator('input').inputValue(), operation.operation);
				// The credential imported for the stand-in is the only one of its type: n8n selects it.
				assert.equal(
					await ui.parameters().getByTestId('node-credentials-select').locator('input').first().inputValue(),
					CREDENTIAL.name,
					'the credential is preselected',
				);

				const shown = await ui.shownFields();
				const topLevel = shown.filter((field) => field.depth === 1).map((field) => field.name);
				assert.deepEqual(topLevel, operation.fields, `top-level fields of ${operation.id}`);

				const isGroup = operation.resource === 'Group Message';
				for (const name of ['groupId', 'recipientProfileUrn']) {
					assert.equal(topLevel.includes(name), isGroup, `${name} shown for ${operation.id}`);
				}
				assert.equal(topLevel.includes('recipient'), !isGroup, `recipient shown for ${operation.id}`);
				assert.equal(topLevel.includes('messageUrns'), /acknowledge/i.test(operation.action), `messageUrns for ${operation.id}`);
				assert.equal(topLevel.includes('conversationUrn'), operation.id === 'sendWithTyping', `top-level conversationUrn for ${operation.id}`);

				const notices = await ui.notices();
				if (operation.id === 'sendLegacy') {
					assert.equal(notices.length, 1, JSON.stringify(notices));
					assert.match(notices[0], /deprecated this endpoint \(POST \/messaging\/send\)/);
					assert.match(notices[0], /Use the "Send" operation instead/);
				} else {
					assert.deepEqual(notices, [], `no notice for ${operation.id}`);
				}

				const choices = await ui.collectionChoices();
				assert.deepEqual([...choices].sort(), [...operation.options].sort(), `Options offered for ${operation.id}`);
				for (const option of SEND_ONLY_OPTIONS) {
					assert.equal(choices.includes(option), operation.id === 'send', `option ${option} offered for ${operation.id}`);
				}

				for (const [name, value] of Object.entries(operation.fill)) await ui.fill(name, value);
				for (const option of Object.keys(operation.addOptions ?? {})) await ui.addCollectionOption(option);
				if (operation.addOptions) {
					const nested = (await ui.shownFields()).filter((field) => field.depth === 2).map((field) => field.name);
					assert.deepEqual(nested.sort(), ['attachments', 'conversationUrn', 'messagingChannel'], 'under Options');
					const top = (await ui.shownFields()).filter((field) => field.depth === 1).map((field) => field.name);
					assert.ok(!top.includes('conversationUrn'), 'for send, Conversation URN is an option, not a field');
				}
				await screenshot(`operation-${operation.id}.png`);
				await ui.closeNdv();
			}));
	}

	it('switching the operation in an open panel changes the fields at once', () =>
		step('switch-operation', async () => {
			await ui.addNodeWithAction({ ...NODE, action: 'Send a message' });
			await ui.choose('operation', 'Send (Legacy)');
			assert.equal((await ui.notices()).length, 1, 'the deprecation notice appears');
			await ui.choose('operation', 'Send With Typing Indicator');
			let top = (await ui.shownFields()).filter((field) => field.depth === 1).map((field) => field.name);
			assert.deepEqual(await ui.notices(), [], 'the notice goes');
			assert.ok(top.includes('conversationUrn') && !top.includes('messageUrns'), top.join(', '));
			await ui.choose('resource', 'Group Message');
			top = (await ui.shownFields()).filter((field) => field.depth === 1).map((field) => field.name);
			assert.deepEqual(top, OPERATIONS[4].fields);
			await ui.closeNdv();
		}));

	it("the account picker lists the stand-in's accounts and searches them through the API", () =>
		step('account-picker', async () => {
			await suite.api.reset();
			await ui.addNodeWithAction({ ...NODE, action: 'Send a message' });
			const locator = ui.parameters().getByTestId('resource-locator-account');
			await locator.getByTestId('rlc-input').click();
			const items = ui.page.getByTestId('rlc-item').locator('visible=true');
			await items.first().waitFor();
			assert.deepEqual(await items.allTextContents(), [
				'Ada Lovelace (ada-lovelace)',
				'Grace Hopper (grace-hopper)',
				'Alan Turing (alan-turing) – ERROR',
			]);
			for (const dir of screenshotDirs) {
				await mkdir(dir, { recursive: true });
				await ui.page.waitForTimeout(400); // the list fades in
				await ui.page.screenshot({ path: join(dir, 'account-picker.png'), clip: await pickerClip(ui), animations: 'disabled' });
			}

			await ui.page.getByTestId('rlc-search').locator('visible=true').fill('hopper');
			await assert.doesNotReject(
				ui.page.waitForFunction(() => {
					const shown = [...document.querySelectorAll('[data-test-id="rlc-item"]')].filter(
						(element) => element instanceof HTMLElement && element.offsetParent !== null,
					);
					return shown.length === 1 && shown[0].textContent?.includes('Grace Hopper');
				}),
				'typing "hopper" leaves Grace Hopper alone in the list',
			);
			await items.filter({ hasText: 'Grace Hopper' }).click();
			assert.equal(await locator.getByTestId('rlc-input').inputValue(), 'Grace Hopper (grace-hopper)');

			// The stand-in records the query string too (`query`), which the library's type leaves out.
			/** @type {Array<{ path: string, query?: Record<string, string>, headers: Record<string, string> }>} */
			const requests = (await suite.api.requests()).filter((request) => request.path === '/linkedin/accounts');
			assert.ok(requests.length >= 2, JSON.stringify(requests.map((request) => request.path)));
			assert.ok(requests.some((request) => !request.query?.q), 'the list without a search');
			assert.ok(requests.some((request) => request.query?.q === 'hopper'), 'the search went to the API as ?q=hopper');
			for (const request of requests) assert.equal(request.headers.authorization, `Bearer ${suite.api.apiKey}`);
			await ui.closeNdv();
		}));

	it('the credential test passes with the right key', () =>
		step('credential-ok', async () => {
			await suite.api.reset();
			const modal = await openCredentialDialog();
			// n8n tests a saved credential when its dialog opens.
			await modal.getByTestId('credentials-config-container-test-success').waitFor();
			assert.match(await modal.getByTestId('credentials-config-container-test-success').innerText(), /Connection tested successfully/);
			assert.equal(await modal.getByTestId('parameter-input-baseUrl').locator('input').inputValue(), suite.api.url);

			const checks = (await suite.api.requests()).filter((request) => request.path === '/linkedin/account/status');
			assert.ok(checks.length >= 1, 'the test called GET /account/status');
			assert.equal(checks[0].method, 'GET');
			assert.equal(checks[0].headers.authorization, `Bearer ${suite.api.apiKey}`);
			await ui.page.mouse.move(0, 0);
			for (const dir of screenshotDirs) {
				await mkdir(dir, { recursive: true });
				await modal.screenshot({ path: join(dir, 'credential.png'), animations: 'disabled' });
			}
		}));

	it('the credential test fails with a wrong key and shows the rejection', () =>
		step('credential-wrong-key', async () => {
			await suite.api.reset();
			const modal = await openCredentialDialog();
			await modal.getByTestId('parameter-input-apiKey').locator('input').fill(WRONG_KEY);
			await modal.getByTestId('credential-save-button').click();
			const failure = modal.getByText(/Couldn.t connect with these settings/);
			await failure.waitFor();
			await modal.getByText('More details').click();
			const text = await modal.getByTestId('node-credentials-config-container').innerText();

			const checks = (await suite.api.requests()).filter((request) => request.path === '/linkedin/account/status');
			assert.ok(checks.length >= 1, 'the test called GET /account/status');
			assert.equal(checks.at(-1)?.headers.authorization, `Bearer ${WRONG_KEY}`);
			await ui.page.mouse.move(0, 0);
			for (const dir of screenshotDirs) {
				await modal.screenshot({ path: join(dir, 'credential-wrong-key.png'), animations: 'disabled' });
			}
			// The API answers 401 {"error":"Unauthorized - Invalid credentials"}. The credential's declarative test has a
			// 401 rule with those words, but n8n 2.8's credential tester drops the response of a declarative test (rules
			// included) and shows its own 401 text; a node `testedBy` function could show the API's words, but only
			// through the deprecated `helpers.request`, which n8n's verification lint rejects. Accept either wording of
			// the rejection; README → Troubleshooting says which one n8n 2.8.4 shows.
			assert.match(
				text,
				/Unauthorized - Invalid credentials|Authorization failed - please check your credentials/,
				`what the dialog shows:\n${text}`,
			);
		}));
});

/**
 * The account field with its open list, for the screenshot.
 * @param {EditorPage} ui
 */
async function pickerClip(ui) {
	const column = await ui.ndv().locator('.node-settings').first().boundingBox();
	const list = await ui.page.getByTestId('rlc-item').locator('visible=true').last().boundingBox();
	if (!column || !list) throw new Error('no account list on screen');
	return { x: column.x, y: column.y, width: column.width, height: list.y + list.height + 24 - column.y };
}
