/** The compact form of training windows rebuilds every window byte for byte. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWindows, encodeWindows } from '../src/camels/windows-codec.js';
import { buildSampleSet } from '../src/data/windows.js';
import { worlds } from './_worlds.js';

const bytes = (a: Float32Array | Float64Array | Uint16Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('training windows codec', () => {
  it('decode(encode(set)) has the same samples, bit for bit', () => {
    fc.assert(
      fc.property(worlds, (w) => {
        let set: ReturnType<typeof buildSampleSet>;
        try {
          set = buildSampleSet(w.basins, w.options);
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
      }),
      { numRuns: 60 },
    );
  });
});
