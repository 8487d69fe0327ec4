import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  denormalise,
  kge,
  median,
  medianScores,
  nse,
  persistence,
  scoreByBasin,
} from '../src/data/metrics.js';

const NaN_ = Number.NaN;
const DAY_MS = 86_400_000;

describe('NSE (hand-computed)', () => {
  it('1 − Σ(s − o)² / Σ(o − ō)²', () => {
    // ō = 3, Σ(o − ō)² = 10; errors .5, 0, .5, .5, 0 → .75; 1 − .075.
    expect(nse([1, 2, 3, 4, 5], [1.5, 2, 2.5, 4.5, 5])).toBeCloseTo(0.925, 14);
    // Σ(s − o)² = 8, Σ(o − ō)² = 2.
    expect(nse([1, 2, 3], [3, 2, 1])).toBe(-3);
    // Four errors of 1 against Σ(o − ō)² = 5.
    expect(nse([1, 2, 3, 4], [2, 1, 4, 3])).toBeCloseTo(0.2, 14);
    expect(nse([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(nse([1, 2, 3], [2, 2, 2])).toBe(0); // the observed mean scores 0
  });

  it('leaves out pairs with NaN on either side', () => {
    expect(nse([1, NaN_, 2, 3, 4, 5, 7], [1.5, 9, 2, 2.5, 4.5, 5, NaN_])).toBeCloseTo(0.925, 14);
  });

  it('is NaN when undefined: no pairs, or observations without variance', () => {
    expect(nse([], [])).toBeNaN();
    expect(nse([NaN_, 1], [1, NaN_])).toBeNaN();
    expect(nse([2, 2, 2], [1, 2, 3])).toBeNaN();
    expect(() => nse([1, 2], [1])).toThrow(/2 observations but 1/);
  });
});

describe('KGE (Gupta et al. 2009, hand-computed)', () => {
  it('r, α = σs/σo, β = μs/μo and 1 − √((r−1)² + (α−1)² + (β−1)²)', () => {
    // Doubled: r = 1, α = 2, β = 2.
    const doubled = kge([1, 2, 3, 4], [2, 4, 6, 8]);
    expect(doubled).toEqual({ kge: 1 - Math.SQRT2, r: 1, alpha: 2, beta: 2, n: 4 });
    // Reversed: r = −1, α = 1, β = 1 → −1.
    const reversed = kge([1, 2, 3], [3, 2, 1]);
    expect(reversed.r).toBeCloseTo(-1, 14);
    expect(reversed.kge).toBeCloseTo(-1, 14);
    // Swapped pairs: cov 3, variances 5 and 5 → r = 0.6, α = 1, β = 1 → 0.6.
    const swapped = kge([1, 2, 3, 4], [2, 1, 4, 3]);
    expect(swapped.r).toBeCloseTo(0.6, 14);
    expect(swapped.alpha).toBe(1);
    expect(swapped.beta).toBe(1);
    expect(swapped.kge).toBeCloseTo(0.6, 14);
    // Shifted by +1: r = 1, α = 1, β = 3.5 / 2.5 = 1.4 → 0.6.
    const shifted = kge([1, 2, 3, 4], [2, 3, 4, 5]);
    expect(shifted.beta).toBeCloseTo(1.4, 14);
    expect(shifted.kge).toBeCloseTo(0.6, 14);
    expect(kge([1, 5, 2], [1, 5, 2]).kge).toBe(1);
  });

  it('leaves out NaN pairs and is NaN when undefined', () => {
    const k = kge([1, NaN_, 2, 3, 4, 9], [2, 5, 4, 6, 8, NaN_]);
    expect(k.n).toBe(4);
    expect(k.kge).toBeCloseTo(1 - Math.SQRT2, 14);
    expect(kge([], []).kge).toBeNaN();
    expect(kge([2, 2], [1, 3]).kge).toBeNaN(); // σo = 0
    expect(kge([-1, 1], [1, 2]).beta).toBeNaN(); // μo = 0
  });

  it('is 1 exactly for a perfect simulation and at most 1 otherwise (property)', () => {
    const series = fc.array(fc.double({ min: 0.01, max: 1000, noNaN: true }), {
      minLength: 2,
      maxLength: 50,
    });
    fc.assert(
      fc.property(series, series, (o, s) => {
        const n = Math.min(o.length, s.length);
        const obs = o.slice(0, n);
        const sim = s.slice(0, n);
        const k = kge(obs, sim).kge;
        if (!Number.isNaN(k)) expect(k).toBeLessThanOrEqual(1 + 1e-12);
        const e = nse(obs, sim);
        if (!Number.isNaN(e)) expect(e).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('median, denormalise, persistence', () => {
  it('median skips NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, NaN_, 3, 2])).toBe(2.5);
    expect(median([-2, 10])).toBe(4);
    expect(median([NaN_])).toBeNaN();
    expect(median([])).toBeNaN();
  });

  it('denormalise is y × std + mean', () => {
    expect(
      Array.from(denormalise(new Float32Array([-1, 0, 2, NaN_]), { mean: 3, std: 2 })),
    ).toEqual([1, 3, 7, NaN_]);
  });

  it('1-day persistence is the value of the day before, NaN where that is absent or invalid', () => {
    const time = Float64Array.from([0, 1, 2, 3, 4], (d) => (100 + d) * DAY_MS);
    const values = Float64Array.from([1, 2, 3, 4, 5]);
    const validity = Uint8Array.from([1, 1, 0, 2, 1]);
    const dates = [100, 101, 102, 103, 104, 105, 110].map((d) => d * DAY_MS);
    expect(Array.from(persistence({ time, values, validity }, dates))).toEqual([
      NaN_,
      1,
      2,
      NaN_, // 102 is invalid
      4, // imputed values are used
      5,
      NaN_,
    ]);
    expect(Array.from(persistence({ time, values }, [103 * DAY_MS]))).toEqual([3]);
  });
});

describe('scores per basin', () => {
  it('groups by the samples’ basin index and takes medians across basins', () => {
    // Basin a: [1,2,3] vs [3,2,1] (NSE −3); basin b: [1,2,3,4] vs [2,1,4,3] (NSE 0.2); c has none.
    const samples = { count: 7, basin: Uint16Array.from([0, 1, 0, 1, 1, 0, 1]) };
    const observed = [1, 1, 2, 2, 3, 3, 4];
    const simulated = [3, 2, 2, 1, 4, 1, 3];
    const scores = scoreByBasin(samples, ['a', 'b', 'c'], observed, simulated);
    expect(scores.map((s) => s.basin)).toEqual(['a', 'b', 'c']);
    expect(scores[0]!.nse).toBe(-3);
    expect(scores[1]!.nse).toBeCloseTo(0.2, 14);
    expect(scores[1]!.kge.kge).toBeCloseTo(0.6, 14);
    expect(scores[2]!.nse).toBeNaN();
    const m = medianScores(scores);
    expect(m.nse).toBeCloseTo((-3 + 0.2) / 2, 14);
    expect(m.kge).toBeCloseTo((-1 + 0.6) / 2, 14);
    expect(() => scoreByBasin(samples, ['a', 'b'], [1], [1])).toThrow(/1 values for 7 samples/);
  });
});
