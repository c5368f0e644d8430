/**
 * Jest setupFiles: runs in every test file before any import, so n8n-core sees these at load.
 * n8n-core writes its instance settings under N8N_USER_FOLDER (default ~/.n8n): give each jest
 * worker its own temp folder, removed when the worker exits.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userFolder = join(tmpdir(), `n8n-harness-${process.pid}`);
if (!existsSync(userFolder)) {
	mkdirSync(userFolder, { recursive: true });
	process.once('exit', () => rmSync(userFolder, { recursive: true, force: true }));
}
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_ENCRYPTION_KEY = 'connectsafely-harness-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_VERSION_NOTIFICATIONS_ENABLED = 'false';
process.env.N8N_RUNNERS_ENABLED = 'false';
process.env.TZ = 'UTC';
