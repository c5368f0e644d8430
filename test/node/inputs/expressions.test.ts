/**
 * Every expression is n8n's to resolve: the node has no expression engine of its own, so what n8n refuses is
 * never sent, and what n8n resolves is sent exactly as n8n resolved it.
 */
import { byId, useNodeTestBed } from '../setup';

const bed = useNodeTestBed();

const send = (message: string) => ({
	resource: 'message',
	operation: 'send',
	recipient: byId('={{ $json.id }}'),
	message,
});

test('an expression n8n refuses (a bracket key holding "}}") fails the item and sends nothing', async () => {
	const result = await bed.run({
		parameters: send('={{ $json["a }} b"] }}'),
		items: [{ id: 'jane-doe', 'a }} b': 'Hello' }],
	});
	// n8n's own words for the refusal; the item is in its context (the editor shows it as Item Index).
	expect(result.nodeError?.name).toBe('NodeOperationError');
	expect(result.nodeError?.message).toBe('invalid syntax');
	expect(result.nodeError?.context.itemIndex).toBe(0);
	expect(bed.standin.requests).toHaveLength(0);
});

test('with Continue On Fail, every item the refused expression reads becomes an error item paired with it; nothing is sent', async () => {
	const result = await bed.run({
		parameters: send('={{ $json["a }} b"] }}'),
		items: [
			{ id: 'jane-doe', 'a }} b': 'Hello Jane' },
			{ id: 'john-roe', 'a }} b': 'Hello John' },
		],
		nodeSettings: { onError: 'continueRegularOutput' },
	});
	expect(bed.standin.requests).toHaveLength(0);
	expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	// n8n's own words; the pairing names the item (the editor shows an error's item index itself).
	for (const item of result.output) expect(item.json.error).toBe('invalid syntax');
});

test('text around $json fields is sent exactly as n8n resolves it, item by item', async () => {
	await bed.run({
		parameters: send('=Hi {{ $json.firstName }}, {{ $json["Company Name"] }} looks great'),
		items: [
			{ id: 'jane-doe', firstName: 'Jane', 'Company Name': 'Acme' },
			{ id: 'john-roe', firstName: 'John', 'Company Name': 'Initech' },
		],
	});
	expect(bed.standin.delivered.map((message) => message.message)).toEqual([
		'Hi Jane, Acme looks great',
		'Hi John, Initech looks great',
	]);
});
