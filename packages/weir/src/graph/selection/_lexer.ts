/**
 * @module graph/selection/lexer
 * Turns selection text into tokens. Two modes: the normal mode (keys, globs, `+`, `,`,
 * attribute prefixes such as `group:`) and the value mode the parser asks for right after an
 * attribute prefix, where `:`, `@` and `.` are ordinary characters and double quotes delimit
 * values that hold spaces, commas or `+`.
 */

import { InvariantError } from '../../errors.js';
import { syntaxError } from './_error.js';

/** A token of the normal mode. `column` is 1-based; `spaced` says whitespace came before it. */
export type Token =
  | {
      readonly kind: 'word';
      readonly text: string;
      readonly column: number;
      readonly spaced: boolean;
    }
  | {
      readonly kind: 'attr';
      readonly name: string;
      readonly column: number;
      readonly spaced: boolean;
    }
  | { readonly kind: 'plus' | 'comma' | 'end'; readonly column: number; readonly spaced: boolean }
  | {
      readonly kind: 'bad';
      readonly char: string;
      readonly column: number;
      readonly spaced: boolean;
    };

/** An attribute value: the text after quotes and escapes are undone. */
export interface ValueToken {
  readonly text: string;
  readonly quoted: boolean;
  readonly column: number;
}

const WORD_CHAR = /[A-Za-z0-9_.\-/*]/;
const SPACE = /\s/;

/** Whether `ch` may appear in an unquoted attribute value (`=` ends a tag's key). */
export function isValueChar(ch: string, stopAtEquals: boolean): boolean {
  return !(
    SPACE.test(ch) ||
    ch === ',' ||
    ch === '+' ||
    ch === '"' ||
    (stopAtEquals && ch === '=')
  );
}

export class Lexer {
  readonly source: string;
  private pos = 0;
  private readonly ahead: Token[] = [];

  constructor(source: string) {
    this.source = source;
  }

  /** The token `n` places ahead, without consuming it. Never look past an `attr` token. */
  peek(n = 0): Token {
    while (this.ahead.length <= n) this.ahead.push(this.scan());
    return this.ahead[n]!;
  }

  next(): Token {
    const token = this.peek();
    this.ahead.shift();
    return token;
  }

  /** Consumes `ch` if it comes next, in value mode (right after an attribute value). */
  eat(ch: string): boolean {
    this.assertValueMode();
    if (this.source[this.pos] !== ch) return false;
    this.pos++;
    return true;
  }

  /** Reads an attribute value at the current position; its text is '' if there is none. */
  value(stopAtEquals: boolean): ValueToken {
    this.assertValueMode();
    const start = this.pos;
    if (this.source[start] === '"') return this.quoted();
    while (this.pos < this.source.length && isValueChar(this.source[this.pos]!, stopAtEquals)) {
      this.pos++;
    }
    return { text: this.source.slice(start, this.pos), quoted: false, column: start + 1 };
  }

  private quoted(): ValueToken {
    const open = this.pos++;
    let text = '';
    while (this.pos < this.source.length) {
      const ch = this.source[this.pos]!;
      if (ch === '"') {
        this.pos++;
        return { text, quoted: true, column: open + 1 };
      }
      if (ch === '\\') {
        const escaped = this.source[this.pos + 1];
        if (escaped !== '"' && escaped !== '\\') {
          throw syntaxError(
            this.source,
            this.pos + 1,
            'unknown escape in a quoted value',
            'inside double quotes only \\" and \\\\ are escapes',
          );
        }
        text += escaped;
        this.pos += 2;
        continue;
      }
      text += ch;
      this.pos++;
    }
    throw syntaxError(this.source, open + 1, 'unterminated quoted value', 'close it with "');
  }

  private assertValueMode(): void {
    if (this.ahead.length > 0) throw new InvariantError('selection lexer: value read after a peek');
  }

  private scan(): Token {
    const { source } = this;
    const start = this.pos;
    while (this.pos < source.length && SPACE.test(source[this.pos]!)) this.pos++;
    const spaced = this.pos > start;
    const column = this.pos + 1;
    const ch = source[this.pos];
    if (ch === undefined) return { kind: 'end', column, spaced };
    if (ch === ',' || ch === '+') {
      this.pos++;
      return { kind: ch === ',' ? 'comma' : 'plus', column, spaced };
    }
    if (WORD_CHAR.test(ch)) {
      const from = this.pos;
      while (this.pos < source.length && WORD_CHAR.test(source[this.pos]!)) this.pos++;
      const text = source.slice(from, this.pos);
      if (source[this.pos] === ':') {
        this.pos++;
        return { kind: 'attr', name: text, column, spaced };
      }
      return { kind: 'word', text, column, spaced };
    }
    const char = String.fromCodePoint(source.codePointAt(this.pos)!);
    this.pos += char.length;
    return { kind: 'bad', char, column, spaced };
  }
}
