/**
 * @module read/error
 * The error every reader throws: it names the file (or the name the caller gave the bytes) and
 * says what is wrong with it in words; a decoder's own error, when there is one, is its `cause`.
 */

export class GeoReadError extends Error {
  /** The file, or the name given to the bytes. */
  readonly file: string;

  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.name = 'GeoReadError';
    this.file = file;
  }
}

/** The message of anything thrown, for wrapping a decoder's error in words of our own. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
