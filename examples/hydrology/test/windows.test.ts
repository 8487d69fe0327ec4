import { Validity } from '@weir/timeseries';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basinFromArrays } from '../src/data/synthetic.js';
import type { BasinData, SplitName, Splits, WindowedSampleSet } from '../src/data/windows.js';
import { buildSampleSet, SPLIT_NAMES, splitDays, validityChannel } from '../src/data/windows.js';
import type { Samples } from '../src/samples.js';
import { BASE, isoDay, worlds } from './_worlds.js';

const DAY_MS = 86_400_000;

/** Validity code of a basin's series on a day (invalid when absent). */
function codeOn(s: BasinData['discharge'], day: number): number {
  const i = day - s.time[0]! / DAY_MS;
  if (i < 0 || i >= s.time.length) return Validity.INVALID;
  return Number.isNaN(s.values[i]!) ? Validity.INVALID : s.validity[i]!;
}

/** The target days a brute-force reading of the rules keeps, per basin. */
function expectedDays(
  basins: readonly BasinData[],
  inputs: readonly string[],
  first: number,
  last: number,
  steps: number,
): number[][] {
  return basins.map((b) => {
    const days: number[] = [];
    for (let t = first; t <= last; t++) {
      let ok = true;
      for (let d = t - steps + 1; d <= t && ok; d++) {
        for (const name of inputs)
          if (codeOn(b.forcings[name]!, d) === Validity.INVALID) ok = false;
      }
      if (ok) days.push(t);
    }
    return days;
  });
}

type World = typeof worlds extends fc.Arbitrary<infer T> ? T : never;

/**
 * The sample set of a world, or `undefined` when a feature has no valid training value at
 * all (then building must refuse, and the test checks that the refusal is right).
 */
function build(w: World): WindowedSampleSet | undefined {
  try {
    return buildSampleSet(w.basins, w.options);
  } catch (e) {
    const m = /no valid training data for (\w+)/.exec((e as Error).message);
    if (m === null) throw e;
    const { first, last } = splitDays(w.splits).train;
    const usable = (code: number) =>
      code === Validity.OBSERVED || (w.imputedTargets && code === Validity.IMPUTED);
    for (const b of w.basins) {
      if (m[1] === 'q') {
        for (let d = first; d <= last; d++) expect(usable(codeOn(b.discharge, d))).toBe(false);
      } else {
        for (let d = first - w.steps + 1; d <= last; d++) {
          expect(codeOn(b.forcings[m[1]!]!, d)).toBe(Validity.INVALID);
        }
      }
    }
    return undefined;
  }
}

function at(s: Samples, i: number, step: number, feature: number): number {
  return s.x[(i * s.steps + step) * s.features + feature]!;
}

function splitOf(set: WindowedSampleSet, name: SplitName): Samples {
  return set[name];
}

describe('windows (property)', () => {
  it('never leaks: target days of a split are inside it and in no other split', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        const set = build(w);
        if (set === undefined) return;
        const days = splitDays(w.splits);
        const seen = new Map<string, SplitName>();
        for (const name of SPLIT_NAMES) {
          const s = splitOf(set, name);
          for (let i = 0; i < s.count; i++) {
            const day = s.date[i]! / DAY_MS;
            expect(day).toBeGreaterThanOrEqual(days[name].first);
            expect(day).toBeLessThanOrEqual(days[name].last);
            const key = `${s.basin[i]}:${day}`;
            expect(seen.get(key)).toBeUndefined();
            seen.set(key, name);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("every window's last input day is its target day, and it spans `steps` consecutive days", () => {
    fc.assert(
      fc.property(worlds, (w) => {
        const set = build(w);
        if (set === undefined) return;
        const { mean, std } = set.scaling.dynamic[0]!; // `day`: days since BASE
        for (const name of SPLIT_NAMES) {
          const s = splitOf(set, name);
          for (let i = 0; i < s.count; i++) {
            const target = s.date[i]! / DAY_MS - BASE;
            for (const step of [0, s.steps - 1]) {
              const day = at(s, i, step, 0) * std + mean;
              expect(Math.abs(day - (target - (s.steps - 1) + step))).toBeLessThan(
                1e-3 * (1 + std),
              );
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps exactly the windows without an invalid or absent forcing, in basin then date order', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        const set = build(w);
        if (set === undefined) return;
        const days = splitDays(w.splits);
        for (const name of SPLIT_NAMES) {
          const s = splitOf(set, name);
          const expected = expectedDays(
            w.basins,
            w.options.inputs,
            days[name].first,
            days[name].last,
            w.steps,
          );
          const got = w.basins.map((_, b) => {
            const out: number[] = [];
            for (let i = 0; i < s.count; i++) if (s.basin[i] === b) out.push(s.date[i]! / DAY_MS);
            return out;
          });
          expect(got).toEqual(expected);
          expect(Array.from(s.basin)).toEqual([...s.basin].sort((a, b) => a - b));
          const counts = set.counts[name];
          expect(counts.map((c) => c.samples)).toEqual(expected.map((d) => d.length));
          expect(counts.every((c) => c.samples + c.dropped === c.candidates)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('has the promised shapes, finite inputs, validity channels in {0, 0.5, 1}, and masks exactly the unusable targets', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        const set = build(w);
        if (set === undefined) return;
        const dynamic = 3 + (w.autoregressive ? 1 : 0);
        const features = 2 * dynamic + 2;
        expect(set.featureNames).toHaveLength(features);
        expect(set.featureNames.slice(dynamic, 2 * dynamic)).toEqual(
          set.featureNames.slice(0, dynamic).map((n) => `${n}_valid`),
        );
        expect(set.basinStd).toHaveLength(w.basins.length);
        for (const name of SPLIT_NAMES) {
          const s = splitOf(set, name);
          expect(s.steps).toBe(w.steps);
          expect(s.features).toBe(features);
          expect(s.x).toHaveLength(s.count * s.steps * s.features);
          for (const a of [s.y, s.basin, s.date]) expect(a).toHaveLength(s.count);
          expect(s.x.every(Number.isFinite)).toBe(true);
          for (let i = 0; i < s.count; i++) {
            const basin = w.basins[s.basin[i]!]!;
            const day = s.date[i]! / DAY_MS;
            let channels = true;
            for (let step = 0; step < s.steps; step++) {
              for (let k = 0; k < 3; k++) {
                const v = at(s, i, step, dynamic + k);
                if (v !== 0.5 && v !== 1) channels = false;
              }
            }
            expect(channels).toBe(true);
            if (w.autoregressive) {
              // q_prev at the last step is the day before the target.
              const code = codeOn(basin.discharge, day - 1);
              const valid = at(s, i, s.steps - 1, 2 * dynamic - 1);
              expect(valid).toBe(validityChannel(code));
              const q = at(s, i, s.steps - 1, dynamic - 1);
              if (code === Validity.INVALID) expect(q).toBe(0);
              else {
                const v = basin.discharge.values[day - 1 - BASE]!;
                expect(q * set.target.std + set.target.mean).toBeCloseTo(v, 3);
              }
            }
            const code = codeOn(basin.discharge, day);
            const usable =
              code === Validity.OBSERVED || (w.imputedTargets && code === Validity.IMPUTED);
            expect(Number.isNaN(s.y[i]!)).toBe(!usable);
            if (usable) {
              const v = basin.discharge.values[day - BASE]!;
              expect(s.y[i]! * set.target.std + set.target.mean).toBeCloseTo(v, 3);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('windows (examples)', () => {
  const basin = basinFromArrays({
    id: 'one',
    start: '2000-01-01',
    discharge: { values: [1, 2, 3, 4, 5, 6, 7, 8], validity: [1, 1, 1, 1, 0, 2, 1, 1] },
    forcings: {
      p: { values: [0, 1, 2, 3, 4, 5, 6, 7], validity: [1, 1, 2, 1, 1, 1, 0, 1] },
    },
  });
  const splits: Splits = {
    train: { start: '2000-01-03', end: '2000-01-05' },
    validation: { start: '2000-01-06', end: '2000-01-07' },
    test: { start: '2000-01-08', end: '2000-01-08' },
  };

  it('takes warm-up days from before the split, drops windows with an invalid forcing, marks imputed inputs 0.5', () => {
    const set = buildSampleSet([basin], { splits, steps: 2, inputs: ['p'] });
    expect(set.featureNames).toEqual(['p', 'p_valid']);
    expect(Array.from(set.train.date, (d) => isoDay(d / DAY_MS))).toEqual([
      '2000-01-03',
      '2000-01-04',
      '2000-01-05',
    ]);
    // validation: 01-06 reads 01-05..01-06 (fine); 01-07 reads the invalid 01-07: dropped.
    expect(Array.from(set.validation.date, (d) => isoDay(d / DAY_MS))).toEqual(['2000-01-06']);
    // test: 01-08 reads the invalid 01-07: dropped.
    expect(set.test.count).toBe(0);
    expect(set.counts.test).toEqual([
      { basin: 'one', candidates: 1, dropped: 1, maskedTargets: 0, samples: 0 },
    ]);
    // First training window: 01-02 (observed) and 01-03 (imputed).
    expect(Array.from(set.train.x.subarray(0, 4)).filter((_, i) => i % 2 === 1)).toEqual([1, 0.5]);
    // Targets: 01-05 is invalid → masked; 01-06 is imputed → masked unless imputedTargets.
    expect(Number.isNaN(set.train.y[2]!)).toBe(true);
    expect(Number.isNaN(set.validation.y[0]!)).toBe(true);
    const withImputed = buildSampleSet([basin], {
      splits,
      steps: 2,
      inputs: ['p'],
      imputedTargets: true,
    });
    expect(
      withImputed.validation.y[0]! * withImputed.target.std + withImputed.target.mean,
    ).toBeCloseTo(6, 5);
  });

  it('rejects overlapping splits, bad dates and a zero window', () => {
    const overlapping = { ...splits, validation: { start: '2000-01-05', end: '2000-01-07' } };
    expect(() => buildSampleSet([basin], { splits: overlapping, inputs: ['p'] })).toThrow(
      /share target days/,
    );
    const bad = { ...splits, test: { start: '2000-02-30', end: '2000-03-01' } };
    expect(() => buildSampleSet([basin], { splits: bad, inputs: ['p'] })).toThrow(/not a date/);
    expect(() => buildSampleSet([basin], { splits, steps: 0, inputs: ['p'] })).toThrow(/steps/);
    expect(() => buildSampleSet([basin], { splits, inputs: ['nope'] })).toThrow(/no forcing nope/);
  });
});
