// Entity resolution at scale: `npm run bench -- hsds-resolve [--records N] [--repeats N]`.
// Records are synthetic (the labelled WA 211 set has 658; the agency exports carry no truth):
// entities with made-up names, streets, phones, coordinates and websites in 40 towns, each
// listed by one of five agencies and, for 45% of them, by another (10% by a third), every
// listing perturbed as agencies write the same thing differently (see `perturb`). Figures:
// records/s of a full resolve against the exact-match baseline in the same run; one agency's
// records with 10% of them changed, replaced in the incremental resolver (its clusters read
// after) against a full resolve of the result; candidate pairs against n²; pairwise P/R/F1
// against the synthetic truth; the resolver state's JSON size.
import {
  blockingKeys,
  DEFAULT_BLOCKING,
  EntityResolver,
  exactMatchGroups,
  pairwiseScores,
  prepareRecord,
  type ResolvableRecord,
  resolveAll,
} from '../packages/hsds/src/resolve/index.js';
import { gc, median, option, table } from './_report.js';

/** A deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rand, p: number) => r() < p;

const SYLLABLES = [
  'ka',
  'lo',
  'mar',
  'ven',
  'tri',
  'sol',
  'bel',
  'dor',
  'ash',
  'ny',
  'ro',
  'qui',
  'ste',
  'wa',
  'lin',
  'har',
  'mo',
  'ze',
  'pan',
  'cor',
];
const KINDS = [
  'Food Bank',
  'Community Center',
  'Senior Center',
  'Health Clinic',
  'Family Services',
  'Youth Shelter',
  'Legal Aid',
  'Housing Authority',
  'Recovery Center',
  'Public Library',
  'Counseling Services',
  'Food Pantry & Kitchen',
];
const SUFFIXES: [string, string][] = [
  ['Street', 'St'],
  ['Avenue', 'Ave'],
  ['Road', 'Rd'],
  ['Boulevard', 'Blvd'],
  ['Drive', 'Dr'],
  ['Way', 'Way'],
];
const DIRECTIONS: [string, string][] = [
  ['North', 'N'],
  ['South', 'S'],
  ['East', 'E'],
  ['West', 'W'],
];

const word = (r: Rand) => {
  const s = Array.from({ length: 2 + Math.floor(r() * 2) }, () => pick(r, SYLLABLES)).join('');
  return s[0]!.toUpperCase() + s.slice(1);
};

interface Entity {
  id: number;
  name: string;
  number: string;
  direction?: [string, string];
  street: string;
  suffix: [string, string];
  unit?: string;
  town: { name: string; zip: string; lat: number; lon: number; area: string };
  phone?: string;
  point?: [number, number];
  website?: string;
}

function entities(count: number, r: Rand): Entity[] {
  const towns = Array.from({ length: 40 }, (_, i) => ({
    name: `${word(r)}ton`,
    zip: String(98000 + i * 7),
    lat: 46 + r() * 3,
    lon: -123 + r() * 4,
    area: String(200 + i * 17),
  }));
  return Array.from({ length: count }, (_, id) => {
    const town = pick(r, towns);
    const shape = r();
    const name =
      shape < 0.4
        ? `${word(r)} ${pick(r, KINDS)}`
        : shape < 0.7
          ? `${town.name} ${word(r)} ${pick(r, KINDS)}`
          : `${word(r)} ${word(r)} ${pick(r, KINDS)}`;
    const e: Entity = {
      id,
      name,
      number: String(1 + Math.floor(r() * 9999)),
      street: word(r),
      suffix: pick(r, SUFFIXES),
      town,
    };
    if (chance(r, 0.3)) e.direction = pick(r, DIRECTIONS);
    if (chance(r, 0.2)) e.unit = String(100 + Math.floor(r() * 400));
    if (chance(r, 0.8)) e.phone = `+1${town.area}555${String(id % 10000).padStart(4, '0')}`;
    if (chance(r, 0.6)) e.point = [town.lat + (r() - 0.5) * 0.08, town.lon + (r() - 0.5) * 0.1];
    if (chance(r, 0.5)) e.website = `https://www.${name.toLowerCase().replace(/[^a-z]+/g, '')}.org`;
    else if (chance(r, 0.1)) e.website = `https://www.facebook.com/${id}`;
    return e;
  });
}

function typo(r: Rand, text: string): string {
  const words = text.split(' ');
  const i = words.findIndex((w) => w.length >= 6);
  if (i < 0) return text;
  const w = words[i]!;
  const at = 1 + Math.floor(r() * (w.length - 2));
  words[i] = w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
  return words.join(' ');
}

/**
 * One agency's listing of an entity. Perturbations, each with its probability: name in lower
 * case (30%) or upper case (10%), `&` written `and` (50%), `Inc.` added (10%), two letters
 * swapped in a long word (10%), the town in brackets (10%); street suffix and direction
 * abbreviated or spelled out (50% each), the unit dropped (10%) or written `#` (30%); ZIP+4
 * (20%); the phone dropped (20%); coordinates dropped (30%) or moved up to ~30 m; the website
 * dropped (20%) or given with another path or scheme (30%).
 */
export function perturb(e: Entity, r: Rand, agency: string, key: number): ResolvableRecord {
  let name = e.name;
  if (chance(r, 0.5)) name = name.replace('&', 'and');
  if (chance(r, 0.1)) name = typo(r, name);
  if (chance(r, 0.1)) name += ', Inc.';
  if (chance(r, 0.1)) name += ` (${e.town.name})`;
  const c = r();
  if (c < 0.3) name = name.toLowerCase();
  else if (c < 0.4) name = name.toUpperCase();
  const long = chance(r, 0.5);
  const dir = e.direction ? `${e.direction[chance(r, 0.5) ? 0 : 1]} ` : '';
  const address_1 = `${e.number} ${dir}${e.street} ${e.suffix[long ? 0 : 1]}`;
  const rec: ResolvableRecord = {
    id: `${agency}:${key}`,
    source: {
      agency,
      layout: 'synthetic',
      file: `${agency}.csv`,
      line: key + 2,
      recordId: String(key),
    },
    name,
    address: {
      address_1,
      city: e.town.name,
      state_province: 'WA',
      postal_code: chance(r, 0.2) ? `${e.town.zip}-${1000 + Math.floor(r() * 8999)}` : e.town.zip,
    },
  };
  if (e.unit && !chance(r, 0.1))
    rec.address!.address_2 = chance(r, 0.3) ? `#${e.unit}` : `Suite ${e.unit}`;
  if (e.phone && !chance(r, 0.2)) rec.phones = [e.phone];
  if (e.point && !chance(r, 0.3)) {
    rec.latitude = e.point[0] + (r() - 0.5) * 0.0005;
    rec.longitude = e.point[1] + (r() - 0.5) * 0.0005;
  }
  if (e.website && !chance(r, 0.2)) {
    rec.website = chance(r, 0.3)
      ? `${e.website.replace('https://www.', 'http://')}/about`
      : e.website;
  }
  return rec;
}

const AGENCIES = ['a', 'b', 'c', 'd', 'e'];

export interface Synthetic {
  records: ResolvableRecord[];
  /** The entity of each record. */
  entityOf: Map<string, number>;
  /** Agency `a`'s records with 10% of them listed anew (other perturbations, same ids). */
  changedA: ResolvableRecord[];
}

/** About `n` records of five agencies, deterministic for a seed. */
export function synthetic(n: number, seed = 20): Synthetic {
  const r = rng(seed);
  const all = entities(Math.ceil(n / 1.4), r);
  const records: ResolvableRecord[] = [];
  const entityOf = new Map<string, number>();
  const byAgency = new Map(AGENCIES.map((a) => [a, 0]));
  const list = (e: Entity, agency: string) => {
    const key = byAgency.get(agency)!;
    byAgency.set(agency, key + 1);
    const rec = perturb(e, r, agency, key);
    records.push(rec);
    entityOf.set(rec.id, e.id);
  };
  for (const e of all) {
    if (records.length >= n) break;
    const agencies = [...AGENCIES].sort(() => r() - 0.5);
    list(e, agencies[0]!);
    if (chance(r, 0.45)) list(e, agencies[1]!);
    if (chance(r, 0.1)) list(e, agencies[2]!);
  }
  const changedA = records
    .filter((rec) => rec.source.agency === 'a')
    .map((rec) =>
      chance(r, 0.1)
        ? { ...perturb(all[entityOf.get(rec.id)!]!, r, 'a', rec.source.line - 2) }
        : rec,
    );
  return { records: records.slice(0, n), entityOf, changedA };
}

export interface ResolveBenchResult {
  records: number;
  fullSeconds: number;
  baselineSeconds: number;
  resolverLoadSeconds: number;
  agencyRecords: number;
  agencyChanged: number;
  incrementalSeconds: number;
  fullAfterChangeSeconds: number;
  candidatePairs: number;
  /** True pairs (same synthetic entity) that share a block within the cap, and all of them. */
  truePairsKept: number;
  truePairs: number;
  clusters: number;
  stateBytes: number;
  ours: ReturnType<typeof pairwiseScores>;
  baseline: ReturnType<typeof pairwiseScores>;
  identical: boolean;
}

/** How many true pairs share a block within the cap, of how many. */
function pairCompleteness(
  records: readonly ResolvableRecord[],
  truth: readonly string[][],
): { truePairsKept: number; truePairs: number } {
  const keys = new Map(
    records.map((r) => [r.id, blockingKeys(prepareRecord(r), DEFAULT_BLOCKING)]),
  );
  const size = new Map<string, number>();
  for (const ks of keys.values()) for (const k of ks) size.set(k, (size.get(k) ?? 0) + 1);
  let truePairsKept = 0;
  let truePairs = 0;
  for (const g of truth) {
    for (let i = 0; i < g.length; i++) {
      const mine = new Set(
        keys.get(g[i]!)!.filter((k) => size.get(k)! <= DEFAULT_BLOCKING.maxBlockSize),
      );
      for (let j = i + 1; j < g.length; j++) {
        truePairs++;
        if (keys.get(g[j]!)!.some((k) => mine.has(k))) truePairsKept++;
      }
    }
  }
  return { truePairsKept, truePairs };
}

const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const v = f();
  return [v, (performance.now() - t0) / 1000];
};

/** Runs every measurement on `data`, each timing the median of `repeats`. */
export function runResolveBench(data: Synthetic, repeats: number): ResolveBenchResult {
  const { records, changedA } = data;
  const fullTimes: number[] = [];
  const baseTimes: number[] = [];
  let full = resolveAll([]);
  let groups: string[][] = [];
  for (let i = 0; i < repeats; i++) {
    gc();
    let t: number;
    [full, t] = time(() => resolveAll(records));
    fullTimes.push(t);
    gc();
    [groups, t] = time(() => exactMatchGroups(records));
    baseTimes.push(t);
  }
  gc();
  const resolver = new EntityResolver();
  const [, loadSeconds] = time(() => {
    resolver.upsert(records);
    return resolver.clusters();
  });
  const originalA = records.filter((r) => r.source.agency === 'a');
  const changedIds = changedA.filter((r, i) => r !== originalA[i]).length;
  const incTimes: number[] = [];
  const afterTimes: number[] = [];
  const others = records.filter((r) => r.source.agency !== 'a');
  let after = full;
  for (let i = 0; i < repeats; i++) {
    gc();
    incTimes.push(
      time(() => {
        resolver.replaceAgency('a', changedA);
        return resolver.clusters();
      })[1],
    );
    gc();
    let t: number;
    [after, t] = time(() => resolveAll([...others, ...changedA]));
    afterTimes.push(t);
    if (i < repeats - 1) resolver.replaceAgency('a', originalA);
  }
  const identical = JSON.stringify(resolver.clusters()) === JSON.stringify(after.clusters);
  const truth = new Map<number, string[]>();
  for (const r of records) {
    const e = data.entityOf.get(r.id)!;
    const g = truth.get(e);
    if (g) g.push(r.id);
    else truth.set(e, [r.id]);
  }
  const truthGroups = [...truth.values()].filter((g) => g.length > 1);
  return {
    records: records.length,
    fullSeconds: median(fullTimes),
    baselineSeconds: median(baseTimes),
    resolverLoadSeconds: loadSeconds,
    agencyRecords: changedA.length,
    agencyChanged: changedIds,
    incrementalSeconds: median(incTimes),
    fullAfterChangeSeconds: median(afterTimes),
    candidatePairs: full.candidatePairs,
    ...pairCompleteness(records, truthGroups),
    clusters: full.clusters.length,
    stateBytes: JSON.stringify(resolver).length,
    ours: pairwiseScores(
      full.clusters.map((c) => c.members.map((m) => m.id)),
      truthGroups,
    ),
    baseline: pairwiseScores(groups, truthGroups),
    identical,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(option('records') ?? 100_000);
  const repeats = Number(option('repeats') ?? 3);
  const res = runResolveBench(synthetic(n), repeats);
  const num = (x: number) => Math.round(x).toLocaleString('en-US');
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const all = (res.records * (res.records - 1)) / 2;
  const rows = [
    [
      'full resolve',
      num(res.records),
      res.fullSeconds.toFixed(2),
      num(res.records / res.fullSeconds),
      '',
    ],
    [
      'exact-match baseline',
      num(res.records),
      res.baselineSeconds.toFixed(2),
      num(res.records / res.baselineSeconds),
      (res.fullSeconds / res.baselineSeconds).toFixed(1),
    ],
    [
      'resolver, first load',
      num(res.records),
      res.resolverLoadSeconds.toFixed(2),
      num(res.records / res.resolverLoadSeconds),
      '',
    ],
    [
      `agency a replaced (${num(res.agencyChanged)} of ${num(res.agencyRecords)} changed)`,
      num(res.agencyRecords),
      res.incrementalSeconds.toFixed(3),
      num(res.agencyRecords / res.incrementalSeconds),
      '',
    ],
    [
      'full resolve after the change',
      num(res.records),
      res.fullAfterChangeSeconds.toFixed(2),
      num(res.records / res.fullAfterChangeSeconds),
      (res.fullAfterChangeSeconds / res.incrementalSeconds).toFixed(1),
    ],
  ];
  const scores = (s: ReturnType<typeof pairwiseScores>) =>
    `P ${pct(s.precision)} R ${pct(s.recall)} F1 ${pct(s.f1)}`;
  process.stdout.write(
    `hsds-resolve: ${num(res.records)} synthetic records of 5 agencies (median of ${repeats})\n\n` +
      `${table(['run', 'records', 'seconds', 'records/s', 'ratio'], rows)}\n\n` +
      'ratio: full resolve / exact-match baseline; full resolve after the change / incremental replacement\n' +
      `incremental result identical to the full resolve: ${res.identical}\n` +
      `candidate pairs: ${num(res.candidatePairs)} of ${num(all)} (${((100 * res.candidatePairs) / all).toFixed(4)}%); ` +
      `pair completeness ${num(res.truePairsKept)} of ${num(res.truePairs)} (${pct(res.truePairsKept / res.truePairs)})\n` +
      `clusters: ${num(res.clusters)}; state: ${(res.stateBytes / 1e6).toFixed(1)} MB (${num(res.stateBytes / res.records)} bytes/record)\n` +
      `pairwise vs synthetic truth: resolver ${scores(res.ours)}; exact match ${scores(res.baseline)}\n`,
  );
}
