import { Validity } from '@weir/timeseries';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/data/faults.js';
import { basinFromArrays, randomBasins } from '../src/data/synthetic.js';
import type { BasinData, Splits, WindowedSampleSet } from '../src/data/windows.js';
import { buildSampleSet, dayNumber } from '../src/data/windows.js';

const DAY_MS = 86_400_000;
const BASE = dayNumber('2000-01-01');
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A copy of a basin whose data after `lastDay` is replaced by other random data. */
function changedAfter(b: BasinData, lastDay: number, random: () => number): BasinData {
  const change = (s: BasinData['discharge']): BasinData['discharge'] => {
    const values = s.values.slice();
    const validity = s.validity.slice();
    for (let i = 0; i < values.length; i++) {
      if (s.time[i]! / DAY_MS <= lastDay) continue;
      const u = random();
      values[i] = u < 0.1 ? Number.NaN : 1000 * random() - 200;
      validity[i] = Number.isNaN(values[i]!) ? 0 : u < 0.3 ? Validity.INVALID : u < 0.5 ? 2 : 1;
    }
    return { ...s, values, validity };
  };
  const forcings: Record<string, BasinData['discharge']> = {};
  for (const [k, s] of Object.entries(b.forcings)) forcings[k] = change(s);
  return { ...b, discharge: change(b.discharge), forcings };
}

describe('normalisation from the training split only (property)', () => {
  it('changing validation and test data never changes the training samples or any statistic', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          other: fc.integer(),
          steps: fc.integer({ min: 1, max: 20 }),
          offset: fc.integer({ min: 0, max: 20 }),
          trainLen: fc.integer({ min: 5, max: 40 }),
          gap: fc.integer({ min: 0, max: 3 }),
          basins: fc.integer({ min: 1, max: 3 }),
          pInvalid: fc.constantFrom(0, 0.01, 0.05),
          autoregressive: fc.boolean(),
          imputedTargets: fc.boolean(),
        }),
        (w) => {
          const t0 = BASE + w.offset;
          const tEnd = t0 + w.trainLen - 1;
          const v0 = tEnd + 1 + w.gap;
          const splits: Splits = {
            train: { start: iso(t0), end: iso(tEnd) },
            validation: { start: iso(v0), end: iso(v0 + 9) },
            test: { start: iso(v0 + 10), end: iso(v0 + 19) },
          };
          const basins = randomBasins(
            {
              basins: w.basins,
              first: BASE,
              length: v0 + 20 - BASE,
              pInvalid: w.pInvalid,
              pImputed: 0.1,
            },
            seededRandom(w.seed),
          );
          const random = seededRandom(w.other);
          const changed = basins.map((b) => changedAfter(b, tEnd, random));
          const options = {
            splits,
            steps: w.steps,
            inputs: ['day', 'rain', 'temp'],
            attributes: ['size', 'height'],
            autoregressive: w.autoregressive,
            imputedTargets: w.imputedTargets,
          };
          let a: WindowedSampleSet;
          try {
            a = buildSampleSet(basins, options);
          } catch (e) {
            // No valid training value for a feature: the changed data must refuse too.
            expect(() => buildSampleSet(changed, options)).toThrow((e as Error).message);
            return;
          }
          const b = buildSampleSet(changed, options);
          expect(b.scaling).toEqual(a.scaling);
          expect(b.target).toEqual(a.target);
          expect(bytes(b.basinStd).equals(bytes(a.basinStd))).toBe(true);
          expect(b.featureNames).toEqual(a.featureNames);
          expect(b.counts.train).toEqual(a.counts.train);
          for (const k of ['x', 'y', 'basin', 'date'] as const) {
            expect(bytes(b.train[k]).equals(bytes(a.train[k]))).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('normalisation (hand-computed)', () => {
  // 2000-01-01 … 2000-01-08; training targets 01-03 and 01-04, two-day windows, so the
  // training windows read 01-02 … 01-04.
  const splits: Splits = {
    train: { start: '2000-01-03', end: '2000-01-04' },
    validation: { start: '2000-01-05', end: '2000-01-06' },
    test: { start: '2000-01-07', end: '2000-01-08' },
  };
  const basin = (id: string, q: number[], p: number[], size: number) =>
    basinFromArrays({
      id,
      start: '2000-01-01',
      discharge: { values: q },
      forcings: { p: { values: p } },
      attributes: { size },
    });
  const a = basin('a', [10, 20, 30, 40, 50, 60, 70, 80], [1, 2, 3, 4, 5, 6, 7, 8], 100);

  it('uses the training windows’ days for inputs and the training targets for the target', () => {
    const set = buildSampleSet([a], { splits, steps: 2, inputs: ['p'] });
    // p on 01-02..01-04 = 2, 3, 4: mean 3, population deviation √(2/3).
    expect(set.scaling.dynamic).toEqual([{ name: 'p', mean: 3, std: Math.sqrt(2 / 3) }]);
    // Targets 30, 40: mean 35, deviation 5.
    expect(set.target).toEqual({ mean: 35, std: 5, unit: 'mm/day' });
    const s = Math.sqrt(2 / 3);
    expect(Array.from(set.train.x)).toEqual(
      [(2 - 3) / s, 1, 0, 1, 0, 1, (4 - 3) / s, 1].map(Math.fround),
    );
    expect(Array.from(set.train.y)).toEqual([-1, 1]);
    // Validation and test are scaled with the same statistics: target 01-05 = 50 → 3.
    expect(set.validation.y[0]).toBe(3);
    expect(set.validation.x[0]).toBeCloseTo((4 - 3) / s, 6); // p on 01-04, a training day as warm-up
    expect(Array.from(set.basinStd)).toEqual([1]);
  });

  it('leaves invalid values and masked targets out of the statistics', () => {
    const b = basinFromArrays({
      id: 'b',
      start: '2000-01-01',
      discharge: { values: [10, 20, 30, 40, 1e6, 60, 70, 80], validity: [1, 1, 1, 1, 1, 1, 1, 1] },
      forcings: { p: { values: [1, 2, 3, 1e6, 5, 6, 7, 8], validity: [1, 1, 1, 0, 1, 1, 1, 1] } },
    });
    const masked = basinFromArrays({
      id: 'm',
      start: '2000-01-01',
      discharge: { values: [10, 20, 30, 1e6, 50, 60, 70, 80], validity: [1, 1, 1, 0, 1, 1, 1, 1] },
      forcings: { p: { values: [1, 2, 3, 4, 5, 6, 7, 8] } },
    });
    const set = buildSampleSet([b, masked], { splits, steps: 2, inputs: ['p'] });
    // p: b gives 2, 3 (01-04 is invalid); m gives 2, 3, 4 → mean 14/5.
    expect(set.scaling.dynamic[0]!.mean).toBeCloseTo(14 / 5, 12);
    // Targets: b gives 30, 40; m gives 30 (01-04 masked) → mean 100/3.
    expect(set.target.mean).toBeCloseTo(100 / 3, 12);
    // b's windows on 01-03 (reads 01-02, 01-03) is kept, 01-04 (reads the invalid 01-04) dropped.
    expect(set.counts.train.map((c) => [c.samples, c.maskedTargets])).toEqual([
      [1, 0],
      [2, 1],
    ]);
    // An imputed target counts only with imputedTargets.
    const imputed = basinFromArrays({
      id: 'i',
      start: '2000-01-01',
      discharge: { values: [10, 20, 30, 100, 50, 60, 70, 80], validity: [1, 1, 1, 2, 1, 1, 1, 1] },
      forcings: { p: { values: [1, 2, 3, 4, 5, 6, 7, 8] } },
    });
    const only = buildSampleSet([imputed], { splits, steps: 2, inputs: ['p'] });
    expect(only.target.mean).toBe(30);
    expect(only.target.std).toBe(1); // a single value: deviation 0, replaced by 1
    const both = buildSampleSet([imputed], {
      splits,
      steps: 2,
      inputs: ['p'],
      imputedTargets: true,
    });
    expect(both.target).toEqual({ mean: 65, std: 35, unit: 'mm/day' });
  });

  it('normalises static attributes across the basins, and per-basin target deviations', () => {
    const b = basin('b', [0, 0, 20, 60, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, 7, 8], 300);
    const set = buildSampleSet([a, b], { splits, steps: 2, inputs: ['p'], attributes: ['size'] });
    expect(set.featureNames).toEqual(['p', 'p_valid', 'size']);
    expect(set.scaling.static).toEqual([{ name: 'size', mean: 200, std: 100 }]);
    const size = (i: number) => set.train.x[i * 2 * 3 + 2];
    expect([size(0), size(1), size(2), size(3)]).toEqual([-1, -1, 1, 1]);
    // Targets 30, 40, 20, 60: mean 37.5, deviation √218.75; basin deviations 5 and 20 scaled.
    expect(set.target.mean).toBe(37.5);
    expect(set.target.std).toBeCloseTo(Math.sqrt(218.75), 12);
    expect(set.basinStd[0]).toBeCloseTo(5 / Math.sqrt(218.75), 6);
    expect(set.basinStd[1]).toBeCloseTo(20 / Math.sqrt(218.75), 6);
    // One basin: the attribute has no spread and becomes 0.
    const one = buildSampleSet([a], { splits, steps: 2, inputs: ['p'], attributes: ['size'] });
    expect(one.train.x[2]).toBe(0);
  });

  it('scales q_prev like the target in the autoregressive variant', () => {
    const set = buildSampleSet([a], { splits, steps: 2, inputs: ['p'], autoregressive: true });
    expect(set.featureNames).toEqual(['p', 'q_prev', 'p_valid', 'q_prev_valid']);
    expect(set.scaling.dynamic[1]).toEqual({ name: 'q_prev', mean: 35, std: 5 });
    // First training window (target 01-03): q_prev on its two steps is q(01-01)=10, q(01-02)=20.
    const x = Array.from(set.train.x.subarray(0, 8));
    expect([x[1], x[5]]).toEqual([(10 - 35) / 5, (20 - 35) / 5]);
    expect([x[3], x[7]]).toEqual([1, 1]);
  });
});
