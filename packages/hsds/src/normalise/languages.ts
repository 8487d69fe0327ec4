// The languages a service offers, from free text ("English, Spanish; Cantonese", "Eng/Span",
// "ASL", "Chinese (Cantonese, Mandarin)", "Spanish (limited)") as HSDS `language` rows: ISO 639
// codes for the languages we know, other short names kept with no code, and sentences that name
// no language ("Interpreters available upon request") returned as notes.
import type { HsdsLanguageFields } from './hsds-fields.js';
import { LANGUAGE_NAMES, languageByName } from './language-names.js';
import { cleanText, trimPunctuation } from './text.js';

export interface LanguageParse {
  languages: HsdsLanguageFields[];
  /** Parts of the text that name no language, as written. */
  notes: string[];
}

// Single words that are not language names: services for the deaf, placeholders, words of the
// sentences agencies write in this field.
const NOT_A_LANGUAGE =
  /^(?:none|n\/?a|na|no|yes|other|others|all|any|various|varies|vary|multiple|bilingual|bi-lingual|multilingual|deaf|blind|braille|tdd|tty|ttd|tdy|relay|sign|language|languages|interpreters?|interpretation|translators?|translation|telephone|phone|walk-in|limited|some|only|unknown|available|courts?|office|staff|services?|volunteers?|call|contact|details|appointment|request|not available)$/i;
const WEEKDAY = /(?:mon|tues|wednes|thurs|fri|satur|sun)day/i;
const FILLER = /\b(?:languages?|spoken|speaking|speakers?)\b/gi;
const NAME_PATTERN = new RegExp(
  `(?<![\\p{L}])(?:${LANGUAGE_NAMES.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}])`,
  'giu',
);

/** Reads the languages of a free-text field. Never throws. */
export function parseLanguages(text: string): LanguageParse {
  const languages: HsdsLanguageFields[] = [];
  const notes: string[] = [];
  const add = (row: HsdsLanguageFields) => {
    const same = languages.find((l) =>
      row.code ? l.code === row.code : l.name.toLowerCase() === row.name.toLowerCase(),
    );
    if (!same) languages.push(row);
    else if (row.note && !same.note?.includes(row.note))
      same.note = same.note ? `${same.note}; ${row.note}` : row.note;
  };
  if (NOT_A_LANGUAGE.test(text.trim()))
    return { languages, notes: text.trim() ? [text.trim()] : [] };
  const lowerCaseField = text === text.toLowerCase();
  const spaced = cleanText(text)
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/\)(?=\p{L})/gu, ') ');
  for (const piece of splitOutsideBrackets(spaced)) {
    const inner = [...piece.matchAll(/\(([^()]*)\)?/g)].map((m) => m[1]!.trim()).filter((s) => s);
    const head = piece.replace(/\([^()]*\)?/g, ' ').trim();
    const headFound = findLanguages(head);
    const innerFound = inner.flatMap((part) => splitOutsideBrackets(part).map(findLanguages));
    const innerLanguages = innerFound.flatMap((f) => f.languages);
    if (innerLanguages.length > 0 && headFound.languages.length <= 1) {
      // "Chinese (Cantonese, Mandarin)": the bracket names which Chinese.
      for (const l of innerLanguages) add(l);
      if (headFound.languages.length === 0 && headFound.rest) notes.push(headFound.rest);
      continue;
    }
    const qualifier = [headFound.rest, ...inner.filter(() => innerLanguages.length === 0)]
      .filter((s) => s)
      .join('; ');
    if (headFound.languages.length > 0) {
      for (const l of headFound.languages) add(qualifier ? { ...l, note: qualifier } : l);
    } else if (isUnknownLanguageName(head, lowerCaseField) && inner.length === 0) {
      add({ name: head });
    } else if (trimPunctuation(piece)) notes.push(trimPunctuation(piece));
  }
  return { languages, notes };
}

// Split at , ; / & + "and" "or" and sentence ends, but not inside brackets.
function splitOutsideBrackets(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  const separator = /^(?:[,;/&+\n]|\s(?:and|or)\s|\.\s)/i;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    const sep = depth === 0 ? separator.exec(text.slice(i)) : null;
    if (c === ')' && depth === 0) {
      // A closing bracket ends its piece: "Chinese (Cantonese) Spanish" is two.
      pieces.push(current + c);
      current = '';
    } else if (sep) {
      pieces.push(current);
      current = '';
      i += sep[0].length - 1;
    } else current += c;
  }
  pieces.push(current);
  return pieces.map((p) => trimPunctuation(p.trim())).filter((p) => p !== '');
}

function findLanguages(text: string): { languages: HsdsLanguageFields[]; rest: string } {
  const languages: HsdsLanguageFields[] = [];
  const rest = text.replace(NAME_PATTERN, (match) => {
    const known = languageByName(match);
    if (known) languages.push({ name: known.name, code: known.code });
    return ' ';
  });
  return { languages, rest: trimPunctuation(cleanText(rest.replace(FILLER, ' '))) };
}

// A name we do not know is kept when it looks like one: a single capitalised word (or any
// single word in an all-lower-case field) that is not one of the words above.
function isUnknownLanguageName(piece: string, lowerCaseField: boolean): boolean {
  const shape = lowerCaseField ? /^\p{Ll}{3,}$/u : /^\p{Lu}\p{Ll}{2,}(?:-\p{Lu}?\p{Ll}+)?$/u;
  return shape.test(piece) && !NOT_A_LANGUAGE.test(piece) && !WEEKDAY.test(piece);
}
