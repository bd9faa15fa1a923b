/**
 * The installed package's root directory (the one whose package.json is gazelle-ts), found from
 * this module's own location: the TypeScript sources sit one level below it (core/), the compiled
 * package two (dist/core/). Data that ships with the package (trained models, the MNIST test set,
 * named configurations) is found from here, whichever form is running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'gazelle-ts';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE_NAME} above ${start}`);
  }
}

export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The package's version (package.json). */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** `path` relative to the package root when it lies inside it (`configs/secure.json`), else unchanged: paths in reports read the same on every machine. */
export function packageRelative(path: string): string {
  const inside = relative(PACKAGE_ROOT, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}
