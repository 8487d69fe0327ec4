/**
 * @module errors
 * Errors of the time-series library. Bad input names the file, line and column; a bad
 * configuration names the JSON path. This package does not depend on `weir`, so it has
 * its own small root class with a stable `code`.
 */

export type TimeseriesErrorCode =
  | 'E_INPUT' // a data file is malformed
  | 'E_CONFIG' // a polishing configuration is invalid
  | 'E_ARGUMENT' // a function was called with arguments it cannot use
  | 'E_USAGE'; // the command line is wrong

/** Where in a text file something went wrong; line and column are 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  column?: number;
}

/** The root error of `@weir/timeseries`. */
export class TimeseriesError extends Error {
  override readonly name: string = 'TimeseriesError';
  readonly code: TimeseriesErrorCode;
  readonly hint: string | undefined;

  constructor(
    code: TimeseriesErrorCode,
    message: string,
    options: { cause?: unknown; hint?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

/** A data file cannot be read as promised: the message starts with `file:line:column`. */
export class InputError extends TimeseriesError {
  override readonly name = 'InputError';
  readonly position: SourcePosition;

  constructor(position: SourcePosition, message: string) {
    const where = `${position.file}:${position.line}${position.column === undefined ? '' : `:${position.column}`}`;
    super('E_INPUT', `${where}: ${message}`);
    this.position = position;
  }
}

/** A polishing configuration is invalid; `path` is the JSON path of the bad entry. */
export class ConfigError extends TimeseriesError {
  override readonly name = 'ConfigError';
  readonly issues: readonly string[];

  constructor(source: string, issues: readonly string[], hint?: string) {
    super('E_CONFIG', `${source}: invalid polishing configuration\n  ${issues.join('\n  ')}`, {
      ...(hint === undefined ? {} : { hint }),
    });
    this.issues = issues;
  }
}
