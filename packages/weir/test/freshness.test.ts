import { describe, expect, it } from 'vitest';
import {
  evaluateFreshness,
  type FreshnessPolicy,
  formatDuration,
  parseDuration,
  validateFreshnessPolicy,
} from '../src/definitions/freshness.js';
import { definitionError } from './helpers.js';

const t = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('parseDuration', () => {
  it('reads units, combinations and plain milliseconds', () => {
    expect(parseDuration('30m')).toBe(30 * MIN);
    expect(parseDuration('6h')).toBe(6 * HOUR);
    expect(parseDuration('2d')).toBe(48 * HOUR);
    expect(parseDuration('1h30m')).toBe(90 * MIN);
    expect(parseDuration(' 1h 30m ')).toBe(90 * MIN);
    expect(parseDuration('1.5h')).toBe(90 * MIN);
    expect(parseDuration('1w')).toBe(7 * 24 * HOUR);
    expect(parseDuration('2s250ms')).toBe(2250);
    expect(parseDuration('0ms')).toBe(0);
    expect(parseDuration(250)).toBe(250);
  });

  it('names the offending text', () => {
    expect(() => parseDuration('')).toThrow(`invalid duration "": it is empty`);
    expect(() => parseDuration('5')).toThrow(`invalid duration "5": cannot read '5'`);
    expect(() => parseDuration('1x')).toThrow(`invalid duration "1x": cannot read '1x'`);
    expect(() => parseDuration('30m1h')).toThrow(`unit 'h' repeated or out of order`);
    expect(() => parseDuration('1h1h')).toThrow(`unit 'h' repeated or out of order`);
    expect(() => parseDuration('6 hours')).toThrow(/invalid duration "6 hours"/);
    expect(() => parseDuration(-1)).toThrow('invalid duration -1');
    expect(() => parseDuration(Number.NaN)).toThrow('invalid duration NaN');
    expect(() => parseDuration('1h')).not.toThrow();
  });
});

describe('formatDuration', () => {
  it('writes what parseDuration reads, optionally shortened', () => {
    expect(formatDuration(90 * MIN)).toBe('1h 30m');
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(90_061_001)).toBe('1d 1h 1m 1s 1ms');
    expect(formatDuration(HOUR + 5000, 2)).toBe('1h');
    expect(formatDuration(2 * HOUR + 5 * MIN + 7000, 2)).toBe('2h 5m');
  });
});

describe('validateFreshnessPolicy', () => {
  const owner = "asset 'gauges/peaks'";

  it('accepts maxLag and cron policies', () => {
    expect(validateFreshnessPolicy({ maxLag: '6h' }, owner)).toEqual({ maxLag: '6h' });
    expect(validateFreshnessPolicy({ maxLag: 1000 }, owner)).toEqual({ maxLag: 1000 });
    expect(validateFreshnessPolicy({ cron: '0 7 * * *' }, owner)).toEqual({ cron: '0 7 * * *' });
    expect(
      validateFreshnessPolicy({ cron: '@daily', timezone: 'Europe/Berlin', maxLag: '1h' }, owner),
    ).toEqual({
      cron: '@daily',
      timezone: 'Europe/Berlin',
      maxLag: '1h',
    });
  });

  it('rejects invalid policies, naming the owner', () => {
    const cases: Array<[unknown, string | RegExp]> = [
      [null, 'expected an object'],
      [{}, 'it needs maxLag or cron'],
      [{ maxLag: '0m' }, 'maxLag must be longer than 0'],
      [{ maxLag: 'soon' }, /maxLag: invalid duration "soon"/],
      [{ maxLag: '1h', timezone: 'UTC' }, 'timezone applies only with cron'],
      [{ cron: 7 }, 'cron must be a string'],
      [{ cron: 'nope' }, /cron 'nope': .*five/],
      [{ cron: '0 0 7 * * *' }, /cron '0 0 7 \* \* \*'/],
      [{ cron: '61 * * * *' }, /Invalid value for minute/],
      [{ cron: '0 0 31 2 *' }, "cron '0 0 31 2 *' never fires"],
      [{ cron: '0 7 * * *', timezone: 'Mars/Olympus' }, "unknown timezone 'Mars/Olympus'"],
    ];
    for (const [policy, message] of cases) {
      const error = definitionError(() => validateFreshnessPolicy(policy, owner));
      expect(error.message.startsWith(`${owner} has an invalid freshness policy: `)).toBe(true);
      expect(error.message).toMatch(message);
    }
    expect(definitionError(() => validateFreshnessPolicy({ maxlag: '1h' }, owner)).hint).toBe(
      "did you mean 'maxLag'?",
    );
  });
});

describe('evaluateFreshness: maxLag', () => {
  const policy: FreshnessPolicy = { maxLag: '6h' };
  const last = t('2024-01-01T00:00:00Z');

  it('is fresh up to and including the lag, then overdue by the excess', () => {
    expect(evaluateFreshness(policy, last, last + HOUR)).toEqual({
      status: 'fresh',
      deadline: last + 6 * HOUR,
      overdueByMs: 0,
      reason: 'last materialized 1h ago (2024-01-01 00:00 UTC); overdue after 2024-01-01 06:00 UTC',
    });
    expect(evaluateFreshness(policy, last, last + 6 * HOUR).status).toBe('fresh');
    expect(evaluateFreshness(policy, last, last + 7 * HOUR + 30 * MIN)).toEqual({
      status: 'overdue',
      deadline: last + 6 * HOUR,
      overdueByMs: 90 * MIN,
      reason:
        'last materialized 7h 30m ago (2024-01-01 00:00 UTC), more than the allowed 6h: overdue by 1h 30m',
    });
  });

  it('never materialized is overdue', () => {
    expect(evaluateFreshness(policy, undefined, last)).toEqual({
      status: 'overdue',
      deadline: undefined,
      overdueByMs: 0,
      reason: 'never materialized (at most 6h old)',
    });
  });
});

describe('evaluateFreshness: cron', () => {
  const daily: FreshnessPolicy = { cron: '0 7 * * *' };

  it('requires a materialization since the tick before each tick', () => {
    // Materialized after Monday's 07:00: Tuesday's 07:00 is satisfied, Wednesday's is not.
    const last = t('2024-01-01T07:30:00Z');
    const fresh = evaluateFreshness(daily, last, t('2024-01-02T09:00:00Z'));
    expect(fresh).toEqual({
      status: 'fresh',
      deadline: t('2024-01-03T07:00:00Z'),
      overdueByMs: 0,
      reason:
        "last materialized 2024-01-01 07:30 UTC; next due by 2024-01-03 07:00 UTC (cron '0 7 * * *' UTC)",
    });
    // Early the same morning also counts for that day's 07:00.
    expect(
      evaluateFreshness(daily, t('2024-01-01T06:30:00Z'), t('2024-01-01T07:00:00Z')).status,
    ).toBe('fresh');
  });

  it('is overdue from the missed tick on, by the time since', () => {
    const last = t('2023-12-31T06:30:00Z');
    expect(evaluateFreshness(daily, last, t('2024-01-01T06:59:59Z')).status).toBe('fresh');
    expect(evaluateFreshness(daily, last, t('2024-01-01T07:00:00Z'))).toMatchObject({
      status: 'overdue',
      deadline: t('2024-01-01T07:00:00Z'),
      overdueByMs: 0,
    });
    expect(evaluateFreshness(daily, last, t('2024-01-01T09:15:00Z'))).toEqual({
      status: 'overdue',
      deadline: t('2024-01-01T07:00:00Z'),
      overdueByMs: 2 * HOUR + 15 * MIN,
      reason:
        "last materialized 2023-12-31 06:30 UTC; was due by 2024-01-01 07:00 UTC: overdue by 2h 15m (cron '0 7 * * *' UTC)",
    });
    // Still overdue days later: the deadline is the first tick it missed.
    expect(evaluateFreshness(daily, last, t('2024-01-05T00:00:00Z')).deadline).toBe(
      t('2024-01-01T07:00:00Z'),
    );
  });

  it('with maxLag, the data must be at most that old at each tick', () => {
    const policy: FreshnessPolicy = { cron: '0 7 * * *', maxLag: '1h' };
    const tick = t('2024-01-01T07:00:00Z');
    expect(evaluateFreshness(policy, t('2024-01-01T05:30:00Z'), tick + MIN)).toMatchObject({
      status: 'overdue',
      deadline: tick,
      overdueByMs: MIN,
    });
    expect(evaluateFreshness(policy, t('2024-01-01T06:00:00Z'), tick + MIN)).toMatchObject({
      status: 'fresh',
      deadline: t('2024-01-02T07:00:00Z'),
    });
    // Late is better than never: a materialization after the tick makes it fresh again.
    expect(evaluateFreshness(policy, tick + 2 * HOUR, tick + 3 * HOUR).status).toBe('fresh');
    expect(evaluateFreshness(policy, undefined, tick).reason).toBe(
      "never materialized (cron '0 7 * * *' UTC, at most 1h old at each tick)",
    );
  });

  it('follows the timezone across the spring DST change (Europe/Berlin)', () => {
    const policy: FreshnessPolicy = { cron: '0 7 * * *', timezone: 'Europe/Berlin' };
    // 07:00 CET on 30 March is 06:00Z; 07:00 CEST on 31 March is 05:00Z: a 23-hour period.
    const early = t('2024-03-30T05:30:00Z'); // 06:30 CET, before Saturday's tick
    const sunday = evaluateFreshness(policy, early, t('2024-03-31T05:00:00Z'));
    expect(sunday).toMatchObject({ status: 'overdue', deadline: t('2024-03-31T05:00:00Z') });
    expect(sunday.reason).toBe(
      "last materialized 2024-03-30 06:30 Europe/Berlin; was due by 2024-03-31 07:00 Europe/Berlin: overdue by 0ms (cron '0 7 * * *' Europe/Berlin)",
    );
    expect(evaluateFreshness(policy, early, t('2024-03-31T04:59:00Z')).status).toBe('fresh');
    const onTime = evaluateFreshness(policy, t('2024-03-30T06:10:00Z'), t('2024-03-31T05:30:00Z'));
    expect(onTime).toMatchObject({ status: 'fresh', deadline: t('2024-04-01T05:00:00Z') });
  });

  it('follows the timezone across the autumn DST change, hourly ticks included', () => {
    const policy: FreshnessPolicy = { cron: '0 7 * * *', timezone: 'Europe/Berlin' };
    // 07:00 CEST on 26 October is 05:00Z; 07:00 CET on 27 October is 06:00Z: a 25-hour period.
    const last = t('2024-10-26T04:59:00Z');
    expect(evaluateFreshness(policy, last, t('2024-10-27T05:59:00Z')).status).toBe('fresh');
    expect(evaluateFreshness(policy, last, t('2024-10-27T06:00:00Z'))).toMatchObject({
      status: 'overdue',
      deadline: t('2024-10-27T06:00:00Z'),
    });
    // 02:00 happens twice; both are ticks of an hourly cron.
    const hourly: FreshnessPolicy = { cron: '0 * * * *', timezone: 'Europe/Berlin' };
    const result = evaluateFreshness(hourly, t('2024-10-27T00:30:00Z'), t('2024-10-27T01:30:00Z'));
    expect(result).toMatchObject({ status: 'fresh', deadline: t('2024-10-27T02:00:00Z') });
  });

  it('never materialized is overdue once a tick has passed', () => {
    expect(evaluateFreshness(daily, undefined, t('2024-01-01T00:00:00Z'))).toEqual({
      status: 'overdue',
      deadline: undefined,
      overdueByMs: 0,
      reason: "never materialized (cron '0 7 * * *' UTC)",
    });
  });
});
