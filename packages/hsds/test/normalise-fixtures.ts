// The real agency exports' fields, read for the normalisers' coverage tests and the bench. A
// minimal CSV reader of its own (quotes, doubled quotes, CR, LF or CRLF rows) keeps these tests
// independent of src/read. Nothing here is copied into the repository: it reads the shared data,
// located by `socialData` unless a reader is given another way to resolve its paths.
import { readFileSync } from 'node:fs';
import { socialData } from './_data.js';

/** RFC 4180 rows: quoted fields may hold separators and line breaks; `""` is a quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The absolute path of a file under `social-services/`. */
export type Resolve = (relative: string) => string;

/** A CSV file with a header row as records keyed by column name. */
export function readCsvRecords(
  relative: string,
  resolve: Resolve = socialData,
): Record<string, string>[] {
  const [header, ...rows] = parseCsv(
    readFileSync(resolve(relative), 'utf8').replace(/^\uFEFF/, ''),
  );
  return rows
    .filter((r) => r.some((v) => v.trim() !== ''))
    .map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

/** The non-blank values of some columns. */
export function columnValues(
  records: readonly Record<string, string>[],
  columns: readonly string[],
): string[] {
  return records.flatMap((r) => columns.map((c) => r[c] ?? '')).filter((v) => v.trim() !== '');
}

export const PHONE_COLUMNS_211 = [
  'Phone1Number',
  'Phone2Number',
  'Phone3Number',
  'Phone4Number',
  'Phone5Number',
  'PhoneFax',
  'PhoneTTY',
  'PhoneTollFree',
  'PhoneNumberHotline',
  'PhoneNumberBusinessLine',
  'PhoneNumberOutOfArea',
  'PhoneNumberAfterHours',
  'MainContactPhoneNumber',
  'SeniorWorkerPhoneNumber',
  'LastVerifiedByPhoneNumber',
] as const;

export interface LinkSfService {
  name: string;
  openHours?: Record<string, [number, number][]>;
}

export interface LinkSfFacility {
  name: string;
  address: string;
  city: string;
  phone: string;
  website: string;
  services: LinkSfService[];
}

export function readLinkSf(resolve: Resolve = socialData): LinkSfFacility[] {
  return JSON.parse(readFileSync(resolve('agencies/linksf.json'), 'utf8')) as LinkSfFacility[];
}

/** The values of `Label: value` lines of the plain-text export whose label matches. */
export function apdFields(label: RegExp, resolve: Resolve = socialData): string[] {
  const text = readFileSync(resolve('agencies/apd_export.txt'), 'utf8').replace(/^\uFEFF/, '');
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z][A-Za-z /&-]*?)\s*:\s*(.*\S)\s*$/.exec(line);
    if (m && label.test(m[1]!)) out.push(m[2]!);
  }
  return out;
}

/** wa211_dedup_training_set.csv has no header; its first row documents each column. */
export interface Wa211Row {
  name: string;
  url: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  addressType: string;
}

export function readWa211(resolve: Resolve = socialData): Wa211Row[] {
  const rows = parseCsv(readFileSync(resolve('agencies/wa211_dedup_training_set.csv'), 'utf8'));
  return rows.slice(1).map((r) => ({
    name: r[0] ?? '',
    url: r[2] ?? '',
    address1: r[3] ?? '',
    address2: r[4] ?? '',
    city: r[5] ?? '',
    state: r[6] ?? '',
    postalCode: r[7] ?? '',
    country: r[8] ?? '',
    addressType: r[9] ?? '',
  }));
}
