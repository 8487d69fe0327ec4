import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIssue, parseCsv, readCsv, whereIs } from '../src/index.js';
import { type LineEnding, writeCsv } from './read-csv-writer.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const values = (text: string): string[][] =>
  parseCsv(text).rows.map((row) => row.cells.map((cell) => cell.value));

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    expect(values('a,"b,c","say ""hi""","two\nlines"\n1,2,3,4\n')).toEqual([
      ['a', 'b,c', 'say "hi"', 'two\nlines'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('ends rows at LF, CRLF, a lone CR, or a mix of them', () => {
    const rows = [
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ];
    expect(values('a,b\n1,2\n3,4')).toEqual(rows);
    expect(values('a,b\r\n1,2\r\n3,4\r\n')).toEqual(rows);
    expect(values('a,b\r1,2\r3,4\r')).toEqual(rows);
    expect(values('a,b\r\n1,2\r3,4\n')).toEqual(rows);
  });

  it('keeps line breaks inside quotes as written, CR-only ones too', () => {
    expect(values('"x\ry",z\r"p\r\nq",r')).toEqual([
      ['x\ry', 'z'],
      ['p\r\nq', 'r'],
    ]);
  });

  it('gives empty fields, a trailing delimiter included', () => {
    expect(values(',a,\n,,\n')).toEqual([
      ['', 'a', ''],
      ['', '', ''],
    ]);
  });

  it('skips a blank line, saying so', () => {
    const parsed = parseCsv('a\n\nb\n');
    expect(parsed.rows.map((row) => row.cells[0]?.value)).toEqual(['a', 'b']);
    expect(parsed.problems).toEqual([
      { offset: 2, severity: 'warning', message: 'blank line skipped' },
    ]);
  });

  it('takes another one-character delimiter', () => {
    expect(parseCsv('a;"b;c"\n', ';').rows[0]?.cells.map((cell) => cell.value)).toEqual([
      'a',
      'b;c',
    ]);
    expect(() => parseCsv('a', '"')).toThrow(/delimiter/);
  });
});

describe('readCsv', () => {
  it('makes records of the rows under the header, with line and column of every value', () => {
    const table = readCsv('id,name\r\n7,"Food\r\nbank"\r\n8,Clinic\r\n', { file: 'agencies.csv' });
    expect(table.columns).toEqual(['id', 'name']);
    expect(table.records).toEqual([
      {
        file: 'agencies.csv',
        line: 2,
        fields: { id: '7', name: 'Food\r\nbank' },
        positions: { id: { line: 2, column: 1 }, name: { line: 2, column: 3 } },
      },
      {
        file: 'agencies.csv',
        line: 4,
        fields: { id: '8', name: 'Clinic' },
        positions: { id: { line: 4, column: 1 }, name: { line: 4, column: 3 } },
      },
    ]);
    expect(whereIs(table.records[1]!, 'name')).toBe('agencies.csv:4:3');
    expect(table.lineEndings).toEqual({ lf: 0, crlf: 4, cr: 0 });
    expect(table.issues).toEqual([]);
  });

  it('counts lines across CR-only line endings', () => {
    const table = readCsv(bytes('a,b\r1,2\r3,"x\ry"\r5,6'), { file: 'mac.csv' });
    expect(table.records.map((record) => record.line)).toEqual([2, 3, 5]);
    expect(table.lineEndings).toEqual({ lf: 0, crlf: 0, cr: 4 });
  });

  it('drops a UTF-8 byte order mark, so the first column keeps its name', () => {
    const table = readCsv(bytes('\uFEFFid,name\n1,x\n'));
    expect(table.decoding).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(table.columns).toEqual(['id', 'name']);
    expect(table.records[0]?.fields.id).toBe('1');
  });

  it('reads a Windows-1252 file as such, and says so', () => {
    const latin = Uint8Array.from([
      ...bytes('name\nCaf'),
      0xe9,
      ...bytes(' ('),
      0x93,
      0x4f,
      0x94,
      0x29,
    ]);
    const table = readCsv(latin, { file: 'old.csv' });
    expect(table.records[0]?.fields.name).toBe('Café (“O”)');
    expect(table.decoding.encoding).toBe('windows-1252');
    expect(table.issues.map(formatIssue)).toEqual([
      'old.csv:1:1: warning: read as Windows-1252 (not UTF-8: byte 0xE9 at 2:4 is the first of 3 that are not)',
    ]);
  });

  it('repairs garbled accents and reports each repaired value with its place', () => {
    const table = readCsv('id,name\n1,JosÃ© PÃ©rez\n2,Ricardo Calder\u00CC\u00CE_n\n', {
      file: 'staff.csv',
    });
    expect(table.records.map((record) => record.fields.name)).toEqual([
      'José Pérez',
      'Ricardo CalderÌÎ_n',
    ]);
    expect(table.repaired).toEqual([
      {
        file: 'staff.csv',
        line: 2,
        column: 3,
        field: 'name',
        before: 'JosÃ© PÃ©rez',
        after: 'José Pérez',
      },
    ]);
    expect(table.flagged).toMatchObject([{ file: 'staff.csv', line: 3, column: 3, field: 'name' }]);
    expect(readCsv('n\nJosÃ©\n', { repairGarbled: false }).records[0]?.fields.n).toBe('JosÃ©');
  });

  it('reports a row that is too short or too long, and keeps what it has', () => {
    const table = readCsv('a,b,c\n1,2\n1,2,3,4\n', { file: 'rows.csv' });
    expect(table.records.map((record) => record.fields)).toEqual([
      { a: '1', b: '2' },
      { a: '1', b: '2', c: '3', 'column 4': '4' },
    ]);
    expect(table.issues.map(formatIssue)).toEqual([
      'rows.csv:2:1: error: 2 fields where the header has 3; the missing ones are absent from the record',
      "rows.csv:3:1: error: 4 fields where the header has 3; the extra ones are kept as 'column 4' and on",
    ]);
  });

  it('reports quotes where RFC 4180 allows none, and keeps the text', () => {
    const table = readCsv('a,b\n5" pipe,"x"y\n', { file: 'q.csv' });
    expect(table.records[0]?.fields).toEqual({ a: '5" pipe', b: 'xy' });
    expect(table.issues.map(formatIssue)).toEqual([
      'q.csv:2:2: warning: a quote inside an unquoted field, kept as written',
      'q.csv:2:12: warning: text after a closing quote ("y") kept in the field',
    ]);
  });

  it('reports a quote that never closes, with where it opened', () => {
    const table = readCsv('a,b\n1,"open\n2,3\n', { file: 'u.csv' });
    expect(table.records[0]?.fields).toEqual({ a: '1', b: 'open\n2,3\n' });
    expect(table.issues.map(formatIssue)).toEqual([
      'u.csv:2:3: error: a quoted field is never closed; the rest of the file was read into it',
    ]);
  });

  it('names columns of a file without a header, and makes repeated or empty names unique', () => {
    const given = readCsv('1,2\n', { header: ['x', 'y'] });
    expect(given.records[0]?.fields).toEqual({ x: '1', y: '2' });
    const table = readCsv('id,id,,__proto__\n1,2,3,4\n', { file: 'h.csv' });
    expect(table.columns).toEqual(['id', 'id (2)', 'column 3', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(table.records[0]?.fields, '__proto__')?.value).toBe('4');
    expect(table.issues.map(formatIssue)).toEqual([
      "h.csv:1:4: warning: column name 'id' repeated; this one is 'id (2)'",
      'h.csv:1:7: warning: column 3 has no name',
    ]);
  });
});

// Tables of random text in which every field may hold quotes, commas, CR, LF and CRLF.
const field = fc.string({
  unit: fc.constantFrom('a', 'B', ' ', 'é', '"', ',', '\r', '\n', '\r\n', '’', '𝄞'),
  maxLength: 8,
});
const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.array(fc.array(field, { minLength: width, maxLength: width }), {
    minLength: 1,
    maxLength: 8,
  }),
);
const lineEnding = fc.constantFrom<LineEnding>('\n', '\r\n', '\r');

describe('CSV properties', () => {
  it('parsing what was written gives the table back, whatever the line ending', () => {
    fc.assert(
      fc.property(table, lineEnding, fc.boolean(), (rows, ending, finalBreak) => {
        const text = writeCsv(rows, ending) + (finalBreak ? ending : '');
        const parsed = parseCsv(text);
        expect(parsed.problems).toEqual([]);
        expect(parsed.rows.map((row) => row.cells.map((cell) => cell.value))).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it('every record starts on the line its row starts on', () => {
    fc.assert(
      fc.property(table, lineEnding, (rows, ending) => {
        const header = rows[0]!.map((_, k) => `c${k}`);
        const text = writeCsv([header, ...rows], ending);
        const records = readCsv(text).records;
        let line = 2;
        rows.forEach((row, k) => {
          expect(records[k]?.line).toBe(line);
          for (const value of row) line += value.match(/\r\n|\r|\n/g)?.length ?? 0;
          line += 1;
        });
      }),
      { numRuns: 300 },
    );
  });
});
