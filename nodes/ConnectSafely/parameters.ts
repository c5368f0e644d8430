import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	NodeParameterValueType,
} from 'n8n-workflow';

import { compileFieldTemplate, NOT_FILLED, type FieldTemplate } from './fieldTemplates';

/** True when a saved parameter value holds an n8n expression anywhere (a string starting with "="). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * Reads node parameters for each item, at the least cost n8n allows:
 * - a parameter holding no expression is resolved once, as its value is the same for every item;
 * - a parameter that only copies text from the item (`{{ $json.email }}`, `Hi {{ $json.firstName }}`) is filled
 *   in from the item (fieldTemplates.ts), falling back to n8n for any item where that is not exactly n8n's result;
 * - anything else is resolved by n8n for each item.
 * Over thousands of items this saves most of the cost of reading parameters. Values are shared: read-only.
 */
export class ParameterReader {
	private readonly constants = new Map<string, unknown>();
	private readonly templates = new Map<string, FieldTemplate | undefined>();
	private readonly saved: INodeParameters;
	private readonly items: INodeExecutionData[];

	constructor(private readonly ctx: IExecuteFunctions) {
		this.saved = ctx.getNode().parameters;
		this.items = ctx.getInputData();
	}

	get(name: string, itemIndex: number, fallback: NodeParameterValueType | object = ''): unknown {
		if (this.constants.has(name)) return this.constants.get(name);
		const saved = this.saved[name];
		if (saved !== undefined && holdsExpression(saved)) {
			const filled = this.fromItem(name, saved, itemIndex);
			if (filled !== NOT_FILLED) return filled;
		}
		const value: unknown = this.ctx.getNodeParameter(name, itemIndex, fallback);
		if (!holdsExpression(saved)) this.constants.set(name, value);
		return value;
	}

	private fromItem(name: string, saved: unknown, itemIndex: number): unknown {
		if (!this.templates.has(name)) this.templates.set(name, compileFieldTemplate(saved));
		const template = this.templates.get(name);
		const json = this.items[itemIndex]?.json;
		return template === undefined || json === undefined ? NOT_FILLED : template(json);
	}
}
