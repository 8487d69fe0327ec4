// The curated synonyms as a lookup: each key phrase (folded, as tokens) to the phrases it also
// finds, and the longest key phrase starting at a position of a query.

import { EQUIVALENT, TRANSLATED } from './synonyms.js';
import { tokenize } from './tokens.js';

export type Phrase = readonly string[];

export class SynonymTable {
  private readonly byKey = new Map<string, Phrase[]>();
  private longest = 1;

  constructor(
    equivalent: readonly (readonly string[])[] = EQUIVALENT,
    translated: readonly (readonly [string, readonly string[]])[] = TRANSLATED,
  ) {
    for (const group of equivalent) {
      for (const key of group) this.add(key, group);
    }
    for (const [key, targets] of translated) this.add(key, targets);
  }

  private add(key: string, targets: readonly string[]): void {
    const keyTokens = tokenize(key);
    if (keyTokens.length === 0) return;
    this.longest = Math.max(this.longest, keyTokens.length);
    const k = keyTokens.join(' ');
    const list = this.byKey.get(k) ?? [];
    for (const target of targets) {
      const phrase = tokenize(target);
      if (
        phrase.length > 0 &&
        phrase.join(' ') !== k &&
        !list.some((p) => p.join(' ') === phrase.join(' '))
      )
        list.push(phrase);
    }
    this.byKey.set(k, list);
  }

  /** True when the single term is a key (so it is a word we know, not a misspelling). */
  has(term: string): boolean {
    return this.byKey.has(term);
  }

  /** Every single-term key, for spelling correction of the keys themselves (`vivenda`). */
  singleTermKeys(): string[] {
    return [...this.byKey.keys()].filter((k) => !k.includes(' '));
  }

  /**
   * The longest key phrase of the tokens starting at `start`: its length and the phrases it
   * expands to (without the key itself), or undefined when none starts there.
   */
  match(
    tokens: readonly string[],
    start: number,
  ): { length: number; phrases: Phrase[] } | undefined {
    for (let n = Math.min(this.longest, tokens.length - start); n >= 1; n--) {
      const phrases = this.byKey.get(tokens.slice(start, start + n).join(' '));
      if (phrases !== undefined) return { length: n, phrases };
    }
    return undefined;
  }
}
