import { describe, expect, it } from 'vitest';
import {
  dailyPartitions,
  dueTicks,
  latestScheduleTick,
  nextScheduleTick,
  partitionsForTick,
  schedule,
  scheduleTicks,
  staticPartitions,
} from '../src/index.js';

const iso = (dates: readonly Date[]) => dates.map((d) => d.toISOString());
const berlin = (cron: string, catchUp: 'latest' | 'all' | 'none' = 'latest') =>
  schedule({ name: 'nightly', cron, timezone: 'Europe/Berlin', selection: 'x', catchUp });

describe('scheduleTicks across DST changes (Europe/Berlin)', () => {
  it('fires a time the spring change skips once, at the first instant after the gap', () => {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST, so 02:30 does not exist.
    const ticks = scheduleTicks(
      berlin('30 2 * * *'),
      new Date('2026-03-27T12:00Z'),
      new Date('2026-03-31T12:00Z'),
    );
    expect(iso(ticks)).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST, right after the gap
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('fires a time the autumn change repeats once, at its first occurrence', () => {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:00-02:59 happens twice.
    const ticks = scheduleTicks(
      berlin('30 2 * * *'),
      new Date('2026-10-24T00:00Z'),
      new Date('2026-10-26T12:00Z'),
    );
    expect(iso(ticks)).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; 02:30 CET (01:30Z) does not fire again
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
    const listed = scheduleTicks(
      berlin('15 1,2,3 * * *'),
      new Date('2026-10-24T22:00Z'),
      new Date('2026-10-25T04:00Z'),
    );
    expect(iso(listed)).toEqual([
      '2026-10-24T23:15:00.000Z', // 01:15 CEST
      '2026-10-25T00:15:00.000Z', // 02:15 CEST (once)
      '2026-10-25T02:15:00.000Z', // 03:15 CET
    ]);
  });

  it('fires an hourly cron every real hour, both repeated hours included', () => {
    const autumn = scheduleTicks(
      berlin('0 * * * *'),
      new Date('2026-10-24T23:30Z'),
      new Date('2026-10-25T02:30Z'),
    );
    expect(autumn).toHaveLength(3); // 02:00 CEST, 02:00 CET, 03:00 CET
    const spring = scheduleTicks(
      berlin('0 * * * *'),
      new Date('2026-03-28T23:30Z'),
      new Date('2026-03-29T02:30Z'),
    );
    expect(iso(spring)).toEqual([
      '2026-03-29T00:00:00.000Z', // 01:00 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST
      '2026-03-29T02:00:00.000Z',
    ]);
  });

  it('finds the latest and next tick by the same rule', () => {
    const s = berlin('30 2 * * *');
    expect(latestScheduleTick(s, new Date('2026-10-25T01:45Z'))?.toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(nextScheduleTick(s, new Date('2026-03-28T12:00Z'))?.toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('counts the window as (from, to]', () => {
    const s = schedule({ name: 'h', cron: '0 * * * *', selection: 'x' });
    const ticks = scheduleTicks(s, new Date('2026-01-01T00:00Z'), new Date('2026-01-01T02:00Z'));
    expect(iso(ticks)).toEqual(['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z']);
    expect(scheduleTicks(s, new Date(0), new Date('2026-01-01T00:00Z'), 2)).toHaveLength(2);
  });
});

describe('dueTicks: catch-up after the daemon was down', () => {
  const last = new Date('2026-03-27T12:00Z');
  const now = new Date('2026-03-31T12:00Z');

  it("'all' launches every missed tick, DST included", () => {
    expect(iso(dueTicks(berlin('30 2 * * *', 'all'), last, now))).toHaveLength(4);
  });

  it("'latest' launches the newest missed tick once", () => {
    expect(iso(dueTicks(berlin('30 2 * * *', 'latest'), last, now))).toEqual([
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it("'none' launches nothing missed, but a tick on time", () => {
    expect(dueTicks(berlin('30 2 * * *', 'none'), last, now)).toEqual([]);
    const onTime = new Date('2026-03-31T00:30:20Z');
    expect(iso(dueTicks(berlin('30 2 * * *', 'none'), last, onTime))).toEqual([
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('launches nothing twice and, with no tick handled yet, only a tick within the grace', () => {
    const s = berlin('30 2 * * *', 'all');
    const tick = new Date('2026-03-31T00:30Z');
    expect(dueTicks(s, tick, new Date('2026-03-31T00:30:30Z'))).toEqual([]);
    expect(dueTicks(s, undefined, now)).toEqual([]);
    expect(iso(dueTicks(s, undefined, new Date('2026-03-31T00:30:30Z')))).toEqual([
      '2026-03-31T00:30:00.000Z',
    ]);
  });
});

describe('partitionsForTick', () => {
  it("takes the window that ended at the tick for 'previous-window'", () => {
    const s = schedule({
      name: 'p',
      cron: '5 0 * * *',
      timezone: 'Europe/Berlin',
      selection: 'x',
      partition: 'previous-window',
    });
    const days = dailyPartitions({ start: '2026-01-01', timezone: 'Europe/Berlin' });
    // 00:05 Berlin on 2026-03-30 (summer time) is 22:05Z on the 29th.
    expect(partitionsForTick(s, new Date('2026-03-29T22:05Z'), days)).toEqual(['2026-03-29']);
    expect(partitionsForTick(s, new Date('2026-03-29T22:05Z'), undefined)).toBeUndefined();
    expect(() => partitionsForTick(s, new Date(), staticPartitions(['a']))).toThrow(
      /asks for the previous window of an asset with static partitions/,
    );
  });

  it('calls a function with the tick', () => {
    const s = schedule({
      name: 'f',
      cron: '0 6 * * *',
      selection: 'x',
      partition: (tick) => [tick.toISOString().slice(0, 10), 'x'],
    });
    expect(partitionsForTick(s, new Date('2026-05-01T06:00Z'), staticPartitions(['x']))).toEqual([
      '2026-05-01',
      'x',
    ]);
  });
});
