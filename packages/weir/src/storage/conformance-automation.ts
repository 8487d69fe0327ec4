/**
 * @module storage/conformance-automation
 * The EventLog conformance cases for automation: the newest sensor and schedule ticks,
 * condition evaluations and pauses (`automationRecords`), `lastEventId`, and roles (one
 * daemon per instance: claimed atomically, renewed, taken over only from a named holder).
 */
import { expect, it } from 'vitest';
import { type EventLogConformanceOptions, itWith } from './conformance.js';
import type { RoleHolder } from './event-log.js';
import type { WeirEvent } from './events.js';

const tick = (name: string, cursor: string, timestamp: number): WeirEvent => ({
  type: 'sensor:ticked',
  name,
  outcome: 'requested',
  cursor,
  durationMs: 1,
  observations: 1,
  partitionsAdded: 0,
  runIds: [],
  timestamp,
});

const holder = (id: string, pid = 1): RoleHolder => ({ id, host: 'host', pid });

/** Registers the cases; call inside the suite's describe(). */
export function automationConformanceCases(options: EventLogConformanceOptions): void {
  it('automationRecords keeps the newest tick of each sensor and schedule, evaluation of each asset, and what is paused', async () => {
    const { log } = await options.create();
    expect(await log.lastEventId()).toBe(0);
    await log.append([tick('inbox', 'c1', 1), tick('api', 'x', 2), tick('inbox', 'c2', 3)]);
    await log.append([
      { type: 'schedule:ticked', name: 'nightly', tick: 100, runIds: ['r1'], timestamp: 4 },
      {
        type: 'automation:evaluated',
        assetKey: 'a',
        requested: [''],
        count: 1,
        memory: { v: 1 },
        runIds: [],
        timestamp: 5,
      },
      { type: 'automation:paused', name: 'inbox', timestamp: 6 },
      { type: 'automation:paused', name: 'nightly', timestamp: 7 },
      { type: 'automation:resumed', name: 'nightly', timestamp: 8 },
    ]);
    const read = async () => {
      const records = await log.automationRecords();
      return {
        sensors: Object.fromEntries([...records.sensors].map(([k, e]) => [k, e.cursor])),
        schedules: Object.fromEntries([...records.schedules].map(([k, e]) => [k, e.tick])),
        conditions: Object.fromEntries([...records.conditions].map(([k, e]) => [k, e.memory])),
        paused: [...records.paused].sort(),
      };
    };
    const expected = {
      sensors: { inbox: 'c2', api: 'x' },
      schedules: { nightly: 100 },
      conditions: { a: { v: 1 } },
      paused: ['inbox'],
    };
    expect(await read()).toEqual(expected);
    const light = await log.automationRecords({ conditions: false });
    expect([light.conditions.size, light.sensors.size, [...light.paused]]).toEqual([
      0,
      2,
      ['inbox'],
    ]);
    expect(await log.lastEventId()).toBe((await log.events({ descending: true, limit: 1 }))[0]!.id);
    await log.rebuildIndexes();
    expect(await read()).toEqual(expected);
    await log.close();
  });

  it('claimRole grants a free role, renews it for its holder, refuses others, and hands it over only from the named holder', async () => {
    const { log } = await options.create();
    expect(await log.claimRole('daemon', holder('d1'), 10)).toEqual({ held: true });
    expect(await log.claimRole('daemon', holder('d1'), 20)).toEqual({ held: true });
    expect(await log.claimRole('daemon', holder('d2', 2), 25)).toEqual({
      held: false,
      holder: holder('d1'),
      heartbeatAt: 20,
    });
    // Taking over a holder that is not the current one changes nothing.
    expect(
      (await log.claimRole('daemon', holder('d2', 2), 30, { takeOver: 'someone-else' })).held,
    ).toBe(false);
    expect(await log.claimRole('daemon', holder('d2', 2), 30, { takeOver: 'd1' })).toEqual({
      held: true,
    });
    expect((await log.claimRole('daemon', holder('d1'), 31)).held).toBe(false);
    // Releasing: only its holder can.
    await log.releaseRole('daemon', 'd1');
    expect((await log.claimRole('daemon', holder('d3'), 32)).held).toBe(false);
    await log.releaseRole('daemon', 'd2');
    expect(await log.claimRole('daemon', holder('d3'), 33)).toEqual({ held: true });
    // Roles are independent, and survive a rebuild of the indexes.
    expect(await log.claimRole('other', holder('d1'), 34)).toEqual({ held: true });
    await log.rebuildIndexes();
    expect((await log.claimRole('daemon', holder('d1'), 35)).held).toBe(false);
    await log.close();
  });

  itWith(
    options,
    'concurrentAppends',
    'two connections claiming one role at once: exactly one holds it',
    async (connect, { log }) => {
      const other = await connect();
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? log : other).claimRole('daemon', holder(`d${i}`, i), 10),
        ),
      );
      expect(claims.filter((c) => c.held)).toHaveLength(1);
      await other.close();
      await log.close();
    },
  );
}
