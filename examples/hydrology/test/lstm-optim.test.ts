// The pieces around the kernel: NSE* weights, Adam's first steps, global-norm clipping,
// the workers' shares, seeded draws.
import { describe, expect, it } from 'vitest';
import { Adam, clipByGlobalNorm } from '../src/lstm/adam.js';
import { FORGET_BIAS, initialWeights } from '../src/lstm/init.js';
import { lossCoefficients } from '../src/lstm/loss.js';
import { dropoutMask, seededRandom, shuffle } from '../src/lstm/random.js';
import { shares } from '../src/lstm/split.js';
import { weightViews } from '../src/lstm/weights.js';

describe('NSE* coefficients', () => {
  it('weight each valid target by 1/(s_b + 0.1)², averaged over the valid ones', () => {
    const samples = { y: Float32Array.of(1, Number.NaN, 2, 3), basin: Uint16Array.of(0, 0, 1, 1) };
    const c = lossCoefficients(samples, Float32Array.of(0.4, 0.9), [0, 1, 2, 3]);
    expect([...c]).toEqual(
      [1 / 0.25 / 3, 0, 1 / 1 / 3, 1 / 1 / 3].map((v) => expect.closeTo(v, 6)),
    );
  });
});

describe('Adam and clipping', () => {
  it("moves each weight by the learning rate against its gradient's sign on the first step", () => {
    const params = Float32Array.of(1, -2, 0.5);
    new Adam(3, { learningRate: 0.01 }).step(params, Float64Array.of(0.3, -4, 1e-3));
    expect(params[0]).toBeCloseTo(0.99, 6);
    expect(params[1]).toBeCloseTo(-1.99, 6);
    expect(params[2]).toBeCloseTo(0.49, 5);
  });

  it('scales the gradient to the maximum global norm, and leaves a smaller one alone', () => {
    const g = Float64Array.of(3, 4);
    expect(clipByGlobalNorm(g, 1)).toBe(5);
    expect(Math.hypot(g[0]!, g[1]!)).toBeCloseTo(1, 5);
    const small = Float64Array.of(0.3, 0.4);
    clipByGlobalNorm(small, 1);
    expect([...small]).toEqual([0.3, 0.4]);
  });
});

describe('splitting and drawing', () => {
  it('splits a batch into contiguous shares covering it', () => {
    expect(shares(5, 2)).toEqual([
      [0, 2],
      [2, 5],
    ]);
    expect(shares(1, 2)).toEqual([[0, 1]]);
  });

  it('draws the same shuffles, masks and weights for the same seed', () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      const w = initialWeights(2, 8, random);
      return [
        ...w.values,
        ...shuffle(Int32Array.of(0, 1, 2, 3, 4), random),
        ...dropoutMask(8, 0.5, random),
      ];
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('initialises within ±1/√H, the forget gate biased by 3', () => {
    const w = initialWeights(3, 16, seededRandom(4));
    const { bias, kernel } = weightViews(w.values, 3, 16);
    for (const v of kernel) expect(Math.abs(v)).toBeLessThanOrEqual(0.25);
    for (let j = 0; j < 64; j++) {
      const offset = j >= 16 && j < 32 ? FORGET_BIAS : 0;
      expect(Math.abs(bias[j]! - offset)).toBeLessThanOrEqual(0.25 + 1e-6);
    }
  });
});
