// The headerless Open Referral-style CSV mapper (wa211_dedup_training_set.csv): the format
// rows and placeholders skipped, physical or mailing addresses as the row says, the dedup
// labels never mapped; on hand-made rows and on the real file (read, never copied).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type MappedService, mapExport, openReferralCsv, validateRecords } from '../src/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const FORMAT_ROW =
  '*required* text,*required* text,http://some.domain.com,text,text,text,two character state (all caps),99999 or 99999-9999,"defaults to ""us"" if left blank. two character country (all caps)",physical,text,,,0';

function map(...rows: string[]) {
  const bytes = new TextEncoder().encode(`${rows.join('\r\n')}\r\n`);
  return mapExport(openReferralCsv, { agency: 'test-or', file: 'or.csv', bytes });
}

describe('openreferral-csv on hand-made rows', () => {
  it('skips the format row and maps an organization at its address', () => {
    const { services, skipped, issues, missingColumns } = map(
      FORMAT_ROW,
      'harbour food bank,"groceries, weekly.",harbour.example.org,12 quay street,suite 3,harbourtown,wa,98225,us,physical,whatcom,,,0',
      'harbour food bank,,,po box 7,,harbourtown,wa,98225,,mailing,whatcom,8f7e…,street_dup,1',
      'missing org,,,,,,,,,,,,,0',
    );
    expect(missingColumns).toEqual([]);
    expect(issues).toEqual([]);
    expect(skipped).toBe(2);
    const [first, second] = services as [MappedService, MappedService];
    expect(first.source).toMatchObject({ line: 2, recordId: 'line 2' });
    expect(first.service).toMatchObject({
      name: 'harbour food bank',
      description: 'groceries, weekly.',
      url: 'http://harbour.example.org/',
      organization: { name: 'harbour food bank', website: 'http://harbour.example.org/' },
    });
    expect(first.service.service_at_locations?.[0]?.location?.addresses?.[0]).toMatchObject({
      address_1: '12 quay street',
      address_2: 'suite 3',
      city: 'harbourtown',
      state_province: 'WA',
      postal_code: '98225',
      country: 'US',
      address_type: 'physical',
    });
    expect(second.service.service_at_locations?.[0]?.location?.addresses?.[0]).toMatchObject({
      address_1: 'PO Box 7',
      address_type: 'postal',
    });
    // The dedup labels are not service data.
    expect(JSON.stringify(second.service)).not.toContain('street_dup');
    expect(
      validateRecords({ service: services.map((s) => s.service) }).tables.service?.invalid,
    ).toBe(0);
  });

  it("reports drift: without a header the columns are the layout's, so a dropped one shows as short rows", () => {
    // The column names come from the layout, so missingColumns cannot see a renamed column;
    // a layout that drops `url` shifts every later column, and each row is an error.
    const { issues, missingColumns } = map(
      'harbour food bank,groceries,12 quay street,,harbourtown,wa,98225,us,physical,whatcom,,,0',
    );
    expect(missingColumns).toEqual([]);
    expect(issues[0]).toMatchObject({
      line: 1,
      severity: 'error',
      message: '13 fields where the header has 14; the missing ones are absent from the record',
    });
  });
});

describe.skipIf(noSocialData)(
  socialDataTitle('openreferral-csv on the real wa211_dedup_training_set.csv'),
  () => {
    const bytes = noSocialData
      ? new Uint8Array()
      : readFileSync(socialData('agencies/wa211_dedup_training_set.csv'));
    const file = 'wa211_dedup_training_set.csv';
    const result = noSocialData
      ? undefined
      : mapExport(openReferralCsv, { agency: 'wa-211', file, bytes });
    const get = (line: number) => {
      const mapped = result?.services.find((s) => s.source.recordId === `line ${line}`);
      if (mapped === undefined) throw new Error(`line ${line} not mapped`);
      return mapped;
    };

    it('maps every organization row, all valid HSDS', () => {
      const r = result!;
      expect(r.records).toBe(661);
      // Three format rows (one per section, one of them an injected duplicate) and eight
      // `missing org` placeholders.
      expect(r.skipped).toBe(11);
      expect(r.services).toHaveLength(650);
      expect(r.missingColumns).toEqual([]);
      expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
      const report = validateRecords({ service: r.services.map((s) => s.service) });
      expect(report.tables.service).toMatchObject({ records: 650, invalid: 0 });
      expect(r.services.filter((s) => s.service.service_at_locations)).toHaveLength(534);
    });

    it('spot checks: an organization, its injected duplicate, a mailing address', () => {
      const dbsa = get(2);
      expect(dbsa.service).toMatchObject({
        name: 'depressive and bipolar support alliance whatcom county',
        url: 'http://www.dbsalliance.org/',
      });
      expect(dbsa.service.service_at_locations?.[0]?.location?.addresses?.[0]).toMatchObject({
        address_1: '800 chestnut street',
        address_2: 'suite 1c',
        city: 'bellingham',
        state_province: 'WA',
        postal_code: '98225',
        country: 'US',
        address_type: 'physical',
      });
      // Its injected duplicate: another service, same organization, blanked description.
      const dup = get(3);
      expect(dup.service.id).not.toBe(dbsa.service.id);
      expect(dup.service.organization_id).toBe(dbsa.service.organization_id);
      expect(dup.service.description).toBeUndefined();
      expect(dup.service.service_at_locations?.[0]?.location?.addresses?.[0]?.address_1).toBe(
        '800 chestnut str.',
      );
      // The mailing section.
      expect(get(275).service.service_at_locations?.[0]?.location?.addresses?.[0]).toMatchObject({
        address_type: 'postal',
        state_province: 'WA',
      });
    });

    it('gives the same ids twice, and each service points at its line', () => {
      const again = mapExport(openReferralCsv, { agency: 'wa-211', file, bytes });
      expect(again.services.map((s) => s.service.id)).toEqual(
        result!.services.map((s) => s.service.id),
      );
      const lines = new TextDecoder().decode(bytes).split('\r\n');
      for (const line of [2, 3, 275]) {
        const { source, service } = get(line);
        expect(source).toMatchObject({ file, line });
        expect(lines[line - 1]?.startsWith(`${service.name},`)).toBe(true);
      }
    });
  },
);
