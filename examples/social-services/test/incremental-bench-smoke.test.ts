// The social-incremental benchmark at a few hundred services (not timed): the perturbed copies
// of each real export map to as many services again, each with its own id; then the full build,
// one agency's incremental update and the rebuild of the same state run through Weir, the
// update redoes only that agency's partition, and it comes out as the rebuild does.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { layouts, mapExport } from '@weir/hsds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  incrementalReport,
  type RealExport,
  realExports,
  runIncrementalBench,
  scaleExport,
} from '../../../bench/social-incremental.js';
import { noSocialData, socialDataTitle } from './_project.js';

const dir = fileURLToPath(
  new URL(`../../../.bench-tmp/social-incremental-smoke-${process.pid}/`, import.meta.url),
);

describe.skipIf(noSocialData)(socialDataTitle('social-incremental benchmark smoke test'), () => {
  let real: RealExport[];
  beforeAll(() => {
    real = realExports();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes copies that map to as many services again, none sharing an id', () => {
    for (const r of real.filter((e) => e.records < 1000)) {
      // The Washington set's format row is written once: twice its records is one row fewer.
      const rows = r.layout === 'openreferral-csv' ? 2 * r.records - 1 : 2 * r.records;
      const text = scaleExport(r, rows);
      const mapped = mapExport(layouts[r.layout]!, {
        agency: r.agency,
        file: 'scaled',
        bytes: new TextEncoder().encode(text),
      });
      expect([r.agency, mapped.records]).toEqual([r.agency, rows]);
      expect([r.agency, mapped.services.length]).toEqual([r.agency, 2 * r.services]);
      const ids = new Set(mapped.services.map((s) => s.service.id));
      expect([r.agency, ids.size]).toEqual([r.agency, mapped.services.length]);
    }
  }, 60_000);

  it('builds, updates one agency incrementally and rebuilds the same state', async () => {
    const res = await runIncrementalBench(real, {
      services: 300,
      agency: 'wa-211',
      share: 0.1,
      dir,
      concurrency: 1,
    });
    expect(res.full.materialized).toContain('directory');
    expect(res.incremental.materialized).toEqual(['directory', 'hsds[wa-211]', 'search_index']);
    expect(res.rebuild.materialized.filter((k) => k.startsWith('hsds['))).toHaveLength(6);
    expect(res.changedRecords).toBeGreaterThan(0);
    expect(res.incremental.metadata.directory).toMatchObject({
      incremental: true,
      agenciesRedone: 1,
    });
    expect(res.same).toEqual({ directory: true, search_index: true });
    expect(incrementalReport(res)).toContain('rebuild / incremental');
  }, 120_000);
});
