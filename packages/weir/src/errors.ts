/**
 * @module errors
 * One root error, one subclass per party that must act, and a stable `code` on each, so
 * scripts can branch on `err.code` and people read a message that names what is wrong,
 * where, and what to do.
 */

export type WeirErrorCode =
  | 'E_DEFINITION'
  | 'E_DUPLICATE_KEY'
  | 'E_INVALID_KEY'
  | 'E_UNKNOWN_ASSET'
  | 'E_CYCLE'
  | 'E_SELECTION_SYNTAX'
  | 'E_SELECTION_EMPTY'
  | 'E_PROJECT_NOT_FOUND'
  | 'E_PROJECT_LOAD'
  | 'E_USER_CODE'
  | 'E_STORAGE'
  /** The event log's file is damaged: `weir doctor` says what, and recovers what is readable. */
  | 'E_STORAGE_CORRUPT'
  | 'E_ARTEFACT'
  /** A stored artefact's bytes no longer match their content hash. */
  | 'E_ARTEFACT_CORRUPT'
  /** The disk (or quota) is full. */
  | 'E_NO_SPACE'
  /** A write to an instance (or a part of it) that is read-only here. */
  | 'E_READ_ONLY'
  /** The command line (or call) is malformed on its own: the CLI exits 2. */
  | 'E_USAGE'
  /** Well-formed, but names what the project or its history lacks: a partition, run, backfill, value. */
  | 'E_NOT_FOUND'
  /** Well-formed, but the state does not allow it: resuming a finished backfill, say. */
  | 'E_CONFLICT'
  /** A worker could not be launched (or its launcher could not learn how it ended): see launch/. */
  | 'E_LAUNCH'
  | 'E_INVARIANT';

export interface WeirErrorOptions {
  cause?: unknown;
  /** What the user can do about it; printed under the message. */
  hint?: string;
}

export class WeirError extends Error {
  override readonly name: string = 'WeirError';
  readonly code: WeirErrorCode;
  readonly hint: string | undefined;

  constructor(code: WeirErrorCode, message: string, options: WeirErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

/** The user's definitions are wrong: fix the project. */
export class DefinitionError extends WeirError {
  override readonly name = 'DefinitionError';
}

/** A selection expression does not parse or names nothing. `column` is 1-based. */
export class SelectionError extends WeirError {
  override readonly name = 'SelectionError';
  readonly column: number | undefined;

  constructor(
    code: 'E_SELECTION_SYNTAX' | 'E_SELECTION_EMPTY' | 'E_UNKNOWN_ASSET',
    message: string,
    options: WeirErrorOptions & { column?: number } = {},
  ) {
    super(code, message, options);
    this.column = options.column;
  }
}

/** The user's code threw: the original error is kept as `cause`. */
export class UserCodeError extends WeirError {
  override readonly name = 'UserCodeError';
}

/** The environment is wrong: storage, files, the project file, the command line. */
export class EnvironmentError extends WeirError {
  override readonly name = 'EnvironmentError';
}

/** Weir broke one of its own promises: a bug to report. */
export class InvariantError extends WeirError {
  override readonly name = 'InvariantError';
  constructor(message: string, options: WeirErrorOptions = {}) {
    super('E_INVARIANT', message, options);
  }
}

/** Up to three candidates close to `wanted`, best first, for "did you mean …?" hints. */
export function closestMatches(wanted: string, candidates: Iterable<string>, max = 3): string[] {
  const scored: Array<[number, string]> = [];
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate);
    const limit = Math.max(2, Math.floor(Math.max(wanted.length, candidate.length) / 3));
    if (distance <= limit || candidate.endsWith(`/${wanted}`)) scored.push([distance, candidate]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, max).map(([, candidate]) => candidate);
}

export function didYouMean(wanted: string, candidates: Iterable<string>): string | undefined {
  const matches = closestMatches(wanted, candidates);
  return matches.length === 0
    ? undefined
    : `did you mean ${matches.map((m) => `'${m}'`).join(', ')}?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
