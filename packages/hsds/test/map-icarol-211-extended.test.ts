// The extended iCarol 211 mapper (sf_211.csv): privacy flags honoured, phone names and
// descriptions as labels, codes or bare AIRS term names as taxonomy; on hand-made rows and on
// the real export (read, never copied).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { icarol211Extended, type MappedService, mapExport, validateRecords } from '../src/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const HEADER = [
  'ResourceAgencyNum',
  'PublicName',
  'ParentAgency',
  'ParentAgencyNum',
  'AgencyStatus',
  'AgencyDescription',
  'PhysicalAddress1',
  'PhysicalCity',
  'PhysicalStateProvince',
  'PhysicalPostalCode',
  'PhysicalAddressIsPrivate',
  'Latitude',
  'Longitude',
  'Phone1Number',
  'Phone1Name',
  'Phone1Description',
  'Phone1IsPrivate',
  'Phone2Number',
  'Phone2Name',
  'Phone2IsPrivate',
  'WebsiteAddress',
  'HoursOfOperation',
  'TaxonomyCodes',
  'Tax',
];

/** A CSV with the extended layout's CR-only line endings. */
function csv(header: readonly string[], ...rows: string[][]): Uint8Array {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return new TextEncoder().encode(
    `${[header, ...rows].map((r) => r.map(quote).join(',')).join('\r')}\r`,
  );
}

function row(values: Record<string, string>): string[] {
  return HEADER.map((column) => values[column] ?? '');
}

const shelter = row({
  ResourceAgencyNum: '501',
  PublicName: 'Safe House',
  ParentAgency: 'Shelter Network',
  ParentAgencyNum: '500',
  AgencyStatus: 'Active',
  PhysicalAddress1: '12 Hidden Lane',
  PhysicalCity: 'San Francisco',
  PhysicalStateProvince: 'CA',
  PhysicalPostalCode: '94110',
  PhysicalAddressIsPrivate: 'Yes',
  Latitude: '37.75',
  Longitude: '-122.41',
  Phone1Number: '415-555-0100',
  Phone1Name: 'Crisis',
  Phone1Description: '24 hours',
  Phone1IsPrivate: 'FALSE',
  Phone2Number: '415-555-0199',
  Phone2Name: 'Director',
  Phone2IsPrivate: 'TRUE',
  HoursOfOperation: 'Mon-Fri 9am-5pm',
  Tax: 'Domestic Violence Shelters',
});

function map(bytes: Uint8Array) {
  return mapExport(icarol211Extended, { agency: 'test-sf-211', file: 'sf.csv', bytes });
}

describe('icarol-211-extended on hand-made rows', () => {
  it('leaves out what the export marks private, and labels phones with name and description', () => {
    const { services, issues, missingColumns } = map(csv(HEADER, shelter));
    expect(missingColumns).toEqual([]);
    expect(issues).toEqual([]);
    const [{ service }] = services as [MappedService];
    expect(service.phones?.map((p) => [p.number, p.description])).toEqual([
      ['+14155550100', 'Crisis: 24 hours'],
    ]);
    expect(service.service_at_locations).toBeUndefined();
    expect(service.attributes?.map((a) => [a.taxonomy_term?.name, a.taxonomy_term?.code])).toEqual([
      ['Domestic Violence Shelters', undefined],
    ]);
    expect(service.schedules?.map((s) => [s.byday, s.opens_at, s.closes_at])).toEqual([
      ['MO,TU,WE,TH,FR', '09:00', '17:00'],
    ]);
    expect(validateRecords({ service: [service] }).tables.service?.invalid).toBe(0);
  });

  it('keeps an address that is not private, with its coordinates', () => {
    const open = [...shelter];
    open[HEADER.indexOf('PhysicalAddressIsPrivate')] = 'No';
    const location = map(csv(HEADER, open)).services[0]?.service.service_at_locations?.[0]
      ?.location;
    expect(location).toMatchObject({ latitude: 37.75, longitude: -122.41 });
    expect(location?.addresses?.[0]).toMatchObject({
      address_1: '12 Hidden Lane',
      postal_code: '94110',
    });
  });

  it('reports drift: a renamed privacy column shows up in missingColumns', () => {
    const renamed = HEADER.map((c) => (c === 'PhysicalAddressIsPrivate' ? 'PhysicalIsPrivate' : c));
    expect(map(csv(renamed, shelter)).missingColumns).toEqual(['PhysicalAddressIsPrivate']);
  });
});

describe.skipIf(noSocialData)(socialDataTitle('icarol-211-extended on the real sf_211.csv'), () => {
  const bytes = noSocialData ? new Uint8Array() : readFileSync(socialData('agencies/sf_211.csv'));
  const result = noSocialData
    ? undefined
    : mapExport(icarol211Extended, { agency: 'sf-211', file: 'sf_211.csv', bytes });
  const byId = new Map(result?.services.map((s) => [s.source.recordId, s]));
  const get = (id: string) => {
    const mapped = byId.get(id);
    if (mapped === undefined) throw new Error(`record ${id} not mapped`);
    return mapped;
  };

  it('maps every named record to valid HSDS, the columns all there', () => {
    const r = result!;
    expect(r.records).toBe(2824);
    // Three ProgramAtSite rows have no PublicName: left out, each reported as an error.
    expect(r.services).toHaveLength(2821);
    expect(r.issues.filter((i) => i.severity === 'error')).toHaveLength(3);
    expect(r.missingColumns).toEqual([]);
    const report = validateRecords({ service: r.services.map((s) => s.service) });
    expect(report.tables.service).toMatchObject({ records: 2821, invalid: 0 });
    expect(r.services.filter((s) => s.service.status === 'inactive')).toHaveLength(367);
  });

  it('spot checks: phones, hours, taxonomy, addresses, privacy, search flags', () => {
    const otis = get('10599667');
    expect(otis.service).toMatchObject({
      name: '150 OTIS STREET RESOURCE CENTER',
      status: 'inactive',
    });
    expect(otis.searchable).toBe(false);
    expect(otis.service.phones?.map((p) => [p.number, p.description])).toEqual([
      ['+14155576338', 'Alternate Main'],
      ['+14155576339', 'Main'],
    ]);
    expect(otis.service.service_at_locations?.[0]?.location?.addresses?.[0]).toMatchObject({
      address_1: '150 Otis Street',
      city: 'San Francisco',
      state_province: 'CA',
      postal_code: '94103',
      country: 'US',
    });

    const board = get('10599233');
    expect(board.service.schedules?.map((s) => [s.byday, s.opens_at, s.closes_at])).toEqual([
      ['MO,TU,WE,TH,FR', '08:00', '17:00'],
    ]);
    expect(board.service.phones?.at(-1)).toMatchObject({ number: '+14152524699', type: 'fax' });
    expect(board.service.attributes?.[0]?.taxonomy_term?.name).toBe(
      'Tenant Rights Information/Counseling',
    );

    const therapy = get('10605407');
    // Phone2 and Phone3 are marked private; the toll-free number is kept with its extension.
    expect(therapy.service.phones?.map((p) => [p.number, p.extension])).toEqual([
      ['+18005264824', 2],
    ]);
    expect(therapy.service.attributes?.map((a) => a.taxonomy_term?.code)).toEqual([
      'HH-0500.0300',
      'LR-8000.8000-820',
      'YB-9500.1500',
      'TJ-3000.8000',
    ]);

    // A private physical address (and its coordinates) is left out; the PO box stays.
    const hope = get('10598691');
    expect(hope.service.service_at_locations?.[0]?.location).toMatchObject({
      location_type: 'postal',
    });
    expect(hope.service.service_at_locations?.[0]?.location?.latitude).toBeUndefined();

    expect(get('10605268').service.languages?.map((l) => l.code)).toEqual(['en']);
    // Active but excluded from the directory: kept, not searchable.
    expect(get('10600832')).toMatchObject({ searchable: false, service: { status: 'active' } });
  });

  it('gives each agency its own organization, shared with its programs and sites', () => {
    const names = new Map<string, Set<string>>();
    for (const { service } of result!.services) {
      const { id, name } = service.organization!;
      names.set(id, (names.get(id) ?? new Set()).add(name));
    }
    // Agency rows have ParentAgencyNum 0: keyed on it, 830 agencies would be one organization.
    expect([...names.values()].filter((set) => set.size > 1)).toEqual([]);
    expect(result!.organizations).toHaveLength(877);
    const agency = get('10595620');
    const program = get('10605215');
    expect(agency.service.organization?.name).toBe('GOOD SHEPHERD GRACENTER');
    expect(program.service.organization_id).toBe(agency.service.organization_id);
  });

  it('gives the same ids twice, and each service points at its line', () => {
    const again = mapExport(icarol211Extended, { agency: 'sf-211', file: 'sf_211.csv', bytes });
    expect(again.services.map((s) => s.service.id)).toEqual(
      result!.services.map((s) => s.service.id),
    );
    const lines = new TextDecoder().decode(bytes).split('\r');
    for (const id of ['10599667', '10599233', '10605407']) {
      const { source } = get(id);
      expect(source.file).toBe('sf_211.csv');
      expect(lines[source.line - 1]?.startsWith(`${id},`)).toBe(true);
    }
  });
});
