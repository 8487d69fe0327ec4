import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeries, type Series, seriesFromArrowIPC, seriesToArrowIPC } from '../src/index.js';
import { seriesFromParquet, seriesToParquet } from '../src/parquet.js';

const anySeries = fc
  .array(
    fc.record({
      v: fc.double(), // includes NaN, ±Infinity, -0
      f: fc.constantFrom(1, 2, 3, 4, 9),
      c: fc.integer({ min: 0, max: 0xffffffff }),
      ok: fc.constantFrom(0, 1, 2),
    }),
    { maxLength: 50 },
  )
  .chain((rows) =>
    fc
      .uniqueArray(fc.integer({ min: -1e12, max: 4e12 }), {
        minLength: rows.length,
        maxLength: rows.length,
      })
      .map((ts) => {
        const time = Float64Array.from(ts.sort((a, b) => a - b));
        const make = (name: string): Series => {
          const s = createSeries(
            name,
            time.slice(),
            Float64Array.from(rows, (r) => r.v),
            {
              flags: Uint8Array.from(rows, (r) => r.f),
              causes: Uint32Array.from(rows, (r) => r.c),
            },
          );
          s.validity.set(rows.map((r) => r.ok));
          return s;
        };
        return [make('level'), make('temp')];
      }),
  );

const bits = (a: Float64Array) => [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];

function expectSame(a: Series[], b: Series[]): void {
  expect(b.map((s) => s.name)).toEqual(a.map((s) => s.name));
  a.forEach((s, k) => {
    const r = b[k]!;
    expect([...r.time]).toEqual([...s.time]);
    expect(bits(r.values)).toEqual(bits(s.values));
    expect([...r.flags]).toEqual([...s.flags]);
    expect([...r.causes]).toEqual([...s.causes]);
    expect([...r.validity]).toEqual([...s.validity]);
  });
}

describe('Arrow conversion', () => {
  it('round-trips through Arrow IPC bit for bit', () => {
    fc.assert(
      fc.property(anySeries, (series) =>
        expectSame(series, seriesFromArrowIPC(seriesToArrowIPC(series))),
      ),
    );
  });
  it('stores time as timestamp[ms, UTC] and flags as uint8', () => {
    const s = createSeries('level', Float64Array.of(0, 900_000), Float64Array.of(1, 2));
    const table = tableFromIPC(seriesToArrowIPC([s]));
    expect(String(table.schema.fields.map((f) => `${f.name}:${f.type}`))).toBe(
      'time:Timestamp<MILLISECOND, UTC>,level:Float64,level.flag:Uint8,level.cause:Uint32,level.validity:Uint8',
    );
  });
  it('round-trips through Parquet bit for bit', () => {
    fc.assert(
      fc.property(anySeries, (series) =>
        expectSame(series, seriesFromParquet(seriesToParquet(series))),
      ),
      { numRuns: 30 },
    );
  });
});
