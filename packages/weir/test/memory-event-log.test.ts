/**
 * The in-memory reference model (test/support/memory-event-log.ts) passes the EventLog
 * conformance suite unchanged: a second backend needs nothing outside its own files.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalArtefactStore } from '../src/artefacts/index.js';
import {
  asset,
  assetStatus,
  backfill,
  createInstance,
  dailyPartitions,
  defineProject,
  explain,
  many,
  materialize,
  sourceAsset,
} from '../src/index.js';
import { runEventLogConformance } from '../src/testing.js';
import { tempDir } from './helpers.js';
import { MemoryEventLog, MemoryEventStore } from './support/memory-event-log.js';

runEventLogConformance({
  name: 'in-memory reference model',
  create: async () => {
    const store = new MemoryEventStore();
    return { log: new MemoryEventLog(store), connect: async () => new MemoryEventLog(store) };
  },
  // The store outlives its connections (within this process: nothing is durable).
  capabilities: { reopen: true, concurrentAppends: true },
});

describe('an instance assembled from parts', () => {
  it('runs, plans, explains and backfills on an event log that is not SQLite', async () => {
    const instance = createInstance({
      eventLog: new MemoryEventLog(new MemoryEventStore()),
      artefacts: new LocalArtefactStore(join(tempDir(), 'artefacts')),
    });
    const feed = { version: 'v1' };
    const source = sourceAsset({ key: 'raw/feed', observe: () => feed.version });
    const days = dailyPartitions({ start: '2024-01-01', end: '2024-01-05' });
    const daily = asset({
      key: 'daily',
      partitions: days,
      deps: [source],
      materialize: (ctx) => `${ctx.partition.key}/${feed.version}`,
    });
    const total = asset({
      key: 'total',
      ins: { daily: many(daily) },
      materialize: (_ctx, { daily }) => [...daily.values()].join(','),
    });
    const project = defineProject({ assets: [source, daily, total] });
    const run = await materialize(project, { instance });
    expect(run.status).toBe('success');
    expect(run.summary.materialized).toHaveLength(5); // four days (the end is exclusive), total
    expect((await materialize(project, { instance })).status).toBe('nothing-to-do');

    feed.version = 'v2';
    const states = await assetStatus(project, { instance });
    expect(states.map((s) => [s.key, s.status])).toEqual([
      ['raw/feed', 'fresh'],
      ['daily', 'stale'],
      ['total', 'stale'],
    ]);
    const filled = await backfill(project, {
      instance,
      selection: 'daily',
      partitions: { from: '2024-01-01', to: '2024-01-02' },
    });
    expect(filled.backfill.status).toBe('success');
    expect(filled.run.summary.materialized).toEqual(['daily[2024-01-01]', 'daily[2024-01-02]']);
    const why = await explain(project, 'daily', { instance, partition: '2024-01-03' });
    expect(why.partition?.status).toBe('stale');
    const last = await materialize(project, { instance });
    expect(last.summary.materialized).toEqual(['daily[2024-01-03]', 'daily[2024-01-04]', 'total']);
    await instance.close();
  });
});
