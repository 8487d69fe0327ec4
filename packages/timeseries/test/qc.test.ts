import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Cause,
  createSeries,
  Flag,
  flagClimatology,
  flagFlatLine,
  flagGaps,
  flagManual,
  flagRange,
  flagRateOfChange,
  flagRedundancy,
  flagSpike,
  flagZScore,
  rollingZScore,
} from '../src/index.js';
import { series, seriesArb } from './_gen.js';

describe('flagRange', () => {
  it('never flags a valid value and always fails an impossible one', () => {
    fc.assert(
      fc.property(
        seriesArb(),
        fc.double({ min: -1e6, max: 0, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (s, lo, hi) => {
          const o = flagRange(s, { failMin: lo, failMax: hi });
          let impossible = 0;
          for (let i = 0; i < s.values.length; i++) {
            const v = s.values[i]!;
            if (v >= lo && v <= hi) expect(s.flags[i]).toBe(Flag.NOT_EVALUATED);
            else {
              impossible++;
              expect(s.flags[i]).toBe(Flag.FAIL);
              expect(s.causes[i]! & Cause.RANGE).toBeTruthy();
            }
          }
          expect(o.fail).toBe(impossible);
        },
      ),
    );
  });
  it('separates suspect from fail, bounds inclusive', () => {
    const s = series([-1, 0, 5, 9, 11]);
    expect(flagRange(s, { failMin: 0, suspectMax: 8, failMax: 10 })).toEqual({
      suspect: 1,
      fail: 2,
    });
    expect([...s.flags]).toEqual([4, 2, 2, 3, 4]);
  });
});

describe('flagClimatology', () => {
  it('uses the bounds of each UTC month', () => {
    const jan = Date.UTC(2016, 0, 15);
    const jul = Date.UTC(2016, 6, 15);
    const s = createSeries('t', Float64Array.of(jan, jan + 1, jul), Float64Array.of(20, 3, 20));
    const months = Array.from({ length: 12 }, (_, m) =>
      m === 0 ? ([-1, 8] as const) : m === 6 ? ([10, 26] as const) : null,
    );
    expect(flagClimatology(s, { months })).toEqual({ suspect: 1, fail: 0 });
    expect([...s.flags]).toEqual([3, 2, 2]);
  });
});

describe('flagSpike', () => {
  it('flags 1 m -> 5 m -> 1 m and keeps a monotone steep rise', () => {
    const glitch = series([1, 1, 5, 1, 1]);
    expect(flagSpike(glitch, { suspect: 0.5, fail: 2 })).toEqual({ suspect: 0, fail: 1 });
    expect(glitch.flags[2]).toBe(Flag.FAIL);
    const rise = series([1, 2, 4, 8, 16, 32]);
    expect(flagSpike(rise, { suspect: 0.5 })).toEqual({ suspect: 0, fail: 0 });
  });
  it('measures ratios on the log scale', () => {
    const s = series([100, 1000, 100]);
    expect(flagSpike(s, { suspect: Math.log(5), scale: 'log' }).suspect).toBe(1);
    expect(flagSpike(series([100, 300, 100]), { suspect: Math.log(5), scale: 'log' }).suspect).toBe(
      0,
    );
  });
  it('never flags a point inside the span of its neighbours', () => {
    fc.assert(
      fc.property(seriesArb(), fc.double({ min: 0, max: 100, noNaN: true }), (s, t) => {
        flagSpike(s, { suspect: t });
        for (let i = 1; i + 1 < s.values.length; i++) {
          const [a, x, b] = [s.values[i - 1]!, s.values[i]!, s.values[i + 1]!];
          if (x >= Math.min(a, b) && x <= Math.max(a, b))
            expect(s.flags[i]).toBe(Flag.NOT_EVALUATED);
        }
      }),
    );
  });
});

describe('flagRateOfChange', () => {
  it('flags only the glitch in 1 -> 5 -> 1 within one 15-minute step', () => {
    const s = series([1, 1, 5, 1, 1]);
    expect(flagRateOfChange(s, { maxPerHour: 4 })).toEqual({ suspect: 1, fail: 0 });
    expect([...s.flags]).toEqual([2, 2, 3, 2, 2]);
  });
  it('accepts a real level shift once enough time has passed', () => {
    const s = series([1, 5, 5, 5, 5, 5]); // +4 m at 4.5 m/h: credible again one hour after the last accepted value
    flagRateOfChange(s, { maxPerHour: 4.5 });
    expect([...s.flags]).toEqual([2, 3, 3, 3, 2, 2]);
  });
  it('never flags a series that moves slower than the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 60 }),
        (steps) => {
          let v = 0;
          const s = series(steps.map((d) => (v += d)));
          expect(flagRateOfChange(s, { maxPerHour: 4.0001 }).suspect).toBe(0);
        },
      ),
    );
  });
});

describe('flagFlatLine', () => {
  it('flags a stuck run from its first point, suspect then fail', () => {
    const s = series([1, 2, 3, 3, 3, 3, 3, 3, 4]);
    expect(flagFlatLine(s, { suspectCount: 3, failCount: 5 })).toEqual({ suspect: 0, fail: 6 });
    expect([...s.flags]).toEqual([2, 2, 4, 4, 4, 4, 4, 4, 2]);
    const t = series([1, 1.0005, 0.9995, 2]);
    expect(flagFlatLine(t, { suspectCount: 3, tolerance: 0.001 })).toEqual({ suspect: 3, fail: 0 });
  });
  it('counts each flagged point once, at its worst', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 60 }), (vs) => {
        const s = series(vs);
        const o = flagFlatLine(s, { suspectCount: 3, failCount: 5 });
        const flagged = [...s.causes].filter((c) => c & Cause.FLAT_LINE).length;
        expect(o.suspect + o.fail).toBe(flagged);
        expect(o.fail).toBe([...s.flags].filter((f) => f === Flag.FAIL).length);
      }),
    );
  });
});

describe('flagManual', () => {
  it('treats interval ends as SaQC does', () => {
    const mk = () => series([0, 0, 0, 0, 0], 1);
    const iv = [{ start: 1, end: 3 }];
    const closed = mk();
    expect(flagManual(closed, iv, { method: 'closed' }).fail).toBe(3);
    const left = mk();
    expect(flagManual(left, iv, { method: 'left-open' }).fail).toBe(2);
    expect([...left.flags]).toEqual([2, 2, 4, 4, 2]);
    const right = mk();
    flagManual(right, iv, { method: 'right-open' });
    expect([...right.flags]).toEqual([2, 4, 4, 2, 2]);
  });
  it('flags every point inside an interval and none outside', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 20 })), {
          maxLength: 6,
        }),
        (ivs) => {
          const s = series(
            Array.from({ length: 101 }, () => 0),
            1,
          );
          const intervals = ivs.map(([a, len]) => ({ start: a, end: a + len }));
          flagManual(s, intervals, { method: 'closed' });
          for (let i = 0; i <= 100; i++) {
            const inside = intervals.some((v) => i >= v.start && i <= v.end);
            expect(s.flags[i]).toBe(inside ? Flag.FAIL : Flag.NOT_EVALUATED);
          }
        },
      ),
    );
  });
});

describe('flagGaps', () => {
  it('counts missing runs and long steps', () => {
    const s = createSeries(
      'x',
      Float64Array.of(0, 1, 2, 3, 10, 11),
      Float64Array.of(1, Number.NaN, Number.NaN, 1, 1, 1),
    );
    expect(flagGaps(s, { maxStep: 2 })).toEqual({ missingPoints: 2, gaps: 2, longestMs: 7 });
    expect(s.causes[1]! & Cause.GAP).toBeTruthy();
  });
});

describe('flagRedundancy', () => {
  it('flags the sensor that departs from the group median', () => {
    const g = [
      series([1, 1, 1]),
      series([1.1, 1.1, 1.1]),
      series([0.9, 5, 0.9]),
      series([1, 1, 1]),
    ];
    const o = flagRedundancy(g, { suspect: 1, fail: 3 });
    expect(o[2]).toEqual({ suspect: 0, fail: 1 });
    expect(g[2]!.flags[1]).toBe(Flag.FAIL);
    expect(o[0]).toEqual({ suspect: 0, fail: 0 });
  });
});

describe('rolling z-score', () => {
  it('matches a direct computation over each window', () => {
    fc.assert(
      fc.property(
        seriesArb({ nan: true, min: -100, max: 100, maxLength: 50 }),
        fc.integer({ min: 1, max: 20 }),
        (s, w) => {
          const step = s.time.length > 1 ? s.time[1]! : 1;
          const window = w * step;
          const z = rollingZScore(s, { window });
          let peak = 0;
          for (const v of s.values) if (!Number.isNaN(v)) peak = Math.max(peak, Math.abs(v));
          for (let i = 0; i < s.values.length; i++) {
            const inWin: number[] = [];
            for (let j = 0; j < s.values.length; j++) {
              if (Math.abs(s.time[j]! - s.time[i]!) <= window / 2 && !Number.isNaN(s.values[j]!))
                inWin.push(s.values[j]!);
            }
            if (Number.isNaN(s.values[i]!) || inWin.length < 2) {
              expect(z[i]).toBeNaN();
              continue;
            }
            const mean = inWin.reduce((a, b) => a + b, 0) / inWin.length;
            const sd = Math.sqrt(
              inWin.reduce((a, b) => a + (b - mean) ** 2, 0) / (inWin.length - 1),
            );
            const want = sd > 1e-9 ? (s.values[i]! - mean) / sd : 0;
            // Rolling sums carry rounding from every value that passed through the window, so
            // a window whose spread is tiny next to the series' magnitude is ill-conditioned:
            // compare only where the spread is well above that rounding.
            if (sd > 1e-4 * Math.max(1, peak)) expect(z[i]!).toBeCloseTo(want, 5);
          }
        },
      ),
    );
  });
  it('flags an outlier', () => {
    const vs = Array.from({ length: 200 }, (_, i) => Math.sin(i / 10));
    vs[100] = 40;
    const s = series(vs);
    expect(flagZScore(s, { window: '1D', threshold: 5 }).suspect).toBe(1);
    expect(s.flags[100]).toBe(Flag.SUSPECT);
  });
});

describe('flagClimatology with a day-of-year window', () => {
  const months = Array.from({ length: 12 }, (_, m) =>
    m === 0 ? ([0, 5] as const) : m === 1 ? ([0, 10] as const) : null,
  );
  it('widens the bounds near a month boundary to those of the neighbouring month', () => {
    const at = (m: number, d: number) => Date.UTC(2021, m, d, 12);
    const t = Float64Array.of(at(0, 10), at(0, 30), at(1, 2), at(1, 20));
    const mk = () => createSeries('t', t, Float64Array.of(8, 8, -1, 8));
    const byMonth = mk();
    expect(flagClimatology(byMonth, { months })).toEqual({ suspect: 3, fail: 0 });
    const windowed = mk();
    // Jan 30 ± 5 days touches February (0..10): 8 passes; Feb 2 ± 5 touches January (0..5)
    expect(flagClimatology(windowed, { months, window: { days: 5 } })).toEqual({
      suspect: 2,
      fail: 0,
    });
    expect([...windowed.flags]).toEqual([3, 2, 3, 2]);
    // a window of 0 days is the calendar month
    const zero = mk();
    flagClimatology(zero, { months, window: { days: 0 } });
    expect([...zero.flags]).toEqual([...byMonth.flags]);
  });
  it('never flags more than the calendar month does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 15, noNaN: true }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 60 }),
        (vs, days) => {
          const t = Float64Array.from(vs, (_, i) => Date.UTC(2020, 11, 1) + i * 3 * 86_400_000);
          const a = createSeries('t', t, Float64Array.from(vs));
          const b = createSeries('t', t, Float64Array.from(vs));
          flagClimatology(a, { months });
          flagClimatology(b, { months, window: { days } });
          for (let i = 0; i < vs.length; i++) expect(b.flags[i]!).toBeLessThanOrEqual(a.flags[i]!);
        },
      ),
    );
  });
});
