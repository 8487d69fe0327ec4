import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Cause,
  causeNames,
  createSeries,
  durationMs,
  Flag,
  normaliseSeries,
  parseTimestamp,
  parseUtcOffset,
  refreshValidity,
  severity,
  Validity,
  worstFlag,
} from '../src/index.js';

describe('flags', () => {
  it('orders not evaluated < pass < suspect < fail < missing', () => {
    const order = [Flag.NOT_EVALUATED, Flag.PASS, Flag.SUSPECT, Flag.FAIL, Flag.MISSING];
    for (let i = 1; i < order.length; i++)
      expect(severity(order[i]!)).toBeGreaterThan(severity(order[i - 1]!));
    expect(worstFlag(Flag.PASS, Flag.NOT_EVALUATED)).toBe(Flag.PASS);
    expect(worstFlag(Flag.FAIL, Flag.SUSPECT)).toBe(Flag.FAIL);
  });
  it('names combined causes', () => {
    expect(causeNames(Cause.RANGE | Cause.MANUAL)).toEqual(['RANGE', 'MANUAL']);
  });
});

describe('series', () => {
  it('flags missing values 9 and invalid, present ones not evaluated and observed', () => {
    const s = createSeries('x', Float64Array.of(0, 1), Float64Array.of(1, Number.NaN));
    expect([...s.flags]).toEqual([Flag.NOT_EVALUATED, Flag.MISSING]);
    expect([...s.validity]).toEqual([Validity.OBSERVED, Validity.INVALID]);
    s.flags[0] = Flag.SUSPECT;
    refreshValidity(s);
    expect(s.validity[0]).toBe(Validity.INVALID);
    refreshValidity(s, true);
    expect(s.validity[0]).toBe(Validity.OBSERVED);
  });
});

describe('timestamps and durations', () => {
  it('parses the forms in the data', () => {
    expect(parseTimestamp('2016-01-01 00:02:00')).toBe(Date.UTC(2016, 0, 1, 0, 2));
    expect(parseTimestamp('2016-01-01T00:02Z')).toBe(Date.UTC(2016, 0, 1, 0, 2));
    expect(parseTimestamp('2016-01-01T01:02:00+01:00')).toBe(Date.UTC(2016, 0, 1, 0, 2));
    expect(parseTimestamp('2016-01-01 01:02:00', 60)).toBe(Date.UTC(2016, 0, 1, 0, 2));
    expect(parseTimestamp('2016-02-29')).toBe(Date.UTC(2016, 1, 29));
    expect(parseTimestamp('2016-01-01 00:02:00.250')).toBe(Date.UTC(2016, 0, 1, 0, 2, 0, 250));
    for (const bad of [
      '',
      '2016/01/01',
      '2016-13-01',
      '2016-01-01 0:02',
      'yesterday',
      '2016-01-01 00:02:00 CET',
    ]) {
      expect(parseTimestamp(bad)).toBeNaN();
    }
    expect(parseUtcOffset('+01:00')).toBe(60);
    expect(parseUtcOffset('-0530')).toBe(-330);
  });
  it('agrees with Date.UTC on any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const t = Math.floor(ms / 1000) * 1000;
        const iso = new Date(t).toISOString().replace('T', ' ').slice(0, 19);
        expect(parseTimestamp(iso)).toBe(t);
      }),
    );
  });
  it('reads pandas offset strings', () => {
    expect(durationMs('15min')).toBe(900_000);
    expect(durationMs('20D')).toBe(20 * 86_400_000);
    expect(durationMs('1.5h')).toBe(5_400_000);
    expect(() => durationMs('15 parsecs')).toThrow(/invalid duration/);
  });
});

describe('normaliseSeries', () => {
  const s = () =>
    createSeries('x', Float64Array.of(3, 1, 2, 2, 1), Float64Array.of(30, 10, 20, 22, Number.NaN));
  it('sorts and resolves duplicates by the chosen policy, and says so', () => {
    const last = normaliseSeries(s(), 'last');
    expect([...last.series.time]).toEqual([1, 2, 3]);
    expect([...last.series.values]).toEqual([Number.NaN, 22, 30]);
    expect(last.report).toEqual({ reordered: true, duplicates: 2, policy: 'last' });
    expect(last.series.causes[1]! & Cause.DUPLICATE).toBeTruthy();
    expect([...normaliseSeries(s(), 'first').series.values]).toEqual([10, 20, 30]);
    expect([...normaliseSeries(s(), 'mean').series.values]).toEqual([10, 21, 30]);
    expect(() => normaliseSeries(s(), 'error')).toThrow(/2 readings at/);
  });
  it('yields strictly increasing time for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }), (ts) => {
        const series = createSeries(
          'x',
          Float64Array.from(ts),
          Float64Array.from(ts, (t) => t * 2),
        );
        const { series: out, report } = normaliseSeries(series, 'first');
        for (let i = 1; i < out.time.length; i++)
          expect(out.time[i]!).toBeGreaterThan(out.time[i - 1]!);
        expect(out.time.length + report.duplicates).toBe(ts.length);
      }),
    );
  });
});
