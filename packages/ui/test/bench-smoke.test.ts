/** Tiny runs of bench/ui-graph.ts and bench/ui-partitions.ts, so they keep working (the figures come from full runs). */
import { describe, expect, it } from 'vitest';
import { uiGraphBench } from '../../../bench/ui-graph.js';
import { uiPartitionsBench } from '../../../bench/ui-partitions.js';
import { ensureBuilt } from './support/browser.js';

describe('ui-graph benchmark (smoke)', () => {
  it('measures the graph endpoint and the browser on a small graph', async () => {
    await ensureBuilt();
    const rows = await uiGraphBench({
      sizes: [40],
      width: 10,
      repeats: 1,
      history: 2,
      browser: true,
    });
    const measured = rows.map((r) => r.measurement);
    expect(measured).toContain('GET /api/graph after 1 event (warm)');
    expect(measured).toContain('browser: navigation until every node is drawn');
    expect(rows.every((r) => r.size === 40)).toBe(true);
  }, 60_000);

  it('measures the partition map on a small asset', async () => {
    await ensureBuilt();
    const rows = await uiPartitionsBench(300, 1);
    expect(rows.map((r) => r.measurement)).toContain('browser: navigation until the map is drawn');
  }, 60_000);
});
