// FTS5 query syntax built from terms, never from user text: every term or phrase is a string
// in double quotes (a quote inside doubled), so `NEAR`, `AND`, `*`, `-`, `:` and brackets in a
// query are only characters.

/** A phrase of one or more terms as an FTS5 string: `"food bank"`. */
export function quotePhrase(terms: readonly string[]): string {
  return `"${terms.join(' ').replaceAll('"', '""')}"`;
}

/** Alternatives of one concept: `("food" OR "food bank")`; one alone is left bare. */
export function anyOf(phrases: readonly (readonly string[])[]): string {
  const quoted = phrases.map(quotePhrase);
  return quoted.length === 1 ? quoted[0]! : `(${quoted.join(' OR ')})`;
}

/** Concepts combined: all must match, or any may. */
export function combine(groups: readonly string[], mode: 'all' | 'any'): string {
  return groups.join(mode === 'all' ? ' AND ' : ' OR ');
}
