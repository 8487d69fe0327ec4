// An export read by its layout's reader into records, with the columns it has: the same shape
// whatever the format, so mapping and drift detection need not know it.
import {
  type ReadIssue,
  readApdExport,
  readCsv,
  readJson,
  type SourceRecord,
} from '../read/index.js';
import type { Mapper } from './mapper.js';

export interface ExportTable {
  readonly file: string;
  readonly records: readonly SourceRecord[];
  /** Columns (CSV), JSON paths with `[]` for array items, or APD keys, in first-seen order. */
  readonly columns: readonly string[];
  /** What the reader assumed about the bytes, e.g. `UTF-8` or `Windows-1252 (…)`. */
  readonly encoding: string;
  readonly issues: readonly ReadIssue[];
  /** Values whose garbled accents were repaired, and those flagged but left alone. */
  readonly repaired: number;
  readonly flagged: number;
}

export function readExport(mapper: Mapper, bytes: Uint8Array, file: string): ExportTable {
  switch (mapper.format) {
    case 'csv': {
      const { header, delimiter } = mapper.csv ?? {};
      const table = readCsv(bytes, {
        file,
        ...(header === undefined ? {} : { header }),
        ...(delimiter === undefined ? {} : { delimiter }),
      });
      return {
        file,
        records: table.records,
        columns: table.columns,
        encoding: table.decoding.assumed,
        issues: [...delimiterHint(table.columns, file, delimiter), ...table.issues],
        repaired: table.repaired.length,
        flagged: table.flagged.length,
      };
    }
    case 'json': {
      const document = readJson(bytes, { file });
      return fromRecords(file, document.records, document.decoding.assumed, document.issues);
    }
    case 'apd': {
      const apd = readApdExport(bytes, { file });
      return fromRecords(file, apd.records, apd.decoding.assumed, apd.issues);
    }
  }
}

function fromRecords(
  file: string,
  records: readonly SourceRecord[],
  encoding: string,
  issues: readonly ReadIssue[],
): ExportTable {
  const columns = new Set<string>();
  for (const record of records) {
    for (const field of Object.keys(record.fields)) columns.add(columnOf(field));
  }
  return { file, records, columns: [...columns], encoding, issues, repaired: 0, flagged: 0 };
}

/** `services[3].name` → `services[].name`; APD's repeated keys (`Phone (2)`) → `Phone`. */
export function columnOf(field: string): string {
  return field.replace(/\[\d+\]/g, '[]').replace(/ \(\d+\)$/, '');
}

/** A header read as one column that holds another delimiter: say which option reads it. */
function delimiterHint(
  columns: readonly string[],
  file: string,
  given: string | undefined,
): ReadIssue[] {
  if (columns.length !== 1) return [];
  const other = [';', '\t', '|'].find((d) => d !== given && columns[0]!.includes(d));
  if (other === undefined) return [];
  const shown = other === '\t' ? "'\\t' (a tab)" : `'${other}'`;
  return [
    {
      file,
      line: 1,
      column: 1,
      severity: 'error',
      message: `the header is one column holding ${shown}: if the export is separated by ${shown}, give the mapper csv: { delimiter: ${other === '\t' ? "'\\t'" : `'${other}'`} }`,
    },
  ];
}
