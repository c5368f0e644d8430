/**
 * Reading node parameters for each item. A parameter holding no expression has the same value for every item,
 * so it is resolved once per run (exact, and most of the cost of a long list); every expression is resolved by
 * n8n for each item — the node has no expression engine of its own. Values are shared: read-only.
 */
import type { IExecuteFunctions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

/** True when a saved parameter value holds an n8n expression anywhere (a string starting with "="). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

export class ParameterReader {
	/** Parameters without an expression, resolved on their first read. */
	private readonly constants = new Map<string, unknown>();
	private readonly saved: INodeParameters;

	constructor(private readonly ctx: IExecuteFunctions) {
		this.saved = ctx.getNode().parameters;
	}

	get(name: string, itemIndex: number, fallback: NodeParameterValueType | object = ''): unknown {
		if (this.constants.has(name)) return this.constants.get(name);
		const value = this.ctx.getNodeParameter(name, itemIndex, fallback);
		if (!holdsExpression(this.saved[name])) this.constants.set(name, value);
		return value;
	}
}
