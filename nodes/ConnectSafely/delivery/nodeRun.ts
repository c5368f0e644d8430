/**
 * Which run of the node this is, in which execution: what the send ledger keys its memory by. Reads only what
 * n8n tells every node (execution id, workflow id, mode, run index).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { LedgerScope } from './sendLedger';

/** This run of the node within its execution: where the ledger's entries come from. */
export interface NodeRun {
	scope: LedgerScope;
	nodeName: string;
	runIndex: number;
}

let runsWithoutExecutionId = 0;

export function nodeRunOf(ctx: IExecuteFunctions): NodeRun {
	// Without an execution id (n8n always gives one when it runs a workflow) the memory covers this run only.
	const executionId = ctx.getExecutionId() || `no-execution-id-${++runsWithoutExecutionId}`;
	const runIndex = Number(ctx.getWorkflowDataProxy(0).$runIndex);
	return {
		scope: {
			executionId,
			workflowId: String(ctx.getWorkflow().id ?? ''),
			// n8n's "Retry" of a failed execution is a new execution in mode `retry` that runs the failed node again.
			lookBack: ctx.getMode() === 'retry',
		},
		nodeName: ctx.getNode().name,
		runIndex: Number.isFinite(runIndex) ? runIndex : 0,
	};
}
