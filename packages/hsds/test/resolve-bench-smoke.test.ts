// The hsds-resolve benchmark on a few hundred synthetic records (not timed): every measurement
// runs, the incremental replacement agrees with the full resolve, and the figures are there.
import { describe, expect, it } from 'vitest';
import { runResolveBench, synthetic } from '../../../bench/hsds-resolve.js';

describe('hsds-resolve benchmark smoke test', () => {
  it('runs every measurement on tiny input', () => {
    const data = synthetic(300, 7);
    expect(data.records.length).toBe(300);
    expect(new Set(data.records.map((r) => r.source.agency)).size).toBe(5);
    const res = runResolveBench(data, 1);
    expect(res.identical).toBe(true);
    expect(res.agencyChanged).toBeGreaterThan(0);
    expect(res.candidatePairs).toBeLessThan((300 * 299) / 2);
    expect(res.ours.recall).toBeGreaterThan(res.baseline.recall);
    for (const t of [res.fullSeconds, res.baselineSeconds, res.incrementalSeconds]) {
      expect(Number.isFinite(t)).toBe(true);
    }
    expect(res.stateBytes).toBeGreaterThan(0);
    expect(res.truePairsKept).toBeGreaterThan(0.9 * res.truePairs);
  });
});
