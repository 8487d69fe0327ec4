import { describe, expect, it } from 'vitest';
import { formatIssue, readApdExport, whereIs } from '../src/index.js';

// A made-up export in the layout of apd_export.txt.
const sample = [
  'Harbour Aid Society   Night Shelter', //  1
  'A shelter for adults, open every night of the year.', //  2
  'url: www.example.org/shelter', //  3
  'To Get Connected', //  4
  'Contact Person: Jo Doe, Intake', //  5
  'Phone: (555) 010-0100 ', //  6
  'Phone: (555) 010-0199 (after hours)', //  7
  'Location: 1 Quay Street', //  8
  'Harbourtown, CA  90000', //  9
  'Things To Know', // 10
  'Languages Spoken: English, Spanish.', // 11
  'Faith Based: No.', // 12
  '', // 13
  'Direct Services: Shelter; Meals; Showers;', // 14
  'Lockers; Mail.', // 15
  'Quay Clinic', // 16
  'Free walk-in clinic for anyone without insurance, staffed by volunteers.', // 17
  'Hours: Monday – Friday', // 18
  'Direct Services:', // 19
  '', // 20
  'Food Programs', // 21
  'If you need a meal today, the following programs serve food at no cost to you.', // 22
  'Harbour Kitchen   ', // 23
  'Hot Lunch Program', // 24
  'Lunch every weekday for anyone who comes, no questions asked at all.', // 25
  'To Get Connected', // 26
  'Phone: (555) 010-0200', // 27
  'Direct Services: Meals.', // 28
].join('\r\n');

describe('readApdExport', () => {
  const { records, issues } = readApdExport(sample, { file: 'export.txt' });

  it('finds each record: title, description and the key: value lines of its sections', () => {
    expect(records.map((record) => record.line)).toEqual([1, 16, 21]);
    expect(records[0]?.fields).toEqual({
      title: 'Harbour Aid Society   Night Shelter',
      organization: 'Harbour Aid Society',
      program: 'Night Shelter',
      description: 'A shelter for adults, open every night of the year.',
      url: 'www.example.org/shelter',
      'Contact Person': 'Jo Doe, Intake',
      Phone: '(555) 010-0100',
      'Phone (2)': '(555) 010-0199 (after hours)',
      Location: '1 Quay Street\nHarbourtown, CA  90000',
      'Languages Spoken': 'English, Spanish.',
      'Faith Based': 'No.',
      'Direct Services': 'Shelter; Meals; Showers;\nLockers; Mail.',
    });
  });

  it('gives the line and column of every field', () => {
    const [first] = records;
    expect(whereIs(first!, 'program')).toBe('export.txt:1:23');
    expect(whereIs(first!, 'url')).toBe('export.txt:3:6');
    expect(whereIs(first!, 'Phone (2)')).toBe('export.txt:7:8');
    expect(whereIs(first!, 'Location')).toBe('export.txt:8:11');
    expect(whereIs(first!, 'Direct Services')).toBe('export.txt:14:18');
  });

  it('reads a record without section headings from its key: value lines, and says so', () => {
    expect(records[1]?.fields).toEqual({
      title: 'Quay Clinic',
      description: 'Free walk-in clinic for anyone without insurance, staffed by volunteers.',
      Hours: 'Monday – Friday',
      'Direct Services': '',
    });
    expect(issues.map(formatIssue)).toEqual([
      "export.txt:16:1: warning: no 'To Get Connected' heading; the record's fields are its 'key: value' lines",
    ]);
  });

  it('keeps a category heading before a record as its preamble, and a program on its own line', () => {
    expect(records[2]?.fields).toMatchObject({
      preamble:
        'Food Programs\nIf you need a meal today, the following programs serve food at no cost to you.',
      title: 'Harbour Kitchen\nHot Lunch Program',
      organization: 'Harbour Kitchen',
      program: 'Hot Lunch Program',
      description: 'Lunch every weekday for anyone who comes, no questions asked at all.',
    });
    expect(whereIs(records[2]!, 'program')).toBe('export.txt:24:1');
  });

  it('reports a last record that never closes', () => {
    const open = readApdExport('Somewhere\nA place.\nTo Get Connected\nPhone: 1\n', {
      file: 'cut.txt',
    });
    expect(open.records[0]?.fields.Phone).toBe('1');
    expect(open.issues.map(formatIssue)).toEqual([
      "cut.txt:1:1: warning: the last record has no 'Direct Services' line; it runs to the end of the file",
    ]);
  });
});
