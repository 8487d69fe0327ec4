// Benchmark of @weir/timeseries: `npm run bench -- timeseries-polish [points]`.
// The real level series of SaQC's hydro_data.csv, aligned to 15 minutes, is tiled to at
// least 10 M points. Every test and the default polish are timed (median of several runs)
// and printed as points/s and as a ratio to the floor: a plain typed-array loop that
// compares each value with two bounds and writes a flag, timed alternately with each case
// (run for run) in the same process, so both see the same load on a shared machine.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  alignSeries,
  assignKNNScore,
  cloneSeries,
  createSeries,
  type Frame,
  fillGaps,
  flagByStray,
  flagClimatology,
  flagFlatLine,
  flagGaps,
  flagManual,
  flagRange,
  flagRateOfChange,
  flagSpike,
  flagZScore,
  knnDistanceSums,
  parsePolishConfig,
  polish,
  readWideCsv,
  refreshValidity,
  type Series,
  seriesOf,
  timestampParser,
  zScoreBlocks,
} from '@weir/timeseries';

const STEP = 900_000;

function dataDir(): string {
  const env = process.env.WEIR_SHARED_DATA;
  return env
    ? `${env.replace(/\/$/, '')}/`
    : fileURLToPath(new URL('../../shared/data/', import.meta.url));
}

/** The real 15-minute level series, or a synthetic stand-in when the data is absent. */
export function baseSeries(): { values: Float64Array; source: string } {
  const file = `${dataDir()}hydrology/saqc/hydro_data.csv`;
  if (!existsSync(file)) {
    const v = Float64Array.from(
      { length: 70_000 },
      (_, i) => 100 + 5 * Math.sin(i / 500) + ((i * 7919) % 13) / 100,
    );
    return { values: v, source: 'synthetic (hydro_data.csv not found)' };
  }
  const frame = readWideCsv(readFileSync(file, 'utf8'), { file, columns: ['level_raw'] });
  const { series } = alignSeries(seriesOf(frame, 'level_raw'), { freq: '15min', method: 'time' });
  return {
    values: series.values,
    source: `hydro_data.csv level_raw aligned to 15 min (${series.values.length} points)`,
  };
}

/** The base values tiled to at least `points` points on a regular 15-minute axis. */
export function scaled(base: Float64Array, points: number): Series {
  const n = Math.ceil(points / base.length) * base.length;
  const values = new Float64Array(n);
  for (let at = 0; at < n; at += base.length) values.set(base, at);
  return createSeries(
    'level',
    Float64Array.from({ length: n }, (_, i) => i * STEP),
    values,
  );
}

function floorLoop(values: Float64Array, flags: Uint8Array, lo: number, hi: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    flags[i] = v < lo || v > hi ? 4 : 1;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Median seconds of `reps` runs of `run`, each on a fresh copy made by `prepare` (untimed). */
function time<T>(reps: number, prepare: () => T, run: (input: T) => unknown): number {
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const input = prepare();
    const t0 = performance.now();
    run(input);
    samples.push((performance.now() - t0) / 1000);
  }
  return median(samples);
}

export interface BenchRow {
  name: string;
  pointsPerSecond: number;
  ratioToFloor: number;
}

export const DEFAULT_POLISH = parsePolishConfig({
  variables: {
    level: {
      tests: {
        range: { failMin: 0, failMax: 400, suspectMin: 50, suspectMax: 300 },
        spike: { suspect: 10, fail: 50 },
        rateOfChange: { maxPerHour: 100 },
        flatLine: { suspectCount: 16, tolerance: 0 },
      },
      fill: { method: 'linear', maxGap: '2h' },
    },
  },
});

/** The default polish on readings aligned onto a 15-minute grid by time interpolation. */
export const ALIGNED_POLISH = parsePolishConfig({
  align: { freq: '15min', method: 'time' },
  variables: DEFAULT_POLISH.variables,
});

/** The readings of `s` moved off the grid by -2..+2 minutes, as a logger's jitter. */
function jittered(s: Series): Float64Array {
  return Float64Array.from(s.time, (t, i) => t + (((i * 7) % 5) - 2) * 60_000);
}

/** Times every test on `s`; returns one row per test, ratios against the floor loop. */
export function benchmarkTests(
  s: Series,
  reps: number,
): { floorSeconds: number; rows: BenchRow[] } {
  const n = s.values.length;
  const fresh = () => ({
    ...s,
    flags: s.flags.slice(),
    causes: s.causes.slice(),
    validity: s.validity.slice(),
  });
  const flags = new Uint8Array(n);
  const floorSamples: number[] = [];
  // Each case alternates with the floor loop, run for run, and is compared with the floor
  // timed next to it: on a shared machine the load drifts between cases.
  const paired = <T>(
    prepare: () => T,
    run: (input: T) => unknown,
  ): { pointsPerSecond: number; ratioToFloor: number } => {
    const own: number[] = [];
    const floor: number[] = [];
    for (let r = 0; r < reps; r++) {
      const input = prepare();
      let t0 = performance.now();
      floorLoop(s.values, flags, 0, 400);
      floor.push((performance.now() - t0) / 1000);
      t0 = performance.now();
      run(input);
      own.push((performance.now() - t0) / 1000);
    }
    floorSamples.push(...floor);
    return { pointsPerSecond: n / median(own), ratioToFloor: median(own) / median(floor) };
  };
  const months = Array.from({ length: 12 }, () => [50, 300] as [number, number]);
  const maint = Array.from({ length: Math.floor(n / 4000) }, (_, k) => ({
    start: k * 4000 * STEP,
    end: (k * 4000 + 4) * STEP,
  }));
  const frame: Frame = { time: s.time, columns: new Map([['level', s.values]]) };
  const cases: Array<[string, () => unknown, (x: ReturnType<typeof fresh>) => unknown]> = [
    [
      'range (4 bounds)',
      fresh,
      (x) => flagRange(x, { failMin: 0, failMax: 400, suspectMin: 50, suspectMax: 300 }),
    ],
    ['climatology (monthly)', fresh, (x) => flagClimatology(x, { months })],
    [
      'climatology (±15-day window)',
      fresh,
      (x) => flagClimatology(x, { months, window: { days: 15 } }),
    ],
    ['spike', fresh, (x) => flagSpike(x, { suspect: 10, fail: 50 })],
    ['rate of change', fresh, (x) => flagRateOfChange(x, { maxPerHour: 100 })],
    ['flat line', fresh, (x) => flagFlatLine(x, { suspectCount: 16, tolerance: 0 })],
    ['z-score (rolling 20 D)', fresh, (x) => flagZScore(x, { window: '20D', threshold: 4 })],
    ['gaps', fresh, (x) => flagGaps(x, { maxStep: STEP })],
    ['manual (maintenance)', fresh, (x) => flagManual(x, maint, { method: 'closed' })],
  ];
  const rows: BenchRow[] = cases.map(([name, prep, run]) => ({
    name,
    ...paired(prep as () => ReturnType<typeof fresh>, run),
  }));
  rows.push({
    name: 'gap fill (linear)',
    ...paired(
      () => {
        const x = cloneSeries(s);
        for (let i = 0; i < n; i += 50) x.values[i] = Number.NaN; // a missing point every 50
        refreshValidity(x);
        return x;
      },
      (x) => fillGaps(x, { method: 'linear', maxGap: '1h' }),
    ),
  });
  rows.push({
    name: 'default polish (whole pipeline)',
    ...paired(
      () => 0,
      () => polish(frame, DEFAULT_POLISH),
    ),
  });
  rows.push({
    name: 'default polish, inPlace',
    ...paired(
      (): Frame => ({ time: s.time, columns: new Map([['level', s.values.slice()]]) }),
      (f) => polish(f, DEFAULT_POLISH, { inPlace: true }),
    ),
  });
  const offGrid: Frame = { time: jittered(s), columns: new Map([['level', s.values]]) };
  rows.push({
    name: 'polish, aligned to 15 min',
    ...paired(
      () => 0,
      () => polish(offGrid, ALIGNED_POLISH, { maintenance: maint }),
    ),
  });
  rows.push({
    name: '(allocate + fill one float64 column)',
    ...paired(
      () => 0,
      () => new Float64Array(n).fill(1),
    ),
  });
  return { floorSeconds: median(floorSamples), rows };
}

/** Memory retained by a polish result, relative to the input arrays (time + values). */
export function memoryRatio(s: Series): { inputMB: number; retainedMB: number; peakMB: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  const frame: Frame = { time: s.time, columns: new Map([['level', s.values]]) };
  gc?.();
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 1);
  const result = polish(frame, DEFAULT_POLISH);
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  clearInterval(sampler);
  gc?.();
  const after = process.memoryUsage().arrayBuffers;
  void result.series.length;
  const mb = (b: number) => b / 2 ** 20;
  return {
    inputMB: mb(s.time.byteLength + s.values.byteLength),
    retainedMB: mb(after - before),
    peakMB: mb(peak - before),
  };
}

/** kNN scoring + STRAY on the full SaQC data, and kNN time against chunk size. */
export function benchmarkKnn(reps: number): string[] {
  const out: string[] = [];
  const file = `${dataDir()}hydrology/saqc/hydro_data.csv`;
  if (existsSync(file)) {
    const frame = readWideCsv(readFileSync(file, 'utf8'), { file });
    const grid = ['level_raw', 'water_temp_raw', 'sac254_raw'].map(
      (c) => alignSeries(seriesOf(frame, c), { freq: '15min', method: 'time' }).series,
    );
    const z = grid.map((g) => zScoreBlocks(g, '20D', `${g.name}_z`));
    const rows = z[0]!.values.length;
    const knnSec = time(
      reps,
      () => 0,
      () => assignKNNScore(z, 'kNN_scores', { freq: '20D' }),
    );
    const scores = assignKNNScore(z, 'kNN_scores', { freq: '20D' });
    const straySec = time(
      reps,
      () => cloneSeries(scores),
      (x) => flagByStray(x, { window: '20D' }),
    );
    out.push(
      `SaQC data, ${rows} rows x 3 features, 20-day chunks, n=10: assignKNNScore ${(knnSec * 1000).toFixed(0)} ms (${fmt(rows / knnSec)} rows/s), flagByStray ${(straySec * 1000).toFixed(1)} ms (${fmt(rows / straySec)} scores/s)`,
    );
  }
  const sizes = [2000, 4000, 8000, 16000];
  const timings = sizes.map((size) => {
    const x = Float64Array.from(
      { length: size * 3 },
      (_, i) => Math.sin(i * 0.37) + ((i * 7919) % 101) / 1000,
    );
    return time(
      reps,
      () => 0,
      () => knnDistanceSums(x, size, 3, 10),
    );
  });
  out.push(
    `kNN within one chunk (d=3, k=10): ${sizes.map((s, k) => `${s} pts ${(timings[k]! * 1000).toFixed(1)} ms`).join(', ')}; ` +
      `time ratio per doubling ${timings
        .slice(1)
        .map((t, k) => (t / timings[k]!).toFixed(2))
        .join(', ')} (2.0 = n log n-like, 4.0 = quadratic)`,
  );
  return out;
}

/** Parse rate of `count` local timestamps (15 minutes apart, text as in hydro_data.csv). */
export function benchmarkTimestamps(count: number, reps: number): string[] {
  const start = Date.UTC(2016, 0, 1);
  const texts = Array.from({ length: count }, (_, i) =>
    new Date(start + i * STEP).toISOString().slice(0, 19).replace('T', ' '),
  );
  const rows: Array<[string, Parameters<typeof timestampParser>[0]]> = [
    ['fixed offset (+01:00)', { utcOffsetMinutes: 60 }],
    ['IANA zone (Europe/Berlin)', { timezone: 'Europe/Berlin', nonexistent: 'shift' }],
  ];
  return rows.map(([name, options]) => {
    const parser = timestampParser(options);
    const sec = time(
      reps,
      () => 0,
      () => {
        let sum = 0;
        for (let i = 0; i < texts.length; i++) sum += parser.parse(texts[i]!);
        return sum;
      },
    );
    return `parse ${fmt(count)} timestamps, ${name}: ${fmt(count / sec)} timestamps/s`;
  });
}

function fmt(x: number): string {
  return x >= 1e6
    ? `${(x / 1e6).toFixed(1)} M`
    : x >= 1e3
      ? `${(x / 1e3).toFixed(0)} k`
      : x.toFixed(0);
}

/** Runs everything and returns the printed lines. */
export function runBenchmark(points: number, reps: number): string[] {
  const { values, source } = baseSeries();
  const s = scaled(values, points);
  const lines = [
    `input: ${source}, tiled to ${s.values.length.toLocaleString('en')} points; median of ${reps} runs`,
  ];
  const { floorSeconds, rows } = benchmarkTests(s, reps);
  lines.push(`floor (two bounds, write flag): ${fmt(s.values.length / floorSeconds)} points/s`);
  lines.push(`${'test'.padEnd(34)}${'points/s'.padStart(12)}${'x floor'.padStart(10)}`);
  for (const r of rows)
    lines.push(
      `${r.name.padEnd(34)}${fmt(r.pointsPerSecond).padStart(12)}${r.ratioToFloor.toFixed(2).padStart(10)}`,
    );
  const m = memoryRatio(s);
  lines.push(
    `memory: input arrays ${m.inputMB.toFixed(0)} MB; default polish retains ${m.retainedMB.toFixed(0)} MB (${(m.retainedMB / m.inputMB).toFixed(2)}x), peak extra ${m.peakMB.toFixed(0)} MB (${(m.peakMB / m.inputMB).toFixed(2)}x)`,
  );
  lines.push(...benchmarkTimestamps(1_000_000, reps));
  lines.push(...benchmarkKnn(Math.min(reps, 3)));
  return lines;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const points = Number(process.argv[2] ?? 10_000_000);
  for (const line of runBenchmark(points, 7)) process.stdout.write(`${line}\n`);
}
