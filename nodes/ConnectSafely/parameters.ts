import type { IExecuteFunctions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

/** True when a saved parameter value holds an n8n expression anywhere (a string starting with "="). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * Reads node parameters for each item, resolving a parameter only once when it holds no expression: its value
 * is then the same for every item. Over thousands of items this saves most of the cost of reading parameters,
 * which n8n otherwise resolves again for each item. Values are shared between items: read-only.
 */
export class ParameterReader {
	private readonly constants = new Map<string, unknown>();
	private readonly saved: INodeParameters;

	constructor(private readonly ctx: IExecuteFunctions) {
		this.saved = ctx.getNode().parameters;
	}

	get(name: string, itemIndex: number, fallback: NodeParameterValueType | object = ''): unknown {
		if (this.constants.has(name)) return this.constants.get(name);
		const value: unknown = this.ctx.getNodeParameter(name, itemIndex, fallback);
		if (!holdsExpression(this.saved[name])) this.constants.set(name, value);
		return value;
	}
}
