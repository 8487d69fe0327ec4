/**
 * The SQLite event log against the in-memory reference model (written from the EventLog
 * docs): the same random sequences of appends must give the same ids and the same answer to
 * every read, before and after rebuilding the indexes. A difference is either a bug or a
 * rule the docs do not state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../src/index.js';
import { byKey, byPartition, materialization } from '../src/storage/_conformance-fixtures.js';
import type { EventLog } from '../src/storage/event-log.js';
import type { StoredEvent, WeirEvent } from '../src/storage/events.js';
import { MemoryEventLog } from './support/memory-event-log.js';

const ASSETS = ['a', 'b'];
const PARTITIONS = ['', 'k1', 'k2'];
const VERSIONS = ['v1', 'v2'];
const CHECKS = ['bounds', 'schema'];
const RUNS = ['r1', 'r2', 'r3'];
const BACKFILLS = ['b1', 'b2'];
const KEYS = ['x', 'y', 'z'];

/** An event to append, some of whose ids are picked from what was appended before. */
type Op = (appended: readonly StoredEvent[]) => WeirEvent;

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const target = fc.record({ assetKey: pick(ASSETS), partition: pick(PARTITIONS) });
const time = fc.integer({ min: 1, max: 4 });

const materializedOp: fc.Arbitrary<Op> = fc
  .record({
    at: target,
    dataVersion: pick(VERSIONS),
    codeVersion: pick(['c1', 'c2']),
    blockedBy: fc.option(fc.subarray(CHECKS), { nil: undefined }),
    input: fc.option(fc.record({ eventId: fc.nat(20), count: fc.option(fc.nat(3)) }), {
      nil: undefined,
    }),
  })
  .map(({ at, dataVersion, codeVersion, blockedBy, input }) => () => {
    const inputs: Record<
      string,
      { dataVersion: string; eventId: number; partitionCount?: number }
    > = {};
    if (input !== undefined)
      inputs.up = {
        dataVersion: 'u',
        eventId: input.eventId,
        ...(input.count === null ? {} : { partitionCount: input.count }),
      };
    return {
      type: 'asset:materialized',
      runId: 'r1',
      ...at,
      timestamp: 2,
      materialization: {
        ...materialization(dataVersion, inputs),
        codeVersion,
        ...(blockedBy === undefined ? {} : { blockedBy }),
      },
    };
  });

/** A check result about one of the asset partition's materializations (the choice picks which). */
const checkedOp: fc.Arbitrary<Op> = fc
  .record({ at: target, name: pick(CHECKS), passed: fc.boolean(), choice: fc.nat(5) })
  .map(({ at, name, passed, choice }) => (appended) => {
    const ids = appended
      .filter(
        (e) =>
          e.type === 'asset:materialized' &&
          e.assetKey === at.assetKey &&
          e.partition === at.partition,
      )
      .map((e) => e.id);
    return {
      type: 'check:evaluated',
      ...at,
      timestamp: 3,
      materializationId:
        ids.length === 0 ? choice + 1 : ids[ids.length - 1 - (choice % ids.length)]!,
      dataVersion: 'checked',
      check: { name, severity: 'error', blocking: true, passed, metadata: {} },
    };
  });

const otherOps: fc.Arbitrary<Op>[] = [
  fc.record({ at: target, v: pick(VERSIONS) }).map(({ at, v }) => () => ({
    type: 'asset:observed',
    ...at,
    timestamp: 3,
    observation: { dataVersion: v, metadata: {} },
  })),
  target.map((at) => () => ({
    type: 'step:failed',
    runId: 'r1',
    ...at,
    timestamp: 2,
    attempt: 1,
    error: { name: 'Error', message: 'boom' },
  })),
  fc
    .record({
      at: target,
      runId: pick(RUNS),
      type: pick(['step:started', 'step:cancelled'] as const),
    })
    .map(
      ({ at, runId, type }) =>
        () =>
          type === 'step:started'
            ? { type, runId, ...at, timestamp: 2, attempt: 1 }
            : { type, runId, ...at, timestamp: 2 },
    ),
  target.map((at) => () => ({
    type: 'freshness:evaluated',
    ...at,
    timestamp: 4,
    freshness: { status: 'fresh', overdueByMs: 0, reason: 'ok' },
  })),
  fc
    .record({
      runId: pick(RUNS),
      t: time,
      backfillId: fc.option(pick(BACKFILLS), { nil: undefined }),
    })
    .map(({ runId, t, backfillId }) => () => ({
      type: 'run:started',
      runId,
      timestamp: t,
      selection: '*',
      force: false,
      steps: [],
      host: 'h',
      pid: 1,
      weirVersion: '0',
      ...(backfillId === undefined ? {} : { backfillId }),
    })),
  fc
    .record({ runId: pick(RUNS), t: time, status: pick(['success', 'failed', 'crashed'] as const) })
    .map(({ runId, t, status }) => () => ({
      type: 'run:finished',
      runId,
      timestamp: t,
      status,
      summary: { materialized: [], unchanged: [], failed: [], skipped: [], cancelled: [] },
    })),
  fc
    .record({ added: fc.boolean(), keys: fc.array(pick(KEYS), { maxLength: 4 }) })
    .map(({ added, keys }) => () => ({
      type: added ? 'partitions:added' : 'partitions:removed',
      name: 'd',
      keys,
      timestamp: 1,
    })),
  fc.record({ backfillId: pick(BACKFILLS), t: time }).map(({ backfillId, t }) => () => ({
    type: 'backfill:requested',
    backfillId,
    timestamp: t,
    request: { selection: '*', force: false },
    requestedPartitions: 1,
  })),
  fc
    .record({
      backfillId: pick(BACKFILLS),
      t: time,
      status: pick(['success', 'cancelled'] as const),
    })
    .map(({ backfillId, t, status }) => () => ({
      type: 'backfill:finished',
      backfillId,
      timestamp: t,
      status,
    })),
];

const op = fc.oneof(
  { arbitrary: materializedOp, weight: 4 },
  { arbitrary: checkedOp, weight: 4 },
  ...otherOps.map((arbitrary) => ({ arbitrary, weight: 1 })),
);
const batches = fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 10,
});

/** Every read, in an order-independent form. */
async function everything(log: EventLog, cursor: number) {
  const states: Record<string, unknown> = {};
  const records: Record<string, unknown> = {};
  const leases: Record<string, unknown> = {};
  for (const assetKey of ASSETS) {
    const all = await log.partitionStates(assetKey);
    const after = await log.partitionStates(assetKey, { updatedAfter: cursor });
    states[assetKey] = [byPartition(all), all.throughId, byPartition(after), after.throughId];
    records[assetKey] = byKey(await log.partitionRecords(assetKey, PARTITIONS));
    leases[assetKey] = byKey(await log.leases(assetKey, PARTITIONS));
  }
  return {
    latest: byKey(await log.latest()),
    some: byKey(await log.latest(['b', 'nothing'])),
    statusRows: byKey((await log.statusRows()).map((row) => ({ ...row, partition: '' }))),
    states,
    records,
    leases,
    dynamic: await log.dynamicPartitions('d'),
    runs: await log.runs(),
    backfills: await log.backfills(),
    events: await log.events(),
    backwards: await log.events({ descending: true, afterId: cursor, limit: 3 }),
  };
}

describe('SQLite and the in-memory reference model', () => {
  it('agree on ids and every read for any sequence of appends', async () => {
    await fc.assert(
      fc.asyncProperty(batches, fc.nat(40), async (plan, cursor) => {
        const sqlite = new SqliteEventLog(':memory:');
        const memory = new MemoryEventLog();
        const appended: StoredEvent[] = [];
        for (const batch of plan) {
          const events = batch.map((make) => make(appended));
          const stored = await sqlite.append(events);
          expect((await memory.append(events)).map((e) => e.id)).toEqual(stored.map((e) => e.id));
          appended.push(...stored);
        }
        const expected = await everything(sqlite, cursor);
        expect(await everything(memory, cursor)).toEqual(expected);
        await sqlite.rebuildIndexes();
        await memory.rebuildIndexes();
        expect(await everything(sqlite, cursor)).toEqual(expected);
        expect(await everything(memory, cursor)).toEqual(expected);
        await sqlite.close();
        await memory.close();
      }),
      { numRuns: 150 },
    );
  });
});
