/** A tiny run of bench/ui-graph.ts, so the benchmark keeps working (the figures come from the full run). */
import { describe, expect, it } from 'vitest';
import { uiGraphBench } from '../../../bench/ui-graph.js';
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
});
