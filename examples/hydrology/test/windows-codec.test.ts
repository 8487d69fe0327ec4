/** The compact form of training windows rebuilds every window byte for byte. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWindows, encodeWindows } from '../src/camels/windows-codec.js';
import { seededRandom } from '../src/data/faults.js';
import { randomBasins } from '../src/data/synthetic.js';
import { buildSampleSet, type Splits } from '../src/data/windows.js';

const BASE = 10_000;
const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const bytes = (a: Float32Array | Float64Array | Uint16Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('training windows codec', () => {
  it('decode(encode(set)) has the same samples, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          basins: fc.integer({ min: 1, max: 3 }),
          steps: fc.integer({ min: 1, max: 12 }),
          trainLen: fc.integer({ min: 5, max: 30 }),
          pInvalid: fc.constantFrom(0, 0.02, 0.1),
          autoregressive: fc.boolean(),
        }),
        (w) => {
          const t0 = BASE + 20;
          const v0 = t0 + w.trainLen;
          const splits: Splits = {
            train: { start: iso(t0), end: iso(v0 - 1) },
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
          let set: ReturnType<typeof buildSampleSet>;
          try {
            set = buildSampleSet(basins, {
              splits,
              steps: w.steps,
              inputs: ['day', 'rain', 'temp'],
              attributes: ['size', 'height'],
              autoregressive: w.autoregressive,
            });
          } catch {
            return; // no valid training data in this draw
          }
          const back = decodeWindows(encodeWindows(set));
          for (const split of ['train', 'validation', 'test'] as const) {
            expect(bytes(back[split].x)).toEqual(bytes(set[split].x));
            expect(bytes(back[split].y)).toEqual(bytes(set[split].y));
            expect([...back[split].basin]).toEqual([...set[split].basin]);
            expect([...back[split].date]).toEqual([...set[split].date]);
          }
          expect(back.featureNames).toEqual(set.featureNames);
          expect(back.target).toEqual(set.target);
          expect([...back.basinStd]).toEqual([...set.basinStd]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
