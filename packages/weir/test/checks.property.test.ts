import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundsCheck,
  type ColumnSpec,
  type ColumnType,
  inferSchema,
  type ObservedSchema,
  schemaCheck,
  type TabularCheck,
  uniqueCheck,
} from '../src/checks/index.js';
import { type CheckHistoryEntry, toCheckResult } from '../src/definitions/check.js';
import { formatDuration, parseDuration } from '../src/definitions/freshness.js';

type Row = Record<string, unknown>;

async function run(c: TabularCheck, rows: Row[], previousResults: CheckHistoryEntry[] = []) {
  const ctx = { assetKey: 'a', partition: undefined, previousResults };
  const result = toCheckResult(await c.evaluate(ctx, rows), c.name);
  return { ...result, metadata: result.metadata ?? {} };
}

// -0 becomes 0: they compare equal, but fc.double({ min: 0, max: -0 }) is refused as min > max.
const finite = fc
  .double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 })
  .map((v) => (v === 0 ? 0 : v));
const bounds = fc
  .tuple(finite, finite)
  .map(([a, b]): readonly [number, number] => (a <= b ? [a, b] : [b, a]));

describe('boundsCheck properties', () => {
  it('never flags a value within bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        bounds.chain(([min, max]) =>
          fc.tuple(
            fc.constant([min, max] as const),
            fc.array(fc.double({ min, max, noNaN: true }), { maxLength: 20 }),
          ),
        ),
        async ([[min, max], values]) => {
          const result = await run(
            boundsCheck('v', { min, max }),
            values.map((v) => ({ v })),
          );
          expect(result.passed).toBe(true);
          expect(result.metadata.violations).toBe(0);
        },
      ),
    );
  });

  it('always flags a value outside bounds, and counts each', async () => {
    await fc.assert(
      fc.asyncProperty(
        bounds,
        fc.array(fc.oneof(finite, fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY))),
        async ([min, max], values) => {
          const outside = values.filter((v) => !(v >= min && v <= max) || !Number.isFinite(v));
          const result = await run(
            boundsCheck('v', { min, max }),
            values.map((v) => ({ v })),
          );
          expect(result.metadata.violations).toBe(outside.length);
          expect(result.passed).toBe(outside.length === 0);
        },
      ),
    );
  });
});

describe('uniqueCheck properties', () => {
  const value = fc.oneof(
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom('0', '1', 'a'),
    fc.constant(null),
    fc.boolean(),
  );

  it('duplicate rows = rows − distinct keys, for single and composite keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ a: value, b: value }), { maxLength: 40 }),
        async (rows) => {
          const single = await run(uniqueCheck('a'), rows);
          expect(single.metadata.duplicateRows).toBe(
            rows.length - new Set(rows.map((r) => r.a)).size,
          );
          const composite = await run(uniqueCheck(['a', 'b']), rows);
          const keys = new Set(rows.map((r) => JSON.stringify([r.a, r.b])));
          expect(composite.metadata.duplicateRows).toBe(rows.length - keys.size);
          expect(composite.passed).toBe(keys.size === rows.length);
        },
      ),
    );
  });
});

describe('schema inference properties', () => {
  const cellValue = fc.oneof(
    fc.integer(),
    finite,
    fc.string({ maxLength: 8 }),
    fc.boolean(),
    fc.constant(null),
    fc
      .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc
      .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 2 }), fc.integer(), { maxKeys: 2 }),
  );
  const rowsArbitrary = fc.array(fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), cellValue), {
    minLength: 1,
    maxLength: 15,
  });

  /** The column spec an inferred schema stands for: one type, else `json`; nullable when null was seen. */
  function specOf(schema: ObservedSchema): ColumnSpec {
    const spec: Record<string, { type: ColumnType; nullable: boolean }> = {};
    for (const [column, type] of Object.entries(schema.columns)) {
      const parts = type.split('|').filter((p) => p !== 'null');
      spec[column] = {
        type: parts.length === 1 ? (parts[0] as ColumnType) : 'json',
        nullable: type.includes('null'),
      };
    }
    return spec;
  }

  it('the rows a schema was inferred from pass it, with no drift', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArbitrary, async (rows) => {
        const schema = inferSchema(rows);
        const previous = [
          {
            passed: true,
            metadata: { schema: { columns: schema.columns } },
            timestamp: 0,
            dataVersion: 'v',
          },
        ];
        const result = await run(
          schemaCheck(specOf(schema), { drift: 'fail', extraColumns: 'fail' }),
          rows,
          previous,
        );
        expect(result.message).toMatch(/match the schema$/);
        expect(result.passed).toBe(true);
        expect(result.metadata.drift).toEqual({ added: [], removed: [], retyped: [] });
        expect(result.metadata.schema).toEqual({ columns: schema.columns });
      }),
    );
  });
});

describe('duration properties', () => {
  it('parseDuration(formatDuration(ms)) === ms', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 13 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });

  it('a sum of unit parts parses to the sum', () => {
    const units = [
      ['w', 604_800_000],
      ['d', 86_400_000],
      ['h', 3_600_000],
      ['m', 60_000],
      ['s', 1000],
      ['ms', 1],
    ] as const;
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.nat({ max: 1000 }), { nil: undefined }), {
          minLength: 6,
          maxLength: 6,
        }),
        fc.boolean(),
        (counts, spaced) => {
          const parts = units.flatMap(([unit, size], i) =>
            counts[i] === undefined ? [] : [[`${counts[i]}${unit}`, counts[i]! * size] as const],
          );
          fc.pre(parts.length > 0);
          const text = parts.map(([p]) => p).join(spaced ? ' ' : '');
          expect(parseDuration(text)).toBe(parts.reduce((sum, [, ms]) => sum + ms, 0));
        },
      ),
    );
  });
});
