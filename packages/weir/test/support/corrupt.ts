/**
 * Fault injection on stored artefacts: flip one byte of a file (as a bad disk, a tool writing
 * in place, or a person with root would), optionally keeping its modification time so only
 * hashing can tell.
 */
import { chmodSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';

/** Changes one byte of `path` (a digit becomes another digit, so JSON stays JSON). */
export function flipByte(path: string, options: { keepMtime?: boolean } = {}): void {
  const before = statSync(path);
  const bytes = readFileSync(path);
  let at = bytes.findIndex((b) => b >= 0x30 && b <= 0x39);
  if (at < 0) at = bytes.length >> 1;
  bytes[at] = bytes[at] === 0x39 ? 0x38 : (bytes[at] ?? 0) + 1;
  chmodSync(path, 0o644);
  writeFileSync(path, bytes);
  chmodSync(path, before.mode & 0o777);
  if (options.keepMtime) utimesSync(path, before.atime, before.mtime);
}
