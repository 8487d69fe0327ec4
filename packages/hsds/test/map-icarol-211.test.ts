// The iCarol/ReferNET 211 mapper (211.csv) and the mapping framework it runs on: HSDS-valid
// services with stable ids and provenance, on the real export and on hand-made ones.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { icarol211, type MappedService, mapExport, validateRecords } from '../src/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const HEADER =
  'ResourceAgencyNum,PublicName,ParentAgency,ParentAgencyNum,AgencyStatus,AgencyDescription,PhysicalAddress1,PhysicalCity,PhysicalStateProvince,PhysicalPostalCode,Phone1Number,Phone1Name,PhoneFax,WebsiteAddress,HoursOfOperation,TaxonomyCodes,TaxonomyTerm,LanguagesOffered,ExcludeFromDirectory,UpdatedOn,EmailAddressMain';

function csv(...rows: string[]): Uint8Array {
  return new TextEncoder().encode(`${[HEADER, ...rows].join('\n')}\n`);
}

function one(bytes: Uint8Array) {
  return mapExport(icarol211, { agency: 'test-211', file: 'test.csv', bytes });
}

describe('icarol-211 on hand-made rows', () => {
  const row =
    '17,Food Pantry,Helping Hands,9,Active,Groceries weekly,12 Main St,Springfield,IL,62701,(217) 555-0100 ext. 4,Intake,217-555-0199,WWW.Helping.ORG,"9:00 am - 5:00 pm, Monday - Friday",BD-1800.2000,Food Pantries,"English, Spanish",No,8/23/11 15:05,"info@helping.org; other@x.org"';

  it('fills HSDS fields through the normalisers', () => {
    const { services, issues, missingColumns } = one(csv(row));
    expect(missingColumns).toEqual([]);
    expect(issues).toEqual([]);
    const [{ service, source, searchable, updatedAt }] = services as [MappedService];
    expect(service).toMatchObject({
      name: 'Food Pantry',
      status: 'active',
      description: 'Groceries weekly',
      url: 'http://www.helping.org/',
      email: 'info@helping.org',
      organization: { name: 'Helping Hands', description: '' },
    });
    expect(service.phones?.map((p) => [p.number, p.extension, p.type, p.description])).toEqual([
      ['+12175550100', 4, 'voice', 'Intake'],
      ['+12175550199', undefined, 'fax', undefined],
    ]);
    expect(service.schedules?.map((s) => [s.byday, s.opens_at, s.closes_at])).toEqual([
      ['MO,TU,WE,TH,FR', '09:00', '17:00'],
    ]);
    expect(service.languages?.map((l) => l.code)).toEqual(['en', 'es']);
    expect(service.attributes?.map((a) => [a.taxonomy_term?.code, a.taxonomy_term?.name])).toEqual([
      ['BD-1800.2000', 'Food Pantries'],
    ]);
    const location = service.service_at_locations?.[0]?.location;
    expect(location?.addresses?.[0]).toMatchObject({
      address_1: '12 Main St',
      city: 'Springfield',
      state_province: 'IL',
      postal_code: '62701',
      country: 'US',
      address_type: 'physical',
    });
    expect(source).toEqual({
      agency: 'test-211',
      layout: 'icarol-211',
      file: 'test.csv',
      line: 2,
      recordId: '17',
    });
    expect(searchable).toBe(true);
    expect(updatedAt).toBe('2011-08-23');
    expect(validateRecords({ service: [service] }).tables.service?.invalid).toBe(0);
  });

  it('gives the same ids every time, and different ids to different agencies', () => {
    const a = one(csv(row)).services[0]!.service;
    const b = one(csv(row)).services[0]!.service;
    expect(b).toEqual(a);
    const other = mapExport(icarol211, { agency: 'other', file: 'x.csv', bytes: csv(row) });
    expect(other.services[0]!.service.id).not.toBe(a.id);
  });

  it('keeps inactive and excluded records, not searchable, and reports what it left out', () => {
    const inactive = row.replace(',Active,', ',Inactive,').replace(/^17,/, '18,');
    const excluded = row.replace(',No,8/23', ',Yes,8/23').replace(/^17,/, '19,');
    const noZip = row.replace(',62701,', ',,').replace(/^17,/, '20,');
    const unknown = row.replace(',Active,', ',Maybe,').replace(/^17,/, '21,');
    const { services, issues } = one(csv(inactive, excluded, noZip, unknown));
    expect(services.map((s) => [s.source.recordId, s.service.status, s.searchable])).toEqual([
      ['18', 'inactive', false],
      ['19', 'active', false],
      ['20', 'active', true],
      ['21', 'inactive', false],
    ]);
    expect(issues.map((i) => [i.line, i.field, i.message])).toEqual([
      [4, 'PhysicalAddress1', 'physical address left out of HSDS (missing postal_code)'],
      [5, 'AgencyStatus', 'status "Maybe" not recognised: kept as inactive, not offered in search'],
    ]);
    expect(services[2]!.service.service_at_locations).toBeUndefined();
  });

  it('names a repeated record id and a record without a name, and maps the rest', () => {
    const { services, issues } = one(
      csv(row, row, row.replace('Food Pantry', '').replace(/^17,/, '30,')),
    );
    expect(services.map((s) => s.source.recordId)).toEqual(['17', '17 (line 3)']);
    expect(issues.map((i) => i.message)).toEqual([
      `record id "17" repeats an earlier record's: this one is '17 (line 3)'`,
      'no service name: record left out',
    ]);
  });

  it('reports drift: a renamed column the mapping relies on', () => {
    const renamed = new TextDecoder().decode(csv(row)).replace('PhysicalPostalCode', 'PhysicalZip');
    const result = one(new TextEncoder().encode(renamed));
    expect(result.missingColumns).toEqual(['PhysicalPostalCode']);
  });

  it('refuses an agency name that cannot be a partition key', () => {
    expect(() =>
      mapExport(icarol211, { agency: 'Bad Agency', file: 'x', bytes: csv(row) }),
    ).toThrow(/agency "Bad Agency": use lower case letters, digits and dashes/);
  });
});

describe.skipIf(noSocialData)(socialDataTitle('icarol-211 on the real 211.csv'), () => {
  const bytes = readFileSync(socialData('agencies/211.csv'));
  const mapped = mapExport(icarol211, { agency: 'dc-211', file: '211.csv', bytes });

  it('maps every record to a valid HSDS service', () => {
    expect(mapped.missingColumns).toEqual([]);
    expect(mapped.records).toBe(2132);
    // One row has no name at all: it is reported, not invented.
    expect(mapped.services.length).toBe(2131);
    const report = validateRecords({ service: mapped.services.map((s) => s.service) });
    expect(report.errors.map((e) => e.message)).toEqual([]);
    expect(
      mapped.services.filter((s) => s.service.status === 'inactive').length,
    ).toBeGreaterThanOrEqual(361);
  });

  it('points every service at the line its record starts on', () => {
    const lines = bytes.toString('utf8').split('\n');
    for (const { source } of mapped.services) {
      expect(lines[source.line - 1]!.startsWith(`${source.recordId},`)).toBe(true);
    }
  });

  it('reads a real record as the export has it', () => {
    const ask = mapped.services.find((s) => s.source.recordId === '372486')!;
    expect(ask.service.name).toBe('Center for Social Justice - After School Kids');
    expect(ask.service.phones?.map((p) => `${p.number} ${p.type}`)).toEqual([
      '+12026870100 voice',
      '+12026875330 voice',
      '+12026878980 fax',
    ]);
    expect(ask.service.schedules?.map((s) => `${s.byday} ${s.opens_at}-${s.closes_at}`)).toEqual([
      'MO,TU,WE,TH 12:00-20:30',
      'FR 09:00-17:00',
    ]);
    expect(ask.service.attributes?.map((a) => a.taxonomy_term?.code)).toEqual(['HL-8700']);
    expect(ask.updatedAt).toBe('2011-08-16');
  });
});

describe.skipIf(noSocialData)(socialDataTitle('icarol-211 organizations'), () => {
  it('keys an agency on its own number, and its programs on their parent', () => {
    const bytes = readFileSync(socialData('agencies/211.csv'));
    const { services, organizations } = mapExport(icarol211, {
      agency: 'dc-211',
      file: '211.csv',
      bytes,
    });
    const names = new Map<string, Set<string>>();
    for (const { service } of services) {
      const set = names.get(service.organization_id!) ?? new Set();
      set.add(service.organization!.name);
      names.set(service.organization_id!, set);
    }
    // One name per organization id: no two agencies share an id.
    expect([...names.values()].filter((set) => set.size > 1)).toEqual([]);
    // 494 agencies, each the organization of its own programs.
    expect(organizations.length).toBe(494);
  });
});
