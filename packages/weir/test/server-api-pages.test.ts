/**
 * What the web UI's asset, run and automation pages add to the HTTP API, against a real
 * server on a real instance: runs carry the partitions they asked for.
 */
import { describe, expect, it } from 'vitest';
import { asset, dailyPartitions, defineProject, materialize } from '../src/index.js';
import { testServer } from './support/test-server.js';

function project() {
  const daily = asset({
    key: 'clean/daily',
    partitions: dailyPartitions({ start: '2026-01-01', end: '2026-01-11' }),
    materialize: (ctx) => ({ day: ctx.partition.key }),
  });
  const plain = asset({ key: 'clean/plain', materialize: () => 1 });
  return defineProject({ assets: [daily, plain] });
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
type Body = Record<string, any>;

describe('runs for the run pages', () => {
  it('say which partitions they asked for, in the list and alone', async () => {
    const { instance, server } = await testServer(project());
    const call = async (path: string) =>
      (await (await fetch(new URL(path, server.url))).json()) as Body;
    const ranged = await materialize(project(), {
      instance,
      selection: 'clean/daily',
      partitions: { from: '2026-01-02', to: '2026-01-04' },
    });
    const whole = await materialize(project(), { instance, selection: 'clean/plain' });
    const list = await call('/api/runs');
    const byId = Object.fromEntries(list.runs.map((run: Body) => [run.runId, run]));
    expect(byId[ranged.runId!].partitions).toEqual({ from: '2026-01-02', to: '2026-01-04' });
    expect(byId[ranged.runId!].units).toBe(3);
    expect(byId[whole.runId!].partitions).toBeNull();
    const one = await call(`/api/runs/${ranged.runId}`);
    expect(one.run.partitions).toEqual({ from: '2026-01-02', to: '2026-01-04' });
    expect(one.steps).toHaveLength(3);
    const doc = await call('/api/openapi.json');
    expect(JSON.stringify(doc.components.schemas.RunWithPartitions)).toMatch(/"partitions"/);
    expect(JSON.stringify(doc.paths['/api/runs/{runId}'].get.responses['200'])).toMatch(
      /RunWithPartitions/,
    );
  });
});
