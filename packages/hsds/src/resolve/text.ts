// Text folding shared by names and addresses: lower case, accents off, `&` as `and`,
// possessives and punctuation gone, words split on anything that is not a letter or digit.

const MARKS = /[\u0300-\u036f]/g;

/** Lower-cased words of `text`, accents removed, `&` read as `and`, `'s` dropped. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]s\b/g, '')
    .replace(/['’.]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}
