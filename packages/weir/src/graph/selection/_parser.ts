/**
 * @module graph/selection/parser
 * A recursive-descent parser over the lexer's tokens:
 *
 * ```text
 * selection := term (',' term)*
 * term      := [DEPTH? '+'] atom ['+' DEPTH?]        (no spaces inside a term)
 * atom      := '*' | KEY | GLOB | ATTR ':' value
 * value     := "quoted" | unquoted             (tag:  key ['=' value])
 * ```
 *
 * A run of digits is a depth only when `+` and an atom follow it directly (`2+gauges/readings`);
 * otherwise it is a key, which `key:2024` writes unambiguously.
 */

import { closestMatches } from '../../errors.js';
import {
  ATTRIBUTE_PREFIXES,
  type AttributePrefix,
  type SelectionAtom,
  type SelectionExpr,
  type SelectionGlob,
  type SelectionKey,
  type SelectionTerm,
} from './_ast.js';
import { syntaxError } from './_error.js';
import { checkPattern, isGlob } from './_glob.js';
import { Lexer, type Token, type ValueToken } from './_lexer.js';

const EXPECTED_ATOM = 'expected an asset key, glob or attribute';
const DIGITS = /^[0-9]+$/;

/** Parses selection text into a `SelectionExpr`; throws `SelectionError` (E_SELECTION_SYNTAX). */
export function parse(source: string): SelectionExpr {
  const lexer = new Lexer(source);
  const terms: SelectionTerm[] = [];
  for (;;) {
    terms.push(parseTerm(lexer));
    const token = lexer.next();
    if (token.kind === 'end') break;
    if (token.kind !== 'comma') throw unexpectedAfterTerm(lexer, token, terms.at(-1)!);
  }
  if (terms.length === 1) return terms[0]!;
  return { type: 'union', terms, column: terms[0]!.column };
}

function parseTerm(lexer: Lexer): SelectionTerm {
  const first = lexer.peek();
  let upstream: number | undefined;
  if (first.kind === 'plus') {
    lexer.next();
    upstream = Number.POSITIVE_INFINITY;
    expectAdjacent(lexer, first.column + 1);
    if (lexer.peek().kind === 'plus') throw repeatedUpstreamPlus(lexer);
  } else if (first.kind === 'word' && DIGITS.test(first.text) && isDepthPrefix(lexer)) {
    upstream = depth(lexer.source, first.text, first.column);
    lexer.next();
    lexer.next();
  }
  const operand = parseAtom(lexer);
  let downstream: number | undefined;
  const after = lexer.peek();
  if (after.kind === 'plus' && !after.spaced) {
    lexer.next();
    downstream = Number.POSITIVE_INFINITY;
    const count = lexer.peek();
    if (count.kind === 'word' && !count.spaced && DIGITS.test(count.text)) {
      downstream = depth(lexer.source, count.text, count.column);
      lexer.next();
    }
  }
  if (upstream === undefined && downstream === undefined) return operand;
  return { type: 'closure', operand, upstream, downstream, column: first.column };
}

/** `2+x`: digits, then `+` and an atom, all touching. */
function isDepthPrefix(lexer: Lexer): boolean {
  const plus = lexer.peek(1);
  if (plus.kind !== 'plus' || plus.spaced) return false;
  const atom = lexer.peek(2);
  return (atom.kind === 'word' || atom.kind === 'attr') && !atom.spaced;
}

function expectAdjacent(lexer: Lexer, column: number): void {
  const next = lexer.peek();
  if (next.spaced) {
    const atom = wordAt(lexer.source, next.column);
    throw syntaxError(
      lexer.source,
      column,
      `${EXPECTED_ATOM} right after '+'`,
      atom === '' ? undefined : `no spaces inside a term: write '+${atom}'`,
    );
  }
}

/** The text of a term's atom starting at `column` (1-based): up to a space, ',' or '+'. */
function wordAt(source: string, column: number): string {
  return /^[^\s,+]*/.exec(source.slice(column - 1))![0];
}

/** How many `+` touch each other from the lexer's position on (consumes them). */
function plusRun(lexer: Lexer, touching = false): number {
  let count = 0;
  while (lexer.peek().kind === 'plus' && ((count === 0 && !touching) || !lexer.peek().spaced)) {
    lexer.next();
    count++;
  }
  return count;
}

/** `++key`: depth is a number before the `+`, not a count of them. */
function repeatedUpstreamPlus(lexer: Lexer): Error {
  const at = lexer.peek().column;
  const levels = 1 + plusRun(lexer);
  const atom = wordAt(lexer.source, lexer.peek().column);
  return syntaxError(
    lexer.source,
    at,
    EXPECTED_ATOM,
    `'+' alone selects everything upstream; for ${levels} levels write '${levels}+${atom || 'KEY'}'`,
  );
}

function depth(source: string, digits: string, column: number): number {
  const value = Number(digits);
  if (!Number.isSafeInteger(value))
    throw syntaxError(source, column, `depth ${digits} is too large`);
  return value;
}

function parseAtom(lexer: Lexer): SelectionAtom {
  const token = lexer.next();
  const { source } = lexer;
  if (token.kind === 'word') {
    if (token.text === '*') return { type: 'all', column: token.column };
    return pattern(source, token.text, token.column, token.column);
  }
  if (token.kind === 'attr') return parseAttribute(lexer, token.name, token.column);
  if (token.kind === 'bad') throw badCharacter(source, token);
  throw syntaxError(source, token.column, EXPECTED_ATOM);
}

function parseAttribute(lexer: Lexer, name: string, column: number): SelectionAtom {
  const { source } = lexer;
  if (!(ATTRIBUTE_PREFIXES as readonly string[]).includes(name)) {
    const near = closestMatches(name, ATTRIBUTE_PREFIXES, 1)[0];
    throw syntaxError(
      source,
      column,
      `unknown attribute '${name}:'; expected one of ${ATTRIBUTE_PREFIXES.map((p) => `${p}:`).join(', ')}`,
      near === undefined ? undefined : `did you mean '${near}:'?`,
    );
  }
  const prefix = name as AttributePrefix;
  if (prefix === 'tag') {
    const key = requireValue(source, lexer.value(true), 'tag:');
    if (!lexer.eat('=')) return { type: 'tag', key: key.text, value: undefined, column };
    const value = requireValue(
      source,
      lexer.value(false),
      '=',
      `write 'tag:${key.text}' to match any value`,
    );
    return { type: 'tag', key: key.text, value: value.text, column };
  }
  const value = requireValue(source, lexer.value(false), `${prefix}:`);
  if (prefix === 'key') {
    const offset = value.quoted ? 1 : 0;
    return pattern(source, value.text, value.column + offset, column);
  }
  return { type: 'attribute', attribute: prefix, value: value.text, column };
}

function requireValue(source: string, value: ValueToken, after: string, hint?: string): ValueToken {
  if (value.quoted || value.text !== '') return value;
  throw syntaxError(
    source,
    value.column,
    `expected a value after '${after}'`,
    hint ?? `quote values that hold spaces, commas or '+': owner:"…"`,
  );
}

/** A key or glob written at `textColumn`; the node itself starts at `column`. */
function pattern(
  source: string,
  text: string,
  textColumn: number,
  column: number,
): SelectionKey | SelectionGlob {
  const problem = checkPattern(text);
  if (problem !== undefined) {
    throw syntaxError(source, textColumn + problem.offset, problem.detail, problem.hint);
  }
  return isGlob(text)
    ? { type: 'glob', pattern: text, column }
    : { type: 'key', key: text, column };
}

function badCharacter(source: string, token: Token & { kind: 'bad' }): Error {
  if (token.char === '"') {
    return syntaxError(
      source,
      token.column,
      'quotes are only allowed in attribute values',
      'write key:"…", group:"…", tag:"…"="…", owner:"…" or kind:"…"',
    );
  }
  const shown = /\p{Cc}/u.test(token.char)
    ? `U+${token.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    : token.char;
  return syntaxError(source, token.column, `unexpected character '${shown}'`);
}

function unexpectedAfterTerm(lexer: Lexer, token: Token, term: SelectionTerm): Error {
  const { source } = lexer;
  if (token.kind === 'bad') return badCharacter(source, token);
  const atom = term.type === 'closure' ? term.operand : term;
  const hint =
    atom.type === 'attribute' || atom.type === 'tag'
      ? 'quote attribute values that hold spaces, commas or \'+\': owner:"ana+weir@example.org"'
      : token.kind === 'plus'
        ? plusHint(lexer, token, term)
        : "separate terms with ','";
  return syntaxError(source, token.column, "expected ',' or the end of the selection", hint);
}

/**
 * A `+` after a complete term: one too many (`a+++`, where a depth was meant: `a+3`; `a+2+`)
 * or spaced (`a +`, `a + b`).
 */
function plusHint(lexer: Lexer, token: Token, term: SelectionTerm): string {
  const { source } = lexer;
  const written = source.slice(term.column - 1, token.column - 1).trimEnd();
  if (term.type === 'closure' && term.downstream !== undefined) {
    if (token.spaced || term.downstream !== Number.POSITIVE_INFINITY)
      return `a term takes one '+' on each side ('${written}'); join terms with ','`;
    // The term's own `+` and the one at `token` were read already.
    const levels = 2 + plusRun(lexer, true);
    return `'+' alone selects everything downstream; for ${levels} levels write '${written.slice(0, -1)}+${levels}'`;
  }
  // The `+` at `token` was read already.
  const pluses = 1 + plusRun(lexer, true);
  const next = lexer.peek();
  const then = next.kind === 'end' || next.kind === 'comma' ? '' : wordAt(source, next.column);
  const joined =
    then === '' ? '' : `, or join terms with ',': '${written}, ${'+'.repeat(pluses)}${then}'`;
  return `no spaces inside a term: write '${written}+'${joined}`;
}
