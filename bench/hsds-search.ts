// The search index at scale: `npm run bench -- hsds-search [--services N] [--repeats N]
// [--hand-made]`. Services are scaled to N (default 100,000) by copying base records: the real
// 211.csv and sf_211.csv exports mapped by their layouts when the shared data is present (read,
// never written anywhere but a temporary folder), else a dozen hand-made ones (--hand-made forces
// them). Copy k of a record is perturbed: its name gets a numbered suffix (`… 7`), its locations
// move by up to ±0.05° in latitude and longitude, the digits of its phone numbers after +1 are
// shuffled, and it belongs to agency `agency-(k mod 10)`, so each of ten agencies holds ~10%.
//
// Figures, on an index file in a temporary folder:
// - build: the full index (create, upsert everything, optimize), its size;
// - query latency p50/p99 over a mixed workload (the judged queries' texts, single words,
//   misspellings, Spanish, taxonomy filters, a browse, near-me queries; limit 10, with total and
//   facets), each query --repeats times, against the baseline on the same data in the same run:
//   one FTS5 column, `bm25()`, the words OR-ed, LIMIT 10 (PlainIndex);
// - one agency changed: agency-3 (~10% of the records) sends a new export in which 10% of its
//   records changed, 1% are gone and 1% are new; `replaceAgency` (incremental) against a full
//   rebuild of the index from every agency's records, and the ratio.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layouts, type MappedService, mapExport } from '../packages/hsds/src/map/index.js';
import type { Service } from '../packages/hsds/src/model/index.js';
import {
  type NearFilter,
  PlainIndex,
  type SearchEntry,
  SearchIndex,
  type SearchQuery,
} from '../packages/hsds/src/search/index.js';
import { gc, median, option, table } from './_report.js';

const AGENCIES = 10;

/** A small deterministic generator (mulberry32), so runs are comparable. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Template = [name: string, org: string, description: string, terms: [string, string][]];

const TEMPLATES: Template[] = [
  [
    'Northside Food Pantry',
    'St. Mark Church',
    'Groceries and canned goods for families once a week.',
    [['BD-1800.2000', 'Food Pantries']],
  ],
  [
    'Hot Meals Program',
    'Food for All',
    'Free lunch daily for anyone in need.',
    [['BD-5000.8300', 'Soup Kitchens']],
  ],
  [
    'Harbor Shelter for Men',
    'Harbor House',
    'Overnight emergency shelter beds and showers.',
    [['BH-1800.8500', 'Homeless Shelter']],
  ],
  [
    'Safe Haven',
    'Women Against Violence',
    'Confidential shelter and hotline for domestic violence survivors.',
    [['BH-1800.1500', 'Domestic Violence Shelters']],
  ],
  [
    'Legal Aid Clinic',
    'Bar Association',
    'Free lawyers for tenants facing eviction.',
    [['FT-3000', 'Legal Services']],
  ],
  [
    'Youth Counseling Center',
    'Family Guidance',
    'Individual and family counseling for children and teens.',
    [['RP-1400.8000-050', 'Individual Counseling']],
  ],
  [
    'Clothing Closet',
    'Community Action',
    'Free clothes and coats for adults and children.',
    [['BM-6500.1500', 'Clothing']],
  ],
  [
    'Recovery House',
    'New Start',
    'Residential substance abuse treatment and detox.',
    [['RX-8450.8000', 'Residential Substance Abuse Treatment']],
  ],
  [
    'Job Training Center',
    'Workforce Partners',
    'Vocational training and job placement.',
    [['ND-6500', 'Job Training Formats']],
  ],
  [
    'Little Steps Child Care',
    'Little Steps',
    'Day care for infants and preschool children.',
    [['PH-1250.1400', 'Child Care Centers']],
  ],
  [
    'Senior Lunch Club',
    'Elder Services',
    'Congregate meals for adults 60 and older.',
    [['BD-5000.1500', 'Congregate Meals/Nutrition Sites']],
  ],
  [
    'English Classes',
    'Newcomer Center',
    'ESL classes and citizenship preparation, en español también.',
    [['HH-0500.2000', 'English as a Second Language']],
  ],
];

const CENTRES = [
  [38.9, -77.03],
  [37.77, -122.42],
  [47.61, -122.33],
];

/** Twelve hand-made services (no real record), placed around three cities. */
export function handMadeServices(): MappedService[] {
  return TEMPLATES.map(([name, org, description, terms], i) => {
    const [lat, lon] = CENTRES[i % CENTRES.length]!;
    const id = `hand-${i}`;
    const service: Service = {
      id,
      name,
      status: 'active',
      description,
      organization: { id: `org-${i}`, name: org, description: '' },
      phones: [{ id: `ph-${i}`, number: `+1202555${String(1000 + i).slice(-4)}` }],
      attributes: terms.map(([code, term]) => ({
        id: `${id}-${code}`,
        taxonomy_term: { id: `term-${code}`, code, name: term, description: '' },
      })),
      service_at_locations: [
        {
          id: `sal-${i}`,
          location: { id: `loc-${i}`, location_type: 'physical', latitude: lat!, longitude: lon! },
        },
      ],
    };
    return {
      service,
      source: {
        agency: 'hand-made',
        layout: 'hand-made',
        file: 'bench',
        line: i + 1,
        recordId: id,
      },
      searchable: true,
    };
  });
}

/** The real exports, mapped (undefined when the shared data is absent). */
export function realServices(root: string): MappedService[] | undefined {
  const exports = [
    { agency: '211', file: '211.csv', layout: 'icarol-211' },
    { agency: 'sf-211', file: 'sf_211.csv', layout: 'icarol-211-extended' },
  ];
  if (!exports.every((e) => existsSync(`${root}agencies/${e.file}`))) return undefined;
  return exports.flatMap(({ agency, file, layout }) => {
    const bytes = readFileSync(`${root}agencies/${file}`);
    return mapExport(layouts[layout]!, { agency, file, bytes }).services;
  });
}

function shuffleDigits(number: string, next: () => number): string {
  const digits = number.slice(2).split('');
  for (let i = digits.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [digits[i], digits[j]] = [digits[j]!, digits[i]!];
  }
  return `${number.slice(0, 2)}${digits.join('')}`;
}

/** Copy `k` of a record, perturbed as the header says. */
export function perturb(base: MappedService, k: number, next: () => number): SearchEntry {
  const s = base.service;
  const shift = () => (next() - 0.5) * 0.1;
  const service: Service = {
    ...s,
    id: `${s.id}-${k}`,
    name: `${s.name} ${k}`,
    ...(s.phones
      ? { phones: s.phones.map((p) => ({ ...p, number: shuffleDigits(p.number, next) })) }
      : {}),
    ...(s.service_at_locations
      ? {
          service_at_locations: s.service_at_locations.map((sal) =>
            sal.location?.latitude === undefined || sal.location.longitude === undefined
              ? sal
              : {
                  ...sal,
                  location: {
                    ...sal.location,
                    latitude: sal.location.latitude + shift(),
                    longitude: sal.location.longitude + shift(),
                  },
                },
          ),
        }
      : {}),
  };
  return {
    ...base,
    service,
    source: {
      ...base.source,
      agency: `agency-${k % AGENCIES}`,
      recordId: `${base.source.recordId}-${k}`,
    },
  };
}

/** `n` services: copies 0, 1, 2… of every base record, perturbed. */
export function scaleServices(base: readonly MappedService[], n: number, seed = 20): SearchEntry[] {
  const next = random(seed);
  const out: SearchEntry[] = [];
  for (let k = 0; out.length < n; k++) {
    for (const b of base) {
      if (out.length >= n) break;
      out.push(perturb(b, k, next));
    }
  }
  return out;
}

/** A new export of one agency: 10% of its records changed, 1% gone, 1% new. */
export function changedExport(
  all: readonly SearchEntry[],
  agency: string,
  seed = 7,
): SearchEntry[] {
  const next = random(seed);
  const own = all.filter((e) => e.source.agency === agency);
  const kept = own.filter(() => next() >= 0.01);
  const changed = kept.map((e) =>
    next() < 0.1
      ? {
          ...e,
          service: { ...e.service, description: `${e.service.description ?? ''} Hours changed.` },
        }
      : e,
  );
  const added = own.slice(0, Math.ceil(own.length / 100)).map((e, i) => ({
    ...e,
    service: { ...e.service, id: `${e.service.id}-new-${i}`, name: `${e.service.name} annex` },
    source: { ...e.source, recordId: `${e.source.recordId}-new-${i}` },
  }));
  return [...changed, ...added];
}

/** The mixed workload: judged query texts and more, some near a point, some filtered. */
export function workload(judgedTexts: readonly string[]): SearchQuery[] {
  const dc: NearFilter = { latitude: 38.9296, longitude: -77.0325, radiusKm: 3 };
  const sf: NearFilter = { latitude: 37.784, longitude: -122.414, radiusKm: 2 };
  const words = [
    'food',
    'shelter',
    'housing',
    'legal services',
    'youth',
    'senior center',
    'hiv',
    'medicaid',
    'foood pantry',
    'shleter',
    'counceling',
    'vivienda',
    'comida para niños',
    'ayuda legal',
    'church',
    '"food" AND -pantry*',
    'NEAR(food pantry)',
  ];
  return [
    ...[...judgedTexts, ...words].map((text) => ({ text })),
    { text: 'food', near: dc },
    { text: 'shelter', near: sf },
    { text: 'clinic', near: dc },
    { near: sf },
    { text: 'food', taxonomy: ['BD-1800'] },
    { taxonomy: ['BH-1800.8500'] },
    {},
  ];
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

function percentiles(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { p50: median(s), p99: at(0.99), max: s.at(-1)! };
}

export interface SearchBench {
  services: number;
  buildSeconds: number;
  indexBytes: number;
  queries: number;
  ours: Latency;
  oursNoFacets: Latency;
  baseline: Latency;
  incremental: {
    seconds: number;
    added: number;
    updated: number;
    unchanged: number;
    removed: number;
  };
  rebuildSeconds: number;
  /** The slowest queries by their median time, with how many records they match. */
  slowest: { query: string; ms: number; baselineMs: number; total: number }[];
}

let sink = 0;

/** Builds the index in `dir`, times the workload and one agency's update; see the header. */
export function runSearchBench(
  entries: readonly SearchEntry[],
  queries: readonly SearchQuery[],
  repeats: number,
  dir: string,
): SearchBench {
  const build = (path: string, all: readonly SearchEntry[]) => {
    const t0 = performance.now();
    const index = SearchIndex.create(path);
    index.upsert(all);
    index.optimize();
    return { index, seconds: (performance.now() - t0) / 1000 };
  };
  gc();
  const path = join(dir, 'index.sqlite');
  const { index, seconds: buildSeconds } = build(path, entries);
  const plain = new PlainIndex();
  plain.add(entries);

  const ours: number[] = [];
  const oursNoFacets: number[] = [];
  const baseline: number[] = [];
  const perQuery = queries.map(() => ({
    ours: [] as number[],
    baseline: [] as number[],
    total: 0,
  }));
  for (const q of queries) {
    index.search({ ...q, limit: 10 });
    plain.search(q.text ?? '', { limit: 10, ...(q.near ? { near: q.near } : {}) });
  }
  gc();
  for (let r = 0; r < repeats; r++) {
    for (const [i, q] of queries.entries()) {
      let t0 = performance.now();
      const total = index.search({ ...q, limit: 10 }).total;
      ours.push(performance.now() - t0);
      perQuery[i]!.ours.push(ours.at(-1)!);
      perQuery[i]!.total = total;
      sink += total;
      t0 = performance.now();
      sink += index.search({ ...q, limit: 10, facetLimit: 0 }).total;
      oursNoFacets.push(performance.now() - t0);
      t0 = performance.now();
      sink += plain.search(q.text ?? '', { limit: 10, ...(q.near ? { near: q.near } : {}) }).length;
      baseline.push(performance.now() - t0);
      perQuery[i]!.baseline.push(baseline.at(-1)!);
    }
  }
  if (sink < 0) throw new Error('unreachable');
  plain.close();

  const agency = 'agency-3';
  const fresh = changedExport(entries, agency);
  gc();
  let t0 = performance.now();
  const counts = index.replaceAgency(agency, fresh);
  const incrementalSeconds = (performance.now() - t0) / 1000;
  index.close();
  const indexBytes = statSync(path).size;

  const everything = [...entries.filter((e) => e.source.agency !== agency), ...fresh];
  gc();
  t0 = performance.now();
  const rebuilt = build(join(dir, 'rebuilt.sqlite'), everything);
  const rebuildSeconds = (performance.now() - t0) / 1000;
  rebuilt.index.close();
  return {
    services: entries.length,
    buildSeconds,
    indexBytes,
    queries: queries.length,
    ours: percentiles(ours),
    oursNoFacets: percentiles(oursNoFacets),
    baseline: percentiles(baseline),
    incremental: { seconds: incrementalSeconds, ...counts },
    rebuildSeconds,
    slowest: perQuery
      .map((p, i) => ({
        query: JSON.stringify(queries[i]),
        ms: median(p.ours),
        baselineMs: median(p.baseline),
        total: p.total,
      }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5),
  };
}

export function report(b: SearchBench, source: string): string {
  const ms = (x: number) => x.toFixed(2);
  const rows = [
    ['search (total + facets)', ms(b.ours.p50), ms(b.ours.p99), ms(b.ours.max)],
    [
      'search (total, no facets)',
      ms(b.oursNoFacets.p50),
      ms(b.oursNoFacets.p99),
      ms(b.oursNoFacets.max),
    ],
    ['baseline: plain FTS5 MATCH', ms(b.baseline.p50), ms(b.baseline.p99), ms(b.baseline.max)],
  ];
  const i = b.incremental;
  return (
    `hsds-search: ${b.services.toLocaleString('en-US')} services (${source})\n` +
    `build: ${b.buildSeconds.toFixed(1)} s (create, upsert, optimize), index file ${(b.indexBytes / 2 ** 20).toFixed(0)} MiB\n\n` +
    `query latency, ${b.queries} queries x repeats, limit 10 (ms)\n` +
    `${table(['query', 'p50', 'p99', 'max'], rows)}\n` +
    `slowest (median ms, search / baseline, matches): ${b.slowest
      .map(
        (q) => `${q.query} ${ms(q.ms)} / ${ms(q.baselineMs)}, ${q.total.toLocaleString('en-US')}`,
      )
      .join('; ')}\n\n` +
    `one agency changed (agency-3: ${i.added} added, ${i.updated} changed, ${i.removed} removed, ${i.unchanged} unchanged)\n` +
    `${table(
      ['update', 'seconds'],
      [
        ['incremental (replaceAgency)', i.seconds.toFixed(2)],
        ['full rebuild (create, upsert, optimize)', b.rebuildSeconds.toFixed(2)],
      ],
    )}\n` +
    `rebuild / incremental: ${(b.rebuildSeconds / i.seconds).toFixed(1)}x\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(option('services') ?? 100_000);
  const repeats = Number(option('repeats') ?? 5);
  const root = fileURLToPath(
    new URL(
      `${(process.env.WEIR_SHARED_DATA ?? '../../shared/data').replace(/\/$/, '')}/social-services/`,
      process.env.WEIR_SHARED_DATA ? 'file:///' : import.meta.url,
    ),
  );
  const real = process.argv.includes('--hand-made') ? undefined : realServices(root);
  const base = real ?? handMadeServices();
  const source = real
    ? `copies of the ${real.length.toLocaleString('en-US')} mapped records of 211.csv and sf_211.csv, perturbed`
    : 'copies of 12 hand-made records, perturbed';
  const judged = fileURLToPath(
    new URL('../examples/social-services/quality/judged-queries.json', import.meta.url),
  );
  const texts = existsSync(judged)
    ? (JSON.parse(readFileSync(judged, 'utf8')) as { queries: { text: string }[] }).queries.map(
        (q) => q.text,
      )
    : [];
  const dir = mkdtempSync(join(tmpdir(), 'weir-hsds-search-'));
  try {
    const result = runSearchBench(scaleServices(base, n), workload(texts), repeats, dir);
    process.stdout.write(report(result, source));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
