/**
 * Runs the stand-in ConnectSafely server in its own process, for end-to-end tests that drive the
 * real n8n app.
 *
 *   npx tsc -p tsconfig.tools.json
 *   node .build/test/standin/cli.js [--port N] [--key K]... [--quota N] [--reset-in-ms N]
 *
 * Prints one JSON line `{"url":"http://127.0.0.1:PORT/linkedin","apiKey":"...","control":"..."}`
 * once listening. The control API (GET /__standin/requests, GET /__standin/delivered,
 * POST /__standin/reset, POST|GET|DELETE /__standin/faults, POST|GET /__standin/quota,
 * POST|GET /__standin/conversations, GET /__standin/attachments) steers it.
 */
import { DEFAULT_API_KEY, StandinServer } from './server';
import type { StandinOptions } from './server';

function parseArgs(argv: string[]): StandinOptions {
	const options: StandinOptions = { controlApi: true };
	const keys: string[] = [];
	const number = (flag: string, value: string | undefined): number => {
		const parsed = Number(value);
		if (value === undefined || !Number.isInteger(parsed) || parsed < 0) {
			throw new Error(`${flag} needs a whole number, got ${String(value)}`);
		}
		return parsed;
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = argv[i + 1];
		switch (flag) {
			case '--port':
				options.port = number(flag, value);
				i++;
				break;
			case '--key':
				if (!value) throw new Error('--key needs a value');
				keys.push(value);
				i++;
				break;
			case '--quota':
				options.dailyLimit = number(flag, value);
				i++;
				break;
			case '--reset-in-ms':
				options.resetInMs = number(flag, value);
				i++;
				break;
			default:
				throw new Error(`Unknown argument ${flag}`);
		}
	}
	options.apiKeys = keys.length > 0 ? keys : [DEFAULT_API_KEY];
	return options;
}

async function main(): Promise<void> {
	const standin = await StandinServer.start(parseArgs(process.argv.slice(2)));
	process.stdout.write(
		JSON.stringify({
			url: standin.url,
			apiKey: standin.apiKey,
			control: `${standin.origin}/__standin`,
		}) + '\n',
	);
	const stop = () => {
		standin.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(2);
});
