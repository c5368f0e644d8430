/**
 * What the node's form shows: the editor's display logic (displayOptions show/hide, defaults),
 * from n8n-workflow's NodeHelpers, applied to a node description and parameter values.
 */
import { NodeHelpers } from 'n8n-workflow';
import type {
	INode,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IVersionedNodeType,
} from 'n8n-workflow';

function descriptionOf(
	node: INodeType | IVersionedNodeType | INodeTypeDescription,
	typeVersion?: number,
): INodeTypeDescription {
	if ('nodeVersions' in node) return node.getNodeType(typeVersion).description;
	const { description } = node as INodeType | INodeTypeDescription;
	return typeof description === 'object' ? description : (node as INodeTypeDescription);
}

function latest(description: INodeTypeDescription): number {
	const { version } = description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** The parameter values the editor would hold: given values plus defaults of shown fields. */
export function parametersWithDefaults(
	node: INodeType | IVersionedNodeType | INodeTypeDescription,
	parameters: INodeParameters,
	typeVersion?: number,
): INodeParameters {
	const description = descriptionOf(node, typeVersion);
	const ref: Pick<INode, 'typeVersion'> = { typeVersion: typeVersion ?? latest(description) };
	return (
		NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			ref,
			description,
		) ?? {}
	);
}

/** The top-level properties the editor shows for these parameter values, in form order. */
export function visibleProperties(
	node: INodeType | IVersionedNodeType | INodeTypeDescription,
	parameters: INodeParameters,
	typeVersion?: number,
): INodeProperties[] {
	const description = descriptionOf(node, typeVersion);
	const ref: Pick<INode, 'typeVersion'> = { typeVersion: typeVersion ?? latest(description) };
	const values = parametersWithDefaults(description, parameters, ref.typeVersion);
	return description.properties.filter((property) =>
		NodeHelpers.displayParameter(values, property, ref, description, values),
	);
}

/** Names of the top-level parameters the editor shows (each name once, in form order). */
export function visibleParameters(
	node: INodeType | IVersionedNodeType | INodeTypeDescription,
	parameters: INodeParameters,
	typeVersion?: number,
): string[] {
	return [...new Set(visibleProperties(node, parameters, typeVersion).map((p) => p.name))];
}

/** The options a collection / fixedCollection parameter offers for these values. */
export function visibleOptionsOf(
	node: INodeType | IVersionedNodeType | INodeTypeDescription,
	parameters: INodeParameters,
	collectionName: string,
	typeVersion?: number,
): string[] {
	const description = descriptionOf(node, typeVersion);
	const ref: Pick<INode, 'typeVersion'> = { typeVersion: typeVersion ?? latest(description) };
	const values = parametersWithDefaults(description, parameters, ref.typeVersion);
	const property = visibleProperties(node, parameters, typeVersion).find(
		(p) => p.name === collectionName,
	);
	// The editor offers only the options whose own displayOptions (e.g. '@version') match.
	return (property?.options ?? [])
		.filter(
			(option) =>
				!('displayOptions' in option) ||
				option.displayOptions === undefined ||
				NodeHelpers.displayParameter(values, option as INodeProperties, ref, description, values),
		)
		.map((option) => option.name);
}
