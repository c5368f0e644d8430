/**
 * The node fills `{{ $json.field }}` templates in from the item itself instead of running n8n's expression engine
 * (nodes/ConnectSafely/fieldTemplates.ts). A user's message must read exactly as n8n would have written it: these
 * tests run generated templates and items through n8n-core's real getNodeParameter, in a real workflow, and check
 * that wherever the node fills a value in itself, it is n8n's value to the character — and that whatever n8n
 * answers with an error (sandbox-refused keys, `.constructor`) is left to n8n.
 */
import fc from 'fast-check';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { ExecuteContext } from 'n8n-core';

import { compileFieldTemplate, NOT_FILLED } from '../../nodes/ConnectSafely/fieldTemplates';
import { registerHarnessTeardown, runNode } from '../harness';
import { byId, useNodeTestBed } from './setup';

registerHarnessTeardown();

const NOT_FILLED_MARK = '<not filled>';

/** Outputs, per item, what n8n resolves `value` to (or its error) beside what the template fills in. */
class TemplateProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Template Probe',
		name: 'templateProbe',
		group: ['transform'],
		version: 1,
		description: 'Compares field templates with n8n expressions',
		defaults: { name: 'Template Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const template = compileFieldTemplate(this.getNode().parameters.value);
		return [
			this.getInputData().map((item, itemIndex) => {
				const json: IDataObject = { compiled: template !== undefined };
				try {
					json.n8n = this.getNodeParameter('value', itemIndex, '') as IDataObject;
				} catch (error) {
					json.n8nError = (error as Error).message;
				}
				const filled = template === undefined ? NOT_FILLED : template(item.json);
				json.filled = filled === NOT_FILLED ? NOT_FILLED_MARK : (filled as IDataObject);
				return { json, pairedItem: { item: itemIndex } };
			}),
		];
	}
}

async function probe(value: INodeParameters[string], items: IDataObject[]): Promise<IDataObject[]> {
	const result = await runNode({ node: new TemplateProbe(), parameters: { value }, items });
	if (result.nodeError) throw result.nodeError;
	return result.output.map((item) => item.json);
}

test('a message template is filled in from the item exactly as n8n writes it', async () => {
	const [row] = await probe(
		'=Hi {{ $json.firstName }}, saw your post on {{ $json["Company Name"] }}.\nCheers',
		[{ firstName: 'Zoë', 'Company Name': 'Acme & Co' }],
	);
	expect(row.filled).toBe('Hi Zoë, saw your post on Acme & Co.\nCheers');
	expect(row.n8n).toBe(row.filled);
});

test('a recipient locator holding {{ $json.url }} is filled in whole, its other keys kept', async () => {
	const locator = {
		__rl: true,
		mode: 'url',
		value: '={{ $json.profile.url }}',
		cachedResultName: 'x',
	};
	const [row] = await probe(locator, [{ profile: { url: 'https://www.linkedin.com/in/jane' } }]);
	expect(row.filled).toEqual({ ...locator, value: 'https://www.linkedin.com/in/jane' });
	expect(row.n8n).toEqual(row.filled);
});

test.each([
	['a missing field', '={{ $json.missing }}', { other: 'x' }],
	['a number', '=Hi {{ $json.n }}', { n: 42 }],
	['null', '={{ $json.n }}', { n: null }],
	['an object', '={{ $json.n }}', { n: { a: 'b' } }],
	['a field of a list', '={{ $json.list.length }}', { list: ['a'] }],
	['a key n8n refuses', '={{ $json.constructor }}', { constructor: 'x' }],
	['.constructor in the text', '=see x.constructor {{ $json.a }}', { a: 'x' }],
	['a method call', '={{ $json.a.toUpperCase() }}', { a: 'x' }],
	['braces in the text', '=a } {{ $json.a }}', { a: 'x' }],
	['another node', "={{ $('Items').item.json.a }}", { a: 'x' }],
])('%s is left to n8n', async (_name, value, item) => {
	const [row] = await probe(value, [item]);
	expect(row.filled).toBe(NOT_FILLED_MARK);
});

// ---- generated: templates × items ---------------------------------------------------------------------------

const KEYS = [
	'firstName',
	'id',
	'_id',
	'$x',
	'a',
	'b',
	'length',
	'isEmpty',
	'toString',
	'valueOf',
	'hasOwnProperty',
	'constructor',
	'__proto__',
	'prototype',
	'caller',
	'First Name',
	'linkedin-url',
	'a.b',
	'ünï',
	'1st',
];
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const key = fc.constantFrom(...KEYS);
const leaf = fc.oneof(
	{ weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
	fc.constantFrom('', ' ', '={{ 1 + 1 }}', '{{ $json.a }}', 'a\\nb', 'x.constructor', '$json'),
	fc.integer(),
	fc.double({ noNaN: true }),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
);
const json = fc.dictionary(
	key,
	fc.oneof({ weight: 3, arbitrary: leaf }, fc.dictionary(key, leaf, { maxKeys: 3 })),
	{ maxKeys: 8 },
) as fc.Arbitrary<IDataObject>;

const space = fc.constantFrom('', ' ', '  ', '\n');
const step = key.chain((name) =>
	IDENTIFIER.test(name)
		? fc.constantFrom(`.${name}`, `['${name}']`, `["${name}"]`, `[ '${name}' ]`)
		: fc.constantFrom(`['${name}']`, `["${name}"]`),
);
const jsonPart = fc
	.tuple(space, fc.array(step, { minLength: 1, maxLength: 2 }), space)
	.map(([before, steps, after]) => `{{${before}$json${steps.join('')}${after}}}`);
const otherPart = fc.constantFrom(
	'{{ 1 + 1 }}',
	'{{ $json.a + "!" }}',
	"{{ $json['a'] ?? 'none' }}",
	'{{ $json }}',
);
const text = fc.oneof(
	{ weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
	fc.constantFrom('\n', ', ', '.constructor', '{', '}', '\\', '$json.a', '{{', 'é'),
);
const template = fc
	.array(fc.oneof({ weight: 4, arbitrary: jsonPart }, { weight: 3, arbitrary: text }, otherPart), {
		minLength: 1,
		maxLength: 5,
	})
	.map((parts) => `=${parts.join('')}`);

async function compareOver(
	values: fc.Arbitrary<string>,
	items: fc.Arbitrary<IDataObject[]>,
): Promise<number> {
	let filledCount = 0;
	await fc.assert(
		fc.asyncProperty(values, items, async (value, jsonItems) => {
			for (const row of await probe(value, jsonItems)) {
				if (row.filled === NOT_FILLED_MARK) continue;
				filledCount++;
				expect(row.n8nError).toBeUndefined();
				expect(row.n8n).toBe(row.filled);
			}
		}),
		{ numRuns: 300 },
	);
	return filledCount;
}

test('over generated templates and items, every value the node fills in is the value n8n resolves', async () => {
	await compareOver(template, fc.array(json, { minLength: 1, maxLength: 6 }));
});

// Templates over fields every item holds as text, as a spreadsheet or CRM row gives them: filled in every time.
const ROW_KEYS = [
	'firstName',
	'id',
	'_id',
	'$x',
	'First Name',
	'linkedin-url',
	'a.b',
	'ünï',
	'isEmpty',
	'length',
];
const row = fc.record(
	Object.fromEntries(
		ROW_KEYS.map((name) => [name, fc.string({ unit: 'grapheme', maxLength: 12 })]),
	),
) as fc.Arbitrary<IDataObject>;
const rowStep = fc
	.constantFrom(...ROW_KEYS)
	.chain((name) =>
		IDENTIFIER.test(name) ? fc.constantFrom(`.${name}`, `["${name}"]`) : fc.constant(`['${name}']`),
	);
const rowTemplate = fc
	.array(
		fc.oneof(
			fc
				.tuple(space, rowStep, space)
				.map(([before, path, after]) => `{{${before}$json${path}${after}}}`),
			fc
				.string({ unit: 'grapheme', maxLength: 10 })
				.filter((plain) => /^[^{}\\]*$/.test(plain) && !/\.\s*constructor/.test(plain)),
		),
		{ minLength: 1, maxLength: 5 },
	)
	.filter((parts) => parts.some((part) => part.startsWith('{{')))
	.map((parts) => `=${parts.join('')}`);

test('templates over text fields of the item are filled in every time, as n8n writes them', async () => {
	const rows = 300 * 3;
	const filled = await compareOver(rowTemplate, fc.array(row, { minLength: 3, maxLength: 3 }));
	expect(filled).toBe(rows);
});

// ---- in the node: which reads reach n8n's expression engine -------------------------------------------------

describe('the ConnectSafely node', () => {
	const bed = useNodeTestBed();
	const people = Array.from({ length: 50 }, (_, index) => ({
		id: `prospect-${index}`,
		name: `Person ${index}`,
	}));

	/** Runs 50 items and counts n8n's per-item resolutions of the recipient and message fields. */
	async function countEngineReads(message: string): Promise<number> {
		const engine = jest.spyOn(
			ExecuteContext.prototype as unknown as { _getNodeParameter(name: string): unknown },
			'_getNodeParameter',
		);
		try {
			const result = await bed.run({
				parameters: {
					resource: 'message',
					operation: 'send',
					recipient: byId('={{ $json.id }}'),
					message,
				},
				items: people,
			});
			expect(result.output).toHaveLength(50);
			expect(bed.standin.delivered.map((sent) => sent.message)).toEqual(
				people.map((person) => `Hi ${person.name}!`),
			);
			return engine.mock.calls.filter(([name]) => name === 'recipient' || name === 'message')
				.length;
		} finally {
			engine.mockRestore();
		}
	}

	test('fills {{ $json.… }} fields in itself: n8n resolves no recipient or message per item', async () => {
		expect(await countEngineReads('=Hi {{ $json.name }}!')).toBe(0);
	});

	test('leaves any other expression to n8n, for every item', async () => {
		expect(await countEngineReads("={{ 'Hi ' + $json.name + '!' }}")).toBe(50);
	});
});
