/**
 * @module storage/conformance-index
 * The index rules of the EventLog contract, one case each: usable materializations and
 * check results, the current data version, updated ids, which asset partitions have a
 * record, run and backfill transitions, backward paging and JSON storage.
 */
import { expect, it } from 'vitest';
import {
  byPartition,
  checked,
  failed,
  freshnessEvaluated,
  materialized,
  observed,
  started,
} from './_conformance-fixtures.js';
import type { EventLogConformanceOptions } from './conformance.js';
import type { AssetRecord, EventLog } from './event-log.js';
import type { StoredEvent, WeirEvent } from './events.js';
import { statusRowOf } from './status-row.js';

/** The record of an unpartitioned asset. */
async function recordOf(log: EventLog, assetKey: string): Promise<AssetRecord | undefined> {
  return (await log.latest([assetKey]))[0];
}

/** Registers the cases; call inside the suite's describe(). */
export function indexConformanceCases(options: EventLogConformanceOptions): void {
  it('makes a blocked materialization usable only when every check it failed passes on it, while it is the newest', async () => {
    const { log } = await options.create();
    const [good] = await log.append([materialized('a', '', 'v1')]);
    const [bad] = await log.append([
      materialized('a', '', 'v2', { blockedBy: ['bounds', 'schema'] }),
    ]);
    await log.append([
      checked('a', '', bad!.id, false, 'bounds'),
      checked('a', '', bad!.id, false, 'schema'),
    ]);
    const usable = async () => (await recordOf(log, 'a'))?.usable?.id;
    expect(await usable()).toBe(good!.id);
    // One of two passing is not enough, nor a pass of a check that did not block it.
    await log.append([checked('a', '', bad!.id, true, 'bounds')]);
    await log.append([checked('a', '', bad!.id, true, 'volume')]);
    expect(await usable()).toBe(good!.id);
    // The indexed result of each is what counts: bounds failing again undoes its pass.
    await log.append([checked('a', '', bad!.id, false, 'bounds')]);
    await log.append([checked('a', '', bad!.id, true, 'schema')]);
    expect(await usable()).toBe(good!.id);
    await log.append([checked('a', '', bad!.id, true, 'bounds')]);
    expect(await usable()).toBe(bad!.id);
    expect((await recordOf(log, 'a'))?.dataChangedId).toBe(bad!.id);

    // An older blocked materialization never becomes usable, even when its checks pass.
    const [old] = await log.append([materialized('b', '', 'w1', { blockedBy: ['bounds'] })]);
    const [newer] = await log.append([materialized('b', '', 'w2', { blockedBy: ['bounds'] })]);
    await log.append([checked('b', '', old!.id, true)]);
    let record = await recordOf(log, 'b');
    expect(record?.usable).toBeUndefined();
    expect(record?.dataChangedId).toBeUndefined();
    await log.append([checked('b', '', newer!.id, true)]);
    record = await recordOf(log, 'b');
    expect([record?.usable?.id, record?.dataChangedId]).toEqual([newer!.id, newer!.id]);
    await log.close();
  });

  it('never revokes a usable materialization when a check fails on it later', async () => {
    const { log } = await options.create();
    const [m1] = await log.append([materialized('a', '', 'v1')]);
    await log.append([checked('a', '', m1!.id, false)]);
    let record = await recordOf(log, 'a');
    expect([record?.usable?.id, record?.dataChangedId]).toEqual([m1!.id, m1!.id]);
    expect(record?.checks.bounds?.check.passed).toBe(false);
    // Nor one a re-check made usable.
    const [m2] = await log.append([materialized('a', '', 'v2', { blockedBy: ['bounds'] })]);
    await log.append([checked('a', '', m2!.id, true)]);
    await log.append([checked('a', '', m2!.id, false)]);
    record = await recordOf(log, 'a');
    expect([record?.usable?.id, record?.dataChangedId]).toEqual([m2!.id, m2!.id]);
    await log.close();
  });

  it('indexes the newest result of each check; a late result about an older materialization is history only', async () => {
    const { log } = await options.create();
    const [m1] = await log.append([materialized('a', '', 'v1', { blockedBy: ['bounds'] })]);
    const [m2] = await log.append([materialized('a', '', 'v2', { blockedBy: ['bounds'] })]);
    const [onNewest] = await log.append([checked('a', '', m2!.id, false)]);
    const [late] = await log.append([checked('a', '', m1!.id, true)]);
    let record = await recordOf(log, 'a');
    expect(record?.checks.bounds?.id).toBe(onNewest!.id);
    expect(record?.usable).toBeUndefined();
    // History all the same.
    expect((await log.events({ types: ['check:evaluated'] })).map((e) => e.id)).toEqual([
      onNewest!.id,
      late!.id,
    ]);
    // A check with no indexed result yet is indexed whichever materialization it is about;
    // a newer result about the same materialization replaces the indexed one.
    const [other] = await log.append([checked('a', '', m1!.id, true, 'other')]);
    const [again] = await log.append([checked('a', '', m2!.id, false)]);
    record = await recordOf(log, 'a');
    expect(record?.checks.other?.id).toBe(other!.id);
    expect(record?.checks.bounds?.id).toBe(again!.id);
    const before = await log.latest();
    await log.rebuildIndexes();
    expect(await log.latest()).toEqual(before);
    await log.close();
  });

  it('keeps one current data version per asset partition, set by its observations and usable materializations', async () => {
    const { log } = await options.create();
    const changedId = async () => (await recordOf(log, 's'))?.dataChangedId;
    const [o1] = await log.append([observed('s', 'x1')]);
    await log.append([materialized('s', '', 'x1')]);
    expect(await changedId()).toBe(o1!.id);
    const [m2] = await log.append([materialized('s', '', 'x2')]);
    await log.append([observed('s', 'x2')]);
    expect(await changedId()).toBe(m2!.id);
    const [o3] = await log.append([observed('s', 'x1')]);
    expect(await changedId()).toBe(o3!.id);
    // Failures and freshness evaluations leave it alone.
    await log.append([failed('s', ''), freshnessEvaluated('s', '')]);
    expect(await changedId()).toBe(o3!.id);
    await log.close();
  });

  it('gives every unpartitioned asset a status row that is a function of its record, before and after a rebuild', async () => {
    const { log } = await options.create();
    const [a1] = await log.append([materialized('a', '', 'va')]);
    const input = (dataVersion: string, eventId: number) => ({ dataVersion, eventId });
    // Inputs in no particular order; one with several partitions; a version the encoding cannot hold.
    const [b1] = await log.append([
      materialized('b', '', 'vb', {
        inputs: {
          z: input('vz', 1),
          a: input('va', a1!.id),
          m: { ...input('h', 1), partitionCount: 2 },
        },
      }),
    ]);
    await log.append([materialized('c', '', 'vc', { inputs: { a: input('v\0a', a1!.id) } })]);
    // A failing check on the newest; then a blocked newest over a usable one; a failure; freshness.
    await log.append([checked('b', '', b1!.id, false, 'volume'), checked('b', '', b1!.id, true)]);
    const [d1] = await log.append([materialized('d', '', 'vd1')]);
    await log.append([materialized('d', '', 'vd2', { blockedBy: ['bounds'], endedAt: 7 })]);
    await log.append([
      checked('d', '', d1!.id, false),
      failed('d', ''),
      freshnessEvaluated('d', ''),
    ]);
    // An observed source, a failed asset never materialized, a partition (no row), a check alone.
    await log.append([observed('s', 'vs'), failed('e', ''), materialized('p', 'x', 'vp')]);
    await log.append([checked('f', '', 1, false)]);

    const expectAgreement = async () => {
      const records = await log.latest();
      const rows = await log.statusRows();
      const sort = <T extends { assetKey: string }>(list: T[]) =>
        [...list].sort((x, y) => x.assetKey.localeCompare(y.assetKey));
      expect(sort(rows)).toEqual(sort(records).map(statusRowOf));
      expect(rows.map((row) => row.assetKey).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 's']);
      const some = await log.statusRows(['b', 'p', 'nothing']);
      expect(some).toEqual([statusRowOf((await log.latest(['b']))[0]!)]);
    };
    await expectAgreement();
    const rows = Object.fromEntries((await log.statusRows()).map((row) => [row.assetKey, row]));
    expect(rows.b!.inputVersions).toBe(`a\0va\0m\0h\0z\0vz`);
    expect(rows.b!.failingCheck).toBe(true);
    expect(rows.c!.inputVersions).toBeUndefined();
    expect(rows.d).toMatchObject({
      usableId: d1!.id,
      dataVersion: 'vd2',
      endedAt: 7,
      failingCheck: false,
    });
    await log.rebuildIndexes();
    await expectAgreement();
  });

  it("moves a partition row's updated id for each event that changes the row, and only for those", async () => {
    const { log } = await options.create();
    const through = async (after?: number) => {
      const states = await log.partitionStates(
        'p',
        after === undefined ? {} : { updatedAfter: after },
      );
      return [states.partitions.slice().sort(), states.throughId];
    };
    expect(await through()).toEqual([[], 0]);
    const [m1] = await log.append([materialized('p', 'k1', 'v1')]);
    expect(await through(m1!.id)).toEqual([[], m1!.id]);
    // Checks that make nothing usable and events of other assets do not change p's rows.
    await log.append([checked('p', 'k1', m1!.id, false), materialized('q', 'k1', 'w')]);
    expect(await through(m1!.id)).toEqual([[], m1!.id]);
    const [fresh] = await log.append([freshnessEvaluated('p', 'k1')]);
    expect(await through(m1!.id)).toEqual([['k1'], fresh!.id]);
    const [seen] = await log.append([observed('p', 'o', 'k2')]);
    const [blocked] = await log.append([materialized('p', 'k1', 'v2', { blockedBy: ['bounds'] })]);
    expect(await through(fresh!.id)).toEqual([['k1', 'k2'], blocked!.id]);
    // Neither a failing result nor a pass that leaves it blocked changes the row.
    await log.append([
      checked('p', 'k1', blocked!.id, false),
      checked('p', 'k1', blocked!.id, true, 'other'),
    ]);
    expect(await through(blocked!.id)).toEqual([[], blocked!.id]);
    const [unblocked] = await log.append([checked('p', 'k1', blocked!.id, true)]);
    expect(await through(blocked!.id)).toEqual([['k1'], unblocked!.id]);
    const [failure] = await log.append([failed('p', 'k3')]);
    expect(await through(unblocked!.id)).toEqual([['k3'], failure!.id]);
    expect(await through(seen!.id)).toEqual([['k1', 'k3'], failure!.id]);
    expect(await through()).toEqual([['k1', 'k2', 'k3'], failure!.id]);
    const rows = byPartition(await log.partitionStates('p'));
    expect(rows.k1).toMatchObject({ usableId: blocked!.id, dataChangedId: blocked!.id });
    expect(rows.k2).toMatchObject({ materializationId: 0, dataChangedId: seen!.id });
    await log.close();
  });

  it('keeps a record only for asset partitions materialized, observed, failed or evaluated for freshness', async () => {
    const { log } = await options.create();
    await log.append([checked('lonely', '', 1, true), checked('lonely', 'k', 1, true)]);
    expect(await log.latest()).toEqual([]);
    expect(await log.partitionRecords('lonely', ['k'])).toEqual([]);
    expect((await log.partitionStates('lonely')).partitions).toEqual([]);
    await log.append([freshnessEvaluated('lonely', ''), freshnessEvaluated('lonely', 'k')]);
    const [record] = await log.latest();
    expect(record).toMatchObject({ assetKey: 'lonely', partition: '' });
    expect(record!.freshness?.freshness.status).toBe('overdue');
    expect(record!.checks.bounds?.check.passed).toBe(true);
    for (const field of ['materialization', 'usable', 'observation', 'failure', 'dataChangedId'])
      expect(record).not.toHaveProperty(field);
    expect(byPartition(await log.partitionStates('lonely'))).toEqual({
      k: {
        materializationId: 0,
        usableId: 0,
        dataChangedId: 0,
        inputsAsOf: 0,
        failureId: 0,
        codeVersion: expect.any(String),
      },
    });
    await log.close();
  });

  it('ignores the finish of an unknown run or backfill; a later finish replaces, a new request restarts', async () => {
    const { log } = await options.create();
    const finishedRun = (runId: string, timestamp: number, status: 'failed' | 'crashed') =>
      ({
        type: 'run:finished',
        runId,
        timestamp,
        status,
        summary: { materialized: [], unchanged: [], failed: [], skipped: [], cancelled: [] },
      }) as WeirEvent;
    await log.append([finishedRun('ghost', 1, 'failed')]);
    expect([await log.run('ghost'), await log.runs()]).toEqual([undefined, []]);
    await log.append([started('r1', 2), started('r2', 3), finishedRun('r1', 4, 'crashed')]);
    const [last] = await log.append([finishedRun('r1', 5, 'failed')]);
    expect(await log.run('r1')).toMatchObject({ status: 'failed', finishedAt: 5, finished: last });
    expect((await log.runs({ limit: 1 })).map((r) => r.runId)).toEqual(['r2']);
    expect((await log.runs({ status: 'failed' })).map((r) => r.runId)).toEqual(['r1']);

    const request = (timestamp: number, selection: string): WeirEvent => ({
      type: 'backfill:requested',
      backfillId: 'b1',
      timestamp,
      request: { selection, force: false },
      requestedPartitions: 1,
    });
    await log.append([
      { type: 'backfill:finished', backfillId: 'ghost', timestamp: 1, status: 'success' },
    ]);
    expect([await log.backfill('ghost'), await log.backfills()]).toEqual([undefined, []]);
    await log.append([
      request(10, 'a'),
      { type: 'backfill:finished', backfillId: 'b1', timestamp: 11, status: 'cancelled' },
    ]);
    expect(await log.backfill('b1')).toMatchObject({ status: 'cancelled', finishedAt: 11 });
    const [again] = await log.append([request(12, 'b')]);
    const record = await log.backfill('b1');
    expect(record).toEqual({
      backfillId: 'b1',
      status: 'running',
      requestedAt: 12,
      requested: again,
      runIds: [],
    });
    await log.close();
  });

  it('pages backwards from afterId when descending; an empty type list filters nothing', async () => {
    const { log } = await options.create();
    const all = await log.append([
      started('r1', 1),
      started('r2', 2),
      started('r3', 3),
      started('r4', 4),
      started('r5', 5),
    ]);
    const ids = (events: { id: number }[]) => events.map((e) => e.id);
    expect(ids(await log.events({ descending: true, afterId: all[3]!.id }))).toEqual(
      ids(all.slice(0, 3).reverse()),
    );
    expect(ids(await log.events({ descending: true, afterId: all[3]!.id, limit: 2 }))).toEqual([
      all[2]!.id,
      all[1]!.id,
    ]);
    expect(ids(await log.events({ types: [] }))).toEqual(ids(all));
    await log.close();
  });

  it('stores events as JSON: reads return their JSON round trip, apart from the caller’s objects', async () => {
    const { log } = await options.create();
    const event = {
      ...(started('r1') as StoredEvent<'run:started'>),
      backfillId: undefined,
      partitions: { from: '2024-01-01', to: undefined, keys: ['2024-01-01'] },
    };
    const [stored] = await log.append([event]);
    event.partitions.from = 'changed afterwards';
    event.partitions.keys.push('added afterwards');
    const read = (await log.event(stored!.id)) as StoredEvent<'run:started'>;
    expect(read).toEqual({
      ...event,
      partitions: { from: '2024-01-01', keys: ['2024-01-01'] },
      id: stored!.id,
    });
    expect(Object.keys(read)).not.toContain('backfillId');
    expect(Object.keys(read.partitions!)).toEqual(['from', 'keys']);
    await log.close();
  });
}
