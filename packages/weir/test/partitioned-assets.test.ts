import { describe, expect, it } from 'vitest';
import {
  addDynamicPartitions,
  asset,
  assetHistory,
  assetStatus,
  backfill,
  buildAssetGraph,
  cancelBackfill,
  dailyPartitions,
  defineProject,
  dimensionMapping,
  dynamicPartitions,
  EnvironmentError,
  explain,
  hourlyPartitions,
  type Instance,
  lastNMapping,
  listBackfills,
  many,
  materialize,
  monthlyPartitions,
  multiPartitions,
  one,
  type PartitionInfo,
  type ProjectDefinition,
  removeDynamicPartitions,
  resumeBackfill,
  staticMapping,
  staticPartitions,
  weeklyPartitions,
} from '../src/index.js';
import { definitionError, tempInstance } from './helpers.js';

/** Seven daily partitions, whatever the clock says. */
const week = dailyPartitions({ start: '2024-01-01', end: '2024-01-08' });
const NOW = Date.parse('2024-06-01T00:00:00Z');

/** Per day: a value the test can change to make one upstream partition's data move. */
function dailyChain(values: Map<string, number>, calls: string[] = []) {
  const readings = asset({
    key: 'readings',
    partitions: week,
    codeVersion: 'r1',
    materialize: (ctx) => {
      calls.push(`readings[${ctx.partition.key}]`);
      return { day: ctx.partition.key, value: values.get(ctx.partition.key) ?? 1 };
    },
  });
  const doubled = asset({
    key: 'doubled',
    partitions: week,
    ins: { readings },
    codeVersion: 'd1',
    materialize: (ctx, { readings }) => {
      calls.push(`doubled[${ctx.partition.key}]`);
      return readings.value * 2;
    },
  });
  const total = asset({
    key: 'total',
    ins: { days: many(doubled) },
    codeVersion: 't1',
    materialize: (_ctx, { days }) => {
      calls.push('total');
      return { keys: [...days.keys()], sum: [...days.values()].reduce((a, b) => a + b, 0) };
    },
  });
  return defineProject({ assets: [readings, doubled, total] });
}

async function run(project: ProjectDefinition, instance: Instance, extra = {}) {
  return materialize(project, { instance, now: NOW, concurrency: 2, ...extra });
}

describe('partitioned assets', () => {
  it('materializes every partition once, hands many() a map in partition order, then has nothing to do', async () => {
    const instance = tempInstance();
    const calls: string[] = [];
    const project = dailyChain(new Map(), calls);
    const first = await run(project, instance);
    expect(first.status).toBe('success');
    expect(calls.filter((c) => c.startsWith('readings'))).toHaveLength(7);
    expect(calls.filter((c) => c.startsWith('doubled'))).toHaveLength(7);
    expect(first.summary.materialized).toContain('doubled[2024-01-03]');
    const [total] = await assetHistory(instance, 'total');
    const provenance = total?.type === 'asset:materialized' ? total.materialization : undefined;
    expect(provenance?.inputs.doubled?.partitionCount).toBe(7);
    const second = await run(project, instance);
    expect(second.status).toBe('nothing-to-do');
  });

  it('one changed upstream partition makes stale exactly the downstream partitions that read it', async () => {
    const instance = tempInstance();
    const values = new Map<string, number>();
    const calls: string[] = [];
    const project = dailyChain(values, calls);
    await run(project, instance);
    values.set('2024-01-03', 50);
    const forced = await run(project, instance, {
      selection: 'readings',
      force: true,
      partitions: { keys: ['2024-01-03'] },
    });
    expect(forced.summary.materialized).toEqual(['readings[2024-01-03]']);

    const [, doubled, total] = await assetStatus(project, { instance, now: NOW });
    expect(doubled?.status).toBe('stale');
    expect(doubled?.partitions?.stale.count).toBe(1);
    expect(doubled?.partitions?.space.keyAt([...doubled.partitions!.stale.indices()][0]!)).toBe(
      '2024-01-03',
    );
    expect(total?.status).toBe('stale');

    const why = await explain(project, 'doubled', { instance, now: NOW, partition: '2024-01-03' });
    expect(why.partition?.status).toBe('stale');
    expect(why.partition?.causes[0]?.category).toBe('data');
    expect(why.partition?.causes[0]?.reason).toContain('readings[2024-01-03]');
    const fresh = await explain(project, 'doubled', {
      instance,
      now: NOW,
      partition: '2024-01-02',
    });
    expect(fresh.partition?.status).toBe('fresh');

    calls.length = 0;
    const catchUp = await run(project, instance);
    expect(calls).toEqual(['doubled[2024-01-03]', 'total']);
    expect(catchUp.status).toBe('success');
  });

  it('runs only the requested partitions and rejects keys an asset does not have', async () => {
    const instance = tempInstance();
    const calls: string[] = [];
    const project = dailyChain(new Map(), calls);
    await run(project, instance, {
      selection: 'readings,doubled',
      partitions: { from: '2024-01-02', to: '2024-01-03' },
    });
    expect(calls.sort()).toEqual([
      'doubled[2024-01-02]',
      'doubled[2024-01-03]',
      'readings[2024-01-02]',
      'readings[2024-01-03]',
    ]);
    const error = await run(project, instance, { partitions: { keys: ['2024-02-30'] } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toContain("asset 'readings' has no partition '2024-02-30'");
  });

  it('gives ctx.partition the key and window, and a daily asset the 23 or 25 hours of a DST day', async () => {
    const instance = tempInstance();
    const seen: PartitionInfo[] = [];
    const zone = 'Europe/Berlin';
    const hours = asset({
      key: 'hours',
      partitions: hourlyPartitions({ start: '2024-03-30', end: '2024-04-01', timezone: zone }),
      materialize: (ctx) => ctx.partition.key,
    });
    const days = asset({
      key: 'days',
      partitions: dailyPartitions({ start: '2024-03-30', end: '2024-04-01', timezone: zone }),
      ins: { hours: many(hours) },
      materialize: (ctx, { hours }) => {
        seen.push(ctx.partition);
        return hours.size;
      },
    });
    const project = defineProject({ assets: [hours, days] });
    expect((await run(project, instance)).status).toBe('success');
    const byDay = new Map(seen.map((p) => [p.key, p]));
    expect(byDay.get('2024-03-31')?.start?.toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(byDay.get('2024-03-31')?.end?.toISOString()).toBe('2024-03-31T22:00:00.000Z');
    const sizes = (await assetHistory(instance, 'days')).map((e) =>
      e.type === 'asset:materialized'
        ? [e.partition, e.materialization.inputs.hours?.partitionCount]
        : [],
    );
    expect(new Map(sizes as Array<[string, number]>)).toEqual(
      new Map([
        ['2024-03-30', 24],
        ['2024-03-31', 23],
      ]),
    );
  });

  it('connects cadences both ways: a day reads its month, an hour its day, a week and a month their days', async () => {
    const instance = tempInstance();
    const zone = 'Europe/Berlin';
    const range = { start: '2024-10-01', end: '2024-11-01', timezone: zone };
    const months = asset({
      key: 'months',
      partitions: monthlyPartitions(range),
      materialize: (ctx) => `month ${ctx.partition.key}`,
    });
    const days = asset({
      key: 'days',
      partitions: dailyPartitions(range),
      ins: { month: months },
      materialize: (ctx, { month }) => `${month} / ${ctx.partition.key}`,
    });
    const hours = asset({
      key: 'hours',
      partitions: hourlyPartitions({ start: '2024-10-26', end: '2024-10-28', timezone: zone }),
      ins: { day: days },
      materialize: (ctx, { day }) => `${day} / ${ctx.partition.key}`,
    });
    const weeks = asset({
      key: 'weeks',
      partitions: weeklyPartitions({ ...range, offset: { weekday: 1 } }),
      ins: { days: many(days) },
      materialize: (_ctx, { days }) => [...days.keys()],
    });
    const monthTotals = asset({
      key: 'month_totals',
      partitions: monthlyPartitions(range),
      ins: { days: many(days), hours: many(hours) },
      materialize: (_ctx, { days, hours }) => ({ days: days.size, hours: hours.size }),
    });
    const project = defineProject({ assets: [months, days, hours, weeks, monthTotals] });
    const result = await run(project, instance, { now: Date.parse('2025-01-01T00:00:00Z') });
    expect(result.status).toBe('success');
    const stored = async (key: string, partition: string) => {
      const [event] = await assetHistory(instance, key, { partition });
      if (event?.type !== 'asset:materialized') return undefined;
      const bytes = await instance.artefacts.read(event.materialization.artefact.location);
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    };
    // The day clocks go back has 25 hours; the hour key that happens twice carries its offset.
    expect(await stored('hours', '2024-10-27T02:00+01:00')).toBe(
      'month 2024-10-01 / 2024-10-27 / 2024-10-27T02:00+01:00',
    );
    expect(await stored('weeks', '2024-10-07')).toEqual([
      '2024-10-07',
      '2024-10-08',
      '2024-10-09',
      '2024-10-10',
      '2024-10-11',
      '2024-10-12',
      '2024-10-13',
    ]);
    expect(await stored('month_totals', '2024-10-01')).toEqual({ days: 31, hours: 49 });
  });

  it('reads the last N upstream partitions and restales the windows that include a changed day', async () => {
    const instance = tempInstance();
    const values = new Map<string, number>();
    const daily = asset({
      key: 'daily',
      partitions: week,
      codeVersion: '1',
      materialize: (ctx) => values.get(ctx.partition.key) ?? 1,
    });
    const rolling = asset({
      key: 'rolling',
      partitions: week,
      ins: { days: many(daily, lastNMapping(3)) },
      materialize: (_ctx, { days }) => [...days.keys()],
    });
    const project = defineProject({ assets: [daily, rolling] });
    await run(project, instance);
    const [first] = (await assetHistory(instance, 'rolling', { partition: '2024-01-05' })).map(
      (e) => (e.type === 'asset:materialized' ? e.materialization.inputs.daily?.partitions : []),
    );
    expect(first).toEqual(['2024-01-03', '2024-01-04', '2024-01-05']);
    values.set('2024-01-03', 9);
    await run(project, instance, {
      selection: 'daily',
      force: true,
      partitions: { keys: ['2024-01-03'] },
    });
    const [, state] = await assetStatus(project, { instance, now: NOW });
    const stale = [...state!.partitions!.stale.indices()].map((i) =>
      state!.partitions!.space.keyAt(i),
    );
    expect(stale).toEqual(['2024-01-03', '2024-01-04', '2024-01-05']);
  });

  it('maps static partitions through a table and one dimension of multi partitions', async () => {
    const instance = tempInstance();
    const states = asset({
      key: 'states',
      partitions: staticPartitions(['CA', 'OR', 'NY']),
      materialize: (ctx) => ctx.partition.key.toLowerCase(),
    });
    const regions = asset({
      key: 'regions',
      partitions: staticPartitions(['west', 'east']),
      ins: { states: many(states, staticMapping({ west: ['CA', 'OR'], east: 'NY' })) },
      materialize: (_ctx, { states }) => [...states.values()].join('+'),
    });
    const capital = asset({
      key: 'capital',
      partitions: staticPartitions(['CA', 'NY']),
      ins: { state: one(states, staticMapping({ CA: 'CA', NY: 'NY' })) },
      materialize: (_ctx, { state }) => `${state}!`,
    });
    const stations = staticPartitions(['A', 'B']);
    const dayTotals = asset({
      key: 'day_totals',
      partitions: week,
      ins: {
        cells: many(
          asset({
            key: 'cells',
            partitions: multiPartitions({ date: week, station: stations }),
            materialize: (ctx) => ctx.partition.dimensions?.station ?? '',
          }),
          dimensionMapping('date'),
        ),
      },
      materialize: (_ctx, { cells }) => [...cells.keys()],
    });
    const project = defineProject({
      assets: [states, regions, capital, dayTotals, ...Object.values(dayTotals.ins)],
    });
    expect((await run(project, instance)).status).toBe('success');
    const value = async (key: string, partition: string) => {
      const [event] = await assetHistory(instance, key, { partition });
      return event?.type === 'asset:materialized' ? event.materialization.inputs : undefined;
    };
    expect((await value('regions', 'west'))?.states?.partitions).toEqual(['CA', 'OR']);
    expect((await value('capital', 'NY'))?.states?.partitions).toEqual(['NY']);
    expect((await value('day_totals', '2024-01-02'))?.cells?.partitions).toEqual([
      '2024-01-02|A',
      '2024-01-02|B',
    ]);
  });

  it('adds and removes dynamic partitions from outside and from a step', async () => {
    const instance = tempInstance();
    const stations = dynamicPartitions('stations');
    const registry = asset({
      key: 'registry',
      materialize: (ctx) => {
        ctx.dynamicPartitions.add('stations', ['ATT-01', 'ATT-02']);
        return ['ATT-01', 'ATT-02'];
      },
    });
    const perStation = asset({
      key: 'per_station',
      partitions: stations,
      deps: [registry],
      materialize: (ctx) => ctx.partition.key,
    });
    const project = defineProject({ assets: [registry, perStation] });
    await run(project, instance, { selection: 'registry' });
    expect(await instance.eventLog.dynamicPartitions('stations')).toEqual(['ATT-01', 'ATT-02']);
    await addDynamicPartitions(instance, 'stations', ['ATT-03']);
    const result = await run(project, instance);
    expect(result.summary.materialized.sort()).toEqual([
      'per_station[ATT-01]',
      'per_station[ATT-02]',
      'per_station[ATT-03]',
    ]);
    await removeDynamicPartitions(instance, 'stations', ['ATT-02']);
    const [, state] = await assetStatus(project, { instance, now: NOW });
    expect(state?.partitions?.space.size).toBe(2);
    expect(state?.status).toBe('fresh');
  });

  it('hands a single-run asset a whole range in one call', async () => {
    const instance = tempInstance();
    const ranges: string[][] = [];
    const readings = asset({
      key: 'readings',
      partitions: week,
      materialize: (ctx) => Number(ctx.partition.key.slice(-2)),
    });
    const vectorised = asset({
      key: 'vectorised',
      partitions: week,
      backfillPolicy: 'single-run',
      ins: { readings },
      materialize: (ctx, { readings }) => {
        ranges.push([...ctx.partitions.keys]);
        return new Map([...readings].map(([day, value]) => [day, value * 10]));
      },
    });
    const project = defineProject({ assets: [readings, vectorised] });
    expect((await run(project, instance)).status).toBe('success');
    expect(ranges).toEqual([
      [
        '2024-01-01',
        '2024-01-02',
        '2024-01-03',
        '2024-01-04',
        '2024-01-05',
        '2024-01-06',
        '2024-01-07',
      ],
    ]);
    const [event] = await assetHistory(instance, 'vectorised', { partition: '2024-01-04' });
    // Provenance is per partition: 2024-01-04 read its own day, not the range.
    const inputs = event?.type === 'asset:materialized' ? event.materialization.inputs : undefined;
    expect(inputs?.readings?.partitions).toEqual(['2024-01-04']);
  });

  it('isolates a failed partition: only the partitions reading it are skipped', async () => {
    const instance = tempInstance();
    const readings = asset({
      key: 'readings',
      partitions: week,
      materialize: (ctx) => {
        if (ctx.partition.key === '2024-01-04') throw new Error('sensor offline');
        return 1;
      },
    });
    const doubled = asset({
      key: 'doubled',
      partitions: week,
      ins: { readings },
      materialize: (_ctx, { readings }) => readings * 2,
    });
    const project = defineProject({ assets: [readings, doubled] });
    const result = await run(project, instance);
    expect(result.status).toBe('failed');
    expect(result.summary.failed).toEqual(['readings[2024-01-04]']);
    expect(result.summary.skipped).toEqual(['doubled[2024-01-04]']);
    expect(result.summary.materialized).toHaveLength(12);
    const [state] = await assetStatus(project, { instance, now: NOW });
    expect(state?.partitions?.failed.count).toBe(1);
  });
});

describe('partition definitions on edges', () => {
  it('rejects a plain input that reads several partitions, naming many()', () => {
    const hourly = asset({
      key: 'hourly',
      partitions: hourlyPartitions({ start: '2024-01-01' }),
      materialize: () => 1,
    });
    const daily = asset({
      key: 'daily',
      partitions: dailyPartitions({ start: '2024-01-01' }),
      ins: { hourly },
      materialize: () => 1,
    });
    const error = definitionError(() =>
      buildAssetGraph(defineProject({ assets: [hourly, daily] })),
    );
    expect(error.message).toContain("input 'hourly' reads several partitions of 'hourly'");
    expect(error.message).toContain('many(hourly)');
  });

  it('rejects a mapping that cannot connect the two assets', () => {
    const states = asset({
      key: 'states',
      partitions: staticPartitions(['CA']),
      materialize: () => 1,
    });
    const days = asset({
      key: 'days',
      partitions: week,
      ins: { states: many(states, lastNMapping(2)) },
      materialize: () => 1,
    });
    const error = definitionError(() => buildAssetGraph(defineProject({ assets: [states, days] })));
    expect(error.message).toContain('lastNMapping connects time-window partitions only');
  });
});

describe('backfills', () => {
  it('records a backfill, reports it, and resumes only what is left after a failure', async () => {
    const instance = tempInstance();
    let broken = true;
    const calls: string[] = [];
    const readings = asset({
      key: 'readings',
      partitions: week,
      materialize: (ctx) => {
        calls.push(ctx.partition.key);
        if (broken && ctx.partition.key === '2024-01-05') throw new Error('flaky');
        return 1;
      },
    });
    const project = defineProject({ assets: [readings] });
    const first = await backfill(project, {
      instance,
      now: NOW,
      partitions: { from: '2024-01-02', to: '2024-01-06' },
    });
    expect(first.backfill.status).toBe('failed');
    expect(first.backfill.requested.requestedPartitions).toBe(5);
    expect(calls.sort()).toEqual([
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
      '2024-01-06',
    ]);
    broken = false;
    calls.length = 0;
    const resumed = await resumeBackfill(project, first.backfill.backfillId, {
      instance,
      now: NOW,
    });
    expect(calls).toEqual(['2024-01-05']);
    expect(resumed.backfill.status).toBe('success');
    expect(resumed.backfill.runIds).toHaveLength(2);
    const [listed] = await listBackfills(instance);
    expect(listed?.backfillId).toBe(first.backfill.backfillId);
    await expect(cancelBackfill(instance, first.backfill.backfillId)).rejects.toThrow(
      /success already/,
    );
  });
});
