import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  boundsCheck,
  notNullCheck,
  rowCountCheck,
  schemaCheck,
  type TabularCheck,
  uniqueCheck,
} from '../src/checks/index.js';
import {
  type CheckHistoryEntry,
  type CheckResult,
  check,
  isCheck,
  toCheckResult,
} from '../src/definitions/check.js';
import type { Metadata } from '../src/definitions/metadata.js';
import { definitionError } from './helpers.js';

type Row = Record<string, unknown>;

function history(...metadata: Metadata[]): CheckHistoryEntry[] {
  return metadata.map((m, i) => ({
    passed: true,
    metadata: m,
    timestamp: 1000 - i,
    dataVersion: `v${i}`,
  }));
}

async function run(
  c: TabularCheck,
  rows: unknown,
  previous: CheckHistoryEntry[] = [],
): Promise<CheckResult & { metadata: Metadata }> {
  const ctx = { assetKey: 'gauges/readings', partition: undefined, previousResults: previous };
  const result = toCheckResult(await c.evaluate(ctx, rows as Row[]), c.name);
  return { ...result, metadata: result.metadata ?? {} };
}

describe('check()', () => {
  it('defaults severity to error and blocking to severity === error', () => {
    const c = check({ name: 'x', evaluate: () => true });
    expect(c).toMatchObject({
      kind: 'check',
      name: 'x',
      severity: 'error',
      blocking: true,
      description: undefined,
    });
    expect(check({ name: 'w', severity: 'warn', evaluate: () => true }).blocking).toBe(false);
    expect(
      check({ name: 'w', severity: 'warn', blocking: true, evaluate: () => true }).blocking,
    ).toBe(true);
    expect(check({ name: 'e', blocking: false, evaluate: () => true }).blocking).toBe(false);
    expect(isCheck(c)).toBe(true);
    expect(isCheck({ kind: 'asset' })).toBe(false);
  });

  it('rejects invalid specs, naming the check', () => {
    expect(
      definitionError(() => check({ name: 'bad name', evaluate: () => true })).message,
    ).toMatch(/invalid name "bad name"/);
    expect(definitionError(() => check({ name: '', evaluate: () => true })).message).toMatch(
      /invalid name/,
    );
    expect(definitionError(() => check({ name: 'x' } as never)).message).toBe(
      "check 'x' needs an evaluate(ctx, value) function",
    );
    expect(
      definitionError(() => check({ name: 'x', severity: 'fatal' as never, evaluate: () => true }))
        .message,
    ).toBe(`check 'x' has severity "fatal"; use 'error' or 'warn'`);
    expect(
      definitionError(() => check({ name: 'x', blocking: 'yes' as never, evaluate: () => true }))
        .message,
    ).toMatch(/blocking/);
    const typo = definitionError(() =>
      check({ name: 'x', severty: 'warn', evaluate: () => true } as never),
    );
    expect(typo.message).toBe("check 'x' has an unknown option 'severty'");
    expect(typo.hint).toBe("did you mean 'severity'?");
  });

  it('toCheckResult normalises booleans and results, and refuses anything else', () => {
    expect(toCheckResult(true, 'x')).toEqual({ passed: true });
    expect(toCheckResult({ passed: false, message: 'm', metadata: { n: 1 } }, 'x')).toEqual({
      passed: false,
      message: 'm',
      metadata: { n: 1 },
    });
    expect(() => toCheckResult(undefined, 'x')).toThrow(TypeError);
    expect(() => toCheckResult(42, 'x')).toThrow(
      "check 'x' returned 42: not a boolean or a result object",
    );
    expect(() => toCheckResult({ passed: 'yes' }, 'x')).toThrow('`passed` is not a boolean');
    expect(() => toCheckResult({ passed: true, message: 3 }, 'x')).toThrow(
      '`message` is not a string',
    );
    expect(() => toCheckResult({ passed: true, metadata: [] }, 'x')).toThrow(
      '`metadata` is not an object',
    );
  });
});

const readings: Row[] = [
  { station: 'ATT-01', stage_m: 1.5, observed_at: '2024-01-07T22:00:00Z' },
  { station: 'ATT-02', stage_m: null, observed_at: '2024-01-07T22:00:00Z' },
  { station: 'ATT-03', stage_m: 2, observed_at: '2024-01-07T23:00:00+01:00' },
];
const spec = {
  station: 'string',
  stage_m: { type: 'number', nullable: true },
  observed_at: 'datetime',
} as const;

describe('schemaCheck', () => {
  it('passes matching rows and records the observed schema', async () => {
    const result = await run(schemaCheck(spec), readings);
    expect(result.passed).toBe(true);
    expect(result.message).toBe('3 rows match the schema');
    expect(result.metadata).toEqual({
      rowCount: 3,
      invalidRows: 0,
      violations: 0,
      violationsByColumn: {},
      offending: [],
      missingColumns: [],
      extraColumns: [],
      schema: { columns: { station: 'string', stage_m: 'number|null', observed_at: 'datetime' } },
      drift: null,
    });
  });

  it('fails with the offending rows, columns and counts', async () => {
    const rows: Row[] = [
      ...readings,
      { station: 'ATT-04', stage_m: 'n/a', observed_at: 'yesterday' },
      { stage_m: 1, observed_at: '2024-02-30T00:00:00Z' },
      'not a row' as unknown as Row,
    ];
    const result = await run(schemaCheck(spec), rows);
    expect(result.passed).toBe(false);
    expect(result.metadata.invalidRows).toBe(3);
    expect(result.metadata.violations).toBe(5);
    expect(result.metadata.violationsByColumn).toEqual({
      stage_m: 1,
      observed_at: 2,
      station: 1,
      '(row)': 1,
    });
    expect(result.metadata.offending).toEqual([
      { row: 3, column: 'stage_m', expected: 'number or null', found: 'string "n/a"' },
      { row: 3, column: 'observed_at', expected: 'datetime', found: 'string "yesterday"' },
      { row: 4, column: 'station', expected: 'string', found: 'missing' },
      {
        row: 4,
        column: 'observed_at',
        expected: 'datetime',
        found: 'string "2024-02-30T00:00:00Z"',
      },
      { row: 5, column: '(row)', expected: 'an object', found: 'string' },
    ]);
    expect(result.message).toBe(
      '3 of 6 rows break the schema (observed_at: 2, stage_m: 1, station: 1, (row): 1); first: row 3 stage_m expected number or null, found string "n/a"',
    );
  });

  it('keeps at most 10 offending rows but counts them all', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({
      station: i,
      stage_m: 1,
      observed_at: '2024-01-01',
    }));
    const result = await run(
      schemaCheck({ station: 'string', stage_m: 'integer', observed_at: 'date' }),
      rows,
    );
    expect(result.metadata.invalidRows).toBe(25);
    expect((result.metadata.offending as unknown[]).length).toBe(10);
  });

  it('checks every column type', async () => {
    const all = {
      s: 'string',
      n: 'number',
      i: 'integer',
      b: 'boolean',
      dt: 'datetime',
      d: 'date',
      o: 'object',
      a: 'array',
      j: 'json',
    } as const;
    const good = {
      s: '',
      n: 1.5,
      i: 3,
      b: false,
      dt: '2024-03-31 02:30',
      d: '2024-02-29',
      o: { x: 1 },
      a: [1],
      j: 'anything',
    };
    expect((await run(schemaCheck(all), [good])).passed).toBe(true);
    const bad = {
      s: 1,
      n: Number.NaN,
      i: 1.5,
      b: 'true',
      dt: '2024-01-01',
      d: '2023-02-29',
      o: [1],
      a: {},
      j: 0,
    };
    const result = await run(schemaCheck(all), [bad]);
    expect(result.metadata.violationsByColumn).toEqual({
      s: 1,
      n: 1,
      i: 1,
      b: 1,
      dt: 1,
      d: 1,
      o: 1,
      a: 1,
    });
  });

  it('reports drift: exactly the added, removed and retyped columns', async () => {
    const previous = history({
      schema: {
        columns: { station: 'string', stage_m: 'number', gauge: 'string', flow: 'number' },
      },
    });
    const rows = [
      {
        station: 'ATT-01',
        stage_m: '1.5',
        flow: null,
        observed_at: '2024-01-07T22:00:00Z',
        quality: 'good',
      },
    ];
    const result = await run(
      schemaCheck({ station: 'string', observed_at: 'datetime' }),
      rows,
      previous,
    );
    expect(result.passed).toBe(true); // drift: 'warn' by default
    expect(result.metadata.drift).toEqual({
      added: ['observed_at', 'quality'],
      removed: ['gauge'],
      retyped: [{ column: 'stage_m', from: 'number', to: 'string' }],
    });
    expect(result.metadata.extraColumns).toEqual(['stage_m', 'flow', 'quality']);
    expect(result.message).toBe(
      "1 row match the schema; schema drift since the previous result: added 'observed_at', 'quality'; removed 'gauge'; 'stage_m' number → string",
    );
  });

  it('fails on drift with drift: fail, stays silent with ignore, and nullability alone is no drift', async () => {
    const previous = history({ schema: { columns: { station: 'string', stage_m: 'number' } } });
    const rows = [{ station: 'A', stage_m: null }, { station: 'B' }];
    const nullable = { station: 'string', stage_m: { type: 'number', nullable: true } } as const;
    const same = await run(schemaCheck(nullable, { drift: 'fail' }), rows, previous);
    expect(same.passed).toBe(true);
    expect(same.metadata.drift).toEqual({ added: [], removed: [], retyped: [] });
    const retyped = [{ station: 'A', stage_m: true }];
    const failed = await run(schemaCheck(nullable, { drift: 'fail' }), retyped, previous);
    expect(failed.passed).toBe(false);
    expect(failed.message).toContain("'stage_m' number → boolean");
    const ignored = await run(
      schemaCheck({ station: 'string', stage_m: 'json' }, { drift: 'ignore' }),
      retyped,
      previous,
    );
    expect(ignored.passed).toBe(true);
    expect(ignored.metadata).not.toHaveProperty('drift');
    expect(ignored.message).toBe('1 row match the schema');
  });

  it('extraColumns: fail rejects columns the spec does not name', async () => {
    const result = await run(schemaCheck({ station: 'string' }, { extraColumns: 'fail' }), [
      { station: 'A', extra: 1 },
    ]);
    expect(result.passed).toBe(false);
    expect(result.message).toBe("1 row match the schema; columns outside the schema: 'extra'");
  });

  it('an empty table keeps the previous schema and reports no drift', async () => {
    const previous = history({ schema: { columns: { station: 'string' } } });
    const result = await run(schemaCheck({ station: 'string' }), [], previous);
    expect(result.passed).toBe(true);
    expect(result.metadata.schema).toEqual({ columns: { station: 'string' } });
    expect(result.metadata.drift).toBeNull();
    expect(result.message).toBe('0 rows: nothing to check, schema not observed');
  });

  it('names columns missing from every row', async () => {
    const result = await run(schemaCheck({ station: 'string', stage_m: 'number' }), [
      { station: 'A' },
    ]);
    expect(result.passed).toBe(false);
    expect(result.message).toBe(
      "1 of 1 row break the schema (stage_m: 1); first: row 0 stage_m expected number, found missing; missing from every row: 'stage_m'",
    );
  });

  it('accepts a zod object schema', async () => {
    const schema = z.object({
      station: z.string().min(3),
      stage_m: z.number().nonnegative().nullable(),
    });
    const good = await run(schemaCheck(schema), [
      { station: 'ATT-01', stage_m: 1 },
      { station: 'ATT-02', stage_m: null },
    ]);
    expect(good.passed).toBe(true);
    expect(good.metadata.schema).toEqual({
      columns: { station: 'string', stage_m: 'number|null' },
    });
    const bad = await run(schemaCheck(schema, { name: 'contract' }), [
      { station: 'A', stage_m: -1 },
      { station: 7 },
    ]);
    expect(bad.passed).toBe(false);
    expect(bad.metadata.invalidRows).toBe(2);
    const offending = bad.metadata.offending as Array<Record<string, unknown>>;
    expect(offending.map((o) => [o.row, o.column, o.found])).toEqual([
      [0, 'station', 'string "A"'],
      [0, 'stage_m', 'number -1'],
      [1, 'station', 'number 7'],
      [1, 'stage_m', 'missing'],
    ]);
    expect(offending[2]!.expected).toBe('string');
  });

  it('fails clearly when the value is not a table', async () => {
    const result = await run(schemaCheck(spec), { rows: [] });
    expect(result).toEqual({
      passed: false,
      message: 'expected a table (an array of row objects), got object',
      metadata: { found: 'object' },
    });
  });

  it('rejects invalid specs and options', () => {
    expect(definitionError(() => schemaCheck({ station: 'text' } as never)).message).toBe(
      `schemaCheck: column 'station' has type "text"`,
    );
    expect(definitionError(() => schemaCheck({ at: 'datetim' } as never)).hint).toBe(
      "did you mean 'datetime'?",
    );
    expect(
      definitionError(() => schemaCheck({ x: { type: 'string', nullable: 'yes' } } as never))
        .message,
    ).toMatch(/nullable/);
    expect(definitionError(() => schemaCheck(spec, { drift: 'loud' } as never)).message).toMatch(
      /drift must be/,
    );
    expect(
      definitionError(() => schemaCheck(spec, { extraColumns: 'deny' } as never)).message,
    ).toMatch(/extraColumns/);
    expect(definitionError(() => schemaCheck(spec, { drfit: 'fail' } as never)).hint).toBe(
      "did you mean 'drift'?",
    );
    expect(definitionError(() => schemaCheck(spec, { name: 'has space' })).message).toMatch(
      /invalid name/,
    );
    expect(definitionError(() => schemaCheck(null as never)).message).toMatch(/column spec/);
  });
});

describe('rowCountCheck', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));
  const counts = (...n: number[]) => history(...n.map((rowCount) => ({ rowCount })));

  it('checks absolute bounds', async () => {
    const c = rowCountCheck({ min: 2, max: 3 });
    expect(c.name).toBe('row_count');
    expect((await run(c, rows(2))).passed).toBe(true);
    expect((await run(c, rows(1))).message).toBe('1 row is fewer than the minimum 2');
    expect((await run(c, rows(4))).message).toBe('4 rows is more than the maximum 3');
  });

  it('flags a drop against the median of the last window counts', async () => {
    const previous = counts(3180, 3100, 3200, 3300, 9999, 3150, 3180, 3170, 3190, 3180, 10);
    const result = await run(rowCountCheck({ maxDropFraction: 0.5 }), rows(1204), previous);
    expect(result.passed).toBe(false);
    expect(result.message).toBe(
      '1,204 rows is 62 % below the median 3,180 of the last 10 (at most 50 % allowed)',
    );
    expect(result.metadata).toEqual({
      rowCount: 1204,
      baselineMedian: 3180,
      baselineSize: 10,
      changeFraction: -0.6214,
    });
  });

  it('flags growth, passes normal volume, and counts re-checks of one data version once', async () => {
    const previous: CheckHistoryEntry[] = [
      { passed: true, metadata: { rowCount: 100 }, timestamp: 3, dataVersion: 'a' },
      { passed: true, metadata: { rowCount: 100 }, timestamp: 2, dataVersion: 'a' },
      { passed: true, metadata: { rowCount: 100 }, timestamp: 2, dataVersion: 'a' },
      { passed: true, metadata: { rowCount: 120 }, timestamp: 1, dataVersion: 'b' },
      { passed: true, metadata: {}, timestamp: 0, dataVersion: 'c' },
    ];
    const c = rowCountCheck({ maxGrowthFraction: 1, window: 5 });
    const grown = await run(c, rows(300), previous);
    expect(grown.passed).toBe(false);
    expect(grown.message).toBe(
      '300 rows is 173 % above the median 110 of the last 2 (at most 100 % growth allowed)',
    );
    const normal = await run(c, rows(105), previous);
    expect(normal).toMatchObject({
      passed: true,
      message: '105 rows (5 % below the median 110 of the last 2)',
    });
    expect(normal.metadata.baselineMedian).toBe(110);
  });

  it('passes without history, and handles a zero median', async () => {
    expect(await run(rowCountCheck({ maxDropFraction: 0.1 }), rows(5))).toMatchObject({
      passed: true,
      message: '5 rows (no history yet)',
      metadata: { rowCount: 5, baselineMedian: null, baselineSize: 0, changeFraction: null },
    });
    const zero = await run(rowCountCheck({ maxGrowthFraction: 2 }), rows(3), counts(0, 0));
    expect(zero.message).toBe(
      '3 rows is more than the median 0 of the last 2 (at most 200 % growth allowed)',
    );
  });

  it('rejects invalid options', () => {
    expect(definitionError(() => rowCountCheck({ min: 5, max: 2 })).message).toBe(
      'rowCountCheck: min (5) is greater than max (2)',
    );
    expect(definitionError(() => rowCountCheck({ min: -1 })).message).toMatch(
      /min must be a whole number/,
    );
    expect(definitionError(() => rowCountCheck({ maxDropFraction: 50 })).message).toMatch(
      /between 0 and 1/,
    );
    expect(definitionError(() => rowCountCheck({ maxGrowthFraction: -1 })).message).toMatch(
      /maxGrowthFraction/,
    );
    expect(definitionError(() => rowCountCheck({ window: 0 })).message).toMatch(/window/);
    expect(definitionError(() => rowCountCheck({ windw: 1 } as never)).hint).toBe(
      "did you mean 'window'?",
    );
  });
});

describe('boundsCheck', () => {
  it('passes values within bounds, nulls allowed by default', async () => {
    const result = await run(boundsCheck('stage_m', { min: 0, max: 12 }), readings);
    expect(result.passed).toBe(true);
    expect(result.message).toBe('stage_m within [0, 12] in 3 rows (values 1.5 to 2)');
    expect(result.metadata).toMatchObject({
      violations: 0,
      nulls: 1,
      observedMin: 1.5,
      observedMax: 2,
    });
  });

  it('counts and samples violations: below, above, NaN, non-numbers, nulls when forbidden', async () => {
    const rows = [-0.4, 3, 13, Number.NaN, '2.5', null, Number.POSITIVE_INFINITY].map(
      (stage_m) => ({ stage_m }),
    );
    const c = boundsCheck('stage_m', { min: 0, max: 12, allowNull: false });
    expect(c.name).toBe('bounds_stage_m');
    const result = await run(c, rows);
    expect(result.passed).toBe(false);
    expect(result.metadata).toEqual({
      column: 'stage_m',
      min: 0,
      max: 12,
      rowCount: 7,
      violations: 6,
      belowMin: 1,
      aboveMax: 1,
      notNumeric: 3,
      nulls: 1,
      observedMin: 3,
      observedMax: 3,
      samples: [
        { row: 0, value: -0.4, problem: 'below 0' },
        { row: 2, value: 13, problem: 'above 12' },
        { row: 3, value: 'NaN', problem: 'not a number (NaN)' },
        { row: 4, value: '2.5', problem: 'not a number (string "2.5")' },
        { row: 5, value: null, problem: 'null' },
        { row: 6, value: 'Infinity', problem: 'not a number (Infinity)' },
      ],
    });
    expect(result.message).toBe(
      '6 of 7 values of stage_m are outside [0, 12]: 1 below 0, 1 above 12, 3 not a number, 1 null; first: row 0 = -0.4',
    );
  });

  it('supports one-sided bounds and a custom name', async () => {
    const c = boundsCheck('stage_m', { min: 0, name: 'stage_physical' });
    expect(c.name).toBe('stage_physical');
    const result = await run(c, [{ stage_m: -1 }]);
    expect(result.message).toBe(
      '1 of 1 value of stage_m is outside [0, ∞]: 1 below 0; first: row 0 = -1',
    );
  });

  it('rejects invalid options', () => {
    expect(definitionError(() => boundsCheck('x')).message).toBe(
      'boundsCheck("x"): give min, max or both',
    );
    expect(definitionError(() => boundsCheck('x', { min: 2, max: 1 })).message).toMatch(
      /min \(2\) is greater than max \(1\)/,
    );
    expect(definitionError(() => boundsCheck('x', { min: Number.NaN })).message).toMatch(
      /finite number/,
    );
    expect(definitionError(() => boundsCheck('', { min: 0 })).message).toMatch(/name the column/);
  });
});

describe('uniqueCheck', () => {
  it('passes a unique key', async () => {
    const result = await run(uniqueCheck('station'), readings);
    expect(result).toMatchObject({ passed: true, message: 'station is unique in 3 rows' });
    expect(uniqueCheck(['station', 'observed_at']).name).toBe('unique_station_observed_at');
  });

  it('reports duplicate composite keys with their rows', async () => {
    const rows = [
      { station: 'A', at: 1 },
      { station: 'A', at: 2 },
      { station: 'A', at: 1 },
      { station: 'B', at: 1 },
      { station: 'A', at: 1 },
      { station: 'B', at: 1 },
      { at: 3 },
      { station: null, at: 3 },
    ];
    const result = await run(uniqueCheck(['station', 'at']), rows);
    expect(result.passed).toBe(false);
    expect(result.metadata).toEqual({
      columns: ['station', 'at'],
      rowCount: 8,
      distinctKeys: 4,
      duplicateRows: 4,
      duplicateKeys: 3,
      samples: [
        { key: { station: 'A', at: 1 }, rows: [0, 2, 4], count: 3 },
        { key: { station: 'B', at: 1 }, rows: [3, 5], count: 2 },
        { key: { station: null, at: 3 }, rows: [6, 7], count: 2 },
      ],
    });
    expect(result.message).toBe(
      '4 rows repeat 3 keys of (station, at); first: station=A, at=1 at rows 0, 2, 4',
    );
  });

  it('tells values of different types apart in a single-column key', async () => {
    const rows = [
      { id: 1 },
      { id: '1' },
      { id: { a: 1 } },
      { id: { a: 1 } },
      { id: 'json:{"a":1}' },
    ];
    const result = await run(uniqueCheck('id'), rows);
    expect(result.metadata.duplicateRows).toBe(1);
    expect((result.metadata.samples as unknown[]).length).toBe(1);
  });

  it('rejects invalid columns', () => {
    expect(definitionError(() => uniqueCheck([])).message).toMatch(/non-empty array/);
    expect(definitionError(() => uniqueCheck(['a', 'a'])).message).toMatch(/listed twice/);
  });
});

describe('notNullCheck', () => {
  it('counts nulls, missing values and empty strings per column', async () => {
    const rows = [
      { station: 'A', stage_m: 1 },
      { station: '', stage_m: null },
      { stage_m: 2 },
      { station: 'D', stage_m: 3 },
    ];
    const c = notNullCheck(['station', 'stage_m']);
    expect(c.name).toBe('not_null_station_stage_m');
    const result = await run(c, rows);
    expect(result.passed).toBe(false);
    expect(result.metadata).toEqual({
      columns: ['station', 'stage_m'],
      rowCount: 4,
      nullRows: 2,
      nullCounts: { station: 2, stage_m: 1 },
      samples: { station: [1, 2], stage_m: [1] },
    });
    expect(result.message).toBe(
      'station is null in 2 of 4 rows (rows 1, 2); stage_m is null in 1 of 4 rows (row 1)',
    );
  });

  it('can treat empty strings as values, and passes complete columns', async () => {
    const result = await run(notNullCheck('station', { emptyStringIsNull: false }), [
      { station: '' },
      { station: 'B' },
    ]);
    expect(result).toMatchObject({ passed: true, message: 'station: no nulls in 2 rows' });
  });

  it('samples at most 10 rows per column', async () => {
    const rows = Array.from({ length: 30 }, () => ({ station: null }));
    const result = await run(notNullCheck('station'), rows);
    expect((result.metadata.samples as Record<string, number[]>).station).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(result.message).toBe(
      'station is null in 30 of 30 rows (rows 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …)',
    );
  });

  it('rejects invalid options', () => {
    expect(
      definitionError(() => notNullCheck('x', { emptyStringIsNull: 1 } as never)).message,
    ).toMatch(/emptyStringIsNull/);
    expect(definitionError(() => notNullCheck(7 as never)).message).toMatch(/name a column/);
  });
});

describe('built-ins at scale', () => {
  it('check a million rows in one pass each', async () => {
    const rows = Array.from({ length: 1_000_000 }, (_, i) => ({
      id: i,
      stage_m: (i % 1000) / 100,
      station: `S${i % 50}`,
    }));
    const started = performance.now();
    for (const c of [
      schemaCheck({ id: 'integer', stage_m: 'number', station: 'string' }),
      boundsCheck('stage_m', { min: 0, max: 10 }),
      uniqueCheck('id'),
      uniqueCheck(['station', 'id']),
      notNullCheck(['id', 'station']),
      rowCountCheck({ min: 1 }),
    ]) {
      expect((await run(c, rows)).passed).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
