// @ts-check
// The package under test, packed the way npm publishes it: `npm pack` runs `prepack` (the build), and the tarball
// holds only what package.json's "files" lists. run.sh packs once and passes E2E_PACKAGE_TGZ.
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { repoRoot, workDir } from './paths.mjs';
import { runChecked } from './processes.mjs';

/** @type {Promise<string> | undefined} */
let packed;

/** The path of the packed tarball: E2E_PACKAGE_TGZ, or a fresh `npm pack` into test/e2e/.work/. */
export function packageTarball() {
	if (process.env.E2E_PACKAGE_TGZ) return Promise.resolve(process.env.E2E_PACKAGE_TGZ);
	packed ??= (async () => {
		const destination = join(workDir, 'pack');
		await mkdir(destination, { recursive: true });
		const result = await runChecked('npm', ['pack', '--json', '--pack-destination', destination], {
			cwd: repoRoot,
			timeoutMs: 300_000,
		});
		// `prepack` prints the build's output first; the JSON report is the array at the end.
		const [{ filename }] = JSON.parse(result.stdout.slice(result.stdout.search(/^\[\s*$/m)));
		const files = await readdir(destination);
		if (!files.includes(filename)) throw new Error(`npm pack did not write ${filename} into ${destination}`);
		return join(destination, filename);
	})();
	return packed;
}
