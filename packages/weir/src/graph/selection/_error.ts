/**
 * @module graph/selection/error
 * Builds `SelectionError`s whose message quotes the expression and draws a caret under the
 * offending column, so a typo deep in a long selection is found at a glance.
 */

import { SelectionError } from '../../errors.js';

type SelectionErrorCode = 'E_SELECTION_SYNTAX' | 'E_SELECTION_EMPTY' | 'E_UNKNOWN_ASSET';

/**
 * `selection '<text>': <detail> at column N`, then the expression and a caret line. Without
 * the source text (an expression built in code) the caret lines are left out.
 */
export function locate(source: string | undefined, column: number, detail: string): string {
  if (source === undefined) return `selection: ${detail} at column ${column}`;
  const shown = printable(source);
  return `selection '${shown}': ${detail} at column ${column}\n  ${shown}\n  ${' '.repeat(column - 1)}^`;
}

/** A `SelectionError` located at `column` (1-based) of `source`. */
export function selectionError(
  code: SelectionErrorCode,
  source: string | undefined,
  column: number,
  detail: string,
  hint?: string,
): SelectionError {
  return new SelectionError(code, locate(source, column, detail), {
    column,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Shorthand for the parser: an `E_SELECTION_SYNTAX` error. */
export function syntaxError(
  source: string,
  column: number,
  detail: string,
  hint?: string,
): SelectionError {
  return selectionError('E_SELECTION_SYNTAX', source, column, detail, hint);
}

/** Same length as `text` (so columns line up), with tabs, newlines and controls made visible. */
function printable(text: string): string {
  return text.replace(/\s/g, ' ').replace(/\p{Cc}/gu, '?');
}
