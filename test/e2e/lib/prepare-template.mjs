// @ts-check
// run.sh's one-time set-up: `node test/e2e/lib/prepare-template.mjs <folder>` makes the n8n user folder every test
// file starts from (a copy each): database migrated, packed package installed, credential for the stand-in imported.
// Needs E2E_PACKAGE_TGZ, E2E_N8N_DIR and E2E_STANDIN_URL / E2E_STANDIN_API_KEY, as run.sh exports them.
import { N8nUserFolder } from './n8n.mjs';
import { Standin } from './standin.mjs';
import { prepareUserFolder } from './suite.mjs';

const [folder] = process.argv.slice(2);
if (!folder || !process.env.E2E_STANDIN_URL) {
	console.error('usage (from run.sh): node test/e2e/lib/prepare-template.mjs <folder>, with E2E_STANDIN_URL set');
	process.exit(2);
}
const n8n = await N8nUserFolder.at(folder);
await prepareUserFolder(n8n, { standin: await Standin.start() });
