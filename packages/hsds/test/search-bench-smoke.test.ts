// The hsds-search benchmark on a few hand-made services (not timed): scaling with perturbations,
// the workload, latency figures for the search and the baseline, and one agency's update.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  changedExport,
  handMadeServices,
  report,
  runSearchBench,
  scaleServices,
  workload,
} from '../../../bench/hsds-search.js';

describe('hsds-search benchmark smoke test', () => {
  it('scales records with documented perturbations', () => {
    const base = handMadeServices();
    const scaled = scaleServices(base, 30);
    expect(scaled).toHaveLength(30);
    expect(new Set(scaled.map((e) => e.service.id)).size).toBe(30);
    const copy = scaled[12 + 1]!;
    expect(copy.service.name).toBe(`${base[1]!.service.name} 1`);
    expect(copy.source.agency).toBe('agency-1');
    const original = base[1]!.service.service_at_locations![0]!.location!;
    const moved = copy.service.service_at_locations![0]!.location!;
    expect(Math.abs(moved.latitude! - original.latitude!)).toBeLessThanOrEqual(0.05);
    expect(copy.service.phones![0]!.number.split('').sort()).toEqual(
      base[1]!.service.phones![0]!.number.split('').sort(),
    );
    const fresh = changedExport(scaled, 'agency-1');
    expect(fresh.every((e) => e.source.agency === 'agency-1')).toBe(true);
  });

  it('runs the workload and the update on tiny input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-search-bench-'));
    try {
      const result = runSearchBench(
        scaleServices(handMadeServices(), 200),
        workload(['food pantry', 'comida']),
        1,
        dir,
      );
      expect(result.services).toBe(200);
      expect(result.ours.p99).toBeGreaterThanOrEqual(result.ours.p50);
      expect(result.baseline.p50).toBeGreaterThanOrEqual(0);
      expect(result.incremental.unchanged).toBeGreaterThan(0);
      expect(report(result, 'hand-made')).toMatch(/rebuild \/ incremental: [\d.]+x/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
