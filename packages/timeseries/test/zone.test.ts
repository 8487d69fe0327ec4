import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InputError,
  parsePolishConfig,
  readMaintenanceLog,
  readWideCsv,
  TimeZone,
  timestampParser,
} from '../src/index.js';

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Chatham',
  'Europe/London',
  'Pacific/Apia',
];

/** Local wall-clock fields of a UTC instant, straight from Intl, as epoch ms in UTC. */
const formats = new Map<string, Intl.DateTimeFormat>();
function intlLocal(zone: string, utc: number): number {
  let f = formats.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(utc).map((x) => [x.type, Number(x.value)]));
  return (
    Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) +
    (((utc % 1000) + 1000) % 1000)
  );
}

const text = (local: number) => new Date(local).toISOString().slice(0, 23).replace('T', ' ');

describe('IANA time zones', () => {
  it('reads local time with daylight saving time', () => {
    const p = timestampParser({ timezone: 'Europe/Berlin' });
    expect(p.parse('2021-01-15 12:00')).toBe(Date.UTC(2021, 0, 15, 11));
    expect(p.parse('2021-07-15 12:00:00')).toBe(Date.UTC(2021, 6, 15, 10));
    expect(p.parse('2021-07-15T12:00:00Z')).toBe(Date.UTC(2021, 6, 15, 12)); // own offset wins
    expect(p.parse('2021-07-15 12:00+05:00')).toBe(Date.UTC(2021, 6, 15, 7));
    expect(timestampParser({ timezone: 'Asia/Kolkata' }).parse('2021-07-15 12:00')).toBe(
      Date.UTC(2021, 6, 15, 6, 30),
    );
  });
  it('refuses a local time in the spring-forward gap, or shifts it when asked', () => {
    const strict = timestampParser({ timezone: 'Europe/Berlin' });
    expect(strict.parse('2021-03-28 02:30')).toBeNaN();
    expect(strict.explain('2021-03-28 02:30')).toMatch(
      /does not exist in Europe\/Berlin changes from UTC\+01:00 to UTC\+02:00 at 2021-03-28T01:00:00.000Z/,
    );
    expect(strict.parse('2021-03-28 01:59:59')).toBe(Date.UTC(2021, 2, 28, 0, 59, 59));
    expect(strict.parse('2021-03-28 03:00')).toBe(Date.UTC(2021, 2, 28, 1));
    const shift = timestampParser({ timezone: 'Europe/Berlin', nonexistent: 'shift' });
    expect(shift.parse('2021-03-28 02:30')).toBe(Date.UTC(2021, 2, 28, 1, 30)); // 03:30 CEST
    const ny = timestampParser({ timezone: 'America/New_York', nonexistent: 'shift' });
    expect(ny.parse('2021-03-14 02:15')).toBe(Date.UTC(2021, 2, 14, 7, 15)); // 03:15 EDT
  });
  it('resolves a fall-back local time by the ambiguous rule', () => {
    const at = '2021-10-31 02:30';
    expect(timestampParser({ timezone: 'Europe/Berlin' }).parse(at)).toBe(
      Date.UTC(2021, 9, 31, 0, 30),
    );
    expect(timestampParser({ timezone: 'Europe/Berlin', ambiguous: 'later' }).parse(at)).toBe(
      Date.UTC(2021, 9, 31, 1, 30),
    );
    const strict = timestampParser({ timezone: 'Europe/Berlin', ambiguous: 'error' });
    expect(strict.parse(at)).toBeNaN();
    expect(strict.explain(at)).toMatch(/is ambiguous in Europe\/Berlin/);
    expect(strict.parse('2021-10-31 03:00')).toBe(Date.UTC(2021, 9, 31, 2));
  });
  it('names file, line and column of a nonexistent local time', () => {
    const csv = 'Timestamp,level\n2021-03-28 01:45,1\n2021-03-28 02:00,2\n';
    let err: unknown;
    try {
      readWideCsv(csv, { file: 'gauge.csv', timezone: 'Europe/Berlin' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      /^gauge\.csv:3:1: local time "2021-03-28 02:00" does not exist/,
    );
    const shifted = readWideCsv(csv, {
      file: 'gauge.csv',
      timezone: 'Europe/Berlin',
      nonexistent: 'shift',
    });
    expect([...shifted.time]).toEqual([Date.UTC(2021, 2, 28, 0, 45), Date.UTC(2021, 2, 28, 1)]);
    expect(() =>
      readMaintenanceLog('start,end\n2021-10-31 02:10,2021-10-31 02:20\n', {
        file: 'm.csv',
        timezone: 'Europe/Berlin',
        ambiguous: 'error',
      }),
    ).toThrow(/^m\.csv:2:1: local time "2021-10-31 02:10" is ambiguous/);
  });
  it('validates the configuration', () => {
    expect(
      parsePolishConfig({
        timestamp: { timezone: 'Europe/Berlin', ambiguous: 'later' },
        variables: {},
      }).timestamp,
    ).toEqual({ timezone: 'Europe/Berlin', ambiguous: 'later' });
    expect(() =>
      parsePolishConfig({ timestamp: { timezone: 'Europe/Berlim' }, variables: {} }),
    ).toThrow(/timestamp\.timezone: expected an IANA time zone/);
    expect(() =>
      parsePolishConfig({ timestamp: { timezone: 'UTC', utcOffset: '+01:00' }, variables: {} }),
    ).toThrow(/either utcOffset or timezone/);
    expect(() => parsePolishConfig({ timestamp: { ambiguous: 'later' }, variables: {} })).toThrow(
      /apply only with a timezone/,
    );
  });
  it('round-trips local -> UTC -> local for every time that exists (several zones)', () => {
    const from = Date.UTC(1995, 0, 1);
    const to = Date.UTC(2035, 0, 1);
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: from, max: to }), (zone, local) => {
        const p = timestampParser({ timezone: zone });
        const u = p.parse(text(local));
        if (Number.isNaN(u)) {
          // only a local time in a gap: no instant nearby shows this local time
          expect(p.explain(text(local))).toMatch(/does not exist/);
          for (const d of [-3, -2, -1, 0, 1, 2, 3]) {
            const candidate = local - d * 1_800_000 - TimeZone.of(zone).offsetAt(local);
            expect(intlLocal(zone, candidate)).not.toBe(local);
          }
          return;
        }
        expect(intlLocal(zone, u)).toBe(local);
        const later = timestampParser({ timezone: zone, ambiguous: 'later' }).parse(text(local));
        expect(intlLocal(zone, later)).toBe(local);
        expect(later).toBeGreaterThanOrEqual(u);
      }),
      { numRuns: 2000 },
    );
  });
  it('round-trips UTC -> local -> UTC (either occurrence of an ambiguous time)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2035, 0, 1) }),
        (zone, utc) => {
          const local = intlLocal(zone, utc);
          const earlier = timestampParser({ timezone: zone }).parse(text(local));
          const later = timestampParser({ timezone: zone, ambiguous: 'later' }).parse(text(local));
          expect([earlier, later]).toContain(utc);
        },
      ),
      { numRuns: 2000 },
    );
  });
  it('stays exact across transitions when reading a regular local series in order', () => {
    for (const zone of ZONES) {
      const p = timestampParser({ timezone: zone, nonexistent: 'shift' });
      const z = TimeZone.of(zone);
      for (let u = Date.UTC(2011, 0, 1); u < Date.UTC(2013, 0, 1); u += 30 * 60_000) {
        const local = intlLocal(zone, u);
        const got = p.parse(text(local));
        if (got !== u) {
          // only the second occurrence of an ambiguous local time reads differently
          expect(z.toUtc(local, 'later')).toBe(u);
        }
      }
    }
  });
});
