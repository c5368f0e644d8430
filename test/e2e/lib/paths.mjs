// @ts-check
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/e2e/lib/paths.mjs). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const examplesDir = join(repoRoot, 'examples');
export const e2eDir = join(repoRoot, 'test', 'e2e');
/** Scratch space for packed tarballs and kept user folders; gitignored. */
export const workDir = join(e2eDir, '.work');
