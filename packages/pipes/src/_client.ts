/**
 * @module pipes/_client
 * Where the Python client, weir_pipes.py, is: beside the built library (dist/python/, copied
 * there by the build, which is how the npm package carries it) or, running from this
 * repository's sources, in pipes/python/ at its root.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from 'weir';

export const CLIENT_FILE = 'weir_pipes.py';

let found: string | undefined;

/** The folder holding weir_pipes.py (put on the script's PYTHONPATH). */
export function clientDir(): string {
  if (found !== undefined) return found;
  const candidates = [
    // Beside dist/index.js: the installed package.
    fileURLToPath(new URL('./python/', import.meta.url)),
    // From src/ in this repository (tests run the sources): the file itself, not a build's copy.
    fileURLToPath(new URL('../../../pipes/python/', import.meta.url)),
  ];
  // Bundled elsewhere (a benchmark): found through the package's own folder.
  const root = packageRoot();
  if (root !== undefined) {
    candidates.push(join(root, 'dist', 'python'), join(root, '..', '..', 'pipes', 'python'));
  }
  for (const dir of candidates) {
    if (existsSync(join(dir, CLIENT_FILE))) {
      found = dir;
      return dir;
    }
  }
  throw new EnvironmentError(
    'E_NOT_FOUND',
    `the Python client ${CLIENT_FILE} is not where @weir/pipes looks for it (${candidates.join(', ')})`,
    { hint: 'reinstall @weir/pipes, or rebuild it (npm run build -w packages/pipes)' },
  );
}

/** The folder of @weir/pipes' package.json, however this module was loaded or bundled. */
function packageRoot(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('@weir/pipes/package.json'));
  } catch {
    return undefined;
  }
}
