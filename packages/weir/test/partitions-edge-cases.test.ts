import { describe, expect, it } from 'vitest';
import {
  addDynamicPartitions,
  asset,
  assetHistory,
  assetStatus,
  backfill,
  buildAssetGraph,
  check,
  checkAssets,
  dailyPartitions,
  defineProject,
  dynamicPartitions,
  hourlyPartitions,
  lastNMapping,
  many,
  materialize,
  monthlyPartitions,
  multiPartitions,
  removeDynamicPartitions,
  resumeBackfill,
  staticPartitions,
} from '../src/index.js';
import { definitionError, tempInstance } from './helpers.js';

const week = dailyPartitions({ start: '2024-01-01', end: '2024-01-08' });
const NOW = Date.parse('2024-06-01T00:00:00Z');

describe('partitions: edge cases', () => {
  it('rejects two inputs reading one upstream through different mappings', () => {
    const up = asset({ key: 'up', partitions: week, materialize: () => 1 });
    const down = asset({
      key: 'down',
      partitions: week,
      ins: { window: many(up, lastNMapping(3)), today: up },
      materialize: () => 1,
    });
    const error = definitionError(() => buildAssetGraph(defineProject({ assets: [up, down] })));
    expect(error.message).toContain(
      "reads 'up' through two inputs with different partition mappings",
    );
  });

  it('waits for an upstream window that has not ended instead of failing every run', async () => {
    const instance = tempInstance();
    const month = asset({
      key: 'month',
      partitions: monthlyPartitions({ start: '2024-01-01' }),
      materialize: (ctx) => ctx.partition.key,
    });
    const day = asset({
      key: 'day',
      partitions: dailyPartitions({ start: '2024-01-01' }),
      ins: { month },
      materialize: (_ctx, { month }) => month,
    });
    const project = defineProject({ assets: [month, day] });
    const now = Date.parse('2024-02-03T00:00:00Z');
    const result = await materialize(project, { instance, now });
    expect(result.status).toBe('success');
    expect(result.summary.materialized).toHaveLength(1 + 31);
    const again = await materialize(project, { instance, now });
    expect(again.status).toBe('nothing-to-do');
    const [, state] = await assetStatus(project, { instance, now });
    expect(state?.partitions?.failed.count).toBe(0);
    expect(state?.partitions?.missing.count).toBe(2); // 2024-02-01 and -02 wait for February
  });

  it('judges the freshness of a partitioned asset by when its next partition became due', async () => {
    const instance = tempInstance();
    const daily = asset({
      key: 'daily',
      partitions: dailyPartitions({ start: '2024-01-01' }),
      freshness: { maxLag: '6h' },
      materialize: () => 1,
    });
    const project = defineProject({ assets: [daily] });
    await materialize(project, {
      instance,
      now: Date.parse('2024-01-02T01:00:00Z'),
    });
    const at = (iso: string) => assetStatus(project, { instance, now: Date.parse(iso) });
    expect((await at('2024-01-03T05:00:00Z'))[0]?.freshness?.status).toBe('fresh');
    const late = (await at('2024-01-03T07:00:00Z'))[0]?.freshness;
    expect(late?.status).toBe('overdue');
    expect(late?.overdueByMs).toBe(3_600_000);
  });

  it('single-run: a partition failing a check skips only the partitions that read it', async () => {
    const instance = tempInstance();
    const ranged = asset({
      key: 'ranged',
      partitions: week,
      backfillPolicy: 'single-run',
      checks: [check<number>({ name: 'positive', evaluate: (_ctx, value) => value > 0 })],
      materialize: (ctx) =>
        Object.fromEntries(ctx.partitions.keys.map((k) => [k, k === '2024-01-03' ? -1 : 1])),
    });
    const reader = asset({
      key: 'reader',
      partitions: week,
      ins: { ranged },
      materialize: (_ctx, { ranged }) => ranged * 2,
    });
    const result = await materialize(defineProject({ assets: [ranged, reader] }), {
      instance,
      now: NOW,
    });
    expect(result.summary.failed).toEqual(['ranged[2024-01-03]']);
    expect(result.summary.skipped).toEqual(['reader[2024-01-03]']);
    expect(result.summary.materialized.filter((l) => l.startsWith('reader'))).toHaveLength(6);
  });

  it('a resumed forced backfill redoes a partition that failed a blocking check', async () => {
    const instance = tempInstance();
    let bad = true;
    const x = asset({
      key: 'x',
      partitions: week,
      checks: [check<number>({ name: 'positive', evaluate: (_ctx, value) => value > 0 })],
      materialize: (ctx) => (bad && ctx.partition.key === '2024-01-03' ? -1 : 1),
    });
    const project = defineProject({ assets: [x] });
    const first = await backfill(project, {
      instance,
      now: NOW,
      force: true,
      partitions: { from: '2024-01-01', to: '2024-01-07' },
    });
    expect(first.backfill.status).toBe('failed');
    // The reason does not name the partition again: its label does.
    expect(first.run.reasons['x[2024-01-03]']).toBe('blocking check positive failed');
    bad = false;
    const resumed = await resumeBackfill(project, first.backfill.backfillId, {
      instance,
      now: NOW,
    });
    expect(resumed.run.summary.materialized).toEqual(['x[2024-01-03]']);
    expect(resumed.backfill.status).toBe('success');
  });

  it('reading through another mapping makes every partition stale', async () => {
    const instance = tempInstance();
    const up = asset({ key: 'up', partitions: week, codeVersion: '1', materialize: () => 1 });
    const build = (n: number) =>
      defineProject({
        assets: [
          up,
          asset({
            key: 'rolling',
            partitions: week,
            ins: { days: many(up, lastNMapping(n)) },
            materialize: (_ctx, { days }) => days.size,
          }),
        ],
      });
    await materialize(build(3), { instance, now: NOW });
    const [, state] = await assetStatus(build(5), { instance, now: NOW });
    expect(state?.partitions?.stale.count).toBe(7);
  });

  it('a range given for a downstream asset brings the upstream partitions it reads', async () => {
    const instance = tempInstance();
    const calls: string[] = [];
    const up = asset({
      key: 'up',
      partitions: week,
      materialize: (ctx) => {
        calls.push(ctx.partition.key);
        return 1;
      },
    });
    const rolling = asset({
      key: 'rolling',
      partitions: week,
      ins: { days: many(up, lastNMapping(3)) },
      materialize: (_ctx, { days }) => days.size,
    });
    const result = await materialize(defineProject({ assets: [up, rolling] }), {
      instance,
      now: NOW,
      selection: '+rolling',
      partitions: { keys: ['2024-01-05'] },
    });
    expect(result.status).toBe('success');
    expect(calls.sort()).toEqual(['2024-01-03', '2024-01-04', '2024-01-05']);
    expect(result.summary.materialized).toContain('rolling[2024-01-05]');
  });

  it('keeps partition state right as time passes for multi partitions whose time dimension is second', async () => {
    const instance = tempInstance();
    const parts = multiPartitions({
      region: staticPartitions(['a', 'b']),
      hour: hourlyPartitions({ start: '2024-01-01' }),
    });
    const x = asset({
      key: 'x',
      partitions: parts,
      codeVersion: 'x',
      materialize: (ctx) => ctx.partition.key,
    });
    const project = defineProject({ assets: [x] });
    const t1 = Date.parse('2024-02-15T00:00:00Z');
    await materialize(project, { instance, now: t1 });
    await assetStatus(project, { instance, now: t1 });
    const [state] = await assetStatus(project, { instance, now: t1 + 3_600_000 });
    const missing = [...state!.partitions!.missing.indices()].map((i) =>
      state!.partitions!.space.keyAt(i),
    );
    expect(missing).toEqual(['a|2024-02-15T00:00', 'b|2024-02-15T00:00']);
    const [event] = await assetHistory(instance, 'x', { partition: 'a|2024-01-03T05:00' });
    expect(event).toBeDefined();
  });

  it('skips partitions planned only because an upstream ran, when it came out unchanged', async () => {
    const instance = tempInstance();
    const calls: string[] = [];
    const build = (version: string, value: number) => {
      const lookup = asset({ key: 'lookup', codeVersion: version, materialize: () => value });
      const daily = asset({
        key: 'daily',
        partitions: week,
        ins: { lookup },
        materialize: (ctx, { lookup }) => {
          calls.push(ctx.partition.key);
          return lookup;
        },
      });
      return defineProject({ assets: [lookup, daily] });
    };
    await materialize(build('1', 5), { instance, now: NOW });
    calls.length = 0;
    const same = await materialize(build('2', 5), { instance, now: NOW });
    expect(calls).toEqual([]);
    expect(same.summary.materialized).toEqual(['lookup']);
    expect(same.summary.unchanged).toHaveLength(7);
    const changed = await materialize(build('3', 6), { instance, now: NOW });
    expect(calls).toHaveLength(7);
    expect(changed.summary.unchanged).toEqual([]);
  });

  it('an unpartitioned reader of every partition is stale when a dynamic key is removed or added back', async () => {
    const instance = tempInstance();
    const perStation = asset({
      key: 'per_station',
      partitions: dynamicPartitions('stations'),
      codeVersion: '1',
      materialize: (ctx) => ctx.partition.key,
    });
    const total = asset({
      key: 'total',
      ins: { stations: many(perStation) },
      materialize: (_ctx, { stations }) => [...stations.keys()],
    });
    const project = defineProject({ assets: [perStation, total] });
    await addDynamicPartitions(instance, 'stations', ['s1', 's2']);
    await materialize(project, { instance, now: NOW });
    const status = async () => (await assetStatus(project, { instance, now: NOW }))[1];
    expect((await status())?.status).toBe('fresh');
    await removeDynamicPartitions(instance, 'stations', ['s2']);
    expect((await status())?.causes[0]?.reason).toContain(
      'it read 2 partitions, 1 have a version now',
    );
    await materialize(project, { instance, now: NOW });
    expect((await status())?.status).toBe('fresh');
    await addDynamicPartitions(instance, 'stations', ['s2']);
    expect((await status())?.status).toBe('stale');
    const result = await materialize(project, { instance, now: NOW });
    expect(result.summary.materialized).toEqual(['total']);
  });

  it('re-evaluates checks per partition, and a check that now passes unblocks that partition', async () => {
    const instance = tempInstance();
    let limit = 3;
    const build = () =>
      defineProject({
        assets: [
          asset({
            key: 'x',
            partitions: week,
            codeVersion: '1',
            checks: [check<number>({ name: 'small', evaluate: (_ctx, value) => value <= limit })],
            materialize: (ctx) => Number(ctx.partition.key.slice(-1)),
          }),
        ],
      });
    await materialize(build(), { instance, now: NOW });
    const [before] = await assetStatus(build(), { instance, now: NOW });
    expect(before?.partitions?.failed.count).toBe(4); // days 4 to 7 exceed 3
    limit = 5;
    const results = await checkAssets(build(), {
      instance,
      now: NOW,
      partitions: { from: '2024-01-04', to: '2024-01-07' },
    });
    expect(results.map((r) => [r.partition, r.checks[0]?.passed])).toEqual([
      ['2024-01-04', true],
      ['2024-01-05', true],
      ['2024-01-06', false],
      ['2024-01-07', false],
    ]);
    const [after] = await assetStatus(build(), { instance, now: NOW });
    expect(after?.partitions?.failed.count).toBe(2);
  });

  it('says a partitioned reader waits on its stale upstream, not that it is up to date', async () => {
    const instance = tempInstance();
    // Code version '3' fails on 2024-01-03.
    const build = (code: string) => {
      const daily = asset({
        key: 'daily',
        partitions: week,
        codeVersion: code,
        materialize: (ctx) => {
          if (code === '3' && ctx.partition.key === '2024-01-03') throw new Error('no data');
          return 1;
        },
      });
      const reader = asset({
        key: 'reader',
        partitions: week,
        ins: { daily },
        materialize: (_ctx, { daily }) => daily,
      });
      return defineProject({ assets: [daily, reader] });
    };
    await materialize(build('1'), { instance, now: NOW });
    const all = await materialize(build('2'), { instance, now: NOW, selection: 'reader' });
    expect(all.status).toBe('nothing-to-do');
    expect(all.plan.staleUpstream).toEqual([
      { key: 'reader', upstream: [{ key: 'daily', status: 'stale' }], partitions: 7 },
    ]);
    const one = await materialize(build('2'), {
      instance,
      now: NOW,
      selection: 'reader',
      partitions: { keys: ['2024-01-03'] },
    });
    expect(one.plan.staleUpstream).toEqual([
      { key: 'reader', upstream: [{ key: 'daily', status: 'stale' }], partitions: 1 },
    ]);
    // The status named is that of the partitions read, not the upstream's as a whole.
    await materialize(build('3'), { instance, now: NOW, selection: 'daily' });
    const otherDay = await materialize(build('4'), {
      instance,
      now: NOW,
      selection: 'reader',
      partitions: { keys: ['2024-01-01'] },
    });
    expect(otherDay.plan.staleUpstream).toEqual([
      { key: 'reader', upstream: [{ key: 'daily', status: 'stale' }], partitions: 1 },
    ]);
    const failedDay = await materialize(build('4'), {
      instance,
      now: NOW,
      selection: 'reader',
      partitions: { keys: ['2024-01-03'] },
    });
    expect(failedDay.plan.staleUpstream[0]?.upstream).toEqual([{ key: 'daily', status: 'failed' }]);
    // With the upstream selected, nothing waits.
    const both = await materialize(build('2'), { instance, now: NOW });
    expect(both.plan.staleUpstream).toEqual([]);
    expect(both.status).toBe('success');
  });

  it('says which partitions asked for have nothing to check, and an asset none of whose partitions was materialized', async () => {
    const instance = tempInstance();
    const positive = check<number>({ name: 'positive', evaluate: (_ctx, value) => value > 0 });
    const project = defineProject({
      assets: [
        asset({ key: 'x', partitions: week, checks: [positive], materialize: () => 1 }),
        asset({ key: 'y', partitions: week, checks: [positive], materialize: () => 1 }),
      ],
    });
    await materialize(project, {
      instance,
      now: NOW,
      selection: 'x',
      partitions: { keys: ['2024-01-02'] },
    });
    const named = await checkAssets(project, {
      instance,
      now: NOW,
      selection: 'x',
      partitions: { keys: ['2024-01-02', '2024-01-03'] },
    });
    expect(
      named.map((r) => [r.partition, r.materializationId === undefined, r.checks.length]),
    ).toEqual([
      ['2024-01-02', false, 1],
      ['2024-01-03', true, 0],
    ]);
    // Without named partitions: the materialized ones of x, and y as not materialized yet.
    const all = await checkAssets(project, { instance, now: NOW });
    expect(all.map((r) => [r.assetKey, r.partition, r.materializationId === undefined])).toEqual([
      ['x', '2024-01-02', false],
      ['y', undefined, true],
    ]);
  });
});
