// @ts-check
// The n8n editor in a real browser: Debian's Chromium (/usr/bin/chromium, installed by scripts/install-debian-packages.sh)
// driven by playwright-core, never a browser Playwright downloads. The page helpers find the editor's elements by
// their data-test-id attributes, which n8n keeps stable for its own end-to-end tests.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { chromium, selectors } from 'playwright-core';
import { waitUntil } from './processes.mjs';

/** Where the browser is: CHROMIUM_PATH, or Debian's package. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// n8n marks its elements with data-test-id (not Playwright's default data-testid): getByTestId() looks for that.
selectors.setTestIdAttribute('data-test-id');

/**
 * Flags for a headless Chromium on a machine without outside network: no background connections, no sync, no
 * component updates, no QUIC, and no sandbox (CI runs as root, where Chromium's sandbox refuses to start).
 */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
];

/**
 * A signal ends this process through process.exit(), so that every 'exit' handler runs: processes.mjs kills the
 * n8n and stand-in process groups, Playwright kills the browser. (Playwright's own SIGTERM/SIGHUP handlers close the
 * browser but leave the process running, and a test runner that gives up on it then kills it hard, with no 'exit'
 * handler and an n8n left behind; so they are switched off in launch() below.)
 */
let signalsHandled = false;
function exitOnSignals() {
	if (signalsHandled) return;
	signalsHandled = true;
	for (const [signal, code] of /** @type {const} */ ([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]])) {
		process.once(signal, () => {
			process.stderr.write(`[e2e] ${signal}: stopping the browser, n8n and the stand-in\n`);
			process.exit(code);
		});
	}
}

/**
 * A headless Chromium with a fresh profile of its own, deleted on close.
 */
export class Browser {
	/**
	 * @param {import('playwright-core').BrowserContext} context
	 * @param {string} profile
	 */
	constructor(context, profile) {
		this.context = context;
		this.profile = profile;
	}

	/**
	 * @param {{ viewport?: { width: number, height: number } }} [options]
	 */
	static async launch(options = {}) {
		if (!existsSync(chromiumPath)) {
			throw new Error(`no browser at ${chromiumPath}: run scripts/install-debian-packages.sh (Debian's chromium), or set CHROMIUM_PATH`);
		}
		const base = process.env.E2E_TMP || tmpdir();
		await mkdir(base, { recursive: true });
		const profile = await mkdtemp(join(base, 'chromium-profile-'));
		try {
			exitOnSignals();
			// Playwright kills the browser when this process exits (its 'exit' handler).
			const context = await chromium.launchPersistentContext(profile, {
				handleSIGINT: false,
				handleSIGTERM: false,
				handleSIGHUP: false,
				executablePath: chromiumPath,
				headless: true,
				args: CHROMIUM_ARGS,
				viewport: options.viewport ?? { width: 1600, height: 1200 },
				// Sharp screenshots for the README (twice the CSS pixels).
				deviceScaleFactor: 2,
				locale: 'en-US',
				timezoneId: 'UTC',
				colorScheme: 'light',
				timeout: 60_000,
			});
			context.setDefaultTimeout(20_000);
			return new Browser(context, profile);
		} catch (error) {
			await rm(profile, { recursive: true, force: true });
			throw error;
		}
	}

	/** The browser's one page (a persistent context opens with one). */
	async page() {
		return this.context.pages()[0] ?? (await this.context.newPage());
	}

	async close() {
		await this.context.close().catch(() => undefined);
		await rm(this.profile, { recursive: true, force: true });
	}
}

/**
 * @typedef {{ name: string, depth: number, label: string }} ShownField
 */

/**
 * The n8n editor UI of one running `n8n start`, in one browser page.
 */
export class EditorPage {
	/**
	 * @param {import('playwright-core').Page} page
	 * @param {string} url the editor's base URL, e.g. http://127.0.0.1:5678
	 */
	constructor(page, url) {
		this.page = page;
		this.url = url;
	}

	/**
	 * Logs the browser in with the session cookie the REST API handed out (`Editor.signIn`).
	 * @param {string} cookie `n8n-auth=…`
	 */
	async useSession(cookie) {
		const separator = cookie.indexOf('=');
		await this.page.context().addCookies([
			{ name: cookie.slice(0, separator), value: cookie.slice(separator + 1), url: this.url },
		]);
	}

	/** Opens an empty workflow on the canvas. */
	async newWorkflow() {
		await this.page.goto(`${this.url}/workflow/new`);
		await this.page.getByTestId('canvas-wrapper').waitFor();
		await this.page.getByTestId('node-creator-plus-button').waitFor();
	}

	/**
	 * Searches the node creator and returns the names of the nodes it offers.
	 * @param {string} search
	 * @param {string} [expected] a result to wait for (default: one whose name contains the search)
	 */
	async searchNodeCreator(search, expected) {
		const { page } = this;
		const bar = page.getByTestId('node-creator-search-bar');
		// Left open on a node's details (a step before failed there): its search bar is not shown; Escape goes back.
		for (let tries = 0; tries < 3 && (await page.getByTestId('node-creator').isVisible()) && !(await bar.isVisible()); tries++) {
			await page.keyboard.press('Escape');
			await page.waitForTimeout(300);
		}
		if (!(await page.getByTestId('node-creator').isVisible())) {
			await page.getByTestId('node-creator-plus-button').click();
		}
		await bar.fill(search);
		const names = page.getByTestId('node-creator').getByTestId('node-creator-item-name');
		// The list shown before the search (newer n8n opens on the trigger list) stays a moment after typing:
		// wait for a result naming the search, then for the list to stop changing.
		const awaited = expected === undefined ? new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : exactly(expected);
		await names.filter({ hasText: awaited }).first().waitFor();
		let shown = await names.allTextContents();
		for (let attempt = 0; attempt < 10; attempt++) {
			await page.waitForTimeout(200);
			const now = await names.allTextContents();
			if (now.join('\n') === shown.join('\n')) break;
			shown = now;
		}
		return shown;
	}

	/**
	 * In the node creator: the search result `nodeName`, opened to its details; returns the texts of its actions
	 * (the items under "Actions (n)"; above them n8n may offer triggers to start the workflow with).
	 * @param {string} search
	 * @param {string} nodeName
	 */
	async openNodeActions(search, nodeName) {
		await this.searchNodeCreator(search, nodeName);
		const creator = this.page.getByTestId('node-creator');
		await creator.getByTestId('node-creator-item-name').filter({ hasText: exactly(nodeName) }).first().click();
		const heading = creator.getByTestId('node-creator-category-item').filter({ hasText: /^\s*Actions\b/ });
		await heading.waitFor();
		const actions = () =>
			heading.evaluate((element) => {
				const creatorRoot = element.closest('[data-test-id="node-creator"]') ?? document;
				return [...creatorRoot.querySelectorAll('[data-test-id="node-creator-item-name"]')]
					.filter((item) => element.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING)
					.map((item) => item.textContent?.trim() ?? '');
			});
		// A package that has a trigger too: on an empty workflow n8n opens the triggers and folds "Actions (n)".
		if ((await actions()).length === 0) await heading.click();
		/** @type {string[]} */
		let shown = [];
		await waitUntil(async () => (shown = await actions()).length > 0, { timeoutMs: 10_000, what: 'the node’s actions' });
		return shown;
	}

	/**
	 * In the node creator: the search result `nodeName`, opened; returns the names of everything it offers there, the
	 * triggers included (on an empty workflow n8n lists a package's triggers first and folds its actions).
	 * @param {string} search
	 * @param {string} nodeName
	 */
	async openNodeDetails(search, nodeName) {
		await this.openNodeActions(search, nodeName);
		return await this.page.getByTestId('node-creator').getByTestId('node-creator-item-name').allTextContents();
	}

	/**
	 * Screenshot of the open node creator into `file` (a PNG).
	 * @param {string} file
	 */
	async screenshotNodeCreator(file) {
		await this.page.mouse.move(0, 0);
		await mkdir(dirname(file), { recursive: true });
		const creator = this.page.getByTestId('node-creator');
		const box = await creator.boundingBox();
		if (!box) throw new Error('the node creator is not open');
		// Down to the last entry: the empty panel below it is left out.
		const bottom = await creator.evaluate((root) =>
			Math.max(
				...[...root.querySelectorAll('[data-test-id="node-creator-item-name"]')]
					.filter((element) => element instanceof HTMLElement && element.offsetParent !== null)
					.map((element) => element.getBoundingClientRect().bottom),
			),
		);
		const height = Number.isFinite(bottom) ? Math.min(box.height, bottom - box.y + 32) : box.height;
		await this.page.screenshot({
			path: file,
			clip: { x: box.x, y: box.y, width: box.width, height },
			animations: 'disabled',
			caret: 'hide',
		});
	}

	/**
	 * Adds a node through the node creator: search, pick the node, pick one of its actions. n8n then opens the
	 * node's panel (NDV) with the action's resource and operation set.
	 * @param {{ search: string, nodeName: string, action: string }} choice
	 */
	async addNodeWithAction({ search, nodeName, action }) {
		await this.openNodeActions(search, nodeName);
		await this.page
			.getByTestId('node-creator')
			.getByTestId('node-creator-item-name')
			.filter({ hasText: exactly(action) })
			.click();
		await this.ndv().waitFor();
		await this.parameters().waitFor();
	}

	/** The node details view (the node's panel). */
	ndv() {
		return this.page.getByTestId('ndv');
	}

	/** The Parameters tab of the open node panel. */
	parameters() {
		return this.ndv().getByTestId('node-parameters');
	}

	async closeNdv() {
		// n8n 2.x: a close button in the panel's header; 1.x: "Back to canvas".
		await this.ndv().getByTestId('ndv-close-button').or(this.page.getByTestId('back-to-canvas')).first().click();
		await this.ndv().waitFor({ state: 'hidden' });
	}

	/**
	 * The fields the open node panel shows, top to bottom, with their nesting (1: top level, 2: inside a
	 * collection such as Options). A notice is named `notice`, a collection by its label; hidden fields are left out.
	 * @returns {Promise<ShownField[]>}
	 */
	async shownFields() {
		return this.parameters().evaluate((root) => {
			/** @param {Element} element */
			const visible = (element) => element instanceof HTMLElement && element.offsetParent !== null;
			/** How many parameter lists hold the element: 1 at the top level, 2 inside a collection. */
			const depth = (/** @type {Element} */ element) => {
				let count = 0;
				for (let node = element.parentElement; node && node !== root; node = node.parentElement) {
					if (node.classList.contains('parameter-input-list-wrapper')) count++;
				}
				return count;
			};
			const labelOf = (/** @type {Element} */ element) =>
				(element.closest('[data-test-id="parameter-item"]')?.querySelector('[data-test-id="input-label"]')?.textContent ?? '')
					.replace(/\s+/g, ' ')
					.trim();
			const notInputs = ['parameter-input-field', 'parameter-input-item', 'parameter-input-hint'];
			/** @type {Array<{ name: string, depth: number, label: string }>} */
			const fields = [];
			const candidates = root.querySelectorAll(
				'[data-test-id="node-credentials-select"], [data-test-id^="parameter-input-"], .notice, .multi-parameter',
			);
			for (const element of candidates) {
				if (!visible(element)) continue;
				const testId = element.getAttribute('data-test-id') ?? '';
				if (notInputs.includes(testId)) continue;
				let name;
				if (testId === 'node-credentials-select') name = 'credentials';
				else if (element.classList.contains('notice')) name = 'notice';
				else if (element.classList.contains('multi-parameter')) name = `collection:${labelOf(element)}`;
				else name = testId.slice('parameter-input-'.length);
				fields.push({ name, depth: Math.max(1, depth(element)), label: labelOf(element) });
			}
			return fields;
		});
	}

	/** The notices (type `notice` fields) the open panel shows, as text. */
	async notices() {
		return this.parameters().locator('.notice:visible').allInnerTexts();
	}

	/**
	 * The "Add Option" control of the open panel's collection: a button in n8n 2.x, a select (no test id) in 1.x.
	 */
	collectionAdd() {
		const parameters = this.parameters();
		return parameters
			.getByTestId('collection-parameter-add')
			.or(parameters.locator('.collection-parameter .add-option .el-select'));
	}

	/**
	 * Opens the "Add Option" list of the open panel's collection, returns the choices it offers, and closes it.
	 * @returns {Promise<string[]>}
	 */
	async collectionChoices() {
		const add = this.collectionAdd();
		await add.click();
		const choices = this.page.getByTestId('collection-parameter-option').locator('visible=true');
		await choices.first().waitFor();
		const texts = (await choices.allTextContents()).map((text) => text.trim());
		await add.click();
		await choices.first().waitFor({ state: 'hidden' });
		return texts;
	}

	/**
	 * Adds one option of the open panel's collection ("Add Option" → choice).
	 * @param {string} displayName
	 */
	async addCollectionOption(displayName) {
		await this.collectionAdd().click();
		await this.page.getByTestId('collection-parameter-option').locator('visible=true').filter({ hasText: exactly(displayName) }).click();
	}

	/**
	 * Picks a value of an options field (Resource, Operation, …) by the name its list shows.
	 * @param {string} parameter e.g. `operation`
	 * @param {string} optionName e.g. `Send (Legacy)`
	 */
	async choose(parameter, optionName) {
		await this.parameters().getByTestId(`parameter-input-${parameter}`).click();
		const option = this.page
			.getByTestId('parameter-input-item')
			.locator('visible=true')
			.filter({ has: this.page.locator('.option-headline', { hasText: exactly(optionName) }) });
		await option.click();
		await option.waitFor({ state: 'hidden' });
	}

	/**
	 * Types into a plain text field of the open panel (string parameters and the text side of a resource locator).
	 * @param {string} parameter
	 * @param {string} text
	 */
	async fill(parameter, text) {
		const field = this.parameters().getByTestId(`parameter-input-${parameter}`);
		const rlc = field.getByTestId('rlc-input');
		const input = (await rlc.count()) ? rlc : field.locator('input, textarea').first();
		await input.fill(text);
		await input.blur();
	}

	/**
	 * Screenshot of the Parameters column of the open panel, cropped to its fields, into `file` (a PNG).
	 * @param {string} file
	 */
	async screenshotParameters(file) {
		const column = this.ndv().locator('.node-settings').first();
		const box = await column.boundingBox();
		if (!box) throw new Error('the node panel shows no parameters column');
		// Down to the last field (the "I wish this node would…" link and the empty space below are left out).
		const bottom = await this.parameters().evaluate((root) => {
			const items = [...root.querySelectorAll('[data-test-id="parameter-item"]')].filter(
				(element) => element instanceof HTMLElement && element.offsetParent !== null,
			);
			return Math.max(...items.map((element) => element.getBoundingClientRect().bottom));
		});
		await this.page.mouse.move(0, 0);
		await mkdir(dirname(file), { recursive: true });
		await this.page.screenshot({
			path: file,
			clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, bottom - box.y + 20) },
			animations: 'disabled',
			caret: 'hide',
		});
	}
}

/**
 * A regular expression matching exactly `text` (trimmed), for Playwright's hasText filters.
 * @param {string} text
 */
export function exactly(text) {
	return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
