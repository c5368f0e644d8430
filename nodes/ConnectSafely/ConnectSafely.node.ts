import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeProperties } from './actions';
import { route } from './actions/router';
import { searchAccounts } from './methods/listSearch';

export class ConnectSafely implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ConnectSafely',
		name: 'connectSafely',
		icon: { light: 'file:connectSafely.svg', dark: 'file:connectSafely.dark.svg' },
		group: ['output'],
		// 1.1: Repeat Protection on by default (delivery/guards/recentRepeats.ts). Version 1 sends as it always did.
		version: [1, 1.1],
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send LinkedIn messages through the ConnectSafely API, without ever sending one twice',
		defaults: { name: 'ConnectSafely' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'connectSafelyApi', required: true }],
		properties: nodeProperties,
	};

	methods = {
		listSearch: { searchAccounts },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
