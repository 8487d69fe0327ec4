/**
 * @module cli/_write-atomically
 * Writes a file under a temporary name and renames it into place, so a reader never sees it
 * half-written (the compile and code-version caches, a location's last manifest).
 */
import { renameSync, writeFileSync } from 'node:fs';

export function writeAtomically(path: string, contents: string | Uint8Array): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}
