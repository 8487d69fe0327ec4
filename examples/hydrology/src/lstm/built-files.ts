/**
 * @module lstm/built-files
 * Finds what `npm run build -w @weir/example-hydrology` writes to examples/hydrology/dist/ (the
 * kernel's .wasm and the worker's script), both from the sources (src/lstm/ → ../../dist/)
 * and from a bundle such as the benchmarks' (through the workspace package's location).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function candidates(name: string): string[] {
  const out = [fileURLToPath(new URL(`../../dist/${name}`, import.meta.url))];
  try {
    const manifest = createRequire(import.meta.url).resolve('@weir/example-hydrology/package.json');
    out.push(join(dirname(manifest), 'dist', name));
  } catch {
    // Not installed as a workspace package: only the path relative to the sources applies.
  }
  return out;
}

/** The absolute path of dist/`name`; throws, saying how to build it, when it is missing. */
export function builtFile(name: string): string {
  const paths = candidates(name);
  const found = paths.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(
      `examples/hydrology/dist/${name} is missing (looked at ${paths.join(', ')}): ` +
        'run npm run build -w @weir/example-hydrology',
    );
  }
  return found;
}
