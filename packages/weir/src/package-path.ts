/**
 * @module package-path
 * Files of the weir package this module belongs to (its `dist/` process entries, its `ui/`),
 * found from its package.json: the same from the sources, the bundle and an installed copy.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** `segments` joined under the weir package's folder. */
export function weirPackagePath(...segments: string[]): string {
  return join(dirname(createRequire(import.meta.url).resolve('weir/package.json')), ...segments);
}
