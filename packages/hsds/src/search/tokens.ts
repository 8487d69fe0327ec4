// Query text cut into the tokens FTS5's `unicode61 remove_diacritics 2` tokenizer would index:
// letters, digits and private-use characters, diacritics removed, lower-cased. Queries are
// tokenised here, not by FTS5, so that synonyms, corrections and escaping see the same terms.

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const MARKS = /\p{M}+/gu;

/** Diacritics removed and lower-cased, as the index folds text (`Niños` → `ninos`). */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase();
}

/** The terms of a text in order (`¿Dónde hay comida?` → `donde`, `hay`, `comida`). */
export function tokenize(text: string): string[] {
  return foldText(text).match(TOKEN) ?? [];
}
