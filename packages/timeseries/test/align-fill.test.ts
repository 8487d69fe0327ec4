import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alignSeries,
  Cause,
  createSeries,
  Flag,
  fillGaps,
  refreshValidity,
  Validity,
} from '../src/index.js';
import { series } from './_gen.js';

const MIN = 60_000;

/** Irregular readings: sorted distinct times with jitter, values with their time encoded. */
const irregular = fc
  .uniqueArray(fc.integer({ min: 0, max: 6 * 60 }), { minLength: 1, maxLength: 60 })
  .map((minutes) => {
    const t = Float64Array.from(
      minutes.sort((a, b) => a - b),
      (m) => m * MIN,
    );
    return createSeries(
      'x',
      t,
      Float64Array.from(t, (v) => v / MIN),
    );
  });

describe('alignSeries', () => {
  it('maps SaQC-style jitter onto the 15-minute grid', () => {
    const t = [2, 17, 32, 47, 61].map((m) => m * MIN);
    const s = createSeries('x', Float64Array.from(t), Float64Array.of(1, 2, 3, 4, 5));
    const { series: a, report } = alignSeries(s, { freq: '15min', method: 'nearest' });
    expect([...a.time]).toEqual([0, 15, 30, 45, 60].map((m) => m * MIN));
    expect([...a.values]).toEqual([1, 2, 3, 4, 5]);
    expect(report).toMatchObject({
      readings: 5,
      gridPoints: 5,
      missing: 0,
      maxDistanceMs: 2 * MIN,
    });
    const gap = createSeries(
      'x',
      Float64Array.from([0, 60].map((m) => m * MIN)),
      Float64Array.of(1, 2),
    );
    const g = alignSeries(gap, { freq: '15min', method: 'nearest' }).series;
    expect([...g.flags]).toEqual([2, 9, 9, 9, 2]);
    expect(g.causes[1]).toBe(Cause.GAP);
  });
  it('nearest never takes a value from further than the tolerance', () => {
    fc.assert(
      fc.property(irregular, fc.integer({ min: 1, max: 7 }), (s, tolMin) => {
        const { series: a } = alignSeries(s, {
          freq: '15min',
          method: 'nearest',
          tolerance: tolMin * MIN,
        });
        for (let g = 0; g < a.time.length; g++) {
          if (Number.isNaN(a.values[g]!)) {
            for (const t of s.time) expect(Math.abs(t - a.time[g]!)).toBeGreaterThan(tolMin * MIN);
          } else {
            // the value encodes the minute of the reading it came from
            expect(Math.abs(a.values[g]! * MIN - a.time[g]!)).toBeLessThanOrEqual(tolMin * MIN);
          }
        }
      }),
    );
  });
  it('time interpolation uses only readings within the tolerance either side', () => {
    fc.assert(
      fc.property(irregular, (s) => {
        const { series: a } = alignSeries(s, { freq: '15min', method: 'time' });
        for (let g = 0; g < a.time.length; g++) {
          const gt = a.time[g]!;
          const hasBefore = [...s.time].some((t) => t <= gt && gt - t <= 15 * MIN);
          const hasAfter = [...s.time].some((t) => t >= gt && t - gt <= 15 * MIN);
          if (Number.isNaN(a.values[g]!)) expect(hasBefore && hasAfter).toBe(false);
          // values are minutes, linear in time: interpolation reproduces the grid minute
          else expect(a.values[g]!).toBeCloseTo(gt / MIN, 9);
        }
      }),
    );
  });
  it('mean aggregates the readings nearest to each grid point, with their worst flag', () => {
    const s = createSeries(
      'x',
      Float64Array.from([1, 4, 14, 16].map((m) => m * MIN)),
      Float64Array.of(1, 3, 10, 20),
    );
    s.flags[1] = Flag.SUSPECT;
    const { series: a } = alignSeries(s, { freq: '15min', method: 'mean', tolerance: '7min' });
    expect([...a.values]).toEqual([2, 15]);
    expect([...a.flags]).toEqual([Flag.SUSPECT, Flag.NOT_EVALUATED]);
  });
});

describe('fillGaps', () => {
  const gappy = () =>
    series([1, Number.NaN, Number.NaN, 4, Number.NaN, Number.NaN, Number.NaN, Number.NaN, 9]);
  it('interpolates short gaps, refuses long ones, and records why', () => {
    const s = gappy();
    const f = fillGaps(s, { method: 'linear', maxGap: '45min' });
    expect([...s.values.slice(0, 4)]).toEqual([1, 2, 3, 4]);
    expect(Number.isNaN(s.values[5]!)).toBe(true);
    expect(f).toMatchObject({ filled: 2, refused: 4, masked: 0 });
    expect(s.validity[1]).toBe(Validity.IMPUTED);
    expect(s.flags[1]).toBe(Flag.MISSING);
    expect(s.causes[1]! & Cause.FILL_LINEAR).toBeTruthy();
  });
  it('carries forward and masks', () => {
    const s = gappy();
    fillGaps(s, { method: 'forward', maxGap: '2h' });
    expect([...s.values]).toEqual([1, 1, 1, 4, 4, 4, 4, 4, 9]);
    const m = gappy();
    m.flags[3] = Flag.FAIL;
    refreshValidity(m);
    const f = fillGaps(m, { method: 'mask' });
    expect(f.masked).toBe(7);
    expect(Number.isNaN(m.values[3]!)).toBe(true);
    expect(m.causes[3]! & Cause.MASKED).toBeTruthy();
  });
  it('never fills across a gap longer than its limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), fc.constant(Number.NaN)), {
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('linear' as const, 'forward' as const),
        (vs, steps, method) => {
          const s = series(vs);
          const maxGap = steps * 900_000;
          fillGaps(s, { method, maxGap });
          for (let i = 0; i < vs.length; i++) {
            if (s.validity[i] !== Validity.IMPUTED) continue;
            let p = i;
            while (p >= 0 && !(s.validity[p] === Validity.OBSERVED)) p--;
            let q = i;
            while (q < vs.length && !(s.validity[q] === Validity.OBSERVED)) q++;
            expect(p).toBeGreaterThanOrEqual(0);
            const end = q < vs.length ? s.time[q]! : s.time[q - 1]!;
            expect(end - s.time[p]!).toBeLessThanOrEqual(maxGap);
          }
        },
      ),
    );
  });
});
