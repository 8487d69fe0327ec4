/**
 * @module io/_text
 * Line and field splitting that remembers where each field started, so readers can
 * report bad input by file, line and column.
 */
import { InputError } from '../errors.js';

/** One line of a text file: its 1-based number and its text without the line break. */
export interface Line {
  readonly number: number;
  readonly text: string;
}

/** The non-empty lines of a text, with their numbers. */
export function* linesOf(text: string): Generator<Line> {
  let start = 0;
  let number = 1;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (stop > start) yield { number, text: text.slice(start, stop) };
    start = end + 1;
    number++;
  }
}

/** Fields of a delimited line with the 1-based column where each starts. */
export function splitDelimited(
  text: string,
  delimiter: string,
): { fields: string[]; columns: number[] } {
  const fields = text.split(delimiter);
  const columns: number[] = new Array(fields.length);
  let col = 1;
  for (let k = 0; k < fields.length; k++) {
    columns[k] = col;
    col += fields[k]!.length + delimiter.length;
  }
  return { fields, columns };
}

/** Fields of a whitespace-separated line with the 1-based column where each starts. */
export function splitWhitespace(text: string): { fields: string[]; columns: number[] } {
  const fields: string[] = [];
  const columns: number[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    fields.push(m[0]);
    columns.push(m.index + 1);
  }
  return { fields, columns };
}

const MISSING_WORDS = new Set(['', 'nan', 'NaN', 'NA', 'null']);

/**
 * A numeric cell: a finite number, or `NaN` for an explicitly missing cell (empty,
 * `NaN`, `NA`). Anything else is an error naming file, line and column.
 */
export function parseNumberCell(text: string, file: string, line: number, column: number): number {
  const t = text.trim();
  if (MISSING_WORDS.has(t)) return Number.NaN;
  const v = Number(t);
  if (!Number.isFinite(v) || /^0[xXbBoO]/.test(t)) {
    throw new InputError(
      { file, line, column },
      `expected a number, found ${JSON.stringify(text)}`,
    );
  }
  return v;
}
