/**
 * @module storage/conformance-leases
 * The EventLog conformance cases for leases: who holds a step in flight, `startSteps` taking
 * them atomically (held, moved, take-over), their release by outcomes and run ends, renewal,
 * and racing starters on several connections (exactly one wins).
 */
import { expect, it } from 'vitest';
import { materialization, started } from './_conformance-fixtures.js';
import { type EventLogConformanceOptions, itWith } from './conformance.js';
import type { EventLog, Lease, StepStart } from './event-log.js';
import type { WeirEvent } from './events.js';

const at = (runId: string, assetKey: string, partition = '', timestamp = 10) => ({
  runId,
  assetKey,
  partition,
  timestamp,
});

const stepStarted = (runId: string, assetKey: string, partition = '', timestamp = 10) =>
  ({ type: 'step:started', ...at(runId, assetKey, partition, timestamp), attempt: 1 }) as const;

/** A unit's start: its `step:started` events and the materializations expected (none by default). */
function unit(
  runId: string,
  assetKey: string,
  partitions: readonly string[] = [''],
  expected: Record<string, number> = {},
): StepStart {
  return {
    events: partitions.map((p) => stepStarted(runId, assetKey, p)),
    expected: partitions.map((p) => ({
      assetKey,
      partition: p,
      materializationId: expected[p] ?? 0,
    })),
  };
}

const holders = (leases: readonly Lease[]) =>
  leases.map((l) => [l.assetKey, l.partition, l.runId]).sort();

/** Registers the cases; call inside the suite's describe(). */
export function leaseConformanceCases(options: EventLogConformanceOptions): void {
  it('startSteps takes the leases of a unit with its step:started events, all or none', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    const first = await log.startSteps(unit('r1', 'p', ['a', 'b']));
    expect(first.status).toBe('started');
    if (first.status !== 'started') return;
    expect(first.events.map((e) => [e.type, 'partition' in e && e.partition])).toEqual([
      ['step:started', 'a'],
      ['step:started', 'b'],
    ]);
    const leases = await log.leases('p', ['a', 'b', 'c']);
    expect(holders(leases)).toEqual([
      ['p', 'a', 'r1'],
      ['p', 'b', 'r1'],
    ]);
    expect(leases[0]).toMatchObject({ host: 'host', pid: 1, heartbeatAt: 10 });
    expect(leases.map((l) => l.startedId).sort()).toEqual(first.events.map((e) => e.id).sort());
    // Another run overlapping one partition gets nothing, and learns who holds it.
    const before = (await log.events()).length;
    const second = await log.startSteps(unit('r2', 'p', ['b', 'c']));
    expect(second.status).toBe('held');
    if (second.status === 'held') expect(holders(second.leases)).toEqual([['p', 'b', 'r1']]);
    expect((await log.events()).length).toBe(before);
    expect(await log.leases('p', ['c'])).toEqual([]);
    // The holder's own run may start its steps again (a retry).
    expect((await log.startSteps(unit('r1', 'p', ['a']))).status).toBe('started');
    await log.close();
  });

  it('a lease names its holder process as its run:started does: host, pid and, when given, its start', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), { ...started('r2'), pidStart: 4242 } as WeirEvent]);
    await log.startSteps(unit('r1', 'p', ['a']));
    await log.startSteps(unit('r2', 'p', ['b']));
    const [a, b] = [(await log.leases('p', ['a']))[0]!, (await log.leases('p', ['b']))[0]!];
    expect(a).toMatchObject({ host: 'host', pid: 1 });
    expect(a.pidStart).toBeUndefined();
    expect(b).toMatchObject({ host: 'host', pid: 1, pidStart: 4242 });
    await log.close();
  });

  it('startSteps refuses a partition whose newest materialization moved on since it was planned', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    const [m] = await log.append([
      {
        type: 'asset:materialized',
        ...at('r1', 'x'),
        materialization: materialization('v1'),
      },
    ]);
    const moved = await log.startSteps(unit('r2', 'x'));
    expect(moved).toEqual({
      status: 'moved',
      partitions: [{ assetKey: 'x', partition: '', materializationId: m!.id }],
    });
    expect(await log.leases('x', [''])).toEqual([]);
    expect((await log.startSteps(unit('r2', 'x', [''], { '': m!.id }))).status).toBe('started');
    await log.close();
  });

  it('releases a lease with its run’s outcome for that partition, or when the run finishes', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    await log.startSteps(unit('r1', 'p', ['a', 'b', 'c', 'd', 'e']));
    const outcome = (type: string, partition: string): WeirEvent => {
      const fields = at('r1', 'p', partition);
      if (type === 'asset:materialized')
        return { type, ...fields, materialization: materialization('v') };
      if (type === 'step:failed')
        return { type, ...fields, attempt: 1, error: { name: 'Error', message: 'x' } };
      if (type === 'step:skipped') return { type, ...fields, reason: 'r', blockedBy: [] };
      return { type: 'step:cancelled', ...fields };
    };
    await log.append([
      outcome('asset:materialized', 'a'),
      outcome('step:failed', 'b'),
      outcome('step:cancelled', 'c'),
      // Another run's outcome releases nothing of r1's.
      { type: 'step:cancelled', ...at('r2', 'p', 'd') },
      {
        type: 'step:retrying',
        ...at('r1', 'p', 'e'),
        attempt: 1,
        delayMs: 1,
        error: { name: 'E', message: 'm' },
      },
    ]);
    expect(holders(await log.leases('p', ['a', 'b', 'c', 'd', 'e']))).toEqual([
      ['p', 'd', 'r1'],
      ['p', 'e', 'r1'],
    ]);
    await log.append([outcome('step:skipped', 'd')]);
    expect(holders(await log.leases('p', ['d', 'e']))).toEqual([['p', 'e', 'r1']]);
    await log.append([
      {
        type: 'run:finished',
        runId: 'r1',
        timestamp: 20,
        status: 'success',
        summary: { materialized: [], unchanged: [], failed: [], skipped: [], cancelled: [] },
      },
    ]);
    expect(await log.leases('p', ['e'])).toEqual([]);
    await log.close();
  });

  it('takes over a lease the caller judged dead only if it is unchanged, with the events that close it', async () => {
    const { log } = await options.create();
    await log.append([started('dead'), started('r2'), started('r3')]);
    await log.startSteps(unit('dead', 'x'));
    const [lease] = await log.leases('x', ['']);
    const closing: WeirEvent[] = [
      {
        type: 'step:failed',
        ...at('dead', 'x', '', 30),
        attempt: 1,
        error: { name: 'ProcessDied', message: 'gone' },
      },
    ];
    const taken = await log.startSteps({
      ...unit('r2', 'x'),
      events: [{ ...stepStarted('r2', 'x'), tookOver: { runId: 'dead', reason: 'gone' } }],
      takeOver: [{ lease: lease!, events: closing }],
    });
    expect(taken.status).toBe('started');
    if (taken.status === 'started') {
      expect(taken.events.map((e) => e.type)).toEqual(['step:failed', 'step:started']);
    }
    expect(holders(await log.leases('x', ['']))).toEqual([['x', '', 'r2']]);
    expect((await log.latest(['x']))[0]?.failure?.runId).toBe('dead');
    // A take-over of a lease that has changed hands since it was read is refused.
    const stale = await log.startSteps({
      ...unit('r3', 'x'),
      takeOver: [{ lease: lease!, events: closing }],
    });
    expect(stale.status).toBe('held');
    await log.close();
  });

  it('appendWhileRunning appends only while the run is running (one process closes a crashed run)', async () => {
    const { log } = await options.create();
    expect(await log.appendWhileRunning('r1', [stepStarted('r1', 'x')])).toEqual([]);
    await log.append([started('r1')]);
    const finished: WeirEvent = {
      type: 'run:finished',
      runId: 'r1',
      timestamp: 20,
      status: 'crashed',
      summary: { materialized: [], unchanged: [], failed: [], skipped: [], cancelled: [] },
    };
    expect((await log.appendWhileRunning('r1', [finished])).map((e) => e.type)).toEqual([
      'run:finished',
    ]);
    expect(await log.appendWhileRunning('r1', [finished])).toEqual([]);
    expect((await log.events({ types: ['run:finished'] })).length).toBe(1);
    await log.close();
  });

  it('appendHolding appends only while the run holds every lease it names (a fence)', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    await log.startSteps(unit('r1', 'p', ['a', 'b']));
    const done = (partition: string): WeirEvent => ({
      type: 'asset:materialized',
      ...at('r1', 'p', partition),
      materialization: materialization('v'),
    });
    const both = [
      { assetKey: 'p', partition: 'a' },
      { assetKey: 'p', partition: 'b' },
    ];
    const kept = await log.appendHolding('r1', both.slice(0, 1), [done('a')]);
    expect(kept.status).toBe('appended');
    // a is released by its outcome: r1 holds it no more.
    const [b] = await log.leases('p', ['b']);
    await log.startSteps({
      ...unit('r2', 'p', ['b']),
      takeOver: [{ lease: b!, events: [] }],
    });
    const before = (await log.events()).length;
    const fenced = await log.appendHolding('r1', both, [done('b')]);
    expect(fenced.status).toBe('lost');
    if (fenced.status === 'lost') {
      expect(fenced.lost.map((l) => [l.partition, l.holder?.runId])).toEqual([
        ['a', undefined],
        ['b', 'r2'],
      ]);
    }
    expect((await log.events()).length).toBe(before);
    await log.close();
  });

  it('renews the heartbeat of every lease of a run, and a rebuild resets it to the start', async () => {
    const { log } = await options.create();
    await log.append([started('r1'), started('r2')]);
    await log.startSteps(unit('r1', 'p', ['a', 'b']));
    await log.startSteps(unit('r2', 'q'));
    await log.renewLeases('r1', 99);
    expect((await log.leases('p', ['a', 'b'])).map((l) => l.heartbeatAt)).toEqual([99, 99]);
    expect((await log.leases('q', ['']))[0]?.heartbeatAt).toBe(10);
    await log.rebuildIndexes();
    expect((await log.leases('p', ['a', 'b'])).map((l) => l.heartbeatAt)).toEqual([10, 10]);
    expect(holders(await log.leases('q', ['']))).toEqual([['q', '', 'r2']]);
    await log.close();
  });

  itWith(
    options,
    'concurrentAppends',
    'racing starters on several connections: exactly one run takes each unit',
    async (connect) => {
      const logs: EventLog[] = [];
      for (let i = 0; i < 4; i++) logs.push(await connect());
      await logs[0]!.append(logs.map((_, i) => started(`run${i}`)));
      const wins = await Promise.all(
        logs.map(async (log, i) => {
          let won = 0;
          for (let u = 0; u < 25; u++) {
            const result = await log.startSteps(unit(`run${i}`, `asset${u}`, ['a', 'b']));
            if (result.status === 'started') won++;
          }
          return won;
        }),
      );
      expect(wins.reduce((a, b) => a + b, 0)).toBe(25);
      const starts = (await logs[0]!.events({ types: ['step:started'] })).length;
      expect(starts).toBe(50);
      for (const log of logs) await log.close();
    },
  );
}
