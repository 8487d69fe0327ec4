/**
 * What a daemon pass evaluates: the assets a change after the last evaluation reached (and
 * those downstream), not the whole graph; and, on a clock, conditions that depend on time.
 */
import { describe, expect, it } from 'vitest';
import { clockedKeys, graphOf, touchedAfter } from '../src/execution/index.js';
import {
  asset,
  dailyPartitions,
  defineProject,
  dynamicPartitions,
  eager,
  onOverdue,
  sourceAsset,
} from '../src/index.js';
import { tempInstance } from './helpers.js';

const files = dynamicPartitions('files');
const raw = sourceAsset({ key: 'raw', observe: () => 'v' });
const a = asset({ key: 'a', deps: [raw], automation: eager(), materialize: () => 1 });
const b = asset({ key: 'b', ins: { a }, automation: eager(), materialize: () => 2 });
const other = asset({ key: 'other', automation: eager(), materialize: () => 3 });
const perFile = asset({
  key: 'per_file',
  partitions: files,
  automation: eager(),
  materialize: () => 4,
});
const daily = asset({
  key: 'daily',
  partitions: dailyPartitions({ start: '2026-01-01' }),
  automation: eager(),
  materialize: () => 5,
});
const overdue = asset({
  key: 'late',
  freshness: { maxLag: '1h' },
  automation: onOverdue(),
  materialize: () => 6,
});
const graph = graphOf(defineProject({ assets: [raw, a, b, other, perFile, daily, overdue] }));

describe('the assets a pass evaluates', () => {
  it('are those a new event touched and everything downstream of them', async () => {
    const { eventLog } = tempInstance();
    const before = await eventLog.lastEventId();
    await eventLog.append([
      {
        type: 'asset:observed',
        assetKey: 'raw',
        partition: '',
        timestamp: 1,
        observation: { dataVersion: 'v2', metadata: {} },
      },
    ]);
    expect([...(await touchedAfter(eventLog, graph, before))!].sort()).toEqual(['a', 'b', 'raw']);
    const afterObservation = await eventLog.lastEventId();
    await eventLog.append([
      { type: 'partitions:added', name: 'files', keys: ['f1'], timestamp: 2 },
    ]);
    expect([...(await touchedAfter(eventLog, graph, afterObservation))!]).toEqual(['per_file']);
    const now = await eventLog.lastEventId();
    expect((await touchedAfter(eventLog, graph, now))!.size).toBe(0);
  });

  it('include, on a clock, those whose condition depends on time', () => {
    expect([...clockedKeys(graph, graph.keys)].sort()).toEqual(['daily', 'late']);
  });
});
