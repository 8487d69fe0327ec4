// Normalisation throughput per record, per agency layout: `npm run bench -- hsds-map
// [--repeats N]`. For each of the six real agency exports of the shared data (211.csv,
// sf_211.csv, linksf.json, apd_export.txt, dcyf_cms.csv, wa211_dedup_training_set.csv), the whole
// of `mapExport` with the agency's layout (decode, read, map every record, normalise every
// field, validate ids and columns) is timed on the file's bytes, alternating run for run with
// two baselines measured on the same bytes in the same run:
// - reader: `readExport` alone (decode and parse into records, no mapping): what mapping and
//   normalising cost on top of reading;
// - naive: the pass anyone writes first (`TextDecoder`, then `JSON.parse`, or split at line
//   breaks and commas, or at line breaks and `: `), which sees no encoding, quoting or layout.
// Figures: source records, services out, µs per record and records/s of `mapExport` (median of
// --repeats runs), and its cost as a multiple of each baseline's (median of the per-run ratios).
// Without the shared data the benchmark says so and stops.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { layouts, type Mapper, mapExport, readExport } from '../packages/hsds/src/map/index.js';
import { gc, median, option, table } from './_report.js';

/** The shared data's exports, each with the layout that reads it and the example's agency key. */
export const AGENCY_EXPORTS: readonly { file: string; layout: string; agency: string }[] = [
  { file: '211.csv', layout: 'icarol-211', agency: 'dc-211' },
  { file: 'sf_211.csv', layout: 'icarol-211-extended', agency: 'sf-211' },
  { file: 'linksf.json', layout: 'linksf', agency: 'linksf' },
  { file: 'apd_export.txt', layout: 'apd-directory', agency: 'sf-apd' },
  { file: 'dcyf_cms.csv', layout: 'dcyf-programs', agency: 'sf-dcyf' },
  { file: 'wa211_dedup_training_set.csv', layout: 'openreferral-csv', agency: 'wa-211' },
];

/** One export to time: its bytes and the layout that maps them. */
export interface MapInput {
  file: string;
  layout: string;
  agency: string;
  bytes: Uint8Array;
}

export interface LayoutTiming {
  file: string;
  layout: string;
  bytes: number;
  records: number;
  services: number;
  /** Seconds per source record, median of the runs: mapExport, the reader alone, the naive pass. */
  mapSeconds: number;
  readerSeconds: number;
  naiveSeconds: number;
  /** Medians of the per-run ratios mapExport / baseline. */
  xReader: number;
  xNaive: number;
}

/** The naive pass over the bytes: decode as UTF-8, then split or parse as the format is. */
export function naivePass(format: Mapper['format'], bytes: Uint8Array): number {
  const text = new TextDecoder().decode(bytes);
  switch (format) {
    case 'json': {
      const parsed = JSON.parse(text) as unknown;
      return Array.isArray(parsed) ? parsed.length : 1;
    }
    case 'csv':
      return text.split(/\r?\n/).map((line) => line.split(',')).length;
    case 'apd':
      return text.split(/\r?\n/).map((line) => line.split(': ')).length;
  }
}

// Results are counted here so that no pass can be optimised away.
let sink = 0;

function timed(f: () => number): number {
  const t0 = performance.now();
  sink += f();
  if (sink < 0) throw new Error('unreachable');
  return (performance.now() - t0) / 1000;
}

/** Times mapExport on each input against the reader alone and the naive pass, alternating. */
export function runMapBench(inputs: readonly MapInput[], repeats: number): LayoutTiming[] {
  return inputs.map((input) => {
    const mapper = layouts[input.layout];
    if (mapper === undefined) throw new Error(`no layout '${input.layout}'`);
    const run = {
      map: () => mapExport(mapper, input).records,
      reader: () => readExport(mapper, input.bytes, input.file).records.length,
      naive: () => naivePass(mapper.format, input.bytes),
    };
    const first = mapExport(mapper, input);
    run.reader();
    run.naive();
    const map: number[] = [];
    const reader: number[] = [];
    const naive: number[] = [];
    const xReader: number[] = [];
    const xNaive: number[] = [];
    for (let r = 0; r < repeats; r++) {
      gc();
      const m = timed(run.map);
      const a = timed(run.reader);
      const b = timed(run.naive);
      map.push(m);
      reader.push(a);
      naive.push(b);
      xReader.push(m / Math.max(a, 1e-9));
      xNaive.push(m / Math.max(b, 1e-9));
    }
    const n = Math.max(first.records, 1);
    return {
      file: input.file,
      layout: input.layout,
      bytes: input.bytes.byteLength,
      records: first.records,
      services: first.services.length,
      mapSeconds: median(map) / n,
      readerSeconds: median(reader) / n,
      naiveSeconds: median(naive) / n,
      xReader: median(xReader),
      xNaive: median(xNaive),
    };
  });
}

/** The report: one row per layout and one for all of them (records weighted). */
export function mapReport(timings: readonly LayoutTiming[], repeats: number): string {
  const us = (s: number) => (s * 1e6).toFixed(1);
  const count = (n: number) => n.toLocaleString('en-US');
  const row = (t: Omit<LayoutTiming, 'file'> & { file: string }) => [
    t.file,
    t.layout,
    `${(t.bytes / 1e6).toFixed(2)}`,
    count(t.records),
    count(t.services),
    us(t.mapSeconds),
    count(Math.round(1 / Math.max(t.mapSeconds, 1e-12))),
    us(t.readerSeconds),
    t.xReader.toFixed(1),
    us(t.naiveSeconds),
    t.xNaive.toFixed(0),
  ];
  const records = timings.reduce((n, t) => n + t.records, 0);
  const weighted = (f: (t: LayoutTiming) => number) =>
    timings.reduce((s, t) => s + f(t) * t.records, 0) / Math.max(records, 1);
  const all = {
    file: `all ${timings.length}`,
    layout: '',
    bytes: timings.reduce((n, t) => n + t.bytes, 0),
    records,
    services: timings.reduce((n, t) => n + t.services, 0),
    mapSeconds: weighted((t) => t.mapSeconds),
    readerSeconds: weighted((t) => t.readerSeconds),
    naiveSeconds: weighted((t) => t.naiveSeconds),
    xReader:
      weighted((t) => t.mapSeconds) /
      Math.max(
        weighted((t) => t.readerSeconds),
        1e-12,
      ),
    xNaive:
      weighted((t) => t.mapSeconds) /
      Math.max(
        weighted((t) => t.naiveSeconds),
        1e-12,
      ),
  };
  return (
    `hsds-map: mapExport (decode + read + map + normalise) on each real agency export, per source record (median of ${repeats})\n` +
    'baselines on the same bytes, same run, alternating: reader = readExport alone (no mapping); naive = TextDecoder + JSON.parse or split at lines and separators\n' +
    '"all N": per-record figures weighted by records, ratios of those weighted means\n\n' +
    `${table(
      [
        'export',
        'layout',
        'MB',
        'records',
        'services',
        'µs/record',
        'records/s',
        'reader µs/rec',
        'x reader',
        'naive µs/rec',
        'x naive',
      ],
      [...timings.map(row), row(all)],
    )}\n`
  );
}

/** The agencies folder of the shared data: beside the clone, or under $WEIR_SHARED_DATA. */
export function sharedAgencies(): string {
  return fileURLToPath(
    new URL(
      `${(process.env.WEIR_SHARED_DATA ?? '../../shared/data').replace(/\/$/, '')}/social-services/agencies/`,
      process.env.WEIR_SHARED_DATA ? 'file:///' : import.meta.url,
    ),
  );
}

// Run as the benchmark (not imported by another one's bundle, nor by its smoke test).
if (/[\\/]hsds-map\.(?:m?js|ts)$/.test(process.argv[1] ?? '')) {
  const repeats = Number(option('repeats') ?? 9);
  const folder = sharedAgencies();
  const missing = AGENCY_EXPORTS.filter((e) => !existsSync(`${folder}${e.file}`));
  if (missing.length > 0) {
    process.stdout.write(
      `hsds-map: skipped, the shared data is absent (${missing.map((e) => e.file).join(', ')} not in ${folder}; set WEIR_SHARED_DATA to the folder that holds social-services/)\n`,
    );
  } else {
    const inputs = AGENCY_EXPORTS.map((e) => ({ ...e, bytes: readFileSync(`${folder}${e.file}`) }));
    process.stdout.write(mapReport(runMapBench(inputs, repeats), repeats));
  }
}
