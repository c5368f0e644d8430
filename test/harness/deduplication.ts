/**
 * n8n's data deduplication store lives in the n8n app (its database), not in n8n-core. For engine tests this
 * is an in-memory store with the same behaviour as the app's "entries" mode, installed behind n8n-core's real
 * DataDeduplicationService, so the node's `this.helpers.checkProcessedAndRecord` / `removeProcessed` run
 * through n8n-core's own helper code. Values are hashed, as the app does; `maxEntries` keeps the newest; and a
 * call reads the row and writes it back in two steps without a lock, as the app's database-backed store does.
 */
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core/dist/data-deduplication-service';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

function contextKey(scope: DeduplicationScope, data: ICheckProcessedContextData): string {
	return scope === 'node' ? `${data.workflow.id}|n:${data.node?.id ?? ''}` : `${data.workflow.id}|`;
}

const hash = (value: DeduplicationItemTypes) =>
	createHash('md5').update(value.toString()).digest('base64');

export class MemoryDeduplicator implements IDataDeduplicator {
	private readonly store = new Map<string, string[]>();
	/** Every call, for tests that count them. */
	readonly calls: Array<{ method: string; items: DeduplicationItemTypes[] }> = [];

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		data: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		this.calls.push({ method: 'checkProcessedAndRecord', items });
		const key = contextKey(scope, data);
		// Like the app's store: read the row, then (after a database round trip) write it back, with no lock.
		const stored = [...(await this.read(key))];
		const seen = new Set(stored);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const digest = hash(item);
			if (seen.has(digest)) {
				result.processed.push(item);
			} else {
				result.new.push(item);
				stored.push(digest);
			}
		}
		if (options.maxEntries) stored.splice(0, Math.max(0, stored.length - options.maxEntries));
		await this.write(key, stored);
		return result;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		data: ICheckProcessedContextData,
	): Promise<void> {
		this.calls.push({ method: 'removeProcessed', items });
		const key = contextKey(scope, data);
		const digests = new Set(items.map(hash));
		const stored = await this.read(key);
		await this.write(
			key,
			stored.filter((digest) => !digests.has(digest)),
		);
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		data: ICheckProcessedContextData,
	): Promise<void> {
		this.store.delete(contextKey(scope, data));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		data: ICheckProcessedContextData,
	): Promise<number> {
		return this.store.get(contextKey(scope, data))?.length ?? 0;
	}

	private async read(key: string): Promise<string[]> {
		await new Promise((resolve) => setImmediate(resolve));
		return this.store.get(key) ?? [];
	}

	private async write(key: string, digests: string[]): Promise<void> {
		await new Promise((resolve) => setImmediate(resolve));
		this.store.set(key, digests);
	}

	clear(): void {
		this.store.clear();
		this.calls.length = 0;
	}
}

let installed: MemoryDeduplicator | undefined;

/** Installs the in-memory store behind n8n-core's DataDeduplicationService (once per jest worker). */
export async function installMemoryDeduplication(): Promise<MemoryDeduplicator> {
	if (!installed) {
		installed = new MemoryDeduplicator();
		await DataDeduplicationService.init(installed);
	}
	return installed;
}
