// A JSON parser (RFC 8259) that keeps the offset of every value and of every object key, so
// records can say where each value came from and a syntax error where it is.

export type JsonNode =
  | { readonly kind: 'object'; readonly offset: number; readonly members: readonly JsonMember[] }
  | { readonly kind: 'array'; readonly offset: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly offset: number; readonly value: string }
  | {
      readonly kind: 'number';
      readonly offset: number;
      readonly value: number;
      readonly raw: string;
    }
  | { readonly kind: 'boolean'; readonly offset: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly offset: number };

export interface JsonMember {
  readonly key: string;
  readonly keyOffset: number;
  readonly value: JsonNode;
}

/** A syntax error at an offset of the text. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
    this.name = 'JsonSyntaxError';
  }
}

/**
 * How deeply arrays and objects may nest. Deeper text is refused with a syntax error at the
 * bracket that goes too deep, rather than exhausting the call stack (here or in the code that
 * walks the tree) with an error that names no file or line.
 */
export const maxJsonDepth = 512;

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// A stretch of string content with nothing to unescape or reject.
const plainCharacters = /[^"\\\p{Cc}]+/uy;
const escapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

export function parseJson(text: string): JsonNode {
  const parser = new Parser(text);
  const node = parser.value();
  parser.skipWhitespace();
  if (!parser.atEnd()) parser.fail('unexpected text after the JSON value');
  return node;
}

class Parser {
  private at = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at >= this.text.length;
  }

  fail(problem: string, offset = this.at): never {
    throw new JsonSyntaxError(offset, problem);
  }

  skipWhitespace(): void {
    while (this.at < this.text.length) {
      const char = this.text[this.at];
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') break;
      this.at++;
    }
  }

  value(): JsonNode {
    this.skipWhitespace();
    const offset = this.at;
    const char = this.text[this.at];
    switch (char) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return { kind: 'string', offset, value: this.string() };
      case 't':
        return { kind: 'boolean', offset, value: this.literal('true', true) };
      case 'f':
        return { kind: 'boolean', offset, value: this.literal('false', false) };
      case 'n':
        this.literal('null', null);
        return { kind: 'null', offset };
      case undefined:
        return this.fail('the text ends where a value should be');
      default:
        return this.number(offset);
    }
  }

  private enter(): void {
    if (++this.depth > maxJsonDepth) this.fail(`nesting deeper than ${maxJsonDepth} levels`);
  }

  private object(): JsonNode {
    this.enter();
    const node = this.members();
    this.depth--;
    return node;
  }

  private array(): JsonNode {
    this.enter();
    const node = this.items();
    this.depth--;
    return node;
  }

  private members(): JsonNode {
    const offset = this.at++;
    const members: JsonMember[] = [];
    this.skipWhitespace();
    if (this.text[this.at] === '}') {
      this.at++;
      return { kind: 'object', offset, members };
    }
    for (;;) {
      this.skipWhitespace();
      const keyOffset = this.at;
      if (this.text[this.at] !== '"') this.fail('expected a property name in double quotes');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.at] !== ':') this.fail(`expected ':' after the property name "${key}"`);
      this.at++;
      members.push({ key, keyOffset, value: this.value() });
      this.skipWhitespace();
      const next = this.text[this.at++];
      if (next === '}') return { kind: 'object', offset, members };
      if (next !== ',') this.fail(`expected ',' or '}' after the value of "${key}"`, this.at - 1);
    }
  }

  private items(): JsonNode {
    const offset = this.at++;
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text[this.at] === ']') {
      this.at++;
      return { kind: 'array', offset, items };
    }
    for (;;) {
      items.push(this.value());
      this.skipWhitespace();
      const next = this.text[this.at++];
      if (next === ']') return { kind: 'array', offset, items };
      if (next !== ',')
        this.fail(`expected ',' or ']' after item ${items.length - 1}`, this.at - 1);
    }
  }

  private string(): string {
    // A loop over stretches (no recursion per character), its pieces joined once at the end so a
    // string of millions of escapes is not a rope millions deep.
    const start = this.at++;
    const pieces: string[] = [];
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) this.fail('a string is never closed', start);
      if (char === '"') {
        this.at++;
        return pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
      }
      if (char === '\\') {
        pieces.push(this.escape());
        continue;
      }
      if (char < ' ') this.fail('a control character inside a string must be escaped');
      plainCharacters.lastIndex = this.at;
      const plain = plainCharacters.exec(this.text)?.[0] ?? char;
      pieces.push(plain);
      this.at += plain.length;
    }
  }

  private escape(): string {
    const code = this.text[this.at + 1] ?? '';
    if (code === 'u') {
      const hex = this.text.slice(this.at + 2, this.at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('\\u must be followed by four hex digits');
      this.at += 6;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    const escaped = escapes[code];
    if (escaped === undefined) this.fail(`unknown escape \\${code}`);
    this.at += 2;
    return escaped;
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) this.fail(`expected '${word}'`);
    this.at += word.length;
    return value;
  }

  private number(offset: number): JsonNode {
    numberPattern.lastIndex = this.at;
    const match = numberPattern.exec(this.text);
    if (match === null) this.fail(`unexpected '${this.text[this.at]}'`);
    this.at += match[0].length;
    return { kind: 'number', offset, value: Number(match[0]), raw: match[0] };
  }
}
