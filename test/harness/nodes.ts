/**
 * The node types a harness workflow needs besides the node under test: a real manual trigger (the
 * start node WorkflowExecute looks for) and an "Items" node that outputs given items, like a Code
 * node returning a fixed array, so that `{{ $json.field }}` expressions downstream work.
 */
import { NodeHelpers } from 'n8n-workflow';
import type {
	IBinaryData,
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	ITriggerFunctions,
	ITriggerResponse,
	IVersionedNodeType,
} from 'n8n-workflow';

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const ITEMS_NODE_TYPE = 'harness.items';

/** Same contract as n8n's Manual Trigger: one empty item when the workflow is started by hand. */
export class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

const ITEMS_DESCRIPTION: INodeTypeDescription = {
	displayName: 'Items',
	name: 'items',
	group: ['transform'],
	version: 1,
	description: 'Outputs fixed items, like a Code node returning an array',
	defaults: { name: 'Items' },
	inputs: ['main'],
	outputs: ['main'],
	properties: [],
};

/**
 * A node type whose execute() returns `items` (a fresh deep copy per run). The items live in the
 * closure, not in node parameters, so no string in them is ever read as an expression.
 */
export function itemsNodeType(items: IDataObject[], binary?: IBinaryKeyData): INodeType {
	const copy = structuredClone(items);
	return {
		description: ITEMS_DESCRIPTION,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [
				structuredClone(copy).map((json) => ({
					json,
					...(binary ? { binary: structuredClone(binary) } : {}),
					pairedItem: { item: 0 },
				})),
			];
		},
	};
}

/** A file as an item's binary field holds it in n8n's default binary mode (base64 in the item). */
export function binaryFile(data: Buffer, mimeType: string, fileName: string): IBinaryData {
	return { data: data.toString('base64'), mimeType, fileName, fileSize: String(data.length) };
}

/** INodeTypes over a fixed map: type name → node type instance. */
export class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (type === undefined) throw new Error(`Unknown node type "${nodeType}" in the harness`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(Object.keys(this.types).map((name) => [name, { className: name }]));
	}
}
