import { NodeOperationError, type INode } from 'n8n-workflow';

const SHOWN_VALUE_LENGTH = 60;

/** A bad value as a person can recognise it in an error: quoted, shortened, its type named when not text. */
export function showValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string') {
		if (value.trim() === '') return value === '' ? 'an empty text' : 'only spaces';
		const short =
			value.length > SHOWN_VALUE_LENGTH ? `${value.slice(0, SHOWN_VALUE_LENGTH)}…` : value;
		return `"${short}"`;
	}
	if (Array.isArray(value)) return `a list of ${value.length}`;
	if (typeof value === 'object') return 'an object';
	return `${typeof value} ${String(value).slice(0, SHOWN_VALUE_LENGTH)}`;
}

/**
 * The error for input the node will not send: names the field, shows the value, says what was wrong and what
 * to do. It carries the item index, so n8n shows which item it was and Continue On Fail pairs it correctly.
 */
export function invalidInput(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
	problem: string,
	whatToDo: string,
): NodeOperationError {
	return new NodeOperationError(node, `${field}: ${showValue(value)} ${problem}`, {
		itemIndex,
		description: `${whatToDo} Nothing was sent for this item.`,
	});
}

export function missingInput(
	node: INode,
	itemIndex: number,
	field: string,
	whatToDo: string,
): NodeOperationError {
	return new NodeOperationError(node, `${field} is empty`, {
		itemIndex,
		description: `${whatToDo} Nothing was sent for this item.`,
	});
}
