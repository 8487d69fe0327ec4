// A query's text made into FTS5 concepts: stop words dropped, misspelt words corrected against
// the indexed vocabulary, curated synonyms and plural forms added as alternatives. Each concept
// is a list of phrases, any of which may match; concepts are then required all, or any.
import { anyOf, combine } from './escape.js';
import { STOPWORDS } from './stopwords.js';
import type { Phrase, SynonymTable } from './synonym-table.js';
import { tokenize } from './tokens.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * How misspelt words are handled: `missing` replaces a word no record holds by its closest
 * frequent term; `expand` keeps every word and adds close, much more frequent terms beside it;
 * `off` leaves words as typed.
 */
export type SpellingMode = 'off' | 'missing' | 'expand';

export interface PlanOptions {
  spelling: SpellingMode;
  synonyms: boolean;
  /** Plural and singular forms of a word that the index holds (`shelter` → `shelters`). */
  forms: boolean;
}

export interface Concept {
  /** The words of the query this concept stands for. */
  words: string[];
  phrases: Phrase[];
}

export interface QueryPlan {
  concepts: Concept[];
  corrections: { from: string; to: string }[];
}

const DIGIT = /\d/;
/** In `expand` mode a present word gains a correction this many times as frequent. */
const EXPAND_RATIO = 20;

export function planQuery(
  text: string,
  vocabulary: Vocabulary,
  synonyms: SynonymTable,
  options: PlanOptions,
): QueryPlan {
  const all = tokenize(text);
  const kept = all.filter((t) => !STOPWORDS.has(t));
  const words = kept.length > 0 ? kept : all;
  const corrections: { from: string; to: string }[] = [];
  const primary: string[] = [];
  const variants: string[][] = [];
  for (const word of words) {
    const known = vocabulary.count(word) > 0 || synonyms.has(word) || DIGIT.test(word);
    let first = word;
    const extra: string[] = [];
    const expand = options.spelling === 'expand';
    if (options.spelling !== 'off' && !synonyms.has(word) && !(known && !expand)) {
      for (const c of vocabulary.corrections(word, expand ? 2 : 1)) {
        if (known && c.records < EXPAND_RATIO * vocabulary.count(word)) continue;
        if (!known && first === word) first = c.term;
        else extra.push(c.term);
        corrections.push({ from: word, to: c.term });
      }
    }
    primary.push(first);
    variants.push(extra);
  }

  const concepts: Concept[] = [];
  for (let i = 0; i < primary.length; ) {
    const match = options.synonyms ? synonyms.match(primary, i) : undefined;
    const length = match?.length ?? 1;
    const phrases: Phrase[] = [primary.slice(i, i + length)];
    if (length === 1) for (const v of variants[i]!) phrases.push([v]);
    for (const p of match?.phrases ?? []) addPhrase(phrases, p);
    if (options.forms) {
      for (const p of [...phrases]) {
        if (p.length === 1) for (const f of vocabulary.forms(p[0]!)) addPhrase(phrases, [f]);
      }
    }
    concepts.push({ words: words.slice(i, i + length), phrases });
    i += length;
  }
  return { concepts, corrections };
}

function addPhrase(list: Phrase[], phrase: Phrase): void {
  const key = phrase.join(' ');
  if (!list.some((p) => p.join(' ') === key)) list.push(phrase);
}

/**
 * The FTS5 MATCH expression of a plan, or undefined when nothing in it can match. With `all`,
 * a concept none of whose terms the index holds is left out rather than emptying the result.
 */
export function planExpression(
  plan: QueryPlan,
  vocabulary: Vocabulary,
  mode: 'all' | 'any',
): string | undefined {
  const live = plan.concepts.filter((c) =>
    c.phrases.some((p) => p.every((t) => vocabulary.count(t) > 0)),
  );
  const used = mode === 'all' ? live : plan.concepts;
  if (live.length === 0) return undefined;
  return combine(
    used.map((c) => anyOf(c.phrases)),
    mode,
  );
}
