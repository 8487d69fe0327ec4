/**
 * @module @weir/s3/_local-files
 * The store's local folder: verified downloads made read-only with the object's time, the
 * address of a cached copy, and temporary folders of processes that died.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from 'weir';
import { ManifestHash, walkTree } from './_tree.js';

/**
 * A verified download made read-only, with the object's modification time on every entry, so
 * a later write in place shows as a time after the artefact's event (see `localPath`).
 */
export function settle(path: string, modifiedAt: number): void {
  const time = new Date(modifiedAt);
  const stat = lstatSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) settle(join(path, name), modifiedAt);
  } else chmodSync(path, 0o444);
  utimesSync(path, time, time);
}

export function newestModification(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    newest = Math.max(newest, newestModification(join(path, name)));
  }
  return newest;
}

/** The address of a local file or tree (the cache's copy). */
export function hashLocal(path: string): string {
  try {
    const stat = lstatSync(path);
    if (stat.isFile()) return createHash('sha256').update(readFileSync(path)).digest('hex');
    const manifest = new ManifestHash();
    for (const entry of walkTree(path)) {
      if (entry.type === 'directory') manifest.directory(entry.relative);
      else {
        const bytes = readFileSync(entry.full);
        manifest.file(
          entry.relative,
          bytes.byteLength,
          createHash('sha256').update(bytes).digest('hex'),
        );
      }
    }
    return manifest.digest();
  } catch {
    return '';
  }
}

export function removeTree(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Temp folders of processes that died hold only unrecorded partial outputs. */
export function removeDeadProcessTemps(tmpRoot: string): void {
  for (const name of readdirSync(tmpRoot)) {
    const pid = Number(name.split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || isProcessAlive(pid)) continue;
    try {
      removeTree(join(tmpRoot, name));
    } catch {
      // Left for the next process: a leftover temp folder harms nothing.
    }
  }
}
