// Small text helpers shared by the normalisers.

/** Unicode dashes as '-', no-break and other spaces as ' ', runs of whitespace as one space,
 * trimmed. */
export function cleanText(text: string): string {
  return text
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u00a0\u2000-\u200b\u202f\u3000\ufeff\t\r\n]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** `text` without leading and trailing punctuation and spaces (keeps closing brackets that
 * close an opening one). */
export function trimPunctuation(text: string): string {
  let out = text.replace(/^[\s,;:.\-–—*/|]+|[\s,;:\-–—*/|]+$/g, '').replace(/\.+$/, '');
  if (/^\(.*\)$/.test(out) && !out.slice(1, -1).includes('(')) out = out.slice(1, -1).trim();
  return out;
}
