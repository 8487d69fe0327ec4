// The children-and-youth department's program list (dcyf_cms.csv): age groups as eligibility
// and, where they make one range, minimum and maximum age; languages marked X; the site's
// street with the city its ZIP implies; on hand-made rows and on the real export (read, never
// copied).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dcyfPrograms, type MappedService, mapExport, validateRecords } from '../src/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const HEADER = [
  'Agency Name',
  'Program Name',
  'Strategy',
  'Site Name',
  'Site Address',
  'Site Zip',
  'Site Phone',
  'Site Location',
  'Site School',
  '0-5',
  "'6-13",
  '14-17',
  'Parent',
  '18-21',
  '22-25',
  '18-24',
  'English',
  'Spanish',
  'Cantonese',
  'Filipino (Tagalog)',
  'Language Other',
];

function csv(header: readonly string[], ...rows: Record<string, string>[]): Uint8Array {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [header, ...rows.map((row) => HEADER.map((c) => row[c] ?? ''))];
  return new TextEncoder().encode(`${lines.map((l) => l.map(quote).join(',')).join('\n')}\n`);
}

const tutoring = {
  'Agency Name': 'Mission Learning',
  'Program Name': 'After-School Tutoring',
  Strategy: 'Specialized K-8',
  'Site Name': 'Learning Center',
  'Site Address': '100 Valencia Street, Suite 2, San Francisco, CA',
  'Site Zip': '94110',
  'Site Phone': '555-0100',
  'Site Location': 'Public School',
  'Site School': 'Valencia Elementary (K-5)',
  "'6-13": 'X',
  '14-17': 'X',
  English: 'X',
  Cantonese: 'X',
  'Language Other': 'Samoan',
};

function map(bytes: Uint8Array) {
  return mapExport(dcyfPrograms, { agency: 'test-dcyf', file: 'dcyf.csv', bytes });
}

describe('dcyf-programs on hand-made rows', () => {
  it('maps a program at a site', () => {
    const { services, issues, missingColumns } = map(csv(HEADER, tutoring));
    expect(missingColumns).toEqual([]);
    expect(issues).toEqual([]);
    const [{ service, source }] = services as [MappedService];
    expect(source.recordId).toBe(
      'Mission Learning / After-School Tutoring / Learning Center / 100 Valencia Street, Suite 2, San Francisco, CA',
    );
    expect(service).toMatchObject({
      name: 'After-School Tutoring',
      organization: { name: 'Mission Learning' },
      eligibility_description: 'Ages 6-13, 14-17',
      minimum_age: 6,
      maximum_age: 17,
    });
    // Seven digits, in San Francisco: 415.
    expect(service.phones?.map((p) => p.number)).toEqual(['+14155550100']);
    expect(service.languages?.map((l) => l.code)).toEqual(['en', 'yue', 'sm']);
    expect(service.attributes?.map((a) => a.taxonomy_term?.name)).toEqual(['Specialized K-8']);
    expect(service.service_at_locations?.[0]?.location).toMatchObject({
      name: 'Learning Center',
      description: 'Public School: Valencia Elementary (K-5)',
    });
    expect(service.service_at_locations?.[0]?.location?.addresses?.[0]).toMatchObject({
      address_1: '100 Valencia Street',
      address_2: 'Suite 2',
      city: 'San Francisco',
      state_province: 'CA',
      postal_code: '94110',
    });
    expect(validateRecords({ service: [service] }).tables.service?.invalid).toBe(0);
  });

  it('gives no age range across a gap or when parents are served, and no city outside 941xx', () => {
    const gap = { ...tutoring, 'Program Name': 'Gap', "'6-13": '', '0-5': 'X', '14-17': 'X' };
    const parents = { ...tutoring, 'Program Name': 'Parents', Parent: 'X' };
    const oakland = { ...tutoring, 'Program Name': 'Oakland', 'Site Zip': '94607' };
    const { services, issues } = map(csv(HEADER, gap, parents, oakland));
    expect(
      services.map((s) => [
        s.service.eligibility_description,
        s.service.minimum_age,
        s.service.maximum_age,
      ]),
    ).toEqual([
      ['Ages 0-5, 14-17', undefined, undefined],
      ['Ages 6-13, 14-17; parents', undefined, undefined],
      ['Ages 6-13, 14-17', 6, 17],
    ]);
    expect(services[2]?.service.service_at_locations).toBeUndefined();
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [
        4,
        'physical address left out of HSDS (missing city, missing state_province, missing postal_code)',
      ],
    ]);
  });

  it('reports drift: a renamed column shows up in missingColumns', () => {
    const renamed = HEADER.map((c) => (c === 'Site Zip' ? 'Site ZIP Code' : c));
    expect(map(csv(renamed, tutoring)).missingColumns).toEqual(['Site Zip']);
  });
});

describe.skipIf(noSocialData)(socialDataTitle('dcyf-programs on the real dcyf_cms.csv'), () => {
  const bytes = noSocialData ? new Uint8Array() : readFileSync(socialData('agencies/dcyf_cms.csv'));
  const result = noSocialData
    ? undefined
    : mapExport(dcyfPrograms, { agency: 'dcyf', file: 'dcyf_cms.csv', bytes });
  const get = (id: string) => {
    const mapped = result?.services.find((s) => s.source.recordId === id);
    if (mapped === undefined) throw new Error(`record ${id} not mapped`);
    return mapped;
  };

  it('maps every row but one repeated word for word, all valid HSDS', () => {
    const r = result!;
    expect(r.records).toBe(609);
    expect(r.skipped).toBe(1);
    expect(r.services).toHaveLength(608);
    expect(r.missingColumns).toEqual([]);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r.issues.filter((i) => /repeats an earlier record/.test(i.message))).toEqual([]);
    const report = validateRecords({ service: r.services.map((s) => s.service) });
    expect(report.tables.service).toMatchObject({ records: 608, invalid: 0 });
    // Every site with a street and a ZIP has an HSDS address; `various` and `n/a` are none.
    expect(
      r.services.filter((s) => s.service.service_at_locations?.[0]?.location?.addresses?.length),
    ).toHaveLength(593);
  });

  it('spot checks: ages, languages, phones, address, strategy', () => {
    const valencia = get(
      '826 Valencia / After-School Tutoring / 826 Valencia / 826 Valencia Street',
    );
    expect(valencia.service).toMatchObject({
      eligibility_description: 'Ages 6-13, 14-17; parents',
      attributes: [
        { taxonomy_term: { name: 'Specialized K-8', taxonomy: 'DCYF funding strategies' } },
      ],
    });
    expect(valencia.service.minimum_age).toBeUndefined();
    expect(valencia.service.phones?.map((p) => p.number)).toEqual(['+14156425905']);
    expect(valencia.service.languages?.map((l) => l.code)).toEqual(['en', 'es']);
    expect(valencia.service.service_at_locations?.[0]?.location?.addresses?.[0]).toMatchObject({
      address_1: '826 Valencia Street',
      city: 'San Francisco',
      state_province: 'CA',
      postal_code: '94110',
    });

    const abada = get(
      'ABADA-Capoeira San Francisco / Reaching All Youth (RAY) Project / ABAD́-Capoeira SF Capoeira Arts Center / 3221 22nd Street',
    );
    expect(abada.service).toMatchObject({ minimum_age: 0, maximum_age: 17 });
    expect(abada.service.phones?.map((p) => p.number)).toEqual(['+14152060650']);
    expect(abada.service.languages?.map((l) => l.code)).toEqual(['en', 'es', 'pt', 'fr']);

    // `695-5860`: Downtown High School, written (415) 695-5860 on the school's other rows.
    const writers = get(
      'San Francisco Arts Commission / WritersCorps / Downtown High School / 693 Vermont St',
    );
    expect(writers.service.phones?.map((p) => p.number)).toEqual(['+14156955860']);
  });

  it('gives the same ids twice, and each service points at its line', () => {
    const again = mapExport(dcyfPrograms, { agency: 'dcyf', file: 'dcyf_cms.csv', bytes });
    expect(again.services.map((s) => s.service.id)).toEqual(
      result!.services.map((s) => s.service.id),
    );
    const lines = new TextDecoder('latin1').decode(bytes).split('\n');
    for (const [id, start] of [
      [
        '826 Valencia / After-School Tutoring / 826 Valencia / 826 Valencia Street',
        '826 Valencia,After-School Tutoring,',
      ],
      [
        'San Francisco Arts Commission / WritersCorps / Downtown High School / 693 Vermont St',
        'San Francisco Arts Commission,WritersCorps,',
      ],
    ] as const) {
      const { source } = get(id);
      expect(source.file).toBe('dcyf_cms.csv');
      expect(lines[source.line - 1]?.startsWith(start)).toBe(true);
    }
  });
});
