// The fast kernels against straightforward reference implementations (the previous,
// per-point versions), so restructuring for speed cannot change what a test flags.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alignSeries,
  Cause,
  type CauseName,
  type CauseTally,
  civilFromDays,
  countFlags,
  countValidity,
  createSeries,
  daysFromCivil,
  durationMs,
  Flag,
  type Frame,
  fillGaps,
  flagClimatology,
  flagFlatLine,
  flagGaps,
  flagManual,
  flagRange,
  flagRateOfChange,
  flagRedundancy,
  flagSpike,
  flagZScore,
  type ManualInterval,
  normaliseSeries,
  type PolishConfig,
  parsePolishConfig,
  polish,
  refreshValidity,
  rollingZScore,
  type Series,
  seriesOf,
  TEST_CAUSES,
  type TestName,
  type TestOutcome,
} from '../src/index.js';
import { seriesArb } from './_gen.js';

/** The per-point flat-line scan this package shipped first. */
function flatLineReference(
  s: Series,
  p: { suspectCount: number; failCount?: number; tolerance?: number },
): TestOutcome {
  const susN = Math.max(2, p.suspectCount);
  const failN = p.failCount ?? Number.POSITIVE_INFINITY;
  const tol = p.tolerance ?? 0;
  const { values, flags, causes } = s;
  const out = { suspect: 0, fail: 0 };
  let start = -1;
  let len = 0;
  let lo = 0;
  let hi = 0;
  const mark = (from: number, to: number, flag: number): void => {
    for (let k = from; k <= to; k++) {
      if (Number.isNaN(values[k]!)) continue;
      const had = (causes[k]! & Cause.FLAT_LINE) !== 0;
      if (flags[k]! < flag) flags[k] = flag;
      causes[k] = causes[k]! | Cause.FLAT_LINE;
      if (flag === Flag.FAIL) {
        out.fail++;
        if (had) out.suspect--;
      } else if (!had) out.suspect++;
    }
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (len > 0 && Math.max(hi, v) - Math.min(lo, v) <= tol) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      len++;
      if (len === susN) mark(start, i, len >= failN ? Flag.FAIL : Flag.SUSPECT);
      else if (len === failN) mark(start, i, Flag.FAIL);
      else if (len > susN) mark(i, i, len >= failN ? Flag.FAIL : Flag.SUSPECT);
    } else {
      start = i;
      len = 1;
      lo = v;
      hi = v;
    }
  }
  return out;
}

const sameSeries = (a: Series, b: Series): void => {
  expect([...a.time]).toEqual([...b.time]);
  expect([...a.values]).toEqual([...b.values]);
  expect([...a.flags]).toEqual([...b.flags]);
  expect([...a.causes]).toEqual([...b.causes]);
  expect([...a.validity]).toEqual([...b.validity]);
};

const copy = (s: Series): Series => ({
  ...s,
  values: s.values.slice(),
  flags: s.flags.slice(),
  causes: s.causes.slice(),
  validity: s.validity.slice(),
});

describe('flat line: run-length scan', () => {
  it('flags exactly what the per-point scan flags (suspectCount <= failCount)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }).map((x) => x / 4) },
            { weight: 1, arbitrary: fc.constant(Number.NaN) },
          ),
          { maxLength: 80 },
        ),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom(0, 0.25, 0.5),
        (vs, sus, extra, tolerance) => {
          const s = createSeries(
            'x',
            Float64Array.from(vs, (_, i) => i),
            Float64Array.from(vs),
          );
          const r = copy(s);
          const p = { suspectCount: sus, failCount: sus + extra, tolerance };
          expect(flagFlatLine(s, p)).toEqual(flatLineReference(r, p));
          sameSeries(s, r);
        },
      ),
    );
  });
});

describe('rolling z-score flags', () => {
  it('flags exactly the points whose rolling |z| exceeds the threshold', () => {
    fc.assert(
      fc.property(
        seriesArb({ nan: true, min: -100, max: 100, maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0.5, max: 3, noNaN: true }),
        (s, w, threshold) => {
          // Below ~1e-154 squares underflow: the flag kernel (squared comparison) then sees no
          // spread at all (documented in the README). No sensor reports such magnitudes.
          for (let i = 0; i < s.values.length; i++)
            if (Math.abs(s.values[i]!) < 1e-100) s.values[i] = 0;
          const step = s.time.length > 1 ? s.time[1]! : 1;
          const window = w * step;
          const z = rollingZScore(s, { window });
          const o = flagZScore(s, { window, threshold });
          let want = 0;
          for (let i = 0; i < z.length; i++) {
            const a = Math.abs(z[i]!);
            // away from the threshold itself, where rounding may decide either way
            if (Math.abs(a - threshold) < 1e-9) continue;
            const flagged = (s.causes[i]! & Cause.ZSCORE) !== 0;
            expect(flagged).toBe(a > threshold);
            if (flagged) want++;
          }
          expect(Math.abs(o.suspect - want)).toBeLessThanOrEqual(
            [...z].filter((x) => Math.abs(Math.abs(x) - threshold) < 1e-9).length,
          );
        },
      ),
    );
  });
  it('agrees with the scores across regular and irregular stretches of a long series', () => {
    const n = 120_000; // several chunks; an irregular stretch in the middle, missing values
    const time = Float64Array.from({ length: n }, (_, i) =>
      i < 50_000 || i > 52_000 ? i * 900_000 : i * 900_000 + ((i * 7919) % 13) * 1000,
    );
    const values = Float64Array.from({ length: n }, (_, i) =>
      i % 997 === 0
        ? Number.NaN
        : Math.sin(i / 300) + (i % 1500 === 0 ? 9 : 0) + ((i * 31) % 17) / 50,
    );
    const s = createSeries('x', time, values);
    for (let i = 5; i < n; i += 4001) s.flags[i] = Flag.FAIL;
    const z = rollingZScore(s, { window: '2D' });
    const o = flagZScore(s, { window: '2D', threshold: 3 });
    let want = 0;
    for (let i = 0; i < n; i++) {
      const flagged = (s.causes[i]! & Cause.ZSCORE) !== 0;
      expect(flagged).toBe(Math.abs(z[i]!) > 3);
      if (flagged) want++;
    }
    expect(o.suspect).toBe(want);
    expect(want).toBeGreaterThan(10);
  });
  it('ignores failed points, in the window and as candidates', () => {
    const vs = Array.from({ length: 60 }, (_, i) => Math.sin(i));
    vs[30] = 50;
    const s = createSeries(
      'x',
      Float64Array.from(vs, (_, i) => i),
      Float64Array.from(vs),
    );
    s.flags[30] = Flag.FAIL;
    expect(flagZScore(s, { window: 20, threshold: 3 }).suspect).toBe(0);
    expect(s.causes[30]).toBe(0);
  });
});

/** Flagged points by cause at their flag, counted cause by cause. */
function causesReference(s: Series): CauseTally {
  const out: CauseTally = {};
  for (const [name, bit] of Object.entries(Cause) as [CauseName, number][]) {
    const c = { suspect: 0, fail: 0, missing: 0 };
    for (let i = 0; i < s.flags.length; i++) {
      if ((s.causes[i]! & bit) === 0) continue;
      if (s.flags[i] === Flag.SUSPECT) c.suspect++;
      else if (s.flags[i] === Flag.FAIL) c.fail++;
      else if (s.flags[i] === Flag.MISSING) c.missing++;
    }
    if (c.suspect + c.fail + c.missing > 0) out[name] = c;
  }
  return out;
}

/**
 * The pipeline as first written: one public function per step, values copied up front;
 * the range test on the raw readings, maintenance and climatology on the normalised
 * readings, alignment, maintenance on the grid, then the tests that need neighbours.
 */
function polishReference(
  frame: Frame,
  config: PolishConfig,
  maintenance?: readonly ManualInterval[],
) {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const t of frame.time) {
    start = Math.min(start, t);
    end = Math.max(end, t);
  }
  const out = new Map<string, { s: Series; tests: TestName[]; report: Record<string, unknown> }>();
  for (const [name, vc] of Object.entries(config.variables)) {
    const column = vc.column ?? name;
    const src = { ...seriesOf(frame, column), name };
    const t = vc.tests ?? {};
    const evaluated =
      Object.keys(t).some((k) => k !== 'manual') ||
      (config.redundancy ?? []).some((g) => g.variables.includes(name));
    if (evaluated)
      for (let i = 0; i < src.flags.length; i++) if (src.flags[i] === 2) src.flags[i] = 1;
    if (t.range) flagRange(src, t.range);
    const normalised = normaliseSeries(src, config.duplicates ?? 'last');
    let s = normalised.series;
    const tests: TestName[] = [];
    const manual = maintenance !== undefined && t.manual !== false;
    const method = config.maintenance?.method ?? 'closed';
    if (manual) {
      flagManual(s, maintenance, { method });
      tests.push('manual');
    }
    if (t.climatology) flagClimatology(s, t.climatology);
    let align: unknown;
    if (config.align !== undefined) {
      const a = alignSeries(s, {
        freq: config.align.freq,
        ...(config.align.method === undefined ? {} : { method: config.align.method }),
        span: { start, end },
      });
      s = a.series;
      align = a.report;
      if (manual) flagManual(s, maintenance, { method });
    }
    const gaps = flagGaps(
      s,
      config.align === undefined ? {} : { maxStep: durationMs(config.align.freq) },
    );
    if (t.spike) flagSpike(s, t.spike);
    if (t.rateOfChange) flagRateOfChange(s, t.rateOfChange);
    if (t.flatLine) flatLineReference(s, t.flatLine);
    if (t.zScore) flagZScore(s, t.zScore);
    for (const k of [
      'range',
      'climatology',
      'spike',
      'rateOfChange',
      'flatLine',
      'zScore',
    ] as const)
      if (t[k]) tests.push(k);
    out.set(name, {
      s,
      tests,
      report: {
        points: s.time.length,
        normalise: normalised.report,
        ...(align === undefined ? {} : { align }),
        gaps,
      },
    });
  }
  for (const group of config.redundancy ?? []) {
    const members = group.variables.map((v) => out.get(v)!);
    flagRedundancy(
      members.map((m) => m.s),
      { suspect: group.suspect },
    );
    for (const m of members) m.tests.push('redundancy');
  }
  const variables: Record<string, unknown> = {};
  const series: Series[] = [];
  for (const [name, { s, tests, report }] of out) {
    const vc = config.variables[name]!;
    const causes = causesReference(s);
    const flags = countFlags(s);
    refreshValidity(s, vc.acceptSuspect ?? false);
    const fill = vc.fill === undefined ? undefined : fillGaps(s, vc.fill);
    variables[name] = {
      ...report,
      tests: Object.fromEntries(
        tests.map((k) => {
          const c = causes[TEST_CAUSES[k]];
          return [k, { suspect: c?.suspect ?? 0, fail: c?.fail ?? 0 }];
        }),
      ),
      causes,
      ...(fill === undefined ? {} : { fill }),
      flags,
      validity: countValidity(s),
    };
    series.push(s);
  }
  return { series, report: { variables } };
}

const cell = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -2, max: 12 }).map((x) => x / 2) },
  { weight: 2, arbitrary: fc.constant(Number.NaN) },
);
const frameArb = fc
  .tuple(
    fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 60 }),
    fc.constantFrom('sorted', 'jitter', 'shuffled'),
    fc.boolean(),
  )
  .map(([rows, order, withFlags]): Frame => {
    const time = Float64Array.from(rows, (_, i) =>
      order === 'sorted'
        ? i * 900_000
        : order === 'jitter'
          ? i * 900_000 + ((i * 7) % 5) * 60_000
          : ((i * 37) % rows.length) * 900_000 - (i % 3 === 0 ? 900_000 : 0),
    );
    const a = Float64Array.from(rows, (r) => r[0]);
    const b = Float64Array.from(rows, (r) => r[1]);
    return {
      time,
      columns: new Map([
        ['a', a],
        ['b', b],
      ]),
      ...(withFlags
        ? {
            flags: new Map([
              [
                'a',
                Uint8Array.from(rows, (_, i) => (i % 4 === 0 ? Flag.SUSPECT : Flag.NOT_EVALUATED)),
              ],
            ]),
            causes: new Map([
              ['a', Uint32Array.from(rows, (_, i) => (i % 4 === 0 ? Cause.QUALIFIER : 0))],
            ]),
          }
        : {}),
    };
  });

const configArb = fc
  .tuple(
    fc.boolean(),
    fc.constantFrom('linear', 'forward', 'mask', 'none') as fc.Arbitrary<
      'linear' | 'forward' | 'mask' | 'none'
    >,
    fc.boolean(),
    fc.constantFrom('first', 'last', 'mean') as fc.Arbitrary<'first' | 'last' | 'mean'>,
  )
  .map(([aligned, method, redundancy, duplicates]) =>
    parsePolishConfig({
      duplicates,
      ...(aligned ? { align: { freq: '15min', method: 'time' } } : {}),
      ...(redundancy ? { redundancy: [{ variables: ['a', 'b', 'c'], suspect: 2 }] } : {}),
      variables: {
        a: {
          tests: {
            range: { failMin: 0, failMax: 5, suspectMax: 4 },
            climatology: { months: [[0, 4.5], ...Array.from({ length: 11 }, () => null)] },
            spike: { suspect: 1, fail: 3 },
            rateOfChange: { maxPerHour: 8 },
            flatLine: { suspectCount: 3, failCount: 5 },
            zScore: { window: '3h', threshold: 1.5 },
          },
          fill: method === 'none' || method === 'mask' ? { method } : { method, maxGap: '1h' },
        },
        b: { fill: { method: 'linear', maxGap: '45min' } },
        c: {
          column: 'a',
          tests: { manual: false, flatLine: { suspectCount: 2 } },
          acceptSuspect: true,
        },
      },
    }),
  );

/** No log, or a few intervals (minutes long, ends anywhere) over the frames' span. */
const maintenanceArb = fc.option(
  fc.array(
    fc
      .tuple(fc.integer({ min: -20, max: 900 }), fc.integer({ min: 0, max: 60 }))
      .map(([m, d]): ManualInterval => ({ start: m * 60_000, end: (m + d) * 60_000 })),
    { maxLength: 4 },
  ),
  { nil: undefined },
);

describe('polish: fused passes and copy-on-write', () => {
  it('gives the same series and report as the step-by-step pipeline', () => {
    fc.assert(
      fc.property(frameArb, configArb, maintenanceArb, (frame, config, maintenance) => {
        const before = [...frame.columns.values()].map((c) => [...c]);
        let want: ReturnType<typeof polishReference> | undefined;
        let wantError: unknown;
        try {
          want = polishReference(frame, config, maintenance);
        } catch (err) {
          wantError = err;
        }
        const inputs = maintenance === undefined ? {} : { maintenance };
        if (want === undefined) {
          expect(() => polish(frame, config, inputs)).toThrow((wantError as Error).message);
          return;
        }
        const got = polish(frame, config, inputs);
        expect(got.report).toEqual(want.report);
        for (const [k, s] of got.series.entries()) sameSeries(s, want.series[k]!);
        // the frame is untouched
        expect([...frame.columns.values()].map((c) => [...c])).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });
  it('shares the value column only while nothing wrote to it', () => {
    const values = Float64Array.of(1, 2, Number.NaN, 4);
    const frame: Frame = { time: Float64Array.of(0, 1, 2, 3), columns: new Map([['x', values]]) };
    const none = polish(frame, parsePolishConfig({ variables: { x: {} } }));
    expect(none.series[0]!.values).toBe(values);
    const filled = polish(
      frame,
      parsePolishConfig({ variables: { x: { fill: { method: 'linear', maxGap: 10 } } } }),
    );
    expect(filled.series[0]!.values).not.toBe(values);
    expect([...filled.series[0]!.values]).toEqual([1, 2, 3, 4]);
    expect(Number.isNaN(values[2]!)).toBe(true);
    const inPlace = polish(
      frame,
      parsePolishConfig({ variables: { x: { fill: { method: 'linear', maxGap: 10 } } } }),
      { inPlace: true },
    );
    expect(inPlace.series[0]!.values).toBe(values);
    expect(values[2]).toBe(3);
  });
});

describe('flagGaps', () => {
  it('counts what the per-point version counted', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 5 })), { maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        (rows, maxStep) => {
          let t = 0;
          const time = Float64Array.from(rows, ([, d]) => (t += d));
          const values = Float64Array.from(rows, ([present]) => (present ? 1 : Number.NaN));
          const s = createSeries('x', time, values);
          // reference: the first version
          let missingPoints = 0;
          let gaps = 0;
          let longest = 0;
          let lastT = Number.NaN;
          let inGap = false;
          for (let i = 0; i < values.length; i++) {
            if (Number.isNaN(values[i]!)) {
              missingPoints++;
              if (!inGap) gaps++;
              inGap = true;
              continue;
            }
            const step = time[i]! - lastT;
            if (!inGap && step > maxStep) gaps++;
            if (step > longest && (inGap || step > maxStep)) longest = step;
            inGap = false;
            lastT = time[i]!;
          }
          expect(flagGaps(s, { maxStep })).toEqual({ missingPoints, gaps, longestMs: longest });
        },
      ),
    );
  });
});

describe('rate of change', () => {
  it('flags what the per-point version flagged, missing values included', () => {
    fc.assert(
      fc.property(
        seriesArb({ nan: true, min: -20, max: 20, maxLength: 60 }),
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        (s, maxPerHour) => {
          const perMs = maxPerHour / 3_600_000;
          const want: number[] = [];
          let lastT = Number.NaN;
          let lastV = Number.NaN;
          for (let i = 0; i < s.values.length; i++) {
            const v = s.values[i]!;
            if (Number.isNaN(v)) continue;
            if (Math.abs(v - lastV) > perMs * (s.time[i]! - lastT)) want.push(i);
            else {
              lastT = s.time[i]!;
              lastV = v;
            }
          }
          expect(flagRateOfChange(s, { maxPerHour }).suspect).toBe(want.length);
          const got = [...s.causes].flatMap((c, i) => (c & Cause.RATE_OF_CHANGE ? [i] : []));
          expect(got).toEqual(want);
        },
      ),
    );
  });
});

describe('civilFromDays', () => {
  it('inverts daysFromCivil', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (days) => {
        const { year, month, day } = civilFromDays(days);
        expect(daysFromCivil(year, month, day)).toBe(days);
        const d = new Date(days * 86_400_000);
        expect([year, month, day]).toEqual([
          d.getUTCFullYear(),
          d.getUTCMonth() + 1,
          d.getUTCDate(),
        ]);
      }),
    );
  });
});
