import type { IDataObject } from 'n8n-workflow';

/** Largest page asked for: the docs name no maximum (default 20 for conversations, 50 for messages). */
export const PAGE_SIZE = 50;

/** One page of a list endpoint: its entries and where the next page starts (undefined: there is none). */
export interface Page {
	entries: IDataObject[];
	next: string | undefined;
}

/** Reads pages until the list ends or `limit` entries are in (undefined: all of them). */
export async function collectPages(
	limit: number | undefined,
	fetchPage: (cursor: string | undefined, count: number) => Promise<Page>,
): Promise<IDataObject[]> {
	const entries: IDataObject[] = [];
	let cursor: string | undefined;
	for (;;) {
		const wanted = limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - entries.length);
		const page = await fetchPage(cursor, wanted);
		entries.push(...page.entries);
		if (limit !== undefined && entries.length >= limit) return entries.slice(0, limit);
		// A page that brings nothing new ends the list too: a cursor that does not move would loop for ever.
		if (page.next === undefined || page.next === cursor || page.entries.length === 0)
			return entries;
		cursor = page.next;
	}
}

export function objectsIn(value: unknown): IDataObject[] {
	return Array.isArray(value)
		? value.filter(
				(entry): entry is IDataObject =>
					entry !== null && typeof entry === 'object' && !Array.isArray(entry),
			)
		: [];
}

/** The next-page cursor of an answer, when the API says there is more. */
export function nextCursor(body: IDataObject, field: 'nextCursor' | 'cursor'): string | undefined {
	const cursor = body[field];
	return body.hasMore === true && typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}
