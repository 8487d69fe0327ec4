/**
 * @module storage/conformance-pools
 * The EventLog conformance cases for pools: `startSteps` with a pool refuses a unit the pool
 * has no room for (`pool-full`), counts weighted slots per lease, once per unit and once per
 * lease taken over, keeps pools apart, and frees a lease's slots exactly when the lease goes
 * (its step's outcome, its run's end, a take-over of a dead holder).
 */
import { expect, it } from 'vitest';
import { materialization, started } from './_conformance-fixtures.js';
import { type EventLogConformanceOptions, itWith } from './conformance.js';
import type { EventLog, Lease, StepStart, StepStartResult } from './event-log.js';
import type { WeirEvent } from './events.js';

const at = (runId: string, assetKey: string, partition = '') => ({
  runId,
  assetKey,
  partition,
  timestamp: 10,
});

/** A unit of `runId` on `assetKey` taking `slots` of pool `name` (limit `limit`). */
function inPool(
  runId: string,
  assetKey: string,
  pool: { name?: string; limit: number; slots?: number },
  partitions: readonly string[] = [''],
): StepStart {
  return {
    events: partitions.map((p) => ({
      type: 'step:started',
      ...at(runId, assetKey, p),
      attempt: 1,
    })),
    expected: partitions.map((p) => ({ assetKey, partition: p, materializationId: 0 })),
    pool: { name: pool.name ?? 'gpu', limit: pool.limit, slots: pool.slots ?? 1 },
  };
}

const failed = (lease: Lease): WeirEvent => ({
  type: 'step:failed',
  ...at(lease.runId, lease.assetKey, lease.partition),
  attempt: 1,
  error: { name: 'ProcessDied', message: 'gone' },
});

const finished = (runId: string): WeirEvent => ({
  type: 'run:finished',
  runId,
  timestamp: 20,
  status: 'failed',
  summary: { materialized: [], unchanged: [], failed: [], skipped: [], cancelled: [] },
});

const statusOf = (result: StepStartResult) => result.status;

function full(result: StepStartResult) {
  expect(result.status).toBe('pool-full');
  if (result.status !== 'pool-full') throw new Error('not pool-full');
  return {
    ...result,
    holders: result.holders.map((l) => [l.assetKey, l.partition, l.runId, l.pool?.slots]).sort(),
  };
}

/** Registers the cases; call inside the suite's describe(). */
export function poolConformanceCases(options: EventLogConformanceOptions): void {
  it('startSteps refuses a unit its pool has no room for, appending nothing, and names the holders', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    const a = await log.startSteps(inPool('r1', 'a', { limit: 2 }));
    expect(a.status).toBe('started');
    if (a.status === 'started') {
      expect(a.events[0]).toMatchObject({ type: 'step:started', pool: { name: 'gpu', slots: 1 } });
    }
    expect(statusOf(await log.startSteps(inPool('r2', 'b', { limit: 2 })))).toBe('started');
    const before = (await log.events()).length;
    const refused = full(await log.startSteps(inPool('r2', 'c', { limit: 2 })));
    expect(refused).toMatchObject({ pool: 'gpu', used: 2, limit: 2 });
    expect(refused.holders).toEqual([
      ['a', '', 'r1', 1],
      ['b', '', 'r2', 1],
    ]);
    expect((await log.events()).length).toBe(before);
    expect(await log.leases('c', [''])).toEqual([]);
    expect((await log.leases('a', ['']))[0]?.pool).toEqual({ name: 'gpu', slots: 1 });
    // A larger limit (another project's view of the pool) lets it in.
    expect(statusOf(await log.startSteps(inPool('r2', 'c', { limit: 3 })))).toBe('started');
    await log.close();
  });

  it('frees a lease’s slots with its step’s outcome (any outcome) and with its run’s end', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    const outcomes: WeirEvent[] = [
      { type: 'asset:materialized', ...at('r1', 'x'), materialization: materialization('v') },
      { type: 'step:failed', ...at('r1', 'x'), attempt: 1, error: { name: 'E', message: 'm' } },
      { type: 'step:cancelled', ...at('r1', 'x') },
      { type: 'step:skipped', ...at('r1', 'x'), reason: 'r', blockedBy: [] },
      finished('r1'),
    ];
    for (const outcome of outcomes) {
      const taken = await log.startSteps({ ...inPool('r1', 'x', { limit: 1 }), expected: [] });
      expect(taken.status, outcome.type).toBe('started');
      full(await log.startSteps(inPool('r2', 'y', { limit: 1 })));
      // A step log line or a retry notice ends nothing.
      await log.append([{ type: 'step:log', ...at('r1', 'x'), level: 'info', message: 'm' }]);
      full(await log.startSteps(inPool('r2', 'y', { limit: 1 })));
      await log.append([outcome]);
      expect(await log.leases('x', [''])).toEqual([]);
      // Room again: r2 takes the slot and gives it back.
      expect(statusOf(await log.startSteps(inPool('r2', 'y', { limit: 1 })))).toBe('started');
      await log.append([{ type: 'step:cancelled', ...at('r2', 'y') }]);
      if (outcome.type === 'run:finished') break;
    }
    await log.close();
  });

  it('a take-over of a dead holder frees its slots in the same call, and the new lease counts once', async () => {
    const { log } = await options.create();
    await log.append([started('dead'), started('r2'), started('r3')]);
    await log.startSteps(inPool('dead', 'a', { limit: 2 }));
    await log.startSteps(inPool('dead', 'x', { limit: 2 }));
    const [a] = await log.leases('a', ['']);
    const [x] = await log.leases('x', ['']);
    // A unit of another asset waiting for the pool takes over a dead holder's lease.
    const freed = await log.startSteps({
      ...inPool('r2', 'b', { limit: 2 }),
      takeOver: [{ lease: a!, events: [failed(a!)] }],
    });
    expect(freed.status).toBe('started');
    if (freed.status === 'started') {
      expect(freed.events.map((e) => e.type)).toEqual(['step:failed', 'step:started']);
    }
    expect(await log.leases('a', [''])).toEqual([]);
    // The same partition taken over: the dead lease is replaced, so its slot is not counted too.
    const replaced = await log.startSteps({
      ...inPool('r3', 'x', { limit: 2 }),
      takeOver: [{ lease: x!, events: [failed(x!)] }],
    });
    expect(replaced.status).toBe('started');
    const refused = full(await log.startSteps(inPool('r3', 'c', { limit: 2 })));
    expect(refused.used).toBe(2);
    expect(refused.holders).toEqual([
      ['b', '', 'r2', 1],
      ['x', '', 'r3', 1],
    ]);
    // A take-over of a lease no longer so (released since) is left out, events and all.
    const before = (await log.events({ types: ['step:failed'] })).length;
    await log.append([{ type: 'step:cancelled', ...at('r2', 'b') }]);
    const [b] = await log.leases('b', ['']);
    expect(b).toBeUndefined();
    const stale = await log.startSteps({
      ...inPool('r3', 'c', { limit: 2 }),
      takeOver: [{ lease: a!, events: [failed(a!)] }],
    });
    expect(stale.status).toBe('started');
    if (stale.status === 'started')
      expect(stale.events.map((e) => e.type)).toEqual(['step:started']);
    expect((await log.events({ types: ['step:failed'] })).length).toBe(before);
    await log.close();
  });

  it('counts weighted slots, a unit of several partitions once, and a run starting its own steps again once', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    const heavy = await log.startSteps(inPool('r1', 'h', { limit: 3, slots: 2 }, ['p1', 'p2']));
    expect(heavy.status).toBe('started');
    if (heavy.status === 'started') {
      expect(heavy.events.map((e) => e.type === 'step:started' && e.pool)).toEqual([
        { name: 'gpu', slots: 2 },
        { name: 'gpu', slots: 0 },
      ]);
    }
    expect(full(await log.startSteps(inPool('r2', 'k', { limit: 3, slots: 2 })))).toMatchObject({
      used: 2,
      limit: 3,
      holders: [['h', 'p1', 'r1', 2]],
    });
    // Its own retry replaces its leases: still 2 used, so a 1-slot unit fits beside it.
    const again = inPool('r1', 'h', { limit: 3, slots: 2 }, ['p1', 'p2']);
    expect(statusOf(await log.startSteps(again))).toBe('started');
    expect(statusOf(await log.startSteps(inPool('r2', 'k', { limit: 3, slots: 1 })))).toBe(
      'started',
    );
    expect(full(await log.startSteps(inPool('r2', 'm', { limit: 3 }))).used).toBe(3);
    await log.close();
  });

  it('keeps pools apart; a unit without a pool takes no slots', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    await log.startSteps(inPool('r1', 'a', { name: 'gpu', limit: 1 }));
    expect(statusOf(await log.startSteps(inPool('r2', 'b', { name: 'db', limit: 1 })))).toBe(
      'started',
    );
    const plain = await log.startSteps({ ...inPool('r2', 'c', { limit: 1 }), pool: undefined });
    expect(plain.status).toBe('started');
    if (plain.status === 'started') expect(plain.events[0]).not.toHaveProperty('pool');
    expect((await log.leases('c', ['']))[0]).not.toHaveProperty('pool');
    expect(full(await log.startSteps(inPool('r2', 'd', { name: 'gpu', limit: 1 })))).toMatchObject({
      holders: [['a', '', 'r1', 1]],
    });
    expect(full(await log.startSteps(inPool('r1', 'e', { name: 'db', limit: 1 })))).toMatchObject({
      holders: [['b', '', 'r2', 1]],
    });
    await log.close();
  });

  it('held and moved beat pool-full; a rebuild keeps what each lease holds', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    await log.startSteps(inPool('r1', 'a', { limit: 1 }));
    expect(statusOf(await log.startSteps(inPool('r2', 'a', { limit: 1 })))).toBe('held');
    await log.append([
      { type: 'asset:materialized', ...at('r2', 'b'), materialization: materialization('v') },
    ]);
    expect(statusOf(await log.startSteps(inPool('r2', 'b', { limit: 1 })))).toBe('moved');
    await log.rebuildIndexes();
    expect((await log.leases('a', ['']))[0]?.pool).toEqual({ name: 'gpu', slots: 1 });
    expect(full(await log.startSteps(inPool('r2', 'c', { limit: 1 }))).used).toBe(1);
    await log.close();
  });

  itWith(
    options,
    'concurrentAppends',
    'racing starters on several connections never take more slots than the pool has',
    async (connect) => {
      const logs: EventLog[] = [];
      for (let i = 0; i < 4; i++) logs.push(await connect());
      await logs[0]!.append(logs.map((_, i) => started(`run${i}`)));
      const results = await Promise.all(
        logs.flatMap((log, i) =>
          Array.from({ length: 5 }, (_, u) =>
            log.startSteps(inPool(`run${i}`, `asset${i}-${u}`, { limit: 3 })),
          ),
        ),
      );
      expect(results.filter((r) => r.status === 'started').length).toBe(3);
      expect(results.filter((r) => r.status === 'pool-full').length).toBe(17);
      for (const log of logs) await log.close();
    },
  );
}
