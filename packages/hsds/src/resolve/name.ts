// Names as compared: folded words with common abbreviations spelled out and words that
// tell names apart poorly (articles, legal forms) left out.
import { words } from './text.js';

// In names `st` is far more often Saint than Street (`St. Vincent de Paul`).
const SPELLED: Readonly<Record<string, string>> = {
  ctr: 'center',
  cntr: 'center',
  centre: 'center',
  st: 'saint',
  ste: 'sainte',
  mt: 'mount',
  ft: 'fort',
  svc: 'service',
  svcs: 'services',
  srvcs: 'services',
  assn: 'association',
  assoc: 'association',
  dept: 'department',
  intl: 'international',
  natl: 'national',
  univ: 'university',
  hosp: 'hospital',
  comm: 'community',
  cmty: 'community',
  sr: 'senior',
  srs: 'seniors',
  bros: 'brothers',
  co: 'county',
  cnty: 'county',
  hs: 'high school',
  sch: 'school',
  prog: 'program',
  pgm: 'program',
  org: 'organization',
  fdn: 'foundation',
  fndn: 'foundation',
};

/** Words that carry no identity in a name. */
export const NAME_STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'of',
  'and',
  'for',
  'in',
  'at',
  'on',
  'to',
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'corp',
  'corporation',
  'pc',
  'dba',
]);

/** The name's words, abbreviations spelled out, stop words left out (all of them when nothing else is left). */
export function nameTokens(name: string): string[] {
  const spelled = words(name).flatMap((w) => (SPELLED[w] ?? w).split(' '));
  const kept = spelled.filter((w) => !NAME_STOP_WORDS.has(w));
  return kept.length ? kept : spelled;
}

/** The name as one comparable string: its tokens joined by single spaces. */
export function normaliseName(name: string): string {
  return nameTokens(name).join(' ');
}
