/**
 * @module storage/conformance-partitions
 * The partition part of the EventLog conformance suite: partition rows kept apart from
 * latest(), their columns, change ids, dynamic partitions and backfills, and rebuilding them.
 */
import { expect, it } from 'vitest';
import {
  byKey,
  byPartition,
  checked,
  failed,
  materialized,
  observed,
  started,
} from './_conformance-fixtures.js';
import type { EventLogConformanceOptions } from './conformance.js';
import type { StoredEvent, WeirEvent } from './events.js';

/** Registers the partition cases; call inside the suite's describe(). */
export function partitionConformanceCases(options: EventLogConformanceOptions): void {
  it('keeps partitions apart: latest() leaves them out, partitionStates() reads them as columns', async () => {
    const { log } = await options.create();
    const [a] = await log.append([materialized('a', '', 'va')]);
    // Keys are any strings, including separators and quotes.
    const odd = 'x,"y"\u0001z\u00e9';
    const [p1, p2, f3, pOdd] = await log.append([
      materialized('p', '2024-01-01', 'v1', {
        inputs: {
          a: { dataVersion: 'va', eventId: a!.id },
          b: { dataVersion: 'vb', eventId: a!.id + 50, partitionCount: 3 },
        },
      }),
      materialized('p', '2024-01-02', 'v2', { codeVersion: 'c2' }),
      failed('p', '2024-01-03'),
      materialized('p', odd, 'v4'),
    ]);
    expect((await log.latest()).map((r) => [r.assetKey, r.partition])).toEqual([['a', '']]);
    expect(await log.latest(['p'])).toEqual([]);
    const states = await log.partitionStates('p');
    expect(states.partitions).toHaveLength(4);
    expect(states.materializationId).toBeInstanceOf(Float64Array);
    expect(states.codeVersion).toBeInstanceOf(Uint32Array);
    expect(byPartition(states)).toEqual({
      '2024-01-01': {
        materializationId: p1!.id,
        usableId: p1!.id,
        dataChangedId: p1!.id,
        inputsAsOf: a!.id + 50,
        failureId: 0,
        codeVersion: 'c1',
      },
      '2024-01-02': {
        materializationId: p2!.id,
        usableId: p2!.id,
        dataChangedId: p2!.id,
        inputsAsOf: 0,
        failureId: 0,
        codeVersion: 'c2',
      },
      '2024-01-03': {
        materializationId: 0,
        usableId: 0,
        dataChangedId: 0,
        inputsAsOf: 0,
        failureId: f3!.id,
        // Never materialized: its code version is unspecified (not read without one).
        codeVersion: expect.any(String),
      },
      [odd]: {
        materializationId: pOdd!.id,
        usableId: pOdd!.id,
        dataChangedId: pOdd!.id,
        inputsAsOf: 0,
        failureId: 0,
        codeVersion: 'c1',
      },
    });
    expect(states.throughId).toBe(pOdd!.id);
    // The summary keeps each input's event and how many partitions of it were read, as in
    // the full event (not their keys).
    const [record] = await log.partitionRecords('p', ['2024-01-01']);
    expect(record!.materialization!.materialization.inputs).toEqual({
      a: { dataVersion: 'va', eventId: a!.id },
      b: { dataVersion: 'vb', eventId: a!.id + 50, partitionCount: 3 },
    });
    // An unpartitioned asset has no partition rows; nor has an unknown one.
    expect((await log.partitionStates('a')).partitions).toEqual([]);
    const none = await log.partitionStates('nothing');
    expect([none.partitions, none.throughId, none.codeVersions]).toEqual([[], 0, []]);
    expect(none.materializationId).toEqual(new Float64Array(0));

    // With a cursor: only the rows an event after it changed.
    const [fail2] = await log.append([failed('p', '2024-01-02'), materialized('q', 'k', 'v')]);
    const changed = await log.partitionStates('p', { updatedAfter: states.throughId });
    expect(Object.keys(byPartition(changed))).toEqual(['2024-01-02']);
    expect(byPartition(changed)['2024-01-02']).toMatchObject({
      materializationId: p2!.id,
      failureId: fail2!.id,
      codeVersion: 'c2',
    });
    expect(changed.throughId).toBe(fail2!.id);
    // A passing check of a usable materialization changes nothing.
    await log.append([checked('p', '2024-01-01', p1!.id, true)]);
    const unchanged = await log.partitionStates('p', { updatedAfter: changed.throughId });
    expect([unchanged.partitions, unchanged.throughId]).toEqual([[], fail2!.id]);
    expect((await log.partitionStates('p', { updatedAfter: 0 })).partitions.slice().sort()).toEqual(
      states.partitions.slice().sort(),
    );
    await log.close();
  });

  it('moves dataChangedId only when the data version consumers read changes', async () => {
    const { log } = await options.create();
    // The same sequence for an unpartitioned asset and for a partition of another.
    for (const [key, partition] of [
      ['a', ''],
      ['p', '2024-01-01'],
    ] as const) {
      const changedId = async () => {
        if (partition === '') return (await log.latest([key]))[0]!.dataChangedId;
        const states = byPartition(await log.partitionStates(key));
        return states[partition]!.dataChangedId;
      };
      const [m1] = await log.append([materialized(key, partition, 'v1')]);
      expect(await changedId()).toBe(m1!.id);
      // Rematerialized with the same data: consumers need not rerun.
      await log.append([materialized(key, partition, 'v1')]);
      expect(await changedId()).toBe(m1!.id);
      const [m3] = await log.append([materialized(key, partition, 'v2')]);
      expect(await changedId()).toBe(m3!.id);
      // A blocked materialization is not read: nothing changed for consumers.
      const [m4] = await log.append([
        materialized(key, partition, 'v3', { blockedBy: ['bounds'] }),
      ]);
      expect(await changedId()).toBe(m3!.id);
      await log.append([checked(key, partition, m4!.id, false)]);
      expect(await changedId()).toBe(m3!.id);
      // A passing re-check makes it usable: the data consumers read is that event's.
      await log.append([checked(key, partition, m4!.id, true)]);
      expect(await changedId()).toBe(m4!.id);
      await log.append([materialized(key, partition, 'v3')]);
      expect(await changedId()).toBe(m4!.id);
      // Unblocked with the data version already current: no change either.
      const [m6] = await log.append([
        materialized(key, partition, 'v3', { blockedBy: ['bounds'] }),
      ]);
      await log.append([checked(key, partition, m6!.id, true)]);
      expect(await changedId()).toBe(m4!.id);
      if (partition === '') {
        const [record] = await log.latest([key]);
        expect(record!.usable?.id).toBe(m6!.id);
      } else {
        const states = byPartition(await log.partitionStates(key));
        expect(states[partition]).toMatchObject({ usableId: m6!.id, materializationId: m6!.id });
      }
    }
    await log.close();
  });

  it('records where inputs were read (inputsAsOf) and when observations changed data', async () => {
    const { log } = await options.create();
    const [o1] = await log.append([observed('s', 'o1')]);
    expect((await log.latest(['s']))[0]!.dataChangedId).toBe(o1!.id);
    await log.append([observed('s', 'o1')]);
    expect((await log.latest(['s']))[0]!.dataChangedId).toBe(o1!.id);
    const [o3] = await log.append([observed('s', 'o2')]);
    expect((await log.latest(['s']))[0]!.dataChangedId).toBe(o3!.id);
    // inputsAsOf is that of the newest materialization, blocked or not.
    await log.append([
      materialized('p', 'k', 'v1', { inputs: { s: { dataVersion: 'o2', eventId: o3!.id } } }),
      materialized('p', 'k', 'v2', {
        blockedBy: ['bounds'],
        inputs: {
          s: { dataVersion: 'o2', eventId: o3!.id },
          t: { dataVersion: 't', eventId: o1!.id },
        },
      }),
    ]);
    expect(byPartition(await log.partitionStates('p')).k!.inputsAsOf).toBe(o3!.id);
    await log.append([materialized('p', 'k', 'v3', { inputs: {} })]);
    expect(byPartition(await log.partitionStates('p')).k!.inputsAsOf).toBe(0);
    // A record without a usable version or observation has no dataChangedId.
    await log.append([failed('f', '')]);
    expect((await log.latest(['f']))[0]!.dataChangedId).toBeUndefined();
    await log.close();
  });

  it('reads the full records of some partitions', async () => {
    const { log } = await options.create();
    const [m1, m2, fail, blocked] = await log.append([
      materialized('p', 'k1', 'v1'),
      materialized('p', 'k2', 'v2'),
      failed('p', 'k2'),
      materialized('p', 'k2', 'v3', { blockedBy: ['bounds'] }),
      materialized('other', 'k1', 'w1'),
      materialized('p', '', 'unpartitioned'),
    ]);
    const [check] = await log.append([checked('p', 'k2', blocked!.id, false)]);
    const records = await log.partitionRecords('p', ['k2', 'k1', 'unknown']);
    expect(byKey(records).map((r) => r.partition)).toEqual(['k1', 'k2']);
    const [k1, k2] = byKey(records);
    expect(k1).toMatchObject({
      assetKey: 'p',
      partition: 'k1',
      dataChangedId: m1!.id,
      checks: {},
    });
    expect(k1!.usable).toEqual(k1!.materialization);
    expect(k1!.materialization?.materialization.dataVersion).toBe('v1');
    expect(k2!.materialization?.id).toBe(blocked!.id);
    expect(k2!.materialization?.materialization.blockedBy).toEqual(['bounds']);
    expect(k2!.usable?.id).toBe(m2!.id);
    expect(k2!.dataChangedId).toBe(m2!.id);
    expect(k2!.failure?.id).toBe(fail!.id);
    expect(k2!.checks.bounds?.id).toBe(check!.id);
    expect(await log.partitionRecords('p', [])).toEqual([]);
    expect(await log.partitionRecords('nothing', ['k1'])).toEqual([]);
    // Many keys at once.
    const many = Array.from({ length: 5000 }, (_, i) => `n${i}`);
    const all = await log.partitionRecords('p', [...many, 'k1']);
    expect(all.map((r) => r.partition)).toEqual(['k1']);
    await log.close();
  });

  it('keeps the current keys of dynamic partitions, in the order they were added', async () => {
    const { log } = await options.create();
    const change = (
      type: 'partitions:added' | 'partitions:removed',
      name: string,
      keys: string[],
    ) => ({ type, name, keys, timestamp: 1 }) as WeirEvent;
    expect(await log.dynamicPartitions('stations')).toEqual([]);
    await log.append([change('partitions:added', 'stations', ['b', 'a', 'c'])]);
    expect(await log.dynamicPartitions('stations')).toEqual(['b', 'a', 'c']);
    // A key added again keeps its place; keys added together keep their order.
    await log.append([
      change('partitions:added', 'stations', ['z', 'a', 'd', 'z']),
      change('partitions:added', 'rivers', ['thames']),
    ]);
    expect(await log.dynamicPartitions('stations')).toEqual(['b', 'a', 'c', 'z', 'd']);
    await log.append([change('partitions:removed', 'stations', ['a', 'never'])]);
    expect(await log.dynamicPartitions('stations')).toEqual(['b', 'c', 'z', 'd']);
    // Removed then added again: it comes last.
    await log.append([change('partitions:added', 'stations', ['a'])]);
    expect(await log.dynamicPartitions('stations')).toEqual(['b', 'c', 'z', 'd', 'a']);
    expect(await log.dynamicPartitions('rivers')).toEqual(['thames']);
    const events = await log.events({ types: ['partitions:added'] });
    expect(events.map((e) => e.type === 'partitions:added' && e.keys)).toEqual([
      ['b', 'a', 'c'],
      ['z', 'a', 'd', 'z'],
      ['thames'],
      ['a'],
    ]);
    await log.close();
  });

  it('tracks backfills and the runs that worked for them, newest first', async () => {
    const { log } = await options.create();
    const requested = (backfillId: string, timestamp: number): WeirEvent => ({
      type: 'backfill:requested',
      backfillId,
      timestamp,
      request: { selection: 'readings', from: '2024-01-01', to: '2024-01-31', force: false },
      requestedPartitions: 31,
    });
    const forBackfill = (runId: string, timestamp: number, backfillId?: string): WeirEvent => ({
      ...(started(runId, timestamp) as StoredEvent<'run:started'>),
      ...(backfillId === undefined ? {} : { backfillId }),
    });
    const [b1] = await log.append([requested('b1', 10)]);
    await log.append([forBackfill('r1', 11, 'b1'), forBackfill('r2', 12, 'b1')]);
    const [b2] = await log.append([requested('b2', 20), forBackfill('r3', 21)]);
    await log.append([forBackfill('r4', 22, 'b2')]);
    const [finished] = await log.append([
      { type: 'backfill:finished', backfillId: 'b1', timestamp: 30, status: 'success' },
    ]);
    expect((await log.backfills()).map((b) => [b.backfillId, b.status, b.runIds])).toEqual([
      ['b2', 'running', ['r4']],
      ['b1', 'success', ['r2', 'r1']],
    ]);
    expect((await log.backfills({ status: 'running' })).map((b) => b.backfillId)).toEqual(['b2']);
    expect((await log.backfills({ limit: 1 })).map((b) => b.backfillId)).toEqual(['b2']);
    expect(await log.backfill('b1')).toEqual({
      backfillId: 'b1',
      status: 'success',
      requestedAt: 10,
      finishedAt: 30,
      requested: b1,
      finished,
      runIds: ['r2', 'r1'],
    });
    const running = await log.backfill('b2');
    expect(running).toEqual({
      backfillId: 'b2',
      status: 'running',
      requestedAt: 20,
      requested: b2,
      runIds: ['r4'],
    });
    expect(await log.backfill('nope')).toBeUndefined();
    expect((await log.run('r1'))?.started).toMatchObject({ backfillId: 'b1' });
    await log.close();
  });

  it('rebuilds partitions, change ids, dynamic partitions and backfills from the events alone', async () => {
    const { log } = await options.create();
    const stored = await log.append([
      {
        type: 'backfill:requested',
        backfillId: 'b1',
        timestamp: 1,
        request: { selection: '*', force: true },
        requestedPartitions: 2,
      },
      { ...(started('r1', 2) as StoredEvent<'run:started'>), backfillId: 'b1' },
      {
        type: 'partitions:added',
        runId: 'r1',
        name: 'stations',
        keys: ['s2', 's1'],
        timestamp: 2,
      },
      observed('src', 'o1'),
      materialized('a', '', 'v1'),
      materialized('a', '', 'v1'),
      materialized('p', 's1', 'v1', { inputs: { a: { dataVersion: 'v1', eventId: 5 } } }),
      materialized('p', 's2', 'v1'),
      materialized('p', 's2', 'v1'),
      materialized('p', 's2', 'v2', { blockedBy: ['bounds'] }),
      failed('p', 's3'),
    ]);
    await log.append([
      checked('p', 's2', stored[9]!.id, true),
      { type: 'partitions:removed', name: 'stations', keys: ['s2'], timestamp: 3 },
      { type: 'partitions:added', name: 'stations', keys: ['s3', 's2'], timestamp: 3 },
      {
        type: 'backfill:finished',
        backfillId: 'b1',
        timestamp: 4,
        status: 'failed',
        reason: 'x',
      },
      {
        type: 'backfill:requested',
        backfillId: 'b2',
        timestamp: 5,
        request: { selection: 'p', force: false },
        requestedPartitions: 1,
      },
    ]);
    const snapshot = async () => ({
      latest: byKey(await log.latest()),
      states: byPartition(await log.partitionStates('p')),
      throughId: (await log.partitionStates('p')).throughId,
      after: byPartition(await log.partitionStates('p', { updatedAfter: stored[8]!.id })),
      records: byKey(await log.partitionRecords('p', ['s1', 's2', 's3', 's4'])),
      stations: await log.dynamicPartitions('stations'),
      backfills: await log.backfills(),
      runs: await log.runs(),
    });
    const before = await snapshot();
    expect(before.stations).toEqual(['s1', 's3', 's2']);
    expect(Object.keys(before.after).sort()).toEqual(['s2', 's3']);
    expect(before.latest.find((r) => r.assetKey === 'a')?.dataChangedId).toBe(stored[4]!.id);
    expect(before.backfills.map((b) => [b.backfillId, b.runIds])).toEqual([
      ['b2', []],
      ['b1', ['r1']],
    ]);
    await log.rebuildIndexes();
    expect(await snapshot()).toEqual(before);
    await log.close();
  });
}
