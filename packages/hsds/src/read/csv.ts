// CSV files as records with provenance: any encoding the decoder recognises, any line ending,
// a header row or given column names, garbled accents repaired, every oddity reported.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { repairValue } from './cell-repair.js';
import { type CsvRow, parseCsv } from './csv-parse.js';
import { type DecodedText, decodeInput, encodingName } from './decode.js';
import { countLineEndings, type LineEndings, LineIndex } from './lines.js';
import {
  emptyFields,
  type FlaggedValue,
  type ReadIssue,
  type RepairedValue,
  type SourcePosition,
  type SourceRecord,
} from './source.js';

export interface CsvReadOptions {
  /** The name records and messages give the file (default: the path's file name, or `input`). */
  readonly file?: string;
  /** `first-row` (the default) or the column names of a file without a header row. */
  readonly header?: 'first-row' | readonly string[];
  /** One character; `,` by default. */
  readonly delimiter?: string;
  /** Repair garbled accents (`Ã©` → `é`) in every value (default true). */
  readonly repairGarbled?: boolean;
}

export interface CsvTable {
  readonly file: string;
  /** How the bytes were decoded; `text` is left out. */
  readonly decoding: Omit<DecodedText, 'text'>;
  /** The line breaks the file holds, by kind. */
  readonly lineEndings: LineEndings;
  readonly columns: readonly string[];
  readonly records: readonly SourceRecord[];
  readonly issues: readonly ReadIssue[];
  readonly repaired: readonly RepairedValue[];
  readonly flagged: readonly FlaggedValue[];
}

/** Reads a CSV file from disk. */
export async function readCsvFile(path: string, options: CsvReadOptions = {}): Promise<CsvTable> {
  const bytes = await readFile(path);
  return readCsv(bytes, { ...options, file: options.file ?? basename(path) });
}

/** Reads CSV from bytes (decoded as `decodeText` decides) or from text already decoded. */
export function readCsv(input: Uint8Array | string, options: CsvReadOptions = {}): CsvTable {
  const file = options.file ?? 'input';
  const decoded = decodeInput(input);
  const { text, ...decoding } = decoded;
  const lines = new LineIndex(text);
  const issues: ReadIssue[] = decodingIssues(decoded, file);
  const log = { repaired: [] as RepairedValue[], flagged: [] as FlaggedValue[] };
  const repair = options.repairGarbled ?? true;
  const value = (raw: string, field: string, at: SourcePosition): string =>
    repair ? repairValue(raw, file, field, at, log) : raw;

  const parsed = parseCsv(text, options.delimiter ?? ',');
  for (const problem of parsed.problems) {
    const at = lines.position(problem.offset);
    issues.push({ file, ...at, severity: problem.severity, message: problem.message });
  }
  const header = options.header ?? 'first-row';
  const dataRows = header === 'first-row' ? parsed.rows.slice(1) : parsed.rows;
  const headerRow = header === 'first-row' ? parsed.rows[0] : undefined;
  const names =
    headerRow === undefined
      ? [...(header === 'first-row' ? [] : header)]
      : headerRow.cells.map((cell, k) =>
          value(cell.value, `(header ${k + 1})`, lines.position(cell.offset)),
        );
  const columns = uniqueColumnNames(names, file, headerRow, lines, issues);

  const records = dataRows.map((row) => {
    const fields = emptyFields<string>();
    const positions = emptyFields<SourcePosition>();
    const start = lines.position(row.offset);
    if (row.cells.length !== columns.length) {
      issues.push({
        file,
        ...start,
        severity: 'error',
        message: widthMessage(row, columns.length),
      });
    }
    row.cells.forEach((cell, k) => {
      const name = columns[k] ?? `column ${k + 1}`;
      const at = lines.position(cell.offset);
      fields[name] = value(cell.value, name, at);
      positions[name] = at;
    });
    return { file, line: start.line, fields, positions };
  });
  return {
    file,
    decoding,
    lineEndings: countLineEndings(text),
    columns,
    records,
    issues,
    repaired: log.repaired,
    flagged: log.flagged,
  };
}

function decodingIssues(decoded: DecodedText, file: string): ReadIssue[] {
  if (decoded.encoding !== 'utf-8') {
    return [
      { file, line: 1, column: 1, severity: 'warning', message: `read as ${decoded.assumed}` },
    ];
  }
  return decoded.strayBytes.map((stray) => ({
    file,
    line: stray.line,
    column: stray.column,
    severity: 'warning',
    message: `bytes ${stray.bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')} are not UTF-8; read as ${encodingName(decoded.strayEncoding ?? 'windows-1252')}: '${stray.text}'`,
  }));
}

function widthMessage(row: CsvRow, width: number): string {
  const count = row.cells.length;
  const fields = `${count} field${count === 1 ? '' : 's'}`;
  return count < width
    ? `${fields} where the header has ${width}; the missing ones are absent from the record`
    : `${fields} where the header has ${width}; the extra ones are kept as 'column ${width + 1}' and on`;
}

/** Column names made unique (`name (2)`) and non-empty (`column 7`), each change reported. */
function uniqueColumnNames(
  names: readonly string[],
  file: string,
  headerRow: CsvRow | undefined,
  lines: LineIndex,
  issues: ReadIssue[],
): string[] {
  const seen = new Set<string>();
  return names.map((name, k) => {
    const cell = headerRow?.cells[k];
    const at = cell === undefined ? { line: 1, column: 1 } : lines.position(cell.offset);
    let unique = name === '' ? `column ${k + 1}` : name;
    if (seen.has(unique)) {
      let n = 2;
      while (seen.has(`${unique} (${n})`)) n++;
      issues.push({
        file,
        ...at,
        severity: 'warning',
        message: `column name '${unique}' repeated; this one is '${unique} (${n})'`,
      });
      unique = `${unique} (${n})`;
    } else if (name === '') {
      issues.push({ file, ...at, severity: 'warning', message: `column ${k + 1} has no name` });
    }
    seen.add(unique);
    return unique;
  });
}
