// The LinkSF mapper (linksf.json): a facility's services split into one HSDS service each,
// openHours JSON as schedule rows, categories as terms, facilities listed twice word for word
// left out; on hand-made JSON and on the real export (read, never copied).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { linksf, type MappedService, mapExport, validateRecords } from '../src/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

const facility = {
  objectId: 'fac1',
  name: 'Harbor Center',
  address: '12 Pier St.',
  city: 'San Francisco',
  phone: 'Main: 415-555-0100. Fax 415-555-0199',
  website: 'harbor.example.org',
  categories: 'food',
  gender: 'F',
  age: ['A', 'S'],
  notes: 'Drop-in centre.',
  location: { __type: 'GeoPoint', latitude: 37.79, longitude: -122.39 },
  services: [
    {
      objectId: 'svc1',
      name: 'Hot meal',
      category: 'food',
      description: 'Lunch every weekday.',
      notes: 'No ID needed.',
      openHours: { 1: [[1130, 1300]], 2: [[1130, 1300]] },
      updatedAt: '2014-03-19T20:42:43.339Z',
    },
    {
      objectId: 'svc2',
      name: 'Showers',
      category: 'hygiene',
      description: 'Showers.',
      notes: '',
      openHours: { 0: [[0, 2359]] },
    },
  ],
};

function map(items: unknown[]) {
  const bytes = new TextEncoder().encode(JSON.stringify(items, null, 1));
  return mapExport(linksf, { agency: 'test-linksf', file: 'l.json', bytes });
}

describe('linksf on hand-made JSON', () => {
  it('maps each service of a facility with the facility’s fields', () => {
    const { services, missingColumns, issues } = map([facility]);
    expect(missingColumns).toEqual([]);
    expect(services.map((s) => [s.source.recordId, s.service.name])).toEqual([
      ['svc1', 'Hot meal'],
      ['svc2', 'Showers'],
    ]);
    const [meal, showers] = services as [MappedService, MappedService];
    expect(meal.service).toMatchObject({
      description: 'Lunch every weekday.\n\nNo ID needed.',
      eligibility_description: 'Serves women; adults, seniors',
      url: 'http://harbor.example.org/',
      organization: { name: 'Harbor Center', description: 'Drop-in centre.' },
    });
    expect(meal.service.organization_id).toBe(showers.service.organization_id);
    expect(meal.service.phones?.map((p) => [p.number, p.type])).toEqual([
      ['+14155550100', 'voice'],
      ['+14155550199', 'fax'],
    ]);
    expect(meal.service.schedules?.map((s) => [s.byday, s.opens_at, s.closes_at])).toEqual([
      ['MO,TU', '11:30', '13:00'],
    ]);
    expect(
      showers.service.attributes?.map((a) => [a.taxonomy_term?.name, a.taxonomy_term?.taxonomy]),
    ).toEqual([['hygiene', 'LinkSF categories']]);
    expect(meal.service.service_at_locations?.[0]?.location).toMatchObject({
      latitude: 37.79,
      longitude: -122.39,
      description: '12 Pier St., San Francisco',
    });
    expect(meal.updatedAt).toBe('2014-03-19T20:42:43.339Z');
    // No state or ZIP in LinkSF: the address cannot be an HSDS address, and says so.
    expect(issues.map((i) => i.message)).toEqual([
      'physical address left out of HSDS (missing state_province, missing postal_code)',
      'physical address left out of HSDS (missing state_province, missing postal_code)',
    ]);
    expect(
      validateRecords({ service: services.map((s) => s.service) }).tables.service?.invalid,
    ).toBe(0);
  });

  it('leaves out a facility listed again word for word, and keeps one that changed', () => {
    const changed = { ...facility, notes: 'Moved.' };
    const { services, skipped, issues } = map([facility, facility, changed]);
    expect(skipped).toBe(1);
    expect(services.map((s) => s.source.recordId)).toEqual([
      'svc1',
      'svc2',
      expect.stringMatching(/^svc1 \(line \d+\)$/),
      expect.stringMatching(/^svc2 \(line \d+\)$/),
    ]);
    expect(issues.filter((i) => /verbatim/.test(i.message))).toHaveLength(2);
  });

  it('reports drift: a renamed service key shows up in missingColumns', () => {
    const renamed = {
      ...facility,
      services: facility.services.map(({ name, ...s }) => ({ ...s, title: name })),
    };
    expect(map([renamed]).missingColumns).toEqual(['services[].name']);
  });
});

describe.skipIf(noSocialData)(socialDataTitle('linksf on the real linksf.json'), () => {
  const bytes = noSocialData ? new Uint8Array() : readFileSync(socialData('agencies/linksf.json'));
  const result = noSocialData
    ? undefined
    : mapExport(linksf, { agency: 'linksf', file: 'linksf.json', bytes });
  const get = (id: string) => {
    const mapped = result?.services.find((s) => s.source.recordId === id);
    if (mapped === undefined) throw new Error(`record ${id} not mapped`);
    return mapped;
  };

  it('maps 96 distinct services of 76 facilities, all valid HSDS', () => {
    const r = result!;
    expect(r.records).toBe(89);
    // 13 facilities (34 services) are listed twice, word for word.
    expect(r.skipped).toBe(13);
    expect(r.services).toHaveLength(96);
    expect(r.organizations).toHaveLength(76);
    expect(r.missingColumns).toEqual([]);
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const report = validateRecords({ service: r.services.map((s) => s.service) });
    expect(report.tables.service).toMatchObject({ records: 96, invalid: 0 });
    expect(r.services.every((s) => s.service.attributes?.length === 1)).toBe(true);
    expect(r.services.filter((s) => (s.service.schedules?.length ?? 0) > 0)).toHaveLength(93);
  });

  it('spot checks: phones, hours, categories, eligibility, location', () => {
    const lacasa = get('wAfhb9XsHl');
    expect(lacasa.service).toMatchObject({
      name: 'Domestic violence emergency shelter',
      eligibility_description: 'Serves women',
      organization: { name: 'La Casa de las Madres' },
    });
    expect(lacasa.service.phones?.map((p) => [p.number, p.description])).toEqual([
      ['+18775031850', 'Crisis line'],
      ['+18779230700', 'Teen crisis line — counseling & referrals only'],
    ]);
    expect(lacasa.service.service_at_locations?.[0]?.location).toMatchObject({
      latitude: 37.7712479,
      longitude: -122.41940090000003,
      description: '1663 Mission St., Suite 225, San Francisco',
    });

    const diamond = get('pR6z5cwrJK');
    // `567-1020`, seven digits in a San Francisco directory: read as 415.
    expect(diamond.service.phones?.map((p) => p.number)).toEqual(['+18006696196', '+14155671020']);
    expect(diamond.service.schedules?.map((s) => [s.byday, s.opens_at, s.closes_at])).toEqual([
      ['MO,TU,WE,TH,FR,SA,SU', '00:00', '07:30'],
      ['MO,TU,WE,TH,FR', '18:30', '23:59'],
      ['SA,SU', '16:00', '23:59'],
    ]);
    expect(get('PR7hwfPJcw').service).toMatchObject({
      name: 'Hot meal',
      eligibility_description: 'Serves seniors',
      attributes: [{ taxonomy_term: { name: 'food', taxonomy: 'LinkSF categories' } }],
    });
  });

  it('gives the same ids twice, and each service points at its own lines', () => {
    const again = mapExport(linksf, { agency: 'linksf', file: 'linksf.json', bytes });
    expect(again.services.map((s) => s.service.id)).toEqual(
      result!.services.map((s) => s.service.id),
    );
    const lines = new TextDecoder().decode(bytes).split('\n');
    for (const id of ['wAfhb9XsHl', 'pR6z5cwrJK', 'PR7hwfPJcw']) {
      const { source, service } = get(id);
      expect(source.file).toBe('linksf.json');
      // The service's first value (its category) starts the record; its name and id follow.
      expect(lines[source.line - 1]).toMatch(/^\s*"category":/);
      const near = lines.slice(source.line - 1, source.line + 150).join('\n');
      expect(near).toMatch(new RegExp(`"objectId":\\s*"${id}"`));
      expect(near).toContain(`"name":${JSON.stringify(service.name)}`);
    }
  });
});
