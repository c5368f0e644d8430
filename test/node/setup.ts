/**
 * What every node test needs: the stand-in API on 127.0.0.1, and a way to run the ConnectSafely node in a
 * real n8n-core workflow against it (Items → ConnectSafely), with the credential pointing at the stand-in.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeParameterResourceLocator,
	INodeType,
	INodeParameters,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { ConnectSafelyApi } from '../../credentials/ConnectSafelyApi.credentials';
import { ConnectSafely } from '../../nodes/ConnectSafely/ConnectSafely.node';
import { clearRecentSends } from '../../nodes/ConnectSafely/delivery/repeatMemory';
import { clearLedger } from '../../nodes/ConnectSafely/delivery/sendLedger';
import {
	binaryFile,
	installMemoryDeduplication,
	registerHarnessTeardown,
	runNode,
	type NodeRunResult,
	type MemoryDeduplicator,
	type NodeSettings,
} from '../harness';
import { startStandin, type StandinOptions, type StandinServer } from '../standin/server';

export const NODE_TYPE = 'n8n-nodes-connectsafely.connectSafely';

export interface NodeTestBed {
	standin: StandinServer;
	/** n8n's deduplication store as the app has it (in memory here), emptied before each test. */
	store: MemoryDeduplicator;
	run(options: {
		parameters: INodeParameters;
		items?: IDataObject[];
		/** A file every item carries in its binary field (Attachment → Upload). */
		binary?: Record<string, { data: Buffer; mimeType: string; fileName: string }>;
		nodeSettings?: NodeSettings;
		apiKey?: string;
		baseUrl?: string;
		executionId?: string;
		/** 'manual' by default; 'retry' is n8n's Retry of a failed execution. */
		mode?: WorkflowExecuteMode;
		signal?: AbortSignal;
		/** The node's version in the workflow: the newest (what a new node gets) by default. */
		typeVersion?: number;
		/** The node type instance (default: a new ConnectSafely): another process's copy, for instance. */
		node?: INodeType;
	}): Promise<NodeRunResult>;
	/** The credential data every run uses. */
	credentials(): Record<string, { apiKey: string; baseUrl: string }>;
}

/** Starts a stand-in before the tests of a file and stops it after; clears recorded requests between tests. */
export function useNodeTestBed(standinOptions: StandinOptions = {}): NodeTestBed {
	registerHarnessTeardown();
	const bed = {} as NodeTestBed;
	beforeAll(async () => {
		bed.standin = await startStandin(standinOptions);
		// The n8n app always has one; production runs of node version 1.1 use it (Repeat Protection).
		bed.store = await installMemoryDeduplication();
	});
	afterAll(async () => {
		await bed.standin.close();
	});
	beforeEach(() => {
		bed.standin.reset();
		bed.store.clear();
		clearLedger();
		clearRecentSends();
	});
	bed.credentials = () => ({
		connectSafelyApi: { apiKey: bed.standin.apiKey, baseUrl: bed.standin.url },
	});
	bed.run = async ({
		parameters,
		items,
		binary,
		nodeSettings,
		apiKey,
		baseUrl,
		signal,
		executionId,
		mode,
		typeVersion,
		node,
	}) =>
		await runNode({
			node: node ?? new ConnectSafely(),
			type: NODE_TYPE,
			name: 'ConnectSafely',
			parameters,
			items: items ?? [{}],
			binary:
				binary &&
				Object.fromEntries(
					Object.entries(binary).map(([key, file]) => [
						key,
						binaryFile(file.data, file.mimeType, file.fileName),
					]),
				),
			credentials: {
				connectSafelyApi: {
					apiKey: apiKey ?? bed.standin.apiKey,
					baseUrl: baseUrl ?? bed.standin.url,
				},
			},
			credentialTypes: [new ConnectSafelyApi()],
			nodeSettings,
			signal,
			executionId,
			mode,
			typeVersion,
		});
	return bed;
}

export function byUrl(value: string): INodeParameterResourceLocator {
	return { __rl: true, mode: 'url', value };
}

export function byId(value: string): INodeParameterResourceLocator {
	return { __rl: true, mode: 'id', value };
}

export function byUrn(value: string): INodeParameterResourceLocator {
	return { __rl: true, mode: 'urn', value };
}

export function jsonOf(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json);
}
