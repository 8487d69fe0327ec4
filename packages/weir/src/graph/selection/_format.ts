/**
 * @module graph/selection/format
 * Prints a `SelectionExpr` in canonical form: terms joined by `, `, depths only where they
 * are finite, attribute values quoted only when they must be. Parsing the output gives back
 * the same tree (columns aside).
 */

import type { SelectionAtom, SelectionExpr, SelectionTerm } from './_ast.js';
import { checkPattern } from './_glob.js';
import { isValueChar } from './_lexer.js';

/** Canonical text of `expr`. */
export function format(expr: SelectionExpr): string {
  return expr.type === 'union' ? expr.terms.map(formatTerm).join(', ') : formatTerm(expr);
}

function formatTerm(term: SelectionTerm): string {
  if (term.type !== 'closure') return formatAtom(term);
  const up = term.upstream === undefined ? '' : `${depth(term.upstream)}+`;
  const down = term.downstream === undefined ? '' : `+${depth(term.downstream)}`;
  return `${up}${formatAtom(term.operand)}${down}`;
}

function depth(value: number): string {
  return value === Number.POSITIVE_INFINITY ? '' : String(value);
}

/** Canonical text of one atom, as error messages name it. */
export function formatAtom(atom: SelectionAtom): string {
  switch (atom.type) {
    case 'all':
      return '*';
    case 'key':
      // `2024` alone could read as a depth (`2024+x`), so digits-only keys take `key:`.
      return bare(atom.key)
        ? /^[0-9]+$/.test(atom.key)
          ? `key:${atom.key}`
          : atom.key
        : prefixed(atom.key);
    case 'glob':
      // `*` alone means every asset; the one-segment glob is `key:*`.
      return bare(atom.pattern)
        ? atom.pattern === '*'
          ? 'key:*'
          : atom.pattern
        : prefixed(atom.pattern);
    case 'attribute':
      return `${atom.attribute}:${value(atom.value, false)}`;
    case 'tag':
      return `tag:${value(atom.key, true)}${atom.value === undefined ? '' : `=${value(atom.value, false)}`}`;
  }
}

/** Whether a key or glob can be written without `key:` and quotes. */
function bare(pattern: string): boolean {
  return checkPattern(pattern) === undefined;
}

/** A pattern that is not a well-formed key or glob, quoted so that it parses (and is rejected). */
function prefixed(pattern: string): string {
  return `key:${value(pattern, false)}`;
}

function value(text: string, stopAtEquals: boolean): string {
  const plain = text !== '' && [...text].every((ch) => isValueChar(ch, stopAtEquals));
  return plain ? text : quote(text);
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}
