/**
 * @module artefacts/_local-files
 * File-system helpers of the local artefact store: read-only trees, removing them, their
 * newest modification and size, and the errors a full or read-only disk gives.
 */
import { chmodSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ArtefactError } from './artefact-store.js';

/** The errno code of a Node system error (`ENOSPC`, `EACCES` …), if it is one. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('E') ? code : undefined;
}

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * A write that failed for a reason of the environment, as an ArtefactError naming what was
 * being written and where; anything else is returned as it is.
 */
export function writeFailure(error: unknown, what: string, attempted: string): unknown {
  const code = errnoOf(error);
  // The file the system refused, when it says (the target of a rename, say), else the one tried.
  const path = (error as NodeJS.ErrnoException | undefined)?.path ?? attempted;
  if (code !== undefined && NO_SPACE.has(code)) {
    return new ArtefactError('no-space', `no space left on device writing ${what} (${path})`, {
      cause: error,
      hint: 'free some space (weir gc removes artefacts nothing needs), or move the instance to a larger disk',
    });
  }
  if (code !== undefined && READ_ONLY.has(code)) {
    return new ArtefactError('read-only', `cannot write ${what}: ${path} is read-only (${code})`, {
      cause: error,
      hint: 'run weir where the instance folder is writable, or make it writable (chmod -R u+w)',
    });
  }
  return error;
}

/**
 * Stored files are read-only, so a downstream step cannot alter its upstream's artefact by
 * accident (a process running as root still can: reads check what they read).
 */
export function makeReadOnly(path: string, type: 'file' | 'directory'): void {
  if (type === 'file') {
    chmodSync(path, 0o444);
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) makeReadOnly(full, 'directory');
    else chmodSync(full, 0o444);
  }
}

/** Removes a file or tree, making folders writable first if that is what stops it. */
export function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (error) {
    if (errnoOf(error) !== 'EACCES' && errnoOf(error) !== 'EPERM') throw error;
    makeFoldersWritable(path);
    rmSync(path, { recursive: true, force: true });
  }
}

function makeFoldersWritable(path: string): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isDirectory()) return;
  chmodSync(path, 0o755);
  for (const name of readdirSync(path)) makeFoldersWritable(join(path, name));
}

/** The newest modification time in a file or tree (ms), and its size in bytes. */
export function treeStat(path: string): { modifiedAt: number; size: number } {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return { modifiedAt: stat.mtimeMs, size: stat.size };
  let modifiedAt = stat.mtimeMs;
  let size = 0;
  for (const name of readdirSync(path)) {
    const inner = treeStat(join(path, name));
    if (inner.modifiedAt > modifiedAt) modifiedAt = inner.modifiedAt;
    size += inner.size;
  }
  return { modifiedAt, size };
}
