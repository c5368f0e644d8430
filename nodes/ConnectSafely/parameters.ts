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

/** How a parameter is read, decided on its first read in a run. */
type Reading =
	{ constant: true; value: unknown } | { constant: false; template: FieldTemplate | undefined };

/**
 * Reads node parameters for each item, at the least cost n8n allows:
 * - a parameter holding no expression is resolved once, as its value is the same for every item;
 * - a parameter that only copies text from the item (`{{ $json.email }}`, `Hi {{ $json.firstName }}`) is filled
 *   in from the item (fieldTemplates.ts), falling back to n8n for any item where that is not exactly n8n's result;
 * - anything else is resolved by n8n for each item.
 * Over thousands of items this saves most of the cost of reading parameters. Values are shared: read-only.
 */
export class ParameterReader {
	private readonly readings = new Map<string, Reading>();
	private readonly saved: INodeParameters;
	private readonly items: INodeExecutionData[];

	constructor(private readonly ctx: IExecuteFunctions) {
		this.saved = ctx.getNode().parameters;
		this.items = ctx.getInputData();
	}

	get(name: string, itemIndex: number, fallback: NodeParameterValueType | object = ''): unknown {
		let reading = this.readings.get(name);
		if (reading === undefined) {
			const saved = this.saved[name];
			reading = holdsExpression(saved)
				? { constant: false, template: compileFieldTemplate(saved) }
				: { constant: true, value: this.ctx.getNodeParameter(name, itemIndex, fallback) };
			this.readings.set(name, reading);
		}
		if (reading.constant) return reading.value;
		const json = this.items[itemIndex]?.json;
		if (reading.template !== undefined && json !== undefined) {
			const filled = reading.template(json);
			if (filled !== NOT_FILLED) return filled;
		}
		return this.ctx.getNodeParameter(name, itemIndex, fallback);
	}
}
