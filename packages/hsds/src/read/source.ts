// What every reader returns: records that remember where each value came from, and problems
// that say where they are.

/** A place in a text file: 1-based line and column (the column counts UTF-16 code units). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** One record read from a source file, with the position of each of its values. */
export interface SourceRecord {
  readonly file: string;
  /** The line the record starts on. */
  readonly line: number;
  readonly fields: Readonly<Record<string, string>>;
  /** Where each field's value starts. */
  readonly positions: Readonly<Record<string, SourcePosition>>;
}

/** Something a reader found wrong with its input; the input is read on regardless. */
export interface ReadIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** `error`: the reader had to guess (a row is cut short, a quote never closes). */
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** A value whose garbled accents (`Ã©` for `é`) were repaired. */
export interface RepairedValue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/** A value that looks garbled but could not be repaired without guessing. */
export interface FlaggedValue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly value: string;
  readonly reasons: readonly string[];
}

/** A reader's input could not be read at all (a JSON syntax error, say). */
export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}:${column}: ${problem}`);
    this.name = 'SourceError';
  }
}

/** `file:line:column` of a record's field, for messages; `file:line` when it has no position. */
export function whereIs(record: SourceRecord, field: string): string {
  const position = record.positions[field];
  return position === undefined
    ? `${record.file}:${record.line}`
    : `${record.file}:${position.line}:${position.column}`;
}

/** The text of an issue as compilers print theirs. */
export function formatIssue(issue: ReadIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.severity}: ${issue.message}`;
}

/** A record of fields that cannot collide with Object.prototype (`__proto__` as a header). */
export function emptyFields<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
