// Throughput of the HSDS normalisers on the real agency exports: `npm run bench -- hsds-normalise
// [--repeats N]`. For each kind of field, every value of it in the shared data's exports (211.csv,
// sf_211.csv, linksf.json, apd_export.txt, dcyf_cms.csv, wa211_dedup_training_set.csv) is
// normalised once per run, alternating run for run with the baseline measured on the same
// values: a bare split/regex pass of the kind anyone writes first (split at the separators, trim,
// match the obvious pattern), which reads nothing it cannot see and reports nothing. Figures:
// records, microseconds per record for both (median of --repeats runs), records/s, and the
// normaliser's cost as a multiple of the baseline's (median of the per-run ratios).
import { fileURLToPath } from 'node:url';
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
  type UsAddressInput,
} from '../packages/hsds/src/normalise/index.js';
import {
  apdFields,
  columnValues,
  PHONE_COLUMNS_211,
  type Resolve,
  readCsvRecords,
  readLinkSf,
  readWa211,
} from '../packages/hsds/test/normalise-fixtures.js';
import { gc, median, option, table } from './_report.js';

/** One kind of field: its values, the normaliser, and the baseline pass over the same values. */
export interface FieldSet<T = unknown> {
  kind: string;
  values: readonly T[];
  normalise: (value: T) => unknown;
  baseline: (value: T) => unknown;
}

interface TaxonomyFields {
  codes: string;
  terms: string;
  paths: string;
}

const ZIP = /^\d{5}(?:-\d{4})?$/;
const set = <T>(s: FieldSet<T>): FieldSet => s as FieldSet;

/** The kinds of field with their normalisers and baselines, over the given values. */
export function fieldSets(values: {
  phones: string[];
  urls: string[];
  addressColumns: UsAddressInput[];
  addressLines: string[];
  hours: string[];
  openHours: unknown[];
  taxonomy: TaxonomyFields[];
  languages: string[];
  statuses: string[];
}): FieldSet[] {
  return [
    set({
      kind: 'phone',
      values: values.phones,
      normalise: (v: string) => parsePhones(v),
      baseline: (v: string) => v.match(/\d{3}\D{0,3}\d{3}\D{0,3}\d{4}/g),
    }),
    set({
      kind: 'url',
      values: values.urls,
      normalise: (v: string) => normaliseUrl(v),
      baseline: (v: string) => v.trim().toLowerCase().split(/\s+/)[0],
    }),
    set({
      kind: 'address (columns)',
      values: values.addressColumns,
      normalise: (v: UsAddressInput) => normaliseUsAddress(v),
      baseline: (v: UsAddressInput) => [
        v.address_1?.trim(),
        v.address_2?.trim(),
        v.city?.trim(),
        v.state_province?.trim().toUpperCase(),
        ZIP.test(v.postal_code?.trim() ?? ''),
      ],
    }),
    set({
      kind: 'address (one line)',
      values: values.addressLines,
      normalise: (v: string) => parseUsAddress(v),
      baseline: (v: string) => [v.split(',').map((s) => s.trim()), /\d{5}(?:-\d{4})?\s*$/.exec(v)],
    }),
    set({
      kind: 'opening hours (text)',
      values: values.hours,
      normalise: (v: string) => parseOpeningHours(v),
      baseline: (v: string) => v.split(';').map((s) => s.match(/\d{1,2}(?::\d\d)?\s*(?:am|pm)?/gi)),
    }),
    set({
      kind: 'opening hours (JSON)',
      values: values.openHours,
      normalise: (v: unknown) => openHoursToSchedules(v),
      baseline: (v: unknown) =>
        Object.entries(v as Record<string, number[][]>).map(([d, p]) => [d, p.length]),
    }),
    set({
      kind: 'taxonomy',
      values: values.taxonomy,
      normalise: (v: TaxonomyFields) =>
        parseTaxonomyCodes(v.codes, { terms: v.terms, paths: v.paths }),
      baseline: (v: TaxonomyFields) => [
        v.codes.split(';').map((s) => s.trim()),
        v.terms.split(';'),
        v.paths.split(';'),
      ],
    }),
    set({
      kind: 'languages',
      values: values.languages,
      normalise: (v: string) => parseLanguages(v),
      baseline: (v: string) => v.split(/[,;/]/).map((s) => s.trim().toLowerCase()),
    }),
    set({
      kind: 'status',
      values: values.statuses,
      normalise: (v: string) => normaliseStatus(v),
      baseline: (v: string) => v.trim().toLowerCase() === 'active',
    }),
  ];
}

/** Every value of each kind in the shared data's agency exports. */
export function realFieldSets(resolve: Resolve): FieldSet[] {
  const r211 = readCsvRecords('agencies/211.csv', resolve);
  const sf211 = readCsvRecords('agencies/sf_211.csv', resolve);
  const dcyf = readCsvRecords('agencies/dcyf_cms.csv', resolve);
  const linksf = readLinkSf(resolve);
  const wa211 = readWa211(resolve);
  const both = [...r211, ...sf211];
  return fieldSets({
    phones: [
      ...columnValues(both, PHONE_COLUMNS_211),
      ...linksf.map((f) => f.phone),
      ...apdFields(/phone|fax|tty/i, resolve),
      ...columnValues(dcyf, ['Site Phone']),
    ],
    urls: [
      ...columnValues(both, ['WebsiteAddress']),
      ...linksf.map((f) => f.website),
      ...wa211.map((r) => r.url).filter((u) => u.trim()),
    ],
    addressColumns: [
      ...both.map((r) => ({
        address_1: r.PhysicalAddress1,
        address_2: r.PhysicalAddress2,
        city: r.PhysicalCity,
        state_province: r.PhysicalStateProvince,
        postal_code: r.PhysicalPostalCode,
        country: r.PhysicalCountry,
      })),
      ...wa211.map((r) => ({
        address_1: r.address1,
        address_2: r.address2,
        city: r.city,
        state_province: r.state,
        postal_code: r.postalCode,
        country: r.country,
      })),
    ],
    addressLines: [
      ...apdFields(/^(?:location|address|mailing address)$/i, resolve),
      ...linksf.map((f) => f.address),
    ],
    hours: [...columnValues(both, ['HoursOfOperation', 'Hours']), ...apdFields(/hours/i, resolve)],
    openHours: linksf.flatMap((f) => f.services.map((s) => s.openHours ?? {})),
    taxonomy: both
      .filter((r) => r.TaxonomyCodes?.trim())
      .map((r) => ({
        codes: r.TaxonomyCodes!,
        terms: r.TaxonomyTerm ?? '',
        paths: r.TaxonomyTerms ?? '',
      })),
    languages: [
      ...columnValues(both, ['LanguagesOffered']),
      ...apdFields(/^languages/i, resolve),
      ...columnValues(dcyf, ['Language Other']),
    ],
    statuses: columnValues(both, ['AgencyStatus']),
  });
}

export interface KindTiming {
  kind: string;
  records: number;
  /** Seconds per record, median of the runs. */
  normaliseSeconds: number;
  baselineSeconds: number;
  /** Median of the per-run ratios normaliser / baseline. */
  ratio: number;
}

// Results are counted here so that no pass can be optimised away.
let sink = 0;

function timePass<T>(values: readonly T[], f: (value: T) => unknown): number {
  const t0 = performance.now();
  for (const v of values) if (f(v) !== undefined) sink++;
  if (sink < 0) throw new Error('unreachable');
  return (performance.now() - t0) / 1000;
}

/** Times each kind's normaliser against its baseline, alternating run for run. */
export function runNormaliseBench(sets: readonly FieldSet[], repeats: number): KindTiming[] {
  return sets.map((s) => {
    timePass(s.values, s.normalise);
    timePass(s.values, s.baseline);
    const ours: number[] = [];
    const base: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < repeats; r++) {
      gc();
      const a = timePass(s.values, s.normalise);
      const b = timePass(s.values, s.baseline);
      ours.push(a);
      base.push(b);
      ratios.push(a / Math.max(b, 1e-9));
    }
    const n = Math.max(s.values.length, 1);
    return {
      kind: s.kind,
      records: s.values.length,
      normaliseSeconds: median(ours) / n,
      baselineSeconds: median(base) / n,
      ratio: median(ratios),
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const repeats = Number(option('repeats') ?? 15);
  const root = fileURLToPath(
    new URL(
      `${(process.env.WEIR_SHARED_DATA ?? '../../shared/data').replace(/\/$/, '')}/social-services/`,
      process.env.WEIR_SHARED_DATA ? 'file:///' : import.meta.url,
    ),
  );
  const timings = runNormaliseBench(
    realFieldSets((relative) => `${root}${relative}`),
    repeats,
  );
  const us = (s: number) => (s * 1e6).toFixed(2);
  const rows = timings.map((t) => [
    t.kind,
    t.records.toLocaleString('en-US'),
    us(t.normaliseSeconds),
    us(t.baselineSeconds),
    Math.round(1 / t.normaliseSeconds).toLocaleString('en-US'),
    t.ratio.toFixed(1),
  ]);
  process.stdout.write(
    `hsds-normalise: every value of each field kind in the real agency exports, normalised once per run (median of ${repeats})\n` +
      'baseline: a bare split/regex pass over the same values, measured in the same run, alternating\n\n' +
      `${table(['field', 'records', 'µs/record', 'baseline µs/record', 'records/s', 'x baseline'], rows)}\n`,
  );
}
