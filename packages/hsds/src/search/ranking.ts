// How the search ranks: BM25 weights of the text columns, and which query-side helps are on.
// The defaults are the ones measured best on the judged query set (see the README).
import type { TextColumn } from './document.js';
import type { SpellingMode } from './query-plan.js';

export interface Ranking {
  /** BM25 weight of each column: a term in a name counts more than one in a description. */
  weights: Readonly<Record<TextColumn, number>>;
  spelling: SpellingMode;
  synonyms: boolean;
  /** Plural and singular forms of query words. */
  forms: boolean;
  /**
   * `all`: every concept of the query must match; `any`: one is enough; `all-then-any`: all,
   * and when that finds nothing, any; `all-first`: any, those matching every concept first.
   */
  match: 'all' | 'any' | 'all-then-any' | 'all-first';
}

export const DEFAULT_RANKING: Ranking = {
  weights: { name: 3, organization: 2, taxonomy: 1.5, description: 1, other: 0.5 },
  spelling: 'missing',
  synonyms: true,
  forms: false,
  match: 'all-first',
};
