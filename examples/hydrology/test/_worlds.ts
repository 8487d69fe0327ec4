/** Random windowing worlds for property tests: splits, steps, basins and options. */
import fc from 'fast-check';
import { seededRandom } from '../src/data/faults.js';
import { randomBasins } from '../src/data/synthetic.js';
import { dayNumber, type Splits } from '../src/data/windows.js';

const DAY_MS = 86_400_000;
export const BASE = dayNumber('2000-01-01');

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** A random world: splits in time order (with optional gaps), steps, basins, options. */
export const worlds = fc
  .record({
    seed: fc.integer(),
    steps: fc.integer({ min: 1, max: 30 }),
    trainOffset: fc.integer({ min: 0, max: 40 }),
    lengths: fc.tuple(
      fc.integer({ min: 3, max: 40 }),
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 1, max: 30 }),
    ),
    tail: fc.integer({ min: -10, max: 10 }),
    basins: fc.integer({ min: 1, max: 3 }),
    pInvalid: fc.constantFrom(0, 0.005, 0.02, 0.2),
    pImputed: fc.constantFrom(0, 0.1),
    autoregressive: fc.boolean(),
    imputedTargets: fc.boolean(),
  })
  .map((w) => {
    const [trainLen, gap1, valLen, gap2, testLen] = w.lengths;
    const t0 = BASE + w.trainOffset;
    const v0 = t0 + trainLen + gap1;
    const s0 = v0 + valLen + gap2;
    const splits: Splits = {
      train: { start: isoDay(t0), end: isoDay(t0 + trainLen - 1) },
      validation: { start: isoDay(v0), end: isoDay(v0 + valLen - 1) },
      test: { start: isoDay(s0), end: isoDay(s0 + testLen - 1) },
    };
    const length = Math.max(1, s0 + testLen - BASE + w.tail);
    const random = seededRandom(w.seed);
    const basins = randomBasins(
      {
        basins: w.basins,
        first: BASE,
        length,
        pInvalid: w.pInvalid,
        pImputed: w.pImputed,
      },
      random,
    );
    const options = {
      splits,
      steps: w.steps,
      inputs: ['day', 'rain', 'temp'],
      attributes: ['size', 'height'],
      autoregressive: w.autoregressive,
      imputedTargets: w.imputedTargets,
    };
    return { ...w, splits, basins, options };
  });
