// The terrain kernels' own atan and atan2 (fdlibm in JavaScript, inlined by the compiler) give the
// very doubles Math.atan and Math.atan2 give, on random bit patterns, float32 gradients and the
// special values.
import { describe, expect, it } from 'vitest';
import { atan, atan2 } from '../src/terrain/atan.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('terrain atan', () => {
  it('equals Math.atan and Math.atan2 bit for bit', () => {
    const r = random(19);
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    let unequal = 0;
    const same = (a: number, b: number) => {
      if (!Object.is(a, b)) unequal++;
    };
    for (let i = 0; i < 300_000; i++) {
      words[0] = r() * 2 ** 32;
      words[1] = r() * 2 ** 32;
      same(atan(bits[0]!), Math.atan(bits[0]!));
      const y = Math.fround((r() - 0.5) * 10 ** (r() * 16 - 8));
      const x = Math.fround((r() - 0.5) * 10 ** (r() * 16 - 8));
      same(atan(y), Math.atan(y));
      same(atan2(y, x), Math.atan2(y, x));
    }
    const specials = [
      0,
      -0,
      1,
      -1,
      0.4375,
      0.6875,
      1.1875,
      2.4375,
      2 ** 66,
      2 ** -27,
      1e300,
      5e-324,
    ];
    for (const v of [...specials, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      same(atan(v), Math.atan(v));
      same(atan(-v), Math.atan(-v));
      for (const w of [
        ...specials,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
      ]) {
        same(atan2(v, w), Math.atan2(v, w));
        same(atan2(-v, -w), Math.atan2(-v, -w));
      }
    }
    expect(unequal).toBe(0);
  });
});
