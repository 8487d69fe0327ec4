import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignKNNScore,
  Cause,
  chunkStarts,
  correctDrift,
  createSeries,
  expDriftModel,
  Flag,
  fitDriftRate,
  flagByStray,
  knnDistanceSums,
  readMaintenanceLog,
  readWideCsv,
  runSaqcReference,
  strayOutliers,
  transferFlags,
  zScoreBlocks,
} from '../src/index.js';
import { noRealData, readData, realDataTitle } from './_data.js';
import { series } from './_gen.js';

const DAY = 86_400_000;

describe('chunks', () => {
  it('partitions from midnight of the first day, not from the first timestamp', () => {
    const t = Float64Array.of(DAY / 2, DAY * 1.9, DAY * 2.1, DAY * 5);
    expect(chunkStarts(t, 2 * DAY)).toEqual([0, 2, 3, 4]);
  });
});

describe('zScoreBlocks', () => {
  it('standardises each chunk by its mean and sample deviation, masking failed values', () => {
    const s = createSeries('x', Float64Array.of(0, 1, 2, DAY * 3), Float64Array.of(1, 2, 3, 7));
    s.flags[2] = Flag.FAIL;
    const z = zScoreBlocks(s, '2D', 'x_z');
    expect(z.values[0]).toBeCloseTo(-Math.SQRT1_2, 12);
    expect(z.values[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(z.values[2]).toBeNaN();
    expect(z.values[3]).toBeNaN(); // a chunk of one value has no deviation
  });
});

describe('kNN scores', () => {
  it('equal a brute-force sum of the k nearest distances', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: -20, max: 20 }), fc.double({ min: -5, max: 5, noNaN: true })),
          { minLength: 2, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 10 }),
        (pts, n) => {
          const k = Math.min(n, pts.length - 1);
          const x = Float64Array.from(pts.flat());
          const got = knnDistanceSums(x, pts.length, 2, k);
          pts.forEach(([a, b], i) => {
            const d = pts
              .filter((_, j) => j !== i)
              .map(([c, e]) => Math.hypot(a - c, b - e))
              .sort((p, q) => p - q);
            expect(got[i]!).toBeCloseTo(
              d.slice(0, k).reduce((s, v) => s + v, 0),
              9,
            );
          });
        },
      ),
    );
  });
  it('skip rows with a missing or failed feature', () => {
    const a = series([0, 1, 2, Number.NaN, 4]);
    const b = series([0, 0, 0, 0, 0]);
    b.flags[4] = Flag.FAIL;
    const s = assignKNNScore([a, b], 'scores', { n: 1 });
    expect([...s.values]).toEqual([1, 1, 1, Number.NaN, Number.NaN]);
  });
});

describe('STRAY', () => {
  it('cuts off the scores above the first significant gap', () => {
    const scores = Float64Array.from({ length: 40 }, (_, i) => 1 + (i % 7) * 0.01);
    scores[5] = 9;
    scores[30] = 8;
    expect(strayOutliers(scores).sort((a, b) => a - b)).toEqual([5, 30]);
    expect(strayOutliers(Float64Array.of(1, 2, 3), 11)).toEqual([]);
  });
  it('flags per chunk and transfers to the data with a label', () => {
    const vs = Array.from({ length: 60 }, (_, i) => 1 + (i % 5) * 0.01);
    vs[10] = 50;
    const scores = series(vs);
    expect(flagByStray(scores)).toBe(1);
    expect(scores.causes[10]! & Cause.STRAY).toBeTruthy();
    const level = series(vs.map(() => 3));
    expect(transferFlags(scores, level, { causes: Cause.STRAY, label: Cause.STRAY })).toBe(1);
    expect(level.flags[10]).toBe(Flag.FAIL);
    expect(level.flags[9]).toBe(Flag.NOT_EVALUATED);
  });
});

describe('correctDrift (exponential)', () => {
  it('recovers the rate of an exact exponential drift', () => {
    const x = Float64Array.from({ length: 101 }, (_, i) => i / 100);
    const y = Float64Array.from(x, (v) => expDriftModel(v, 3, 10, 20));
    expect(fitDriftRate(x, y, 10, 20)).toBeCloseTo(3, 3);
  });
  it('pulls the drifted end of each interval to the level after cleaning', () => {
    const maint = [
      { start: 0, end: 10 },
      { start: 111, end: 120 },
      { start: 300, end: 310 },
    ];
    const t = Float64Array.from({ length: 300 }, (_, i) => i + 11);
    // drifts up from 10 towards 20 until the second maintenance, then reads 10 again
    const v = Float64Array.from(t, (ti) =>
      ti <= 111 ? expDriftModel((ti - 11) / 100, 2, 10, 20) : 10,
    );
    const s = createSeries('sac', t, v);
    const { series: c, fits } = correctDrift(s, maint, 'sac_corr', { calRange: 1 });
    expect(fits[0]!.c).toBeCloseTo(2, 2);
    for (let i = 0; i <= 100; i++) expect(c.values[i]!).toBeCloseTo(10, 6);
    expect(c.causes[50]! & Cause.DRIFT_CORRECTED).toBeTruthy();
    expect(s.values[100]).toBeCloseTo(20, 6); // the input is untouched
  });
});

describe.skipIf(noRealData)(realDataTitle('SaQC reference pipeline on hydro_data.csv'), () => {
  it('reproduces hydro_config.csv and flags the maintenance intervals', () => {
    const frame = readWideCsv(readData('hydrology/saqc/hydro_data.csv'), {
      file: 'hydro_data.csv',
    });
    const maint = readMaintenanceLog(readData('hydrology/saqc/hydro_maint.csv'), {
      file: 'hydro_maint.csv',
    });
    const r = runSaqcReference(frame, maint);
    const count = (step: string, variable: string) =>
      r.counts.find((c) => c.step.startsWith(step) && c.variable === variable)?.flagged;
    expect(count('flagManual', 'sac254_raw')).toBe(192);
    expect(count('flagRange(min=0)', 'level_raw')).toBe(2);
    expect(count('flagRange(min=0, max=60)', 'sac254_raw')).toBe(467);
    expect(count('flagByStray', 'kNN_scores')).toBeGreaterThan(0);
    // flagManual runs before align, so the only grid point missed is 13:30 inside the
    // 10-minute event of 2017-05-02 13:20–13:30 that no raw reading falls into
    expect(r.recall.sac254_corr).toEqual({ inside: 218, flagged: 217, recall: 217 / 218 });
    expect(r.driftFits.length).toBe(35);
  });
});
