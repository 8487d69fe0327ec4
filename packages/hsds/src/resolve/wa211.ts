// Open Referral's labelled deduplication set (`wa211_dedup_training_set.csv`: Washington 211
// records and the duplicates silobuster-dedupe injected into them) as records with their truth.
// The file has no header; its first row describes each column's format. A duplicate is marked
// 1 in the last column and carries a uuid and the kind of change (`street_dup`); it names no
// original. Its original is the row directly above it: no duplicate follows a duplicate, the
// first row is an original, and each duplicate equals the row above except for the perturbed
// fields (checked by `readWa211Labels`, which throws when the file breaks that).
import { OPENREFERRAL_CSV_COLUMNS } from '../map/layouts/openreferral-csv.js';
import type { CsvTable } from '../read/index.js';
import type { ResolvableRecord } from './record.js';

/** The set's columns, as the Open Referral CSV layout names them (it has no header). */
export const WA211_COLUMNS = OPENREFERRAL_CSV_COLUMNS;

export interface Wa211Labels {
  /** Every record, originals and duplicates, in file order. */
  records: ResolvableRecord[];
  /** The id of each duplicate's original. */
  originalOf: Map<string, string>;
  /** Each original with its injected duplicates (the labelled truth; the rest are alone). */
  truth: string[][];
  /** The kind of perturbation of each duplicate. */
  perturbation: Map<string, string>;
  /** The fields (other than the label columns) each duplicate differs from its original in. */
  changedFields: Map<string, string[]>;
  /** The fields of each record as written, by id. */
  fields: Map<string, Record<string, string>>;
}

const FEATURE_COLUMNS = WA211_COLUMNS.slice(0, 11);

/** Reads a table read with `header: WA211_COLUMNS` into records and labels. */
export function readWa211Labels(table: CsvTable): Wa211Labels {
  const rows = table.records.filter((r) => r.fields.name !== '*required* text');
  const records: ResolvableRecord[] = [];
  const fields = new Map<string, Record<string, string>>();
  const originalOf = new Map<string, string>();
  const perturbation = new Map<string, string>();
  const changedFields = new Map<string, string[]>();
  const groups = new Map<string, string[]>();
  let previous: { id: string; fields: Record<string, string>; duplicate: boolean } | undefined;
  for (const row of rows) {
    const f = row.fields;
    const id = `wa211:${row.line}`;
    const duplicate = f.is_duplicate === '1';
    if (duplicate) {
      if (!previous || previous.duplicate) {
        throw new Error(`${table.file}:${row.line}: a duplicate that does not follow an original`);
      }
      const changed = FEATURE_COLUMNS.filter((c) => (f[c] ?? '') !== (previous!.fields[c] ?? ''));
      if (f.name !== previous.fields.name) {
        throw new Error(`${table.file}:${row.line}: a duplicate named unlike the row above`);
      }
      originalOf.set(id, previous.id);
      perturbation.set(id, f.perturbation ?? '');
      changedFields.set(id, changed);
      groups.get(previous.id)!.push(id);
    } else groups.set(id, [id]);
    fields.set(id, f);
    records.push(recordOf(id, row.line, f, table.file));
    previous = { id, fields: f, duplicate };
  }
  const truth = [...groups.values()].filter((g) => g.length > 1);
  return { records, originalOf, truth, perturbation, changedFields, fields };
}

function recordOf(
  id: string,
  line: number,
  f: Record<string, string>,
  file: string,
): ResolvableRecord {
  const r: ResolvableRecord = {
    id,
    source: { agency: 'wa-211', layout: 'silobuster-dedupe', file, line, recordId: `line ${line}` },
    name: f.name ?? '',
  };
  const address: NonNullable<ResolvableRecord['address']> = {};
  for (const c of ['address_1', 'address_2', 'city', 'state_province', 'postal_code'] as const) {
    const v = f[c]?.trim();
    if (v) address[c] = v;
  }
  if (Object.keys(address).length) {
    if (f.address_type === 'mailing') address.address_type = 'postal';
    r.address = address;
  }
  if (f.url?.trim()) r.website = f.url.trim();
  return r;
}
