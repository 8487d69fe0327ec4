import { describe, expect, it } from 'vitest';
import { benchmarkTests, scaled } from '../../../bench/timeseries-polish.js';

describe('benchmark smoke test', () => {
  it('runs every case on a small input (not timed)', () => {
    const s = scaled(
      Float64Array.from({ length: 500 }, (_, i) => 100 + Math.sin(i / 20)),
      2000,
    );
    const { rows } = benchmarkTests(s, 1);
    expect(rows.map((r) => r.name)).toContain('default polish (whole pipeline)');
    for (const r of rows) expect(r.pointsPerSecond).toBeGreaterThan(0);
  });
});
