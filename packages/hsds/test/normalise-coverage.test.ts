// How much of each real export's fields the normalisers read: the figures are printed, and
// floors below them are asserted so that a change that reads less fails. Skipped, with the
// reason in the title, when the shared data is absent.
import { afterAll, describe, expect, it } from 'vitest';
import {
  normaliseStatus,
  normaliseUrl,
  normaliseUsAddress,
  openHoursToSchedules,
  parseLanguages,
  parseOpeningHours,
  parsePhones,
  parseTaxonomyCodes,
  parseUsAddress,
  TaxonomyTermSet,
} from '../src/normalise/index.js';
import { noSocialData, socialDataTitle } from './_data.js';
import {
  apdFields,
  columnValues,
  PHONE_COLUMNS_211,
  readCsvRecords,
  readLinkSf,
  readWa211,
} from './normalise-fixtures.js';

const figures: string[][] = [];

/** Records a figure (`count` of `total` values) and returns its share. */
function figure(field: string, what: string, count: number, total: number): number {
  const share = total === 0 ? 0 : count / total;
  figures.push([field, what, `${count} / ${total}`, `${(100 * share).toFixed(1)}%`]);
  return share;
}

describe.skipIf(noSocialData)(socialDataTitle('normalisers on the real agency exports'), () => {
  const r211 = noSocialData ? [] : readCsvRecords('agencies/211.csv');
  const sf211 = noSocialData ? [] : readCsvRecords('agencies/sf_211.csv');
  const dcyf = noSocialData ? [] : readCsvRecords('agencies/dcyf_cms.csv');
  const linksf = noSocialData ? [] : readLinkSf();
  const wa211 = noSocialData ? [] : readWa211();

  afterAll(() => {
    const widths = [0, 1, 2, 3].map((i) => Math.max(...figures.map((f) => f[i]!.length)));
    const lines = figures.map((f) =>
      f.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
    );
    process.stdout.write(`\nnormalisers on the real exports\n${lines.join('\n')}\n`);
  });

  it('phones: nearly every phone field gives a valid number, and nothing is made up', () => {
    const sets: [string, string[], number][] = [
      ['211.csv phone columns', columnValues(r211, PHONE_COLUMNS_211), 0.98],
      ['sf_211.csv phone columns', columnValues(sf211, PHONE_COLUMNS_211), 0.98],
      ['linksf.json phone', linksf.map((f) => f.phone).filter((p) => p.trim()), 0.95],
      ['apd_export.txt Phone/Fax', apdFields(/phone|fax|tty/i), 0.95],
      ['dcyf_cms.csv Site Phone', columnValues(dcyf, ['Site Phone']), 0.9],
    ];
    for (const [name, values, floor] of sets) {
      const parses = values.map((v) => parsePhones(v));
      for (const p of parses.flatMap((x) => x.phones)) {
        if (p.e164) expect(p.e164).toMatch(/^\+1[2-9]\d{2}[2-9]\d{6}$/);
        else expect(p.national).toMatch(/^[2-9]11$/);
      }
      expect(
        figure(
          name,
          'give a number',
          parses.filter((p) => p.phones.length > 0).length,
          values.length,
        ),
      ).toBeGreaterThanOrEqual(floor);
      figure(
        name,
        'report an unread number',
        parses.filter((p) => p.unparsed.length > 0).length,
        values.length,
      );
    }
    // Its seven-digit numbers are San Francisco's: with the area code given, they read too.
    const site = columnValues(dcyf, ['Site Phone']);
    const withArea = site.filter(
      (v) => parsePhones(v, { defaultAreaCode: '415' }).phones.length > 0,
    ).length;
    expect(
      figure('dcyf_cms.csv Site Phone', 'give a number with area code 415', withArea, site.length),
    ).toBeGreaterThanOrEqual(0.97);
  });

  it('websites: read as a URL, an e-mail or a placeholder, and idempotent', () => {
    const sets: [string, string[]][] = [
      ['211.csv WebsiteAddress', columnValues(r211, ['WebsiteAddress'])],
      ['sf_211.csv WebsiteAddress', columnValues(sf211, ['WebsiteAddress'])],
      ['linksf.json website', linksf.map((f) => f.website).filter((w) => w.trim())],
      ['wa211 url', wa211.map((r) => r.url).filter((u) => u.trim())],
    ];
    for (const [name, values] of sets) {
      const results = values.map((v) => normaliseUrl(v));
      for (const r of results)
        if (r.kind === 'url') expect(normaliseUrl(r.url)).toEqual({ ...r, others: [] });
      const read = results.filter((r) => r.kind !== 'invalid').length;
      expect(figure(name, 'read', read, values.length)).toBeGreaterThanOrEqual(0.99);
      figure(
        name,
        'are e-mail addresses',
        results.filter((r) => r.kind === 'email').length,
        values.length,
      );
    }
  });

  it('addresses: export columns and one-line addresses, missing fields reported', () => {
    const complete = (p: { problems: unknown[] }) => p.problems.length === 0;
    const physical = r211
      .filter((r) => r.PhysicalAddress1?.trim())
      .map((r) =>
        normaliseUsAddress({
          address_1: r.PhysicalAddress1,
          address_2: r.PhysicalAddress2,
          city: r.PhysicalCity,
          state_province: r.PhysicalStateProvince,
          postal_code: r.PhysicalPostalCode,
          country: r.PhysicalCountry,
        }),
      );
    expect(
      figure(
        '211.csv Physical* columns',
        'complete',
        physical.filter(complete).length,
        physical.length,
      ),
    ).toBeGreaterThanOrEqual(0.97);
    const sf = sf211
      .filter((r) => r.PhysicalAddress1?.trim())
      .map((r) =>
        normaliseUsAddress({
          address_1: r.PhysicalAddress1,
          address_2: r.PhysicalAddress2,
          city: r.PhysicalCity,
          state_province: r.PhysicalStateProvince,
          postal_code: r.PhysicalPostalCode,
          country: r.PhysicalCountry,
        }),
      );
    expect(
      figure('sf_211.csv Physical* columns', 'complete', sf.filter(complete).length, sf.length),
    ).toBeGreaterThanOrEqual(0.97);
    const wa = wa211
      .filter((r) => r.address1.trim())
      .map((r) =>
        normaliseUsAddress(
          {
            address_1: r.address1,
            address_2: r.address2,
            city: r.city,
            state_province: r.state,
            postal_code: r.postalCode,
            country: r.country,
          },
          { addressType: r.addressType === 'mailing' ? 'postal' : 'physical' },
        ),
      );
    expect(
      figure('wa211 address columns', 'complete', wa.filter(complete).length, wa.length),
    ).toBeGreaterThanOrEqual(0.97);
    const lines = apdFields(/^(?:location|address|mailing address)$/i);
    const oneLine = lines.map((l) => parseUsAddress(l));
    const withZip = oneLine.filter((p) => p.address.postal_code).length;
    const whole = oneLine.filter(
      (p) =>
        p.address.address_1 && p.address.city && p.address.state_province && p.address.postal_code,
    );
    figure('apd_export.txt Location lines', 'with a ZIP', withZip, lines.length);
    expect(
      figure(
        'apd_export.txt Location lines',
        'street, city, state and ZIP',
        whole.length,
        lines.length,
      ),
    ).toBeGreaterThanOrEqual(0.6);
    for (const p of oneLine) {
      for (const field of ['address_1', 'city', 'state_province', 'postal_code'] as const) {
        if (!p.address[field]) expect(p.problems.some((x) => x.field === field)).toBe(true);
      }
    }
    const lsf = linksf.map((f) => normaliseUsAddress({ address_1: f.address, city: f.city }));
    expect(
      figure(
        'linksf.json address + city',
        'street and city',
        lsf.filter((p) => p.address.address_1 && p.address.city).length,
        lsf.length,
      ),
    ).toBe(1);
  });

  it('opening hours: text read into weekly rows, the rest kept as description; LinkSF JSON', () => {
    const sets: [string, string[], number][] = [
      ['211.csv HoursOfOperation', columnValues(r211, ['HoursOfOperation']), 0.88],
      ['sf_211.csv HoursOfOperation', columnValues(sf211, ['HoursOfOperation']), 0.85],
      ['apd_export.txt *Hours', apdFields(/hours/i), 0.7],
    ];
    for (const [name, values, floor] of sets) {
      const parses = values.map((v) => parseOpeningHours(v));
      const full = parses.filter((p) => p.understood === 'full').length;
      const read = parses.filter((p) => p.understood !== 'none').length;
      figure(name, 'read completely', full, values.length);
      expect(figure(name, 'read into rows', read, values.length)).toBeGreaterThanOrEqual(floor);
      figure(
        name,
        'with am/pm inferred',
        parses.filter((p) => p.inferredMeridiem).length,
        values.length,
      );
      for (const [i, p] of parses.entries()) {
        if (p.understood === 'none')
          expect(p.schedules).toEqual([{ description: values[i]!.replace(/\s+/g, ' ').trim() }]);
      }
    }
    const services = linksf
      .flatMap((f) => f.services)
      .filter((s) => s.openHours && Object.keys(s.openHours).length > 0);
    const json = services.map((s) => openHoursToSchedules(s.openHours));
    expect(
      figure(
        'linksf.json openHours',
        'read without problems',
        json.filter((j) => j.problems.length === 0 && j.schedules.length > 0).length,
        services.length,
      ),
    ).toBe(1);
  });

  it('taxonomy: every code valid, paired with its term where the export lines them up', () => {
    for (const [name, records, floor] of [
      ['211.csv TaxonomyCodes', r211, 0.9],
      ['sf_211.csv TaxonomyCodes', sf211, 0.8],
    ] as const) {
      const set = new TaxonomyTermSet();
      const withCodes = records.filter((r) => r.TaxonomyCodes?.trim());
      const parses = withCodes.map((r) =>
        parseTaxonomyCodes(r.TaxonomyCodes!, { terms: r.TaxonomyTerm, paths: r.TaxonomyTerms }),
      );
      for (const p of parses) {
        set.add(p);
        for (const bad of p.invalid) expect(bad).toMatch(/\(cut short\)$/);
      }
      expect(
        figure(
          name,
          'records paired with terms',
          parses.filter((p) => p.paired).length,
          withCodes.length,
        ),
      ).toBeGreaterThanOrEqual(floor);
      const rows = set.rows();
      figure(
        name,
        'distinct codes named',
        rows.filter((r) => r.name !== r.code).length,
        rows.length,
      );
      expect(set.conflicts()).toEqual([]);
    }
  });

  it('languages: nearly every field gives a language with its ISO 639 code', () => {
    const dcyfLanguages = dcyf.map((r) =>
      [
        'English',
        'Spanish',
        'Mandarin',
        'Cantonese',
        'Korean',
        'Vietnamese',
        'Russian',
        'Filipino (Tagalog)',
      ]
        .filter((l) => r[l]?.trim())
        .concat(r['Language Other']?.trim() ? [r['Language Other']] : [])
        .join(', '),
    );
    const sets: [string, string[], number][] = [
      ['211.csv LanguagesOffered', columnValues(r211, ['LanguagesOffered']), 0.95],
      ['sf_211.csv LanguagesOffered', columnValues(sf211, ['LanguagesOffered']), 0.75],
      ['apd_export.txt Languages', apdFields(/^languages/i), 0.95],
      ['dcyf_cms.csv language columns', dcyfLanguages.filter((l) => l), 0.95],
    ];
    for (const [name, values, floor] of sets) {
      const parses = values.map((v) => parseLanguages(v));
      const coded = parses.filter((p) => p.languages.some((l) => l.code)).length;
      expect(figure(name, 'give a coded language', coded, values.length)).toBeGreaterThanOrEqual(
        floor,
      );
      const all = parses.flatMap((p) => p.languages);
      figure(name, 'languages without a code', all.filter((l) => !l.code).length, all.length);
    }
  });

  it('status: every value read; inactive records kept, not searchable', () => {
    for (const [name, records] of [
      ['211.csv AgencyStatus', r211],
      ['sf_211.csv AgencyStatus', sf211],
    ] as const) {
      const given = records.map((r) => r.AgencyStatus ?? '').filter((s) => s.trim());
      const results = given.map((s) => normaliseStatus(s));
      expect(figure(name, 'read', results.filter((r) => r.status).length, given.length)).toBe(1);
      figure(name, 'searchable', results.filter((r) => r.searchable).length, given.length);
    }
    const inactive = r211.filter(
      (r) => normaliseStatus(r.AgencyStatus ?? '').status === 'inactive',
    ).length;
    expect(inactive).toBe(361);
  });
});
