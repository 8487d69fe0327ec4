// One agency changed: incremental update against a full rebuild, at 100,000 services, end to end
// through Weir: `npm run bench -- social-incremental [--services N] [--agency KEY] [--share F]
// [--concurrency N] [--keep]` (at 100,000 services, about 7 minutes on the 2-core machine: three
// materializations, ~100 MB of exports in the scratch folder; --keep leaves the folder there).
//
// The project is the social-services example itself (examples/social-services/weir.config.ts:
// agency_feed → hsds[agency] → directory → search_index), imported unchanged and materialized
// with `materialize(project, { instance })` on an embedded instance in a scratch folder
// (.bench-tmp/social-incremental/, never committed: the exports carry no licence), the process's
// working directory set there so the example finds its `inbox/`.
//
// Scaling. The example's agencies are a static table (src/agencies.ts), so the bench keeps its
// six agencies and their layouts and scales each agency's export instead: the real export
// (shared data) is written out `services / 6,543` times over (the same factor for each agency,
// so the real proportions stay: dc-211 and sf-211 hold three quarters), the last copy cut short.
// Copy 0 is the real records verbatim; copy k ≥ 1 is the same records moved elsewhere, the same
// way for every agency, so the real cross-agency duplicates of copy k still match each other and
// nothing matches across copies (see `perturb`):
// - names (service, program, site, organization, parent agency; APD titles) get ` k` (but the
//   Washington set's `missing org` placeholders, which the mapper skips, stay as they are);
// - agency ids (`ResourceAgencyNum`, `ParentAgencyNum`, LinkSF `objectId`) get `-k`;
// - the last four digits of every phone number become (d + 7919·k) mod 10000;
// - latitude and longitude move by +0.05°·k (5 km and more apart: "far" for the resolver);
// - street numbers (address line 1, APD `Location:`, LinkSF `address`) grow by 1000·k, and an
//   address without one (`Pier 39`) is given 1000·k, so copies are never at the same address.
// CSV is written back as UTF-8 (the readers' decoding of the originals), JSON as compact JSON,
// APD block by block; the Washington set's format row is kept in copy 0 only.
//
// Then:
// 1. full build: the six agencies registered as partitions, the scaled exports in inbox/, every
//    asset materialized into a fresh instance;
// 2. incremental: one agency's export (--agency, default wa-211, about 10% of the services)
//    is written again with --share (default 10%) of its records changed (every tenth record's
//    names get ` (updated)`), and materialized: hsds[that agency], then the directory (which
//    re-resolves that agency only, from the resolver state of its previous version) and the
//    search index (a copy of the previous, that agency's rows replaced);
// 3. full rebuild of the same final state: the same inbox materialized into a second, fresh
//    instance (no previous version anywhere: every hsds partition, the directory and the index
//    built from scratch), and its data versions compared with the incremental ones.
// Figures: seconds per step (from its `step:started` to its last event, checks included, as
// `onEvent` receives them; steps run one at a time unless --concurrency says otherwise), the
// whole `materialize()` call (observing the 6 exports' SHA-256 and planning included), and the
// ratio rebuild / incremental. Query latency on such an index is bench/hsds-search.ts's.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addDynamicPartitions,
  materialize,
  openInstance,
  type RunResult,
  type StoredEvent,
} from 'weir';
import { AGENCIES } from '../examples/social-services/src/agencies.js';
import project from '../examples/social-services/weir.config.js';
import { layouts, mapExport } from '../packages/hsds/src/map/index.js';
import { decodeText, parseCsv, readApdExport } from '../packages/hsds/src/read/index.js';
import { option, table } from './_report.js';
import { AGENCY_EXPORTS, sharedAgencies } from './hsds-map.js';

/** One agency's real export. */
export interface RealExport {
  agency: string;
  layout: string;
  bytes: Uint8Array;
  /** Source records the layout reads in it, and services it maps to. */
  records: number;
  services: number;
}

/** The six real exports of the shared data, under the example's agency keys. */
export function realExports(folder = sharedAgencies()): RealExport[] {
  return AGENCY_EXPORTS.map(({ file, layout, agency }) => {
    const bytes = readFileSync(join(folder, file));
    const mapped = mapExport(layouts[layout]!, { agency, file, bytes });
    return { agency, layout, bytes, records: mapped.records, services: mapped.services.length };
  });
}

// ---------------------------------------------------------------------------------------------
// Perturbed copies

type Kind = 'name' | 'id' | 'phone' | 'lat' | 'lon' | 'street';

/** What a column (CSV header, JSON key) holds, as far as copies must differ in it. */
export function kindOf(column: string): Kind | undefined {
  if (
    /^(PublicName|AlternateName|OfficialName|ParentAgency|AgencyName|Agency Name|Program Name|Site Name|name)$/.test(
      column,
    )
  )
    return 'name';
  if (/^(ResourceAgencyNum|ParentAgencyNum|objectId)$/.test(column)) return 'id';
  if (/^lat(itude)?$/i.test(column)) return 'lat';
  if (/^(lon|lng|long|longitude)$/i.test(column)) return 'lon';
  if (
    /^(PhysicalAddress1|MailingAddress1|OtherAddress1|address_1|Site Address|address)$/.test(column)
  )
    return 'street';
  if (/phone|fax|tty|hotline|tollfree/i.test(column) && !/desc|name|private|type|ext/i.test(column))
    return 'phone';
  return undefined;
}

const PHONE = /(\d{3}\D{0,3}\d{3}\D{0,2})(\d{4})/g;

/** The value of a column of that kind in copy `k`, changed (` (updated)`) when `revised`. */
export function perturb(kind: Kind, value: string, k: number, revised: boolean): string {
  if (value.trim() === '') return value;
  switch (kind) {
    case 'name':
      // A placeholder the mapper skips (`missing org`) stays one.
      if (/^missing org$/i.test(value.trim())) return value;
      return `${value}${k > 0 ? ` ${k}` : ''}${revised ? ' (updated)' : ''}`;
    case 'id':
      return k > 0 && value.trim() !== '0' ? `${value}-${k}` : value;
    case 'phone':
      return k > 0 ? phoneOf(value, k) : value;
    case 'lat':
    case 'lon': {
      const x = Number(value);
      return k > 0 && Number.isFinite(x) ? (x + 0.05 * k).toFixed(6) : value;
    }
    case 'street':
      return k > 0 ? streetOf(value, k) : value;
  }
}

/** The street number grown by 1000·k; an address without one is given `1000·k`. */
function streetOf(value: string, k: number): string {
  return /^\s*\d/.test(value)
    ? value.replace(/^(\s*)(\d+)/, (_, s: string, n: string) => `${s}${Number(n) + 1000 * k}`)
    : `${1000 * k} ${value.trimStart()}`;
}

function phoneOf(text: string, k: number): string {
  return text.replace(
    PHONE,
    (_, head: string, last: string) =>
      `${head}${String((Number(last) + 7919 * k) % 10000).padStart(4, '0')}`,
  );
}

/** Which records of the export are changed, by their index in the scaled export. */
export type Revised = (index: number) => boolean;
const NONE: Revised = () => false;

/**
 * The real export scaled to `count` records: copy 0 the records as they are, copy k ≥ 1 each
 * record perturbed for k, until `count` are written; records `revised` says get ` (updated)`
 * names. Returns the file's text.
 */
export function scaleExport(real: RealExport, count: number, revised: Revised = NONE): string {
  const mapper = layouts[real.layout]!;
  switch (mapper.format) {
    case 'csv':
      return scaleCsv(real, mapper.csv ?? {}, count, revised);
    case 'json':
      return scaleJson(real, count, revised);
    case 'apd':
      return scaleApd(real, count, revised);
  }
}

function* copies<T>(items: readonly T[], count: number): Generator<[T, number, number]> {
  let index = 0;
  for (let k = 0; index < count && items.length > 0; k++) {
    for (const item of items) {
      if (index >= count) return;
      yield [item, k, index++];
    }
  }
}

function scaleCsv(
  real: RealExport,
  { header, delimiter = ',' }: { header?: readonly string[]; delimiter?: string },
  count: number,
  revised: Revised,
): string {
  const rows = parseCsv(decodeText(real.bytes).text, delimiter)
    .rows.map((r) => r.cells.map((c) => c.value))
    .filter((cells) => cells.some((c) => c !== ''));
  const columns = header ?? rows[0] ?? [];
  const data = header === undefined ? rows.slice(1) : rows;
  // The Washington set's first row documents each column's format: once is enough.
  const formatRow = real.layout === 'openreferral-csv' ? data[0] : undefined;
  const records = formatRow === undefined ? data : data.slice(1);
  const kinds = columns.map(kindOf);
  const out: string[][] = [];
  if (header === undefined) out.push([...columns]);
  if (formatRow !== undefined) out.push(formatRow);
  const rest = formatRow === undefined ? count : count - 1;
  for (const [cells, k, index] of copies(records, rest)) {
    const r = revised(index);
    out.push(
      k === 0 && !r
        ? cells
        : cells.map((v, i) => {
            const kind = kinds[i];
            if (kind === undefined) return v;
            // Copy 0 is the real record: a revision changes its names only.
            if (k === 0 && kind !== 'name') return v;
            return perturb(kind, v, k, r);
          }),
    );
  }
  return `${out.map((cells) => csvLine(cells, delimiter)).join('\n')}\n`;
}

function csvLine(cells: readonly string[], delimiter: string): string {
  const quoted = (c: string) => /["\r\n]/.test(c) || c.includes(delimiter);
  return cells.map((c) => (quoted(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(delimiter);
}

function perturbJson(value: unknown, k: number, revised: boolean, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => perturbJson(v, k, revised));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([name, v]) => [name, perturbJson(v, k, revised, name)]),
    );
  }
  const kind = key === undefined ? undefined : kindOf(key);
  if (kind === undefined) return value;
  if (typeof value === 'number' && (kind === 'lat' || kind === 'lon')) {
    return k > 0 ? Number((value + 0.05 * k).toFixed(7)) : value;
  }
  return typeof value === 'string' ? perturb(kind, value, k, revised) : value;
}

function scaleJson(real: RealExport, count: number, revised: Revised): string {
  const parsed = JSON.parse(decodeText(real.bytes).text) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${real.agency}: the export is not a JSON array`);
  const out: unknown[] = [];
  for (const [item, k, index] of copies(parsed, count)) {
    const r = revised(index);
    out.push(k === 0 && !r ? item : perturbJson(item, k, r));
  }
  return JSON.stringify(out);
}

/** `Organization   Program` with each part suffixed, separators and trailing space kept. */
function suffixParts(line: string, suffix: string): string {
  return line
    .split(/(\s{3,}|\t+)/)
    .map((part, i) =>
      i % 2 === 1 || part.trim() === '' ? part : part.replace(/(\S)(\s*)$/, `$1${suffix}$2`),
    )
    .join('');
}

function scaleApd(real: RealExport, count: number, revised: Revised): string {
  const text = decodeText(real.bytes).text;
  const lines = text.split(/\r\n|\n|\r/);
  const records = readApdExport(text, { file: 'apd' }).records;
  const blocks = records.map((record, i) => {
    const from = record.line - 1;
    const to = i + 1 < records.length ? records[i + 1]!.line - 1 : lines.length;
    const named = new Set(
      [record.positions.title?.line, record.positions.program?.line]
        .filter((line): line is number => line !== undefined)
        .map((line) => line - 1 - from),
    );
    return { lines: lines.slice(from, to), named };
  });
  const out = lines.slice(0, (records[0]?.line ?? 1) - 1);
  for (const [block, k, index] of copies(blocks, count)) {
    const r = revised(index);
    if (k === 0 && !r) {
      out.push(...block.lines);
      continue;
    }
    const suffix = `${k > 0 ? ` ${k}` : ''}${r ? ' (updated)' : ''}`;
    for (const [i, line] of block.lines.entries()) {
      let changed = block.named.has(i) ? suffixParts(line, suffix) : line;
      if (k > 0) {
        changed = phoneOf(changed, k).replace(
          /^(\s*Location\s*:\s*)(.*)$/i,
          (_, head: string, place: string) => `${head}${streetOf(place, k)}`,
        );
      }
      out.push(changed);
    }
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// The runs

export interface StepTimes {
  /** Asset key → seconds from its first `step:started` to its last event (all its partitions). */
  assets: Record<string, number>;
  /** `hsds[agency]` → seconds of that partition's step. */
  partitions: Record<string, number>;
  /** The whole `materialize()` call. */
  total: number;
  /** Asset key (with partition) → the data version materialized and its metadata. */
  versions: Record<string, string>;
  metadata: Record<string, Record<string, unknown>>;
  materialized: string[];
}

async function timedRun(
  instance: Parameters<typeof materialize>[1]['instance'],
  concurrency: number,
): Promise<StepTimes> {
  const spans = new Map<string, { from: number; to: number }>();
  const versions: Record<string, string> = {};
  const metadata: Record<string, Record<string, unknown>> = {};
  const touch = (label: string, now: number) => {
    const span = spans.get(label);
    if (span === undefined) spans.set(label, { from: now, to: now });
    else span.to = now;
  };
  const onEvent = (event: StoredEvent) => {
    const now = performance.now();
    if (!('assetKey' in event && 'partition' in event) || event.type === 'asset:observed') return;
    const label = event.partition === '' ? event.assetKey : `${event.assetKey}[${event.partition}]`;
    if (!spans.has(label) && event.type !== 'step:started') return;
    touch(label, now);
    touch(event.assetKey, now);
    if (event.type === 'asset:materialized') {
      versions[label] = event.materialization.dataVersion;
      metadata[label] = event.materialization.metadata as Record<string, unknown>;
    }
  };
  const t0 = performance.now();
  const result: RunResult = await materialize(project, { instance, concurrency, onEvent });
  const total = (performance.now() - t0) / 1000;
  if (result.status !== 'success') {
    throw new Error(
      `materialize: ${result.status}${Object.entries(result.reasons)
        .map(([k, why]) => `\n  ${k}: ${why}`)
        .join('')}`,
    );
  }
  const assets: Record<string, number> = {};
  const partitions: Record<string, number> = {};
  for (const [label, { from, to }] of spans) {
    (label.includes('[') ? partitions : assets)[label] = (to - from) / 1000;
  }
  return {
    assets,
    partitions,
    total,
    versions,
    metadata,
    materialized: [...result.summary.materialized].sort(),
  };
}

export interface IncrementalOptions {
  /** The services to scale to (about: whole records are copied). */
  services: number;
  /** The agency whose export changes. */
  agency: string;
  /** The share of its records that change. */
  share: number;
  /** The scratch folder (emptied first). */
  dir: string;
  concurrency: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface IncrementalResult {
  options: IncrementalOptions;
  factor: number;
  /** Per agency: records written, and the share of all. */
  agencies: { agency: string; records: number; bytes: number }[];
  full: StepTimes;
  incremental: StepTimes;
  rebuild: StepTimes;
  /** The records of the changed agency that changed. */
  changedRecords: number;
  /** Same data versions of directory and search_index, incremental against rebuilt. */
  same: { directory: boolean; search_index: boolean };
}

/** Full build, one agency changed and updated incrementally, then the same state rebuilt. */
export async function runIncrementalBench(
  real: readonly RealExport[],
  options: IncrementalOptions,
): Promise<IncrementalResult> {
  const log = options.log ?? (() => {});
  const changed = real.find((r) => r.agency === options.agency);
  if (changed === undefined) {
    throw new Error(`--agency: one of ${real.map((r) => r.agency).join(', ')}`);
  }
  const realServices = real.reduce((n, r) => n + r.services, 0);
  const factor = options.services / realServices;
  const counts = new Map(real.map((r) => [r.agency, Math.max(1, Math.round(r.records * factor))]));
  const fileOf = (agency: string) => `${agency}.${AGENCIES[agency]!.extension}`;
  rmSync(options.dir, { recursive: true, force: true });
  const inbox = join(options.dir, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const agencies: IncrementalResult['agencies'] = [];
  for (const r of real) {
    const text = scaleExport(r, counts.get(r.agency)!);
    writeFileSync(join(inbox, fileOf(r.agency)), text);
    agencies.push({
      agency: r.agency,
      records: counts.get(r.agency)!,
      bytes: Buffer.byteLength(text),
    });
  }
  log(
    `wrote ${agencies.reduce((n, a) => n + a.records, 0)} records (×${factor.toFixed(2)}) into ${inbox}`,
  );
  const cwd = process.cwd();
  process.chdir(options.dir);
  try {
    const first = openInstance({ dir: join(options.dir, '.weir') });
    const keys = real.map((r) => r.agency);
    let full: StepTimes;
    let incremental: StepTimes;
    let changedRecords = 0;
    try {
      await addDynamicPartitions(first, 'agencies', keys);
      log('full build…');
      full = await timedRun(first, options.concurrency);
      log(`full build: ${full.total.toFixed(1)} s`);
      const every = Math.max(1, Math.round(1 / options.share));
      const revised: Revised = (index) => {
        const r = index % every === 0;
        if (r) changedRecords++;
        return r;
      };
      writeFileSync(
        join(inbox, fileOf(changed.agency)),
        scaleExport(changed, counts.get(changed.agency)!, revised),
      );
      log(`incremental (${changedRecords} records of ${changed.agency} changed)…`);
      incremental = await timedRun(first, options.concurrency);
      log(`incremental: ${incremental.total.toFixed(1)} s`);
    } finally {
      await first.close();
    }
    const second = openInstance({ dir: join(options.dir, '.weir-rebuild') });
    let rebuild: StepTimes;
    try {
      await addDynamicPartitions(second, 'agencies', keys);
      log('full rebuild of the same state…');
      rebuild = await timedRun(second, options.concurrency);
      log(`rebuild: ${rebuild.total.toFixed(1)} s`);
    } finally {
      await second.close();
    }
    return {
      options,
      factor,
      agencies,
      full,
      incremental,
      rebuild,
      changedRecords,
      same: {
        directory: incremental.versions.directory === rebuild.versions.directory,
        search_index: incremental.versions.search_index === rebuild.versions.search_index,
      },
    };
  } finally {
    process.chdir(cwd);
  }
}

export function incrementalReport(res: IncrementalResult): string {
  const { full, incremental, rebuild } = res;
  const agency = res.options.agency;
  const s = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(2));
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? '–' : (a / Math.max(b, 1e-9)).toFixed(1);
  const hsdsSum = (t: StepTimes) =>
    Object.entries(t.partitions)
      .filter(([k]) => k.startsWith('hsds['))
      .reduce((n, [, v]) => n + v, 0);
  const part = `hsds[${agency}]`;
  const rows: [string, number | undefined, number | undefined, number | undefined][] = [
    [
      `hsds (${Object.keys(full.partitions).length} / ${Object.keys(incremental.partitions).length} / ${Object.keys(rebuild.partitions).length} partitions)`,
      hsdsSum(full),
      hsdsSum(incremental),
      hsdsSum(rebuild),
    ],
    [
      `  of which ${part}`,
      full.partitions[part],
      incremental.partitions[part],
      rebuild.partitions[part],
    ],
    ['directory', full.assets.directory, incremental.assets.directory, rebuild.assets.directory],
    [
      'search_index',
      full.assets.search_index,
      incremental.assets.search_index,
      rebuild.assets.search_index,
    ],
    ['materialize() call', full.total, incremental.total, rebuild.total],
  ];
  const services = Number(full.metadata.search_index?.services ?? 0);
  const dir = (t: StepTimes, key: string) => t.metadata.directory?.[key];
  const idx = (t: StepTimes, key: string) => t.metadata.search_index?.[key];
  const count = (n: number) => n.toLocaleString('en-US');
  const totalRecords = res.agencies.reduce((n, a) => n + a.records, 0);
  const changedAgency = res.agencies.find((a) => a.agency === agency)!;
  return (
    `social-incremental: the social-services example through materialize(), ${count(services)} services in the search index\n` +
    `scaled: each agency's real export ×${res.factor.toFixed(2)} (perturbed copies: names + " k", ids + "-k", phone digits, coordinates +0.05°·k, street numbers +1000·k)\n` +
    `  ${res.agencies.map((a) => `${a.agency} ${count(a.records)} records (${(a.bytes / 1e6).toFixed(1)} MB)`).join(', ')}\n` +
    `changed: ${agency}, ${count(res.changedRecords)} of its ${count(changedAgency.records)} records (names + " (updated)"); ${agency} is ${((100 * changedAgency.records) / totalRecords).toFixed(1)}% of all records\n` +
    `incremental ran: ${incremental.materialized.join(', ')}\n` +
    `rebuild = the same final inbox materialized into a fresh instance (no previous versions); steps one at a time (concurrency ${res.options.concurrency})\n\n` +
    `${table(
      ['step', 'full build s', 'incremental s', 'rebuild s', 'rebuild / incremental'],
      rows.map(([name, a, b, c]) => [name, s(a), s(b), s(c), ratio(c, b)]),
    )}\n\n` +
    `directory: ${count(Number(dir(full, 'services') ?? 0))} services, ${count(Number(dir(full, 'entitiesMerged') ?? 0))} entities merging ${count(Number(dir(full, 'servicesMerged') ?? 0))}; pairs scored: full ${count(Number(dir(full, 'pairsScored') ?? 0))}, incremental ${count(Number(dir(incremental, 'pairsScored') ?? 0))} (agencies redone ${String(dir(incremental, 'agenciesRedone'))}), rebuild ${count(Number(dir(rebuild, 'pairsScored') ?? 0))}\n` +
    `search_index: rows rewritten incremental ${count(Number(idx(incremental, 'rewritten') ?? 0))}, rebuild ${count(Number(idx(rebuild, 'rewritten') ?? 0))}\n` +
    `incremental and rebuild give the same data version: directory ${res.same.directory ? 'yes' : 'NO'}, search_index ${res.same.search_index ? 'yes' : 'NO'}\n`
  );
}

// Run as the benchmark (not imported by another one's bundle, nor by its smoke test).
if (/[\\/]social-incremental\.(?:m?js|ts)$/.test(process.argv[1] ?? '')) {
  const folder = sharedAgencies();
  const missing = AGENCY_EXPORTS.filter((e) => !existsSync(join(folder, e.file)));
  if (missing.length > 0) {
    process.stdout.write(
      `social-incremental: skipped, the shared data is absent (${missing.map((e) => e.file).join(', ')} not in ${folder}; set WEIR_SHARED_DATA to the folder that holds social-services/)\n`,
    );
  } else {
    const dir = fileURLToPath(new URL('../.bench-tmp/social-incremental/', import.meta.url));
    const res = await runIncrementalBench(realExports(folder), {
      services: Number(option('services') ?? 100_000),
      agency: option('agency') ?? 'wa-211',
      share: Number(option('share') ?? 0.1),
      dir,
      concurrency: Number(option('concurrency') ?? 1),
      log: (line) => process.stderr.write(`  ${line}\n`),
    });
    process.stdout.write(incrementalReport(res));
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}
