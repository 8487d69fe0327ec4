/**
 * @module storage/conformance
 * One test suite that every EventLog implementation must pass (SQLite here, an in-memory
 * model in Weir's tests, and the PostgreSQL log of a later package). What a backend cannot do is
 * declared as a capability with a reason: its cases are registered as skipped, the reason in
 * their name, never passed silently.
 */
import { describe, expect, it } from 'vitest';
import { materialization, started, step } from './_conformance-fixtures.js';
import { automationConformanceCases } from './conformance-automation.js';
import { connectionConformanceCases } from './conformance-connections.js';
import { indexConformanceCases } from './conformance-index.js';
import { leaseConformanceCases } from './conformance-leases.js';
import { partitionConformanceCases } from './conformance-partitions.js';
import { poolConformanceCases } from './conformance-pools.js';
import type { EventLog } from './event-log.js';

/** A capability the backend has (`true`), or why it has not. */
export type Capability = true | { unsupported: string };

/** What a backend can do beyond the EventLog interface itself. */
export interface EventLogCapabilities {
  /** The storage outlives a connection: close the log, `connect()` again, and everything is there. */
  reopen: Capability;
  /**
   * Several connections (`connect()`: other clients, pools or processes) to one storage
   * append at the same time, while another follows them with an `afterId` cursor.
   */
  concurrentAppends: Capability;
}

/** A new log under test, and how to open more connections to its storage. */
export interface EventLogUnderTest {
  log: EventLog;
  /** Opens another connection to the same storage as `log`; required by every capability. */
  connect?: () => Promise<EventLog>;
}

export interface EventLogConformanceOptions {
  name: string;
  /** A new, empty event log in storage of its own. */
  create: () => Promise<EventLogUnderTest>;
  capabilities: EventLogCapabilities;
}

/**
 * Registers a case that needs `capability`: run when the backend has it, otherwise skipped
 * with the reason in its name (so it shows in the test output).
 */
export function itWith(
  options: EventLogConformanceOptions,
  capability: keyof EventLogCapabilities,
  name: string,
  test: (connect: () => Promise<EventLog>, created: EventLogUnderTest) => Promise<void>,
): void {
  const declared = options.capabilities[capability];
  if (declared !== true) {
    it.skip(`${name} [skipped: no ${capability} capability: ${declared.unsupported}]`, () => {});
    return;
  }
  it(name, async () => {
    const created = await options.create();
    const { connect } = created;
    if (connect === undefined) {
      await created.log.close();
      throw new Error(
        `${options.name} declares the ${capability} capability, but create() returned no connect()`,
      );
    }
    await test(connect, created);
  });
}

export function runEventLogConformance(options: EventLogConformanceOptions): void {
  describe(`EventLog conformance: ${options.name}`, () => {
    it('appends events in order, with increasing ids, and returns them as stored', async () => {
      const { log } = await options.create();
      const stored = await log.append([
        started('r1'),
        { type: 'step:started', ...step('r1', 'a'), attempt: 1 },
      ]);
      expect(stored.map((e) => e.type)).toEqual(['run:started', 'step:started']);
      expect(stored[1]!.id).toBeGreaterThan(stored[0]!.id);
      const read = await log.events();
      expect(read).toEqual(stored);
      expect(await log.append([])).toEqual([]);
      await log.close();
    });

    it('indexes the latest materialization, observation and failure of each asset', async () => {
      const { log } = await options.create();
      await log.append([started('r1')]);
      await log.append([
        { type: 'asset:materialized', ...step('r1', 'a'), materialization: materialization('v1') },
      ]);
      const [, second] = await log.append([
        {
          type: 'step:failed',
          ...step('r1', 'a'),
          attempt: 1,
          error: { name: 'Error', message: 'boom' },
        },
        {
          type: 'asset:materialized',
          ...step('r1', 'a'),
          materialization: materialization('v2', { s: { dataVersion: 'o1', eventId: 9 } }),
        },
      ]);
      await log.append([
        {
          type: 'asset:observed',
          assetKey: 's',
          partition: '',
          timestamp: 3,
          observation: { dataVersion: 'o1', metadata: {} },
        },
      ]);
      const records = await log.latest();
      const a = records.find((r) => r.assetKey === 'a')!;
      expect(a.materialization?.id).toBe(second!.id);
      const full = materialization('v2', { s: { dataVersion: 'o1', eventId: 9 } });
      // The index holds a summary: what deciding state and reading the artefact need.
      expect(a.materialization?.materialization).toEqual({
        dataVersion: 'v2',
        codeVersion: full.codeVersion,
        inputs: { s: { dataVersion: 'o1', eventId: 9 } },
        startedAt: full.startedAt,
        endedAt: full.endedAt,
        artefact: { format: 'json', location: full.artefact.location, type: 'blob' },
      });
      const { configHash, host, weirVersion, metadata } = full;
      expect(await log.event(a.materialization!.id)).toMatchObject({
        materialization: { configHash, host, weirVersion, metadata },
      });
      expect(a.failure?.error.message).toBe('boom');
      expect(a.failure!.id).toBeLessThan(a.materialization!.id);
      expect(records.find((r) => r.assetKey === 's')?.observation?.observation.dataVersion).toBe(
        'o1',
      );
      expect((await log.latest(['s'])).map((r) => r.assetKey)).toEqual(['s']);
      expect(await log.latest(['nothing'])).toEqual([]);
      await log.close();
    });

    it('keeps the last materialization that passed its blocking checks usable, and indexes check and freshness results', async () => {
      const { log } = await options.create();
      const [good] = await log.append([
        { type: 'asset:materialized', ...step('r1', 'a'), materialization: materialization('v1') },
      ]);
      const [bad] = await log.append([
        {
          type: 'asset:materialized',
          ...step('r2', 'a'),
          materialization: { ...materialization('v2'), blockedBy: ['bounds'] },
        },
      ]);
      const check = (passed: boolean, materializationId: number) => ({
        type: 'check:evaluated' as const,
        assetKey: 'a',
        partition: '',
        timestamp: 3,
        materializationId,
        dataVersion: 'v2',
        check: {
          name: 'bounds',
          severity: 'error' as const,
          blocking: true,
          passed,
          metadata: { bad: passed ? 0 : 1 },
        },
      });
      await log.append([check(false, bad!.id)]);
      let [record] = await log.latest(['a']);
      expect(record!.materialization?.id).toBe(bad!.id);
      expect(record!.usable?.id).toBe(good!.id);
      expect(record!.checks.bounds?.check.passed).toBe(false);
      // A passing re-evaluation of the newest materialization makes it usable.
      await log.append([check(true, bad!.id)]);
      [record] = await log.latest(['a']);
      expect(record!.usable?.id).toBe(bad!.id);
      expect(record!.checks.bounds?.check.metadata).toEqual({ bad: 0 });
      // A slow re-check of an older materialization arriving late stays history: the index
      // keeps the result about the newest one.
      await log.append([check(false, good!.id)]);
      [record] = await log.latest(['a']);
      expect(record!.checks.bounds?.materializationId).toBe(bad!.id);
      expect(record!.usable?.id).toBe(bad!.id);
      await log.append([
        {
          type: 'freshness:evaluated',
          assetKey: 'a',
          partition: '',
          timestamp: 4,
          freshness: { status: 'overdue', overdueByMs: 5, reason: 'late' },
        },
      ]);
      [record] = await log.latest(['a']);
      expect(record!.freshness?.freshness.status).toBe('overdue');
      const before = await log.latest();
      await log.rebuildIndexes();
      expect(await log.latest()).toEqual(before);
      await log.close();
    });

    it('tracks runs from started to finished, newest first', async () => {
      const { log } = await options.create();
      await log.append([started('r1', 10), started('r2', 20)]);
      await log.append([
        {
          type: 'run:finished',
          runId: 'r1',
          timestamp: 30,
          status: 'failed',
          summary: { materialized: [], unchanged: [], failed: ['a'], skipped: [], cancelled: [] },
        },
      ]);
      expect((await log.runs()).map((r) => [r.runId, r.status])).toEqual([
        ['r2', 'running'],
        ['r1', 'failed'],
      ]);
      expect((await log.runs({ status: 'running' })).map((r) => r.runId)).toEqual(['r2']);
      const r1 = await log.run('r1');
      expect(r1?.finishedAt).toBe(30);
      expect(r1?.finished?.summary.failed).toEqual(['a']);
      expect(r1?.started.steps).toEqual(['a', 'b']);
      expect(await log.run('nope')).toBeUndefined();
      await log.close();
    });

    it('filters events by run, asset, type, cursor and limit, in either order', async () => {
      const { log } = await options.create();
      const all = await log.append([
        started('r1'),
        { type: 'step:started', ...step('r1', 'a'), attempt: 1 },
        { type: 'step:log', ...step('r1', 'a'), level: 'info', message: 'hello', fields: { n: 1 } },
        { type: 'asset:materialized', ...step('r1', 'a'), materialization: materialization('v1') },
        started('r2'),
        { type: 'step:started', ...step('r2', 'b'), attempt: 1 },
      ]);
      const ids = (events: { id: number }[]) => events.map((e) => e.id);
      expect(ids(await log.events({ runId: 'r1' }))).toEqual(ids(all.slice(0, 4)));
      expect(ids(await log.events({ assetKey: 'a' }))).toEqual(ids(all.slice(1, 4)));
      expect(ids(await log.events({ types: ['step:started'] }))).toEqual([all[1]!.id, all[5]!.id]);
      expect(ids(await log.events({ afterId: all[3]!.id }))).toEqual(ids(all.slice(4)));
      expect(ids(await log.events({ limit: 2 }))).toEqual(ids(all.slice(0, 2)));
      expect(ids(await log.events({ descending: true, limit: 2 }))).toEqual([
        all[5]!.id,
        all[4]!.id,
      ]);
      expect(await log.event(all[2]!.id)).toEqual(all[2]);
      expect(await log.event(999_999)).toBeUndefined();
      if (log.eventTimes !== undefined) {
        // Optional: the timestamps of many events at once; unknown ids are left out.
        const times = await log.eventTimes([all[3]!.id, 999_999, all[0]!.id]);
        expect([...times].sort(([a], [b]) => a - b)).toEqual([
          [all[0]!.id, all[0]!.timestamp],
          [all[3]!.id, all[3]!.timestamp],
        ]);
        expect(await log.eventTimes([])).toEqual(new Map());
      }
      await log.close();
    });

    it('rebuilds its indexes from the events alone', async () => {
      const { log } = await options.create();
      await log.append([
        started('r1'),
        { type: 'asset:materialized', ...step('r1', 'a'), materialization: materialization('v1') },
        {
          type: 'step:failed',
          ...step('r1', 'b'),
          attempt: 2,
          error: { name: 'Error', message: 'x' },
        },
        {
          type: 'run:finished',
          runId: 'r1',
          timestamp: 5,
          status: 'failed',
          summary: {
            materialized: ['a'],
            unchanged: [],
            failed: ['b'],
            skipped: [],
            cancelled: [],
          },
        },
      ]);
      const before = { latest: await log.latest(), runs: await log.runs() };
      await log.rebuildIndexes();
      const sort = <T extends { assetKey: string }>(records: T[]) =>
        [...records].sort((x, y) => x.assetKey.localeCompare(y.assetKey));
      expect(sort(await log.latest())).toEqual(sort(before.latest));
      expect(await log.runs()).toEqual(before.runs);
      await log.close();
    });

    it('stores events that index nothing (repairs, collected artefacts) and changes no record for them', async () => {
      const { log } = await options.create();
      await log.append([
        started('r1'),
        { type: 'asset:materialized', ...step('r1', 'a'), materialization: materialization('v1') },
      ]);
      const before = { latest: await log.latest(), runs: await log.runs() };
      const [repaired, collected] = await log.append([
        {
          type: 'artefact:repaired',
          assetKey: 'a',
          partition: '',
          timestamp: 10,
          materializationId: 2,
          location: 'objects/ab/abc',
          found: 'corrupt',
        },
        {
          type: 'artefacts:collected',
          timestamp: 11,
          locations: ['objects/cd/cde'],
          bytes: 12,
          policy: { keepDays: 30, keepLast: 3, graceMs: 1000 },
        },
        {
          type: 'artefact:repaired',
          assetKey: 'never-materialized',
          partition: '',
          timestamp: 12,
          materializationId: 2,
          location: 'objects/ab/abc',
          found: 'missing',
        },
      ]);
      expect(await log.latest()).toEqual(before.latest);
      expect(await log.runs()).toEqual(before.runs);
      expect(await log.events({ assetKey: 'a', types: ['artefact:repaired'] })).toEqual([repaired]);
      expect(await log.events({ types: ['artefacts:collected'] })).toEqual([collected]);
      await log.rebuildIndexes();
      expect(await log.latest()).toEqual(before.latest);
      await log.close();
    });

    partitionConformanceCases(options);
    indexConformanceCases(options);
    connectionConformanceCases(options);
    leaseConformanceCases(options);
    automationConformanceCases(options);
    poolConformanceCases(options);
  });
}
