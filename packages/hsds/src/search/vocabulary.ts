// The indexed terms with the number of records holding each (from FTS5's fts5vocab table), and
// what the query side asks of them: does a term occur, which terms are its plural or singular,
// and which frequent term is a query's misspelt word closest to.
import { editDistance } from './distance.js';

export interface Correction {
  term: string;
  distance: number;
  records: number;
}

const WORD = /^\p{L}{3,}$/u;

/** Edits allowed for a word of this length: none below 4 letters, 1 up to 7, 2 beyond. */
export function allowedEdits(length: number): number {
  return length < 4 ? 0 : length <= 7 ? 1 : 2;
}

/** English plural to singular, as far as directory words need (`pantries` → `pantry`). */
export function lightStem(term: string): string {
  if (term.length > 4 && term.endsWith('ies')) return `${term.slice(0, -3)}y`;
  if (term.length > 4 && /(?:ss|x|z|ch|sh)es$/.test(term)) return term.slice(0, -2);
  if (term.length > 3 && term.endsWith('s') && !/(?:ss|us|is)$/.test(term))
    return term.slice(0, -1);
  return term;
}

function trigrams(term: string): string[] {
  const padded = `^${term}$`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

export class Vocabulary {
  private readonly records = new Map<string, number>();
  private readonly byTrigram = new Map<string, string[]>();
  private readonly byStem = new Map<string, string[]>();

  /** From `(term, records)` pairs; `extra` terms (synonym keys) may be corrected to too. */
  constructor(terms: Iterable<readonly [string, number]>, extra: readonly string[] = []) {
    for (const [term, count] of terms) this.records.set(term, count);
    const candidates = new Set([...this.records.keys(), ...extra]);
    for (const term of candidates) {
      if (!WORD.test(term)) continue;
      for (const g of new Set(trigrams(term))) {
        const list = this.byTrigram.get(g);
        if (list === undefined) this.byTrigram.set(g, [term]);
        else list.push(term);
      }
      const stem = lightStem(term);
      const forms = this.byStem.get(stem);
      if (forms === undefined) this.byStem.set(stem, [term]);
      else forms.push(term);
    }
  }

  get size(): number {
    return this.records.size;
  }

  /** How many records hold the term (0 when none). */
  count(term: string): number {
    return this.records.get(term) ?? 0;
  }

  /** The indexed forms sharing the term's plural-free stem (`shelter` → `shelters`), itself excluded. */
  forms(term: string): string[] {
    return (this.byStem.get(lightStem(term)) ?? []).filter((t) => t !== term && this.count(t) > 0);
  }

  /**
   * The closest known terms within the edits the word's length allows, fewest edits first,
   * then the most frequent (synonym keys count as one record).
   */
  corrections(word: string, limit = 1): Correction[] {
    const max = allowedEdits(word.length);
    if (max === 0 || !WORD.test(word)) return [];
    const seen = new Set<string>();
    const found: Correction[] = [];
    for (const g of trigrams(word)) {
      for (const term of this.byTrigram.get(g) ?? []) {
        if (seen.has(term) || term === word) continue;
        seen.add(term);
        if (Math.abs(term.length - word.length) > max) continue;
        const distance = editDistance(word, term, max);
        if (distance <= max) found.push({ term, distance, records: Math.max(this.count(term), 1) });
      }
    }
    found.sort(
      (a, b) => a.distance - b.distance || b.records - a.records || (a.term < b.term ? -1 : 1),
    );
    return found.slice(0, limit);
  }
}
