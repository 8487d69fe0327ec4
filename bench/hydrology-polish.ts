// Polishing the replayed feed of examples/hydrology: `npm run bench -- hydrology-polish
// [--repeats N]`. Each month of the SaQC station (about 2,900 readings × 3 variables) is
// polished as the `station/polished_timeseries` step does it (parse this month and the one
// before, polish, cut to the month) and timed, alternating run for run with the floor: a
// plain typed-array loop over the same number of points that compares each value with two
// bounds and writes a flag (the bound-loop floor of bench/timeseries-polish). Figures are
// points/s per partition (the month's grid points × variables) and the ratio to the floor.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readMaintenanceLog, seriesToArrowIPC } from '@weir/timeseries';
import { polishMonth } from '../examples/hydrology/src/station/polished.js';
import { gc, median, option, table } from './_report.js';

const DATA = fileURLToPath(new URL('../examples/hydrology/data/saqc/', import.meta.url));

export interface MonthFeed {
  key: string;
  start: Date;
  end: Date;
  /** The months the step reads: the one before (when there is one) and this one. */
  raw: Map<string, Uint8Array>;
}

/** The station's months as the inbox delivers them (at most `limit`). */
export function monthFeed(limit = Number.POSITIVE_INFINITY): MonthFeed[] {
  const [header, ...rows] = readFileSync(`${DATA}hydro_data.csv`, 'utf8').trimEnd().split('\n');
  const byMonth = new Map<string, string[]>();
  for (const row of rows) {
    const month = row.slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), row]);
  }
  const encoder = new TextEncoder();
  const bytes = [...byMonth].map(
    ([month, lines]) =>
      [`${month}-01`, encoder.encode(`${header}\n${lines.join('\n')}\n`)] as const,
  );
  return bytes.slice(0, limit).map(([key, file], i) => {
    const start = new Date(`${key}T00:00:00Z`);
    const end = new Date(start);
    end.setUTCMonth(end.getUTCMonth() + 1);
    const raw = new Map(i === 0 ? [] : [bytes[i - 1]!]);
    raw.set(key, file);
    return { key, start, end, raw };
  });
}

function floorLoop(values: Float64Array, flags: Uint8Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    flags[i] = v < 0 || v > 400 ? 4 : 1;
  }
}

export interface MonthTiming {
  key: string;
  points: number;
  polishSeconds: number;
  stepSeconds: number;
  floorSeconds: number;
}

/** Times each month's polish (and the whole step with Arrow encoding) against the floor. */
export function timeMonths(feed: readonly MonthFeed[], repeats: number): MonthTiming[] {
  const maintenance = readMaintenanceLog(readFileSync(`${DATA}hydro_maint.csv`, 'utf8'), {
    file: 'hydro_maint.csv',
  });
  return feed.map((m) => {
    const series = polishMonth(m.raw, m.start, m.end, maintenance);
    const points = series.reduce((n, s) => n + s.time.length, 0);
    const values = Float64Array.from({ length: points }, (_, i) => (i * 7919) % 500);
    const flags = new Uint8Array(points);
    const polishT: number[] = [];
    const stepT: number[] = [];
    const floorT: number[] = [];
    for (let r = 0; r < repeats; r++) {
      gc();
      let t0 = performance.now();
      polishMonth(m.raw, m.start, m.end, maintenance);
      polishT.push((performance.now() - t0) / 1000);
      t0 = performance.now();
      seriesToArrowIPC(polishMonth(m.raw, m.start, m.end, maintenance));
      stepT.push((performance.now() - t0) / 1000);
      t0 = performance.now();
      floorLoop(values, flags);
      floorT.push((performance.now() - t0) / 1000);
    }
    return {
      key: m.key,
      points,
      polishSeconds: median(polishT),
      stepSeconds: median(stepT),
      floorSeconds: median(floorT),
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const repeats = Number(option('repeats') ?? 7);
  const timings = timeMonths(monthFeed(), repeats);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const rows = timings.map((t) => [
    t.key.slice(0, 7),
    fmt(t.points),
    fmt(t.points / t.polishSeconds),
    fmt(t.points / t.stepSeconds),
    fmt(t.points / t.floorSeconds),
    (t.polishSeconds / t.floorSeconds).toFixed(0),
  ]);
  const all = (f: (t: MonthTiming) => number) => median(timings.map(f));
  rows.push([
    'median',
    fmt(all((t) => t.points)),
    fmt(all((t) => t.points / t.polishSeconds)),
    fmt(all((t) => t.points / t.stepSeconds)),
    fmt(all((t) => t.points / t.floorSeconds)),
    all((t) => t.polishSeconds / t.floorSeconds).toFixed(0),
  ]);
  process.stdout.write(
    `hydrology-polish: each month of the replayed SaQC feed, polished as the step does it (median of ${repeats})\n` +
      `points = the month's 15-minute grid points × 3 variables; parse + polish includes reading the month before\n\n` +
      `${table(['month', 'points', 'parse+polish pts/s', 'step (+Arrow) pts/s', 'floor pts/s', 'x floor'], rows)}\n`,
  );
}
