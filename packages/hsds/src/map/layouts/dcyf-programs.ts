// A city children-and-youth department's funded programs (`dcyf_cms.csv`): one row per program
// at a site — agency, program, funding strategy, the site's street, ZIP and phone (no city or
// state columns: every site ZIP is 941xx, San Francisco), the age groups served and the
// languages spoken as columns marked `X`, with other languages as text.
import type { SourceRecord } from '../../read/index.js';
import { defineMapper } from '../mapper.js';

/** The age-group columns and the years each covers (`'6-13` keeps the export's leading quote). */
const AGE_GROUPS: readonly (readonly [column: string, from: number, to: number])[] = [
  ['0-5', 0, 5],
  ["'6-13", 6, 13],
  ['14-17', 14, 17],
  ['18-21', 18, 21],
  ['18-24', 18, 24],
  ['22-25', 22, 25],
];

const LANGUAGE_COLUMNS = [
  'English',
  'Spanish',
  'Mandarin',
  'Cantonese',
  'Korean',
  'Vietnamese',
  'Russian',
  'Filipino (Tagalog)',
] as const;

const marked = (record: SourceRecord, column: string) =>
  (record.fields[column] ?? '').trim().toUpperCase() === 'X';

/** The age groups marked, sorted, as `[from, to]` pairs. */
function ageGroups(record: SourceRecord): [number, number][] {
  return AGE_GROUPS.filter(([column]) => marked(record, column))
    .map(([, from, to]): [number, number] => [from, to])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** `Ages 6-13, 14-17; parents`, from the marked columns. */
function eligibilityOf(record: SourceRecord): string | undefined {
  const groups = ageGroups(record).map(([from, to]) => `${from}-${to}`);
  const parts = [
    groups.length > 0 ? `Ages ${groups.join(', ')}` : undefined,
    marked(record, 'Parent') ? 'parents' : undefined,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? undefined : parts.join('; ');
}

/**
 * The ages the marked groups span, when they make one unbroken range and parents (of any age)
 * are not served too; otherwise none, since a minimum and maximum would claim ages in a gap.
 */
function ageRange(record: SourceRecord): [number, number] | undefined {
  const groups = ageGroups(record);
  if (groups.length === 0 || marked(record, 'Parent')) return undefined;
  const from = groups[0]![0];
  let to = groups[0]![1];
  for (const [start, end] of groups.slice(1)) {
    if (start > to + 1) return undefined;
    to = Math.max(to, end);
  }
  return [from, to];
}

/** The languages marked `X`, then the `Language Other` text. */
function languagesOf(record: SourceRecord): string | undefined {
  const names: string[] = LANGUAGE_COLUMNS.filter((column) => marked(record, column));
  const other = record.fields['Language Other']?.trim();
  if (other) names.push(other);
  return names.length === 0 ? undefined : names.join(', ');
}

/**
 * The site's street as one line with its city: `901 Mission Street, Suite 110, San Francisco,
 * CA 94103`. The export has no city or state columns; a ZIP of 941xx is San Francisco, CA. A
 * city, state or ZIP some rows repeat in the street column is dropped first. Without a
 * San Francisco ZIP the street is given alone, and the address is reported incomplete;
 * `various` or `n/a` gives none.
 */
function siteLine(record: SourceRecord): string | undefined {
  let street = record.fields['Site Address']?.trim() ?? '';
  for (let previous = ''; previous !== street; ) {
    previous = street;
    street = street
      .replace(/,\s*(?:san francisco|sf|ca(?:\s+9\d{4}(?:-\d{4})?)?|9\d{4}(?:-\d{4})?)\s*$/i, '')
      .trim();
  }
  // `various` and `n/a` stand where a program has no one site: no address.
  if (street === '' || /^(?:various|n\/?a|tbd|none)$/i.test(street)) return undefined;
  const zip = record.fields['Site Zip']?.trim() ?? '';
  return /^941\d{2}(?:-\d{4})?$/.test(zip) ? `${street}, San Francisco, CA ${zip}` : street;
}

/** What the site is (`Public School: Balboa High School (9-12)`). */
function siteDescription(record: SourceRecord): string | undefined {
  const kind = record.fields['Site Location']?.trim();
  const school = record.fields['Site School']?.trim();
  if (kind && school) return `${kind}: ${school}`;
  return kind || school || undefined;
}

export const dcyfPrograms = defineMapper({
  layout: 'dcyf-programs',
  description:
    'A children-and-youth department’s funded programs by site (CSV, ages and languages marked X)',
  format: 'csv',
  requiredColumns: [
    'Agency Name',
    'Program Name',
    'Strategy',
    'Site Name',
    'Site Address',
    'Site Zip',
    'Site Phone',
    'Site Location',
    '0-5',
    "'6-13",
    '14-17',
    'Parent',
    '18-21',
    '22-25',
    'English',
    'Spanish',
    'Language Other',
  ],
  // No id column: agency, program, site and street name a row (one row is there twice).
  recordId: (record) =>
    ['Agency Name', 'Program Name', 'Site Name', 'Site Address']
      .map((column) => record.fields[column]?.trim() ?? '')
      .filter((part) => part !== '')
      .join(' / '),
  identicalRepeats: 'drop',
  organization: { name: 'Agency Name' },
  service: {
    name: 'Program Name',
    eligibility_description: eligibilityOf,
    minimum_age: (record) => ageRange(record)?.[0].toString(),
    maximum_age: (record) => ageRange(record)?.[1].toString(),
  },
  phones: [{ value: 'Site Phone' }],
  // 557 of the 567 ten-digit site phones are 415 numbers, and every site ZIP is in San
  // Francisco, where 415 was the only area code until 2015: a seven-digit number is a 415 one.
  phoneOptions: { defaultAreaCode: '415' },
  location: {
    name: 'Site Name',
    description: siteDescription,
    addresses: [{ type: 'physical', line: siteLine }],
  },
  languages: languagesOf,
  taxonomy: { categories: 'Strategy', taxonomy: 'DCYF funding strategies', separator: ';' },
});
