// The plain-text directory mapper (apd_export.txt): title as organization and program, keys
// that vary by block, Direct Services as categories; on a hand-made export and on the real one
// (read, never copied).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apdDirectory, type MappedService, mapExport, validateRecords } from '../src/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

// A made-up export in the layout of apd_export.txt.
const sample = [
  'Harbour Aid Society   Night Shelter', //  1
  'A shelter for adults, open every night of the year. www.harbour.example.org', //  2
  'To Get Connected', //  3
  'Phone: (415) 555-0100 ext. 12', //  4
  'Phone: (415) 555-0199', //  5
  'Fax: (415) 555-0198', //  6
  'Email: intake@harbour.example.org', //  7
  'Hours: Mon-Fri 9am-5pm', //  8
  'Location: 1 Quay Street, Harbourtown, CA  90000', //  9
  'Things To Know', // 10
  'Languages Spoken: English, Spanish.', // 11
  'Client fees, if any: None.', // 12
  'Eligible Population: Adults 18 and over.', // 13
  'Faith Based: No.', // 14
  '', // 15
  'Direct Services: Emergency Shelter; Meals; Showers, Lockers and Mail; Case Management;', // 16
  'Referrals to other resources as needed and whatever else the staff can find for you.', // 17
].join('\n');

function map(text: string) {
  return mapExport(apdDirectory, {
    agency: 'test-apd',
    file: 'export.txt',
    bytes: new TextEncoder().encode(text),
  });
}

describe('apd-directory on a hand-made export', () => {
  it('maps a block to an HSDS service', () => {
    const { services, issues, missingColumns } = map(sample);
    expect(missingColumns).toEqual([]);
    expect(issues).toEqual([]);
    const [{ service, source }] = services as [MappedService];
    expect(source).toMatchObject({ line: 1, recordId: 'Harbour Aid Society   Night Shelter' });
    expect(service).toMatchObject({
      name: 'Night Shelter',
      organization: { name: 'Harbour Aid Society' },
      url: 'http://www.harbour.example.org/',
      email: 'intake@harbour.example.org',
      fees_description: 'None.',
      eligibility_description: 'Adults 18 and over.',
    });
    expect(service.phones?.map((p) => [p.number, p.extension, p.type])).toEqual([
      ['+14155550100', 12, 'voice'],
      ['+14155550199', undefined, 'voice'],
      ['+14155550198', undefined, 'fax'],
    ]);
    expect(service.schedules?.map((s) => [s.byday, s.opens_at, s.closes_at])).toEqual([
      ['MO,TU,WE,TH,FR', '09:00', '17:00'],
    ]);
    expect(service.languages?.map((l) => l.code)).toEqual(['en', 'es']);
    expect(service.attributes?.map((a) => a.taxonomy_term?.name)).toEqual([
      'Emergency Shelter',
      'Meals',
      'Showers, Lockers and Mail',
      'Case Management',
    ]);
    expect(service.service_at_locations?.[0]?.location?.addresses?.[0]).toMatchObject({
      address_1: '1 Quay Street',
      city: 'Harbourtown',
      state_province: 'CA',
      postal_code: '90000',
    });
    expect(validateRecords({ service: [service] }).tables.service?.invalid).toBe(0);
  });

  it('reports drift: a renamed key shows up in missingColumns', () => {
    const renamed = sample.replace('Languages Spoken:', 'Spoken Languages:');
    expect(map(renamed).missingColumns).toEqual(['Languages Spoken']);
  });
});

describe.skipIf(noSocialData)(socialDataTitle('apd-directory on the real apd_export.txt'), () => {
  const bytes = noSocialData
    ? new Uint8Array()
    : readFileSync(socialData('agencies/apd_export.txt'));
  const result = noSocialData
    ? undefined
    : mapExport(apdDirectory, { agency: 'apd', file: 'apd_export.txt', bytes });
  const get = (id: string) => {
    const mapped = result?.services.find((s) => s.source.recordId === id);
    if (mapped === undefined) throw new Error(`record ${id} not mapped`);
    return mapped;
  };

  it('maps every block to a valid HSDS service', () => {
    const r = result!;
    expect(r.records).toBe(237);
    expect(r.services).toHaveLength(237);
    expect(r.missingColumns).toEqual([]);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const report = validateRecords({ service: r.services.map((s) => s.service) });
    expect(report.tables.service).toMatchObject({ records: 237, invalid: 0 });
    // Two blocks share a title (another category's copy with other services): both kept.
    expect(
      r.services.filter((s) =>
        s.source.recordId.startsWith('Compass Family Services   Compass Connecting Point'),
      ),
    ).toHaveLength(2);
  });

  it('spot checks: phones, hours, languages, address, categories', () => {
    const leland = get('Catholic Charities/CYO   Leland House');
    expect(leland.service).toMatchObject({
      name: 'Leland House',
      organization: { name: 'Catholic Charities/CYO' },
      url: 'http://www.cccyo.org/',
      email: 'TQuinn@cccyo.org',
    });
    expect(leland.service.phones?.map((p) => [p.number, p.type])).toEqual([
      ['+14154052063', 'voice'],
      ['+14153371137', 'fax'],
    ]);
    expect(leland.service.schedules?.map((s) => [s.byday, s.opens_at, s.closes_at])).toEqual([
      ['MO,TU,WE,TH,FR,SA,SU', '00:00', '23:59'],
    ]);
    expect(leland.service.languages?.map((l) => l.code)).toEqual(['en', 'es', 'de']);
    expect(leland.service.service_at_locations?.[0]?.location?.addresses?.[0]).toMatchObject({
      address_1: '141 Leland Avenue',
      city: 'San Francisco',
      state_province: 'CA',
      postal_code: '94134',
      address_type: 'physical',
    });
    expect(leland.service.attributes?.map((a) => a.taxonomy_term?.name)).toContain(
      'Permanent Housing',
    );

    const chp = get('Community Housing Partnership (CHP)');
    expect(chp.service.phones?.map((p) => [p.number, p.extension])).toEqual([
      ['+14155633205', 123],
    ]);
    expect(chp.service.url).toBe('http://www.chp-sf.org/');
    expect(chp.service.service_at_locations?.[0]?.location).toMatchObject({
      location_type: 'postal',
    });

    // `995 Market St, 5th Floor, SF 94103` names no state: no HSDS address, and a warning.
    const home = get('Compass Family Services   SF Home');
    expect(home.service.service_at_locations).toBeUndefined();
    expect(
      result!.issues.some(
        (i) => i.line === home.source.line && /physical address left out/.test(i.message),
      ),
    ).toBe(true);
  });

  it('gives the same ids twice, and each service points at its title line', () => {
    const again = mapExport(apdDirectory, { agency: 'apd', file: 'apd_export.txt', bytes });
    expect(again.services.map((s) => s.service.id)).toEqual(
      result!.services.map((s) => s.service.id),
    );
    const lines = new TextDecoder()
      .decode(bytes)
      .replace(/^\uFEFF/, '')
      .split('\n');
    for (const id of [
      'Catholic Charities/CYO   Leland House',
      'Compass Family Services   SF Home',
    ]) {
      const { source } = get(id);
      expect(source.file).toBe('apd_export.txt');
      expect(lines[source.line - 1]?.trim()).toBe(id);
    }
  });
});
