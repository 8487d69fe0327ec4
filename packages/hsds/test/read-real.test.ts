// The readers on the real agency exports. The files carry no licence: they are read here and
// never copied; the tests assert what they hold (counts, encodings, places), not their records.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readApdExportFile, readCsvFile, readJsonFile, repairGarbledText } from '../src/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const agencies = (file: string): string => socialData(`agencies/${file}`);

function count<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe.skipIf(noSocialData)(socialDataTitle('readers on the real agency exports'), () => {
  it('211.csv: 2,132 records of 116 columns, LF, UTF-8, 361 inactive, 1,517 with taxonomy codes', async () => {
    const table = await readCsvFile(agencies('211.csv'));
    expect(table.decoding).toEqual({
      encoding: 'utf-8',
      bom: false,
      strayBytes: [],
      assumed: 'UTF-8',
    });
    expect(table.lineEndings).toEqual({ lf: 2132, crlf: 0, cr: 0 });
    expect(table.columns).toHaveLength(116);
    expect(table.records).toHaveLength(2132);
    expect(table.records.every((record) => Object.keys(record.fields).length === 116)).toBe(true);
    expect(table.records.map((record) => record.line)).toEqual(table.records.map((_, k) => k + 2));
    expect(count(table.records, (record) => record.fields.AgencyStatus!)).toEqual({
      Active: 1750,
      Inactive: 361,
      'Active, but do not refer': 13,
      '': 8,
    });
    const coded = table.records.filter((record) => record.fields.TaxonomyCodes!.trim() !== '');
    expect(coded).toHaveLength(1517);
    expect({ issues: table.issues, repaired: table.repaired, flagged: table.flagged }).toEqual({
      issues: [],
      repaired: [],
      flagged: [],
    });
  });

  it('sf_211.csv: CR-only line endings; accents garbled twice through Mac OS Roman', async () => {
    const table = await readCsvFile(agencies('sf_211.csv'));
    expect(table.lineEndings).toEqual({ lf: 0, crlf: 0, cr: 2824 });
    expect(table.columns).toHaveLength(166);
    expect(table.records).toHaveLength(2824);
    expect(table.records.at(-1)?.line).toBe(2825);
    expect(count(table.records, (record) => record.fields.AgencyStatus!)).toEqual({
      Active: 2456,
      Inactive: 368,
    });
    expect(table.issues).toEqual([]);
    // é and ñ came through as four characters each and are repaired; where a byte became '_'
    // (ó, ú, ü, É) the value is flagged and left as it was.
    expect(table.repaired).toHaveLength(13);
    for (const { before, after } of table.repaired) {
      expect(before).toMatch(/ÌÎå[©±]/);
      expect(after).toMatch(/[éñ]/);
      expect(repairGarbledText(after)).toMatchObject({ text: after, repairs: 0 });
    }
    expect(table.flagged).toHaveLength(19);
    for (const flagged of table.flagged) {
      expect(flagged.value).toMatch(/ÌÎ(å|Ì)?_/);
      for (const reason of flagged.reasons) expect(reason).toMatch(/byte was replaced by '_'/);
    }
    expect(new Set(table.flagged.map((flagged) => flagged.field))).toEqual(
      new Set([
        'PublicName',
        'AlternateName',
        'ParentAgency',
        'SeniorWorkerName',
        'SeniorWorkerTitle',
        'MainContactName',
      ]),
    );
  });

  it('dcyf_cms.csv: not valid UTF-8 — three runs of Mac OS Roman bytes, each an en dash garbled', async () => {
    const bytes = readFileSync(agencies('dcyf_cms.csv'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const table = await readCsvFile(agencies('dcyf_cms.csv'));
    expect(table.decoding).toMatchObject({
      encoding: 'utf-8',
      strayEncoding: 'macintosh',
      assumed: 'UTF-8, except 3 runs of bytes that are not, read as Mac OS Roman',
    });
    expect(table.decoding.strayBytes).toEqual([
      { line: 123, column: 95, bytes: [0x89, 0xdb, 0xd2], text: 'â€“' },
      { line: 513, column: 53, bytes: [0x89, 0xdb, 0xd2], text: 'â€“' },
      { line: 514, column: 53, bytes: [0x89, 0xdb, 0xd2], text: 'â€“' },
    ]);
    expect(table.issues.map((issue) => `${issue.line}:${issue.column} ${issue.severity}`)).toEqual([
      '123:95 warning',
      '513:53 warning',
      '514:53 warning',
    ]);
    expect(table.lineEndings).toEqual({ lf: 610, crlf: 0, cr: 0 });
    expect(table.columns).toHaveLength(29);
    expect(table.records).toHaveLength(609);
    expect(table.repaired.map(({ line, column, field }) => `${line}:${column} ${field}`)).toEqual([
      '123:41 Program Name',
      '513:31 Program Name',
      '514:31 Program Name',
    ]);
    for (const { before, after } of table.repaired) {
      expect(before.replace('â€“', '–')).toBe(after);
    }
    expect(table.flagged).toEqual([]);
  });

  it('wa211_dedup_training_set.csv: CRLF, no header row, a format row, 439 records and 221 duplicates', async () => {
    const header = Array.from({ length: 14 }, (_, k) => `column ${k + 1}`);
    const table = await readCsvFile(agencies('wa211_dedup_training_set.csv'), { header });
    expect(table.lineEndings).toEqual({ lf: 0, crlf: 661, cr: 0 });
    expect(table.records).toHaveLength(661);
    expect(table.records[0]?.fields['column 1']).toMatch(/^\*required\*/);
    expect(count(table.records.slice(1), (record) => record.fields['column 14']!)).toEqual({
      '0': 439,
      '1': 221,
    });
    expect([table.issues, table.repaired, table.flagged]).toEqual([[], [], []]);
  });

  it('linksf.json: 89 records, 130 services, each value with its line', async () => {
    const document = await readJsonFile(agencies('linksf.json'));
    expect(document.issues).toEqual([]);
    expect(document.records).toHaveLength(89);
    const services = document.records.map(
      (record) =>
        Object.keys(record.fields).filter((path) => /^services\[\d+\]\.name$/.test(path)).length,
    );
    expect(services.reduce((sum, n) => sum + n, 0)).toBe(130);
    expect(document.records.every((record) => record.fields.name !== undefined)).toBe(true);
    const lines = readFileSync(agencies('linksf.json'), 'utf8').split('\n');
    for (const record of document.records) {
      const at = record.positions.name!;
      expect(lines[at.line - 1]?.slice(at.column - 1)).toMatch(/^"/);
    }
  });

  it('apd_export.txt: UTF-8 with a BOM, 237 records, every line of text in a field of its record', async () => {
    const exported = await readApdExportFile(agencies('apd_export.txt'));
    expect(exported.decoding).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(exported.records).toHaveLength(237);
    expect(exported.issues).toHaveLength(7);
    expect(
      exported.issues.every((issue) => issue.message.startsWith("no 'To Get Connected'")),
    ).toBe(true);
    const closed = exported.records.filter(
      (record) => 'Direct Services' in record.fields || 'Direct Service' in record.fields,
    );
    expect(closed).toHaveLength(237);
    expect(exported.records.filter((record) => 'organization' in record.fields)).toHaveLength(157);
    expect(exported.records.filter((record) => 'preamble' in record.fields)).toHaveLength(2);

    const lines = readFileSync(agencies('apd_export.txt'), 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\n');
    const starts = exported.records.map((record) => record.line);
    lines.forEach((line, k) => {
      const text = line.trim().replace(/^[.\s]+/, ''); // `. www.example.org` is a URL line
      if (text === '' || /^(to get connected|things to know):?$/i.test(text)) return;
      const owner = exported.records[starts.findLastIndex((start) => start <= k + 1)]!;
      const values = Object.values(owner.fields).join('\n');
      const keyed = /^([^:]+):\s*(.*)$/.exec(text);
      const found =
        values.includes(text) ||
        (keyed !== null &&
          values.includes(keyed[2]!) &&
          Object.keys(owner.fields).some((key) => key.startsWith(keyed[1]!.trim())));
      expect(found, `line ${k + 1} in the record of line ${owner.line}`).toBe(true);
    });
  });
});
