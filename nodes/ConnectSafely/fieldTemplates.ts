import { isSafeObjectProperty, type IDataObject } from 'n8n-workflow';

/**
 * The commonest expressions in a send node only copy text from the incoming item: `{{ $json.profileUrl }}`,
 * `Hi {{ $json.firstName }}, …`. n8n evaluates each one with its whole expression engine (a data proxy, a fresh
 * sandbox, time-zone setup): most of what a node costs per item besides the HTTP call itself (bench/README.md).
 * A saved value made only of literal text and `{{ $json.<path> }}` parts is compiled here once, and filled in
 * from the item directly when every part names a string the item holds: exactly the text n8n would produce.
 * Anything else — another expression, a missing field, a number, braces in the text — returns NOT_FILLED and
 * the caller asks n8n, so n8n's own results and errors stay the only ones for every other case.
 */
export const NOT_FILLED: unique symbol = Symbol('not filled from the item');

/** Fills a saved parameter value in from one item's JSON, or says it cannot. */
export type FieldTemplate = (json: IDataObject) => unknown;

const IDENTIFIER = '[A-Za-z_$][A-Za-z0-9_$]*';
const QUOTED_KEY = `\\[\\s*(?:'[^'\\\\\\n]*'|"[^"\\\\\\n]*")\\s*\\]`;
// One `{{ $json.a.b }}` / `{{ $json["a b"] }}` part; the path is group 1.
const JSON_PART = new RegExp(
	`\\{\\{\\s*\\$json((?:\\.${IDENTIFIER}|${QUOTED_KEY})+)\\s*\\}\\}`,
	'g',
);
const PATH_STEP = new RegExp(`\\.(${IDENTIFIER})|\\[\\s*(?:'([^']*)'|"([^"]*)")\\s*\\]`, 'g');
// Literal text between parts: braces and backslashes could mean something to n8n's template parser.
const PLAIN_TEXT = /^[^{}\\]*$/;
// n8n refuses a whole expression with this anywhere in it, literal text included.
const CONSTRUCTOR_CALL = /\.\s*constructor/m;
// Keys n8n's expression sandbox refuses to read are left to n8n, which answers them with an error. The check is
// n8n's own (`isSafeObjectProperty` of the n8n running the node); n8n-workflow versions without it get its list as
// of n8n 2.41. Keys starting with "__" are always left to n8n.
const KEYS_N8N_REFUSES = new Set([
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);
const n8nReadsKey: (key: string) => boolean =
	typeof isSafeObjectProperty === 'function'
		? isSafeObjectProperty
		: (key) => !KEYS_N8N_REFUSES.has(key);

function isKeyN8nReads(key: string): boolean {
	return !key.startsWith('__') && n8nReadsKey(key);
}

type Part = string | string[];

function pathOf(source: string): string[] {
	return [...source.matchAll(PATH_STEP)].map((step) => step[1] ?? step[2] ?? step[3]);
}

/** The string at `path` inside `json`, through own properties of plain objects only; undefined otherwise. */
function stringAt(json: IDataObject, path: string[]): string | undefined {
	let current: unknown = json;
	for (const key of path) {
		if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
		if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return typeof current === 'string' ? current : undefined;
}

/** The parts of `=text{{ $json.x }}text…`, or undefined when the expression is anything else. */
function parseTemplate(expression: string): Part[] | undefined {
	const body = expression.slice(1);
	if (CONSTRUCTOR_CALL.test(body)) return undefined;
	const parts: Part[] = [];
	let end = 0;
	for (const match of body.matchAll(JSON_PART)) {
		const text = body.slice(end, match.index);
		if (!PLAIN_TEXT.test(text)) return undefined;
		if (text !== '') parts.push(text);
		const path = pathOf(match[1]);
		if (!path.every(isKeyN8nReads)) return undefined;
		parts.push(path);
		end = match.index + match[0].length;
	}
	const rest = body.slice(end);
	if (!PLAIN_TEXT.test(rest)) return undefined;
	if (rest !== '') parts.push(rest);
	// `=` alone or literal text only: leave it to n8n (rare, and not worth a second code path).
	return parts.some((part) => typeof part !== 'string') ? parts : undefined;
}

function compileString(value: string): FieldTemplate | undefined {
	if (!value.startsWith('=')) return () => value;
	const parts = parseTemplate(value);
	if (parts === undefined) return undefined;
	return (json) => {
		let text = '';
		for (const part of parts) {
			if (typeof part === 'string') {
				text += part;
				continue;
			}
			const filled = stringAt(json, part);
			if (filled === undefined) return NOT_FILLED;
			text += filled;
		}
		return text;
	};
}

/**
 * Compiles a saved parameter value (a string, or an object or list holding strings, such as a resource locator)
 * into a FieldTemplate, or returns undefined when some expression in it is not a plain `$json` template.
 */
export function compileFieldTemplate(saved: unknown): FieldTemplate | undefined {
	if (typeof saved === 'string') return compileString(saved);
	if (saved === null || typeof saved !== 'object') return () => saved;
	const entries: Array<[string, FieldTemplate]> = [];
	for (const [key, value] of Object.entries(saved)) {
		const compiled = compileFieldTemplate(value);
		if (compiled === undefined) return undefined;
		entries.push([key, compiled]);
	}
	const isList = Array.isArray(saved);
	return (json) => {
		const filled: unknown[] | Record<string, unknown> = isList ? [] : {};
		for (const [key, compiled] of entries) {
			const value = compiled(json);
			if (value === NOT_FILLED) return NOT_FILLED;
			(filled as Record<string, unknown>)[key] = value;
		}
		return filled;
	};
}
