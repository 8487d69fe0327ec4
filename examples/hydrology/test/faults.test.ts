import { Cause, Flag, Validity } from '@weir/timeseries';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultPlan } from '../src/data/faults.js';
import { faultMask, faultSummary, injectFaults, seededRandom } from '../src/data/faults.js';
import { dailySeries } from '../src/data/synthetic.js';

const DAY_MS = 86_400_000;

/** A year of positive discharge-like values with a few zeros and one missing day. */
function year(seed: number) {
  const random = seededRandom(seed);
  const values = Array.from({ length: 365 }, (_, i) =>
    i === 100 ? Number.NaN : i % 50 === 7 ? 0 : 0.2 + 5 * random() ** 2,
  );
  return dailySeries('discharge', 11_000, { values }, 'mm/day');
}

const plan: FaultPlan = {
  seed: 42,
  spikes: { count: 5 },
  flatLines: { count: 3 },
  gaps: { count: 4 },
  negatives: { count: 6 },
};

describe('injectFaults', () => {
  it('is reproducible from its seed, labelled synthetic, and leaves the input intact', () => {
    const s = year(1);
    const before = s.values.slice();
    const a = injectFaults(s, plan);
    const b = injectFaults(s, plan);
    expect(a.label).toBe('synthetic');
    expect(a.seed).toBe(42);
    expect(b.faults).toEqual(a.faults);
    expect(Array.from(b.series.values)).toEqual(Array.from(a.series.values));
    expect(Array.from(s.values)).toEqual(Array.from(before));
    const c = injectFaults(s, { ...plan, seed: 43 });
    expect(c.faults.map((f) => f.index)).not.toEqual(a.faults.map((f) => f.index));
  });

  it('does what each kind says, exactly where the record says, and nothing elsewhere', () => {
    const s = year(2);
    const { series: f, faults } = injectFaults(s, plan);
    expect(faultSummary(faults)).toMatchObject({
      spike: { events: 5, points: 5 },
      'flat-line': { events: 3 },
      gap: { events: 4 },
      negative: { events: 6, points: 6 },
    });
    for (const fault of faults) {
      const span = Array.from(f.values.subarray(fault.index, fault.index + fault.length));
      expect(span).toEqual(fault.injected);
      expect(Array.from(s.values.subarray(fault.index, fault.index + fault.length))).toEqual(
        fault.original,
      );
      expect(fault.from).toBe(s.time[fault.index]);
      expect(fault.to).toBe(s.time[fault.index + fault.length - 1]);
      expect(fault.original.every((v) => !Number.isNaN(v))).toBe(true);
      if (fault.kind === 'spike') {
        expect(fault.original[0]).not.toBe(0);
        const factor = fault.injected[0]! / fault.original[0]!;
        expect(factor).toBeGreaterThanOrEqual(20);
        expect(factor).toBeLessThanOrEqual(200);
      } else if (fault.kind === 'flat-line') {
        expect(fault.length).toBeGreaterThanOrEqual(5);
        expect(fault.length).toBeLessThanOrEqual(20);
        expect(fault.injected.every((v) => v === fault.original[0])).toBe(true);
      } else if (fault.kind === 'negative') {
        expect(fault.injected[0]).toBe(fault.original[0] === 0 ? -1 : -fault.original[0]!);
      } else {
        for (let i = fault.index; i < fault.index + fault.length; i++) {
          expect(f.values[i]).toBeNaN();
          expect(f.flags[i]).toBe(Flag.MISSING);
          expect(f.causes[i]! & Cause.MISSING_VALUE).toBe(Cause.MISSING_VALUE);
          expect(f.validity[i]).toBe(Validity.INVALID);
        }
      }
      if (fault.kind !== 'gap') {
        // Raw-looking: a fault the polisher has to find, not one already flagged.
        for (let i = fault.index; i < fault.index + fault.length; i++) {
          expect(f.flags[i]).toBe(s.flags[i]);
          expect(f.validity[i]).toBe(s.validity[i]);
        }
      }
    }
    const mask = faultMask(faults, s.values.length);
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] === 1) continue;
      expect(Object.is(f.values[i], s.values[i])).toBe(true);
      expect(f.flags[i]).toBe(s.flags[i]);
      expect(f.validity[i]).toBe(s.validity[i]);
    }
  });

  it('never overlaps or touches faults, stays within the window, and refuses what does not fit (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          data: fc.integer(),
          spikes: fc.nat(10),
          flat: fc.nat(5),
          gaps: fc.nat(5),
          negatives: fc.nat(10),
          from: fc.integer({ min: 0, max: 150 }),
          days: fc.integer({ min: 1, max: 200 }),
        }),
        (p) => {
          const s = year(p.data);
          const within = {
            from: (11_000 + p.from) * DAY_MS,
            to: (11_000 + p.from + p.days) * DAY_MS,
          };
          const request: FaultPlan = {
            seed: p.seed,
            spikes: { count: p.spikes },
            flatLines: { count: p.flat, length: [2, 8] },
            gaps: { count: p.gaps, length: [1, 5] },
            negatives: { count: p.negatives },
            within,
          };
          let result: ReturnType<typeof injectFaults>;
          try {
            result = injectFaults(s, request);
          } catch (e) {
            expect((e as Error).message).toMatch(/cannot place/);
            return;
          }
          const { faults } = result;
          expect(faults).toHaveLength(p.spikes + p.flat + p.gaps + p.negatives);
          for (const [i, f] of faults.entries()) {
            expect(f.from).toBeGreaterThanOrEqual(within.from);
            expect(f.to).toBeLessThanOrEqual(within.to);
            const next = faults[i + 1];
            if (next !== undefined) expect(next.index).toBeGreaterThan(f.index + f.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('says so when the faults cannot fit', () => {
    const s = year(3);
    expect(() =>
      injectFaults(s, {
        seed: 1,
        gaps: { count: 3, length: [10, 10] },
        within: { from: s.time[0]!, to: s.time[20]! },
      }),
    ).toThrow(/cannot place a 10-point fault in discharge/);
    expect(() => injectFaults(s, { seed: 1, spikes: { count: -1 } })).toThrow(/spike count/);
  });
});
