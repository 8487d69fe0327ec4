/**
 * What the server makes of the state: a failed blocking check is "failing" in the graph and the
 * metrics (not only "failed"), a partitioned asset's artefact and metadata by partition, and
 * schema diffs of both recorded column forms.
 */
import { describe, expect, it } from 'vitest';
import { asset, check, dailyPartitions, defineProject, materialize } from '../src/index.js';
import { diffMaterializations } from '../src/server/_diff.js';
import type { MaterializationEvent } from '../src/storage/index.js';
import { tempInstance } from './helpers.js';
import { testServer } from './support/test-server.js';

const project = () =>
  defineProject({
    assets: [
      asset({
        key: 'checked',
        checks: [check({ name: 'enough', evaluate: () => false })],
        materialize: () => 1,
      }),
      asset({
        key: 'daily',
        partitions: dailyPartitions({ start: '2026-01-01', end: '2026-01-04' }),
        materialize: (ctx) => {
          ctx.addMetadata({ rows: Number(ctx.partition.key.slice(-1)) * 10 });
          return ctx.partition.key;
        },
      }),
    ],
  });

async function serve() {
  const instance = tempInstance();
  await materialize(project(), { instance });
  const { call } = await testServer(project(), { instance });
  return { instance, get: (path: string) => call(path) };
}

describe('server views', () => {
  it('shows a failed blocking check as failing, in the graph and the metrics', async () => {
    const { get } = await serve();
    const graph = (await (await get('/api/graph')).json()) as {
      nodes: Array<{ key: string; checks: string | null }>;
    };
    expect(graph.nodes.find((n) => n.key === 'checked')?.checks).toBe('failing');
    expect(await (await get('/metrics')).text()).toMatch(/weir_assets_check_failing 1\b/);
  });

  it('serves a partition’s artefact and metadata series by partition', async () => {
    const { get } = await serve();
    const whole = await get('/api/assets/daily/artefact');
    expect(whole.status).toBe(400);
    expect(((await whole.json()) as { error: { message: string } }).error.message).toMatch(
      /\?partition=/,
    );
    const one = await get('/api/assets/daily/artefact?partition=2026-01-02');
    expect(one.status).toBe(200);
    expect(await one.json()).toBe('2026-01-02');
    const series = (await (await get('/api/assets/daily/series?partition=2026-01-03')).json()) as {
      series: Record<string, number[]>;
    };
    expect(series.series.rows).toEqual([30]);
    expect((await get('/api/assets/daily/partitions?from=3&to=1')).status).toBe(400);
  });
});

describe('diffMaterializations', () => {
  const event = (id: number, columns: Record<string, unknown>): MaterializationEvent =>
    ({
      id,
      type: 'asset:materialized',
      runId: 'r',
      assetKey: 'a',
      partition: '',
      timestamp: id,
      materialization: {
        dataVersion: `d${id}`,
        codeVersion: 'c',
        inputs: {},
        configHash: 'h',
        artefact: { format: 'json', location: 'x', contentHash: 'x', size: 1, type: 'blob' },
        startedAt: 0,
        endedAt: 0,
        host: 'h',
        weirVersion: '0',
        metadata: { schema: { columns } },
      },
    }) as unknown as MaterializationEvent;

  it('reads both column forms: a type, or { type, nullable }', () => {
    const diff = diffMaterializations(
      event(1, { day: { type: 'string' }, amount: 'number' }),
      event(2, {
        day: { type: 'date' },
        amount: { type: 'number', nullable: true },
        currency: { type: 'string' },
      }),
    );
    expect(diff.schema).toEqual({
      added: [{ column: 'currency', type: 'string' }],
      removed: [],
      retyped: [
        { column: 'amount', from: 'number', to: 'number|null' },
        { column: 'day', from: 'string', to: 'date' },
      ],
    });
  });
});
