/**
 * @module cli/_faults
 * The last line between an environment fault and "internal error": a Node system error (a
 * full disk, a read-only or missing file, too many open files) that no layer restated is
 * reported as what it is, never as a bug in Weir.
 */
import { EnvironmentError, type WeirErrorCode } from '../errors.js';

const KNOWN: Record<string, { code: WeirErrorCode; what: string; hint: string }> = {
  ENOSPC: {
    code: 'E_NO_SPACE',
    what: 'no space left on device',
    hint: 'free some space (weir gc removes artefacts nothing needs), or move the instance to a larger disk',
  },
  EDQUOT: { code: 'E_NO_SPACE', what: 'disk quota exceeded', hint: 'free some space' },
  EROFS: {
    code: 'E_READ_ONLY',
    what: 'read-only file system',
    hint: 'run weir where the project and its instance are writable',
  },
  EACCES: {
    code: 'E_READ_ONLY',
    what: 'permission denied',
    hint: 'run weir as the user who owns the project and its instance, or fix their permissions',
  },
  EPERM: {
    code: 'E_READ_ONLY',
    what: 'operation not permitted',
    hint: 'run weir as the user who owns the project and its instance',
  },
  EMFILE: {
    code: 'E_STORAGE',
    what: 'too many open files',
    hint: 'raise the limit (ulimit -n) or lower --concurrency',
  },
  EIO: { code: 'E_STORAGE', what: 'input/output error', hint: 'check the disk' },
};

/** A Node system error as an EnvironmentError; undefined for anything else. */
export function systemFault(error: unknown): EnvironmentError | undefined {
  const system = error as NodeJS.ErrnoException | undefined;
  if (typeof system?.code !== 'string' || typeof system.syscall !== 'string') return undefined;
  const known = KNOWN[system.code];
  const where = system.path === undefined ? '' : ` ${system.path}`;
  return new EnvironmentError(
    known?.code ?? 'E_STORAGE',
    `${known?.what ?? system.message} (${system.syscall}${where})`,
    { cause: error, ...(known === undefined ? {} : { hint: known.hint }) },
  );
}
