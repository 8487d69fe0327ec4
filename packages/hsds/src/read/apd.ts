// The plain-text export in apd_export.txt: one record per program, as a printed directory lays
// it out —
//
//   Organization   Program                 (title; three spaces or a tab between the two)
//   What the program does …                (description, one or more lines; `url: …` lines)
//   To Get Connected                       (section heading)
//   Phone: (415) 555-0100                  (`key: value`; lines without a key continue it)
//   Things To Know                         (section heading)
//   Eligible Population: …
//   Direct Services: Housing; Meals; …     (closes the record; continues while it ends in ;)
//
// Some entries lack the headings, some are preceded by a category heading and its paragraph
// (kept as `preamble`). Every line of the file lands in some field of some record.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  headerUrl,
  isDirectServices,
  isParagraph,
  parseKeyLine,
  sectionHeading,
} from './apd-lines.js';
import { type DecodedText, decodeInput } from './decode.js';
import { emptyFields, type ReadIssue, type SourcePosition, type SourceRecord } from './source.js';

export interface ApdExport {
  readonly file: string;
  readonly decoding: Omit<DecodedText, 'text'>;
  readonly records: readonly SourceRecord[];
  readonly issues: readonly ReadIssue[];
}

export interface ApdReadOptions {
  /** The name records and messages give the file (default: the path's file name, or `input`). */
  readonly file?: string;
}

export async function readApdExportFile(
  path: string,
  options: ApdReadOptions = {},
): Promise<ApdExport> {
  const bytes = await readFile(path);
  return readApdExport(bytes, { file: options.file ?? basename(path) });
}

export function readApdExport(input: Uint8Array | string, options: ApdReadOptions = {}): ApdExport {
  const file = options.file ?? 'input';
  const { text, ...decoding } = decodeInput(input);
  const lines = text.split(/\r\n|\r|\n/);
  const issues: ReadIssue[] = [];
  const records = splitRecords(lines, file, issues).map((chunk) =>
    readRecord(chunk, lines, file, issues),
  );
  return { file, decoding, records, issues };
}

const isBlank = (line: string): boolean => line.trim() === '';

/** The 0-based line numbers of each record, blank lines inside it included. */
function splitRecords(lines: readonly string[], file: string, issues: ReadIssue[]): number[][] {
  const chunks: number[][] = [];
  let chunk: number[] = [];
  let closing: string | undefined; // the Direct Services text so far, once it has begun
  const close = (): void => {
    while (chunk.length > 0 && isBlank(lines[chunk.at(-1)!]!)) chunk.pop();
    if (chunk.length > 0) chunks.push(chunk);
    chunk = [];
    closing = undefined;
  };
  for (const [i, line] of lines.entries()) {
    if (closing !== undefined) {
      if (!isBlank(line) && /[;,]\s*$/.test(closing)) {
        chunk.push(i);
        closing = line;
        continue;
      }
      close();
    }
    if (isBlank(line) && chunk.length === 0) continue;
    chunk.push(i);
    if (isDirectServices(line)) closing = line;
  }
  if (closing === undefined && chunk.some((i) => !isBlank(lines[i]!))) {
    issues.push({
      file,
      line: chunk[0]! + 1,
      column: 1,
      severity: 'warning',
      message: "the last record has no 'Direct Services' line; it runs to the end of the file",
    });
  }
  close();
  return chunks;
}

interface RecordBuilder {
  readonly fields: Record<string, string>;
  readonly positions: Record<string, SourcePosition>;
}

function readRecord(
  chunk: readonly number[],
  lines: readonly string[],
  file: string,
  issues: ReadIssue[],
): SourceRecord {
  const record: RecordBuilder = { fields: emptyFields(), positions: emptyFields() };
  const headingAt = chunk.findIndex((i) => sectionHeading(lines[i]!) !== undefined);
  let bodyFrom = headingAt;
  if (headingAt === -1) {
    bodyFrom = 1;
    while (bodyFrom < chunk.length) {
      const line = lines[chunk[bodyFrom]!]!;
      if (isBlank(line) || (parseKeyLine(line) !== undefined && headerUrl(line) === undefined))
        break;
      bodyFrom++;
    }
    issues.push({
      file,
      line: chunk[0]! + 1,
      column: 1,
      severity: 'warning',
      message: "no 'To Get Connected' heading; the record's fields are its 'key: value' lines",
    });
  }
  readHeader(chunk.slice(0, bodyFrom), lines, record);
  readBody(chunk.slice(bodyFrom), lines, record);
  return { file, line: chunk[0]! + 1, fields: record.fields, positions: record.positions };
}

function readHeader(header: readonly number[], lines: readonly string[], record: RecordBuilder) {
  const texts: number[] = [];
  for (const i of header) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    const url = headerUrl(line);
    if (url === undefined) texts.push(i);
    else appendField(record, 'url', url, i, line.indexOf(url));
  }
  const titleAt = preambleLength(texts.map((i) => lines[i]!));
  for (const i of texts.slice(0, titleAt)) appendLine(record, 'preamble', lines, i);
  const [title, ...description] = texts.slice(titleAt);
  if (title === undefined) return;
  appendLine(record, 'title', lines, title);
  const titleLine = lines[title]!;
  const parts = titleLine.trim().split(/\s{3,}|\t+/);
  if (parts.length >= 2) {
    const program = parts.slice(1).join(' ');
    appendField(record, 'organization', parts[0]!, title, titleLine.indexOf(parts[0]!));
    appendField(record, 'program', program, title, titleLine.lastIndexOf(parts[1]!));
  } else if (
    /\S\s{2,}$/.test(titleLine) &&
    description.length >= 2 &&
    !isParagraph(lines[description[0]!]!)
  ) {
    // `Organization   ` with the program on the next line.
    const programLine = description.shift()!;
    appendLine(record, 'title', lines, programLine);
    appendField(record, 'organization', parts[0]!, title, titleLine.indexOf(parts[0]!));
    appendLine(record, 'program', lines, programLine);
  }
  for (const i of description) appendLine(record, 'description', lines, i);
}

/**
 * How many header lines come before the record's own title: a category heading and its
 * paragraph precede some entries. The title is then the last name-like line that follows a
 * paragraph and is followed by one (or by a program's name and then one).
 */
function preambleLength(texts: readonly string[]): number {
  const paragraph = (k: number): boolean => k < texts.length && isParagraph(texts[k]!);
  for (let k = texts.length - 2; k >= 1; k--) {
    const described = paragraph(k + 1) || paragraph(k + 2);
    if (!paragraph(k) && paragraph(k - 1) && described) return k;
  }
  return 0;
}

function readBody(body: readonly number[], lines: readonly string[], record: RecordBuilder) {
  let section = 'Text';
  let current: string | undefined;
  for (const i of body) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    const heading = sectionHeading(line);
    if (heading !== undefined) {
      section = heading;
      current = undefined;
      continue;
    }
    const keyed = parseKeyLine(line);
    if (keyed !== undefined) {
      current = uniqueName(record, keyed.key);
      appendField(record, current, keyed.value, i, keyed.valueIndex);
    } else {
      current ??= section;
      appendLine(record, current, lines, i);
    }
  }
}

function appendLine(record: RecordBuilder, name: string, lines: readonly string[], i: number) {
  const line = lines[i]!;
  const text = line.trim();
  appendField(record, name, text, i, line.indexOf(text));
}

/** Adds a line to a field; its position is that of its first non-empty line. */
function appendField(record: RecordBuilder, name: string, text: string, i: number, index: number) {
  const previous = record.fields[name];
  if (previous === undefined || previous === '') {
    record.fields[name] = text;
    if (previous === undefined || text !== '') {
      record.positions[name] = { line: i + 1, column: index + 1 };
    }
  } else if (text !== '') {
    record.fields[name] = `${previous}\n${text}`;
  }
}

function uniqueName(record: RecordBuilder, key: string): string {
  if (record.fields[key] === undefined) return key;
  let n = 2;
  while (record.fields[`${key} (${n})`] !== undefined) n++;
  return `${key} (${n})`;
}
