import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import {
  alignSeries,
  ConfigError,
  causeNames,
  cloneSeries,
  createSeries,
  Flag,
  type Frame,
  flagManual,
  flagRange,
  flagRateOfChange,
  flagSpike,
  formatReport,
  metadataFromArrowIPC,
  POLISH_REPORT_KEY,
  type PolishReport,
  parsePolishConfig,
  polish,
  readCamelsStreamflow,
  readMaintenanceLog,
  readWideCsv,
  type Series,
  seriesFromArrowIPC,
  severity,
  Validity,
  worstFlag,
} from '../src/index.js';
import { metadataFromParquet, seriesFromParquet } from '../src/parquet.js';
import { dataPath, noRealData, readData, realDataTitle } from './_data.js';

const MIN = 60_000;

/** Parameters recommended for daily discharge (README): ratios, not differences. */
export const DISCHARGE_TESTS = {
  spike: { suspect: Math.log(10), fail: Math.log(100), scale: 'log' as const },
  rateOfChange: { maxPerHour: Math.log(100) / 24, scale: 'log' as const },
};

describe('parsePolishConfig', () => {
  it('lists every problem by path', () => {
    let err: unknown;
    try {
      parsePolishConfig({
        align: { freq: 'soon' },
        variables: { x: { tests: { spike: { suspect: -1 } }, fill: { method: 'linear' } } },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      "align.freq: expected a duration such as '15min', '2h', '20D' or milliseconds",
      'variables.x.tests.spike.suspect: Too small: expected number to be >0',
      "variables.x.fill.maxGap: fill methods 'linear' and 'forward' need a maxGap",
    ]);
  });
  it('names line and column of a JSON syntax error, and unknown keys', () => {
    expect(() => parsePolishConfig('{"variables": {\n  "x": {,}\n}}', 'p.json')).toThrow(
      /^p\.json:2:9: invalid/,
    );
    expect(() => parsePolishConfig({ variables: { x: { test: {} } } })).toThrow(
      /variables\.x: Unrecognized key: "test"/,
    );
    expect(() =>
      parsePolishConfig({
        variables: { a: {} },
        redundancy: [{ variables: ['a', 'b'], suspect: 1 }],
      }),
    ).toThrow(/redundancy\.0\.variables\.1: unknown variable "b"/);
  });
});

const frameArb = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: -5, max: 50, noNaN: true }) },
      { weight: 1, arbitrary: fc.constant(Number.NaN) },
    ),
    {
      minLength: 1,
      maxLength: 80,
    },
  )
  .chain((vs) =>
    fc.array(fc.integer({ min: -3, max: 3 }), { minLength: vs.length, maxLength: vs.length }).map(
      (jitter): Frame => ({
        time: Float64Array.from(vs, (_, i) => i * 15 * MIN + jitter[i]! * MIN),
        columns: new Map([['level', Float64Array.from(vs)]]),
      }),
    ),
  );

describe('polish', () => {
  const config = parsePolishConfig({
    variables: {
      level: {
        tests: {
          range: { failMin: 0, failMax: 40, suspectMax: 30 },
          spike: { suspect: 5, fail: 20 },
          rateOfChange: { maxPerHour: 40 },
          flatLine: { suspectCount: 4, tolerance: 0 },
          zScore: { window: '6h', threshold: 3 },
        },
        fill: { method: 'linear', maxGap: '1h' },
      },
    },
  });
  it('only ever makes flags worse, and reports every flagged point', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        const input = createSeries('level', frame.time, frame.columns.get('level')!);
        const { series, report } = polish(frame, config);
        const out = series[0]!;
        for (let i = 0; i < out.flags.length; i++) {
          expect(severity(out.flags[i]!)).toBeGreaterThanOrEqual(severity(input.flags[i]!));
          if (out.validity[i] === Validity.OBSERVED) expect(out.flags[i]).toBe(Flag.PASS);
        }
        const r = report.variables.level!;
        expect(
          r.flags.pass + r.flags.suspect + r.flags.fail + r.flags.missing + r.flags.notEvaluated,
        ).toBe(out.flags.length);
        expect(r.validity.imputed).toBe(r.fill!.filled);
      }),
      { numRuns: 60 },
    );
  });
  it('aligns every variable onto one grid and flags maintenance on it', () => {
    const frame: Frame = {
      time: Float64Array.from([2, 17, 32, 47, 62].map((m) => m * MIN)),
      columns: new Map([
        ['a', Float64Array.of(1, 2, 3, 4, 5)],
        ['b', Float64Array.of(1, Number.NaN, 3, 4, 5)],
      ]),
    };
    const c = parsePolishConfig({
      align: { freq: '15min', method: 'nearest' },
      variables: { a: {}, b: { fill: { method: 'mask' } } },
    });
    const { series, report } = polish(frame, c, {
      maintenance: [{ start: 30 * MIN, end: 45 * MIN }],
    });
    expect([...series[0]!.time]).toEqual([...series[1]!.time]);
    expect([...series[0]!.flags]).toEqual([2, 2, 4, 4, 2]);
    expect(report.variables.b!.fill).toMatchObject({
      masked: 3,
      byCause: { MANUAL: 2, GAP: 1, ALIGNED: 2 },
    });
  });
});

/** Readings at 0, 14, 25 and 40 minutes past midnight, 2021-01-01 UTC. */
const READING_MINUTES = [0, 14, 25, 40];
const T0 = Date.UTC(2021, 0, 1);
const readingsFrame = (columns: Record<string, number[]>): Frame => ({
  time: Float64Array.from(READING_MINUTES, (m) => T0 + m * MIN),
  columns: new Map(Object.entries(columns).map(([k, v]) => [k, Float64Array.from(v)])),
});
const gridMinutes = (s: { time: Float64Array }) => [...s.time].map((t) => (t - T0) / MIN);

describe('polish: point tests judge readings before alignment (issue 18)', () => {
  const alignTime = { align: { freq: '15min', method: 'time' } } as const;
  it('flags a grid value interpolated from an impossible reading', () => {
    const frame = readingsFrame({ level: [129.1, 129.1, -100.8, 129.1] });
    const config = parsePolishConfig({
      ...alignTime,
      variables: { level: { tests: { range: { failMin: 0 } }, fill: { method: 'none' } } },
    });
    const { series, report } = polish(frame, config);
    const level = series[0]!;
    expect(gridMinutes(level)).toEqual([0, 15, 30, 45]);
    // 129.1 at 14 min and -100.8 at 25 min give 108.2 at 15 min: a plausible lie
    expect(level.values[1]).toBeCloseTo(108.2, 9);
    expect([...level.flags]).toEqual([Flag.PASS, Flag.FAIL, Flag.FAIL, Flag.MISSING]);
    expect(causeNames(level.causes[1]!)).toEqual(['RANGE', 'ALIGNED']);
    expect([...level.validity]).toEqual([
      Validity.OBSERVED,
      Validity.INVALID,
      Validity.INVALID,
      Validity.INVALID,
    ]);
    expect(report.variables.level!.tests).toEqual({ range: { suspect: 0, fail: 2 } });
    // what testing after alignment did: the interpolated value passes the range test
    const aligned = alignSeries(createSeries('level', frame.time, frame.columns.get('level')!), {
      freq: '15min',
      method: 'time',
    }).series;
    flagRange(aligned, { failMin: 0 });
    expect(aligned.flags[1]).toBe(Flag.NOT_EVALUATED);
  });
  it('flags grid points fed by a reading inside a maintenance interval, and inside one', () => {
    const frame = readingsFrame({ temp: [4.1, 4.3, 4.4, 4.2] });
    const during = { start: T0 + 20 * MIN, end: T0 + 27 * MIN }; // holds the 25-minute reading
    const between = { start: T0 + 29 * MIN, end: T0 + 31 * MIN }; // holds no reading
    const config = (method: 'time' | 'nearest') =>
      parsePolishConfig({ align: { freq: '15min', method }, variables: { temp: {} } });
    const time = polish(frame, config('time'), { maintenance: [during] });
    const t = time.series[0]!;
    // 15 and 30 are outside the interval but interpolated from the reading at 25
    expect([...t.flags]).toEqual([Flag.NOT_EVALUATED, Flag.FAIL, Flag.FAIL, Flag.MISSING]);
    expect(causeNames(t.causes[1]!)).toEqual(['MANUAL', 'ALIGNED']);
    expect(time.report.variables.temp!.tests).toEqual({ manual: { suspect: 0, fail: 2 } });
    // nearest: 15 takes the reading at 14, 30 the one at 25
    const nearest = polish(frame, config('nearest'), { maintenance: [during] }).series[0]!;
    expect([...nearest.flags]).toEqual([2, 2, 4, 2]);
    // a grid point inside an interval is flagged even when no reading in it fed the point
    const inside = polish(frame, config('time'), { maintenance: [between] }).series[0]!;
    expect([...inside.flags]).toEqual([2, 2, 4, 9]);
  });
  it('judges duplicate readings before they are averaged', () => {
    const frame: Frame = {
      time: Float64Array.from([0, 15, 15, 30], (m) => T0 + m * MIN),
      columns: new Map([['level', Float64Array.of(129.1, 129.1, -100.8, 129.1)]]),
    };
    const config = parsePolishConfig({
      duplicates: 'mean',
      variables: { level: { tests: { range: { failMin: 0 } } } },
    });
    const { series, report } = polish(frame, config);
    expect(series[0]!.values[1]).toBeCloseTo(14.15, 9);
    expect([...series[0]!.flags]).toEqual([Flag.PASS, Flag.FAIL, Flag.PASS]);
    expect(causeNames(series[0]!.causes[1]!)).toEqual(['RANGE', 'DUPLICATE']);
    expect(report.variables.level!.tests.range).toEqual({ suspect: 0, fail: 1 });
  });
  it('records flagged points by cause at their final flag', () => {
    const frame = readingsFrame({ level: [129.1, 129.1, -100.8, 129.1] });
    const config = parsePolishConfig({
      ...alignTime,
      variables: { level: { tests: { range: { failMin: 0, suspectMax: 129 } } } },
    });
    const { report } = polish(frame, config, {
      maintenance: [{ start: T0, end: T0 + MIN }],
    });
    const r = report.variables.level!;
    // grid 0 is in maintenance (fail) and above suspectMax: it counts as fail for both
    expect(r.causes).toEqual({
      GAP: { suspect: 0, fail: 0, missing: 1 },
      RANGE: { suspect: 0, fail: 3, missing: 0 },
      MANUAL: { suspect: 0, fail: 1, missing: 0 },
      ALIGNED: { suspect: 0, fail: 2, missing: 0 },
    });
    expect(r.tests).toEqual({ manual: { suspect: 0, fail: 1 }, range: { suspect: 0, fail: 3 } });
    expect(formatReport(report)).toContain(
      'causes       GAP: 1 missing; RANGE: 3 fail; MANUAL: 1 fail; ALIGNED: 2 fail',
    );
  });
});

/** Readings at distinct minutes within six hours, values -2..10 (the range test: fail < 0, suspect > 8). */
const readingsArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 360 }), { minLength: 1, maxLength: 40 })
  .chain((minutes) =>
    fc
      .array(fc.integer({ min: -2, max: 10 }), {
        minLength: minutes.length,
        maxLength: minutes.length,
      })
      .map((vs) => ({ minutes: minutes.sort((a, b) => a - b), values: vs })),
  );
const intervalsArb = fc.array(
  fc
    .tuple(fc.integer({ min: -10, max: 370 }), fc.integer({ min: 0, max: 30 }))
    .map(([m, d]) => ({ start: m * MIN, end: (m + d) * MIN })),
  { maxLength: 3 },
);

/**
 * The readings that feed a grid point, found by brute force: `time`, the last reading at
 * or before it and the first after it, both within 15 minutes (only the first when it is
 * on the grid point); `nearest`, the nearer of the two within 7.5 minutes; `mean`, those
 * whose nearest grid point it is, within 7.5 minutes.
 */
function contributors(minutes: number[], g: number, method: 'time' | 'nearest' | 'mean'): number[] {
  const tol = method === 'time' ? 15 : 7.5;
  const before = minutes.findLastIndex((m) => m <= g && g - m <= tol);
  const after = minutes.findIndex((m) => m > g && m - g <= tol);
  if (method === 'mean')
    return minutes.flatMap((m, i) => (m - g >= -7.5 && m - g < 7.5 ? [i] : []));
  if (method === 'nearest') {
    if (before < 0 || after < 0) return before < 0 ? (after < 0 ? [] : [after]) : [before];
    return [g - minutes[before]! <= minutes[after]! - g ? before : after];
  }
  if (before >= 0 && minutes[before] === g) return [before];
  return before >= 0 && after >= 0 ? [before, after] : [];
}

describe('polish: alignment carries the flags of the readings it uses', () => {
  it('flags no grid point better than the worst reading that fed it, and no other point worse', () => {
    const rangeTest = { failMin: 0, suspectMax: 8 };
    fc.assert(
      fc.property(
        readingsArb,
        intervalsArb,
        fc.constantFrom('time' as const, 'nearest' as const, 'mean' as const),
        ({ minutes, values }, maintenance, method) => {
          const frame: Frame = {
            time: Float64Array.from(minutes, (m) => m * MIN),
            columns: new Map([['x', Float64Array.from(values)]]),
          };
          const config = parsePolishConfig({
            align: { freq: '15min', method },
            variables: { x: { tests: { range: rangeTest } } },
          });
          const inInterval = (t: number) => maintenance.some((i) => i.start <= t && t <= i.end);
          const readingFlag = (k: number): number =>
            worstFlag(
              values[k]! < 0 ? Flag.FAIL : values[k]! > 8 ? Flag.SUSPECT : Flag.PASS,
              inInterval(minutes[k]! * MIN) ? Flag.FAIL : Flag.PASS,
            );
          const got = polish(frame, config, { maintenance }).series[0]!;
          // the order before issue 18: align, then test the grid values
          const old = alignSeries(createSeries('x', frame.time, frame.columns.get('x')!), {
            freq: '15min',
            method,
            span: { start: frame.time[0]!, end: frame.time[frame.time.length - 1]! },
          }).series;
          for (let g = 0; g < old.flags.length; g++)
            if (old.flags[g] === Flag.NOT_EVALUATED) old.flags[g] = Flag.PASS;
          flagManual(old, maintenance, { method: 'closed' });
          flagRange(old, rangeTest);
          expect([...got.time]).toEqual([...old.time]);
          for (let g = 0; g < got.time.length; g++) {
            const fed = contributors(minutes, got.time[g]! / MIN, method);
            if (fed.length === 0) {
              expect(got.flags[g]).toBe(Flag.MISSING);
              continue;
            }
            const worstFed = fed.map(readingFlag).reduce(worstFlag, Flag.PASS);
            expect(severity(got.flags[g]!)).toBeGreaterThanOrEqual(severity(worstFed));
            expect(severity(got.flags[g]!)).toBeGreaterThanOrEqual(severity(old.flags[g]!));
            if (worstFed === Flag.PASS) expect(got.flags[g]).toBe(old.flags[g]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('polish: per-variable gap policies', () => {
  it('fills linearly, forward, masks or leaves, each within its own maximum gap', () => {
    const values = [10, Number.NaN, Number.NaN, 40, -1, Number.NaN, Number.NaN, Number.NaN, 90];
    const frame: Frame = {
      time: Float64Array.from(values, (_, i) => i * 15 * MIN),
      columns: new Map([['v', Float64Array.from(values)]]),
    };
    const fill = {
      temp: { method: 'linear', maxGap: '45min' },
      level: { method: 'forward', maxGap: '45min' },
      rain: { method: 'mask' },
      other: { method: 'none' },
    } as const;
    const config = parsePolishConfig({
      variables: Object.fromEntries(
        Object.entries(fill).map(([k, f]) => [
          k,
          { column: 'v', tests: { range: { failMin: 0 } }, fill: f },
        ]),
      ),
    });
    const { series, report } = polish(frame, config);
    const [temp, level, rain, other] = series;
    const shown = (s: Series) => [...s.values].map((v) => (Number.isNaN(v) ? null : v));
    // 10 → 40 spans 45 min and is filled; -1 fails, and 40 → 90 spans 75 min: refused
    expect(shown(temp!)).toEqual([10, 20, 30, 40, -1, null, null, null, 90]);
    expect(shown(level!)).toEqual([10, 10, 10, 40, -1, null, null, null, 90]);
    expect(shown(rain!)).toEqual([10, null, null, 40, null, null, null, null, 90]);
    expect(shown(other!)).toEqual([10, null, null, 40, -1, null, null, null, 90]);
    expect([...temp!.validity]).toEqual([1, 2, 2, 1, 0, 0, 0, 0, 1]);
    expect([...rain!.validity]).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(report.variables.temp!.fill).toEqual({
      method: 'linear',
      filled: 2,
      masked: 0,
      refused: 4,
      byCause: { GAP: 2 },
    });
    expect(report.variables.rain!.fill).toEqual({
      method: 'mask',
      filled: 0,
      masked: 6,
      refused: 0,
      byCause: { GAP: 5, RANGE: 1 },
    });
    expect(report.variables.other!.fill).toMatchObject({ filled: 0, masked: 0, refused: 0 });
    expect(report.variables.other!.validity).toEqual({ observed: 3, imputed: 0, invalid: 6 });
  });
});

describe('weir-ts polish: point tests before alignment (issue 18)', () => {
  it('flags grid values fed by an impossible or an in-maintenance reading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-ts-18-'));
    const csv = join(dir, 'data.csv');
    const cfg = join(dir, 'polish.json');
    const rows = READING_MINUTES.map(
      (m, k) =>
        `2021-01-01 00:${String(m).padStart(2, '0')},${[129.1, 129.1, -100.8, 129.1][k]},${[4.1, 4.3, 4.4, 4.2][k]}`,
    );
    writeFileSync(csv, `Timestamp,level,temp\n${rows.join('\n')}\n`);
    writeFileSync(
      cfg,
      JSON.stringify({
        align: { freq: '15min', method: 'time' },
        maintenance: { intervals: [{ start: '2021-01-01 00:20', end: '2021-01-01 00:27' }] },
        variables: {
          level: { tests: { manual: false, range: { failMin: 0 } } },
          temp: { tests: { range: { failMin: -1, failMax: 40 } } },
        },
      }),
    );
    const out: string[] = [];
    const sink = { write: (s: string) => out.push(s) };
    const arrow = join(dir, 'p.arrow');
    expect(await main(['polish', csv, '--config', cfg, '--out', arrow], sink, sink)).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/level: 4 points[\s\S]*range +0 suspect, 2 fail/);
    expect(text).toMatch(/temp: 4 points[\s\S]*manual +0 suspect, 2 fail/);
    const [level, temp] = seriesFromArrowIPC(readFileSync(arrow));
    expect(level!.values[1]).toBeCloseTo(108.2, 9);
    expect([...level!.flags]).toEqual([Flag.PASS, Flag.FAIL, Flag.FAIL, Flag.MISSING]);
    expect([...temp!.flags]).toEqual([Flag.PASS, Flag.FAIL, Flag.FAIL, Flag.MISSING]);
    expect(causeNames(temp!.causes[2]!)).toEqual(['MANUAL', 'ALIGNED']);
    out.length = 0;
    expect(await main(['polish', csv, '--config', cfg, '--json'], sink, sink)).toBe(0);
    const report = JSON.parse(out.join('')) as PolishReport;
    expect(report.variables.level!.causes.RANGE).toEqual({ suspect: 0, fail: 2, missing: 0 });
    expect(report.variables.temp!.causes.MANUAL).toEqual({ suspect: 0, fail: 2, missing: 0 });
    // the file carries the same report
    const recorded = metadataFromArrowIPC(readFileSync(arrow)).get(POLISH_REPORT_KEY)!;
    expect(JSON.parse(recorded)).toEqual(report);
  });
});

describe.skipIf(noRealData)(realDataTitle('polishing real data'), () => {
  it('keeps every CAMELS flood peak with the recommended discharge parameters, and catches a glitch', () => {
    for (const b of ['01022500', '01547700', '02064000', '03015500']) {
      const { discharge } = readCamelsStreamflow(
        readData(`hydrology/camels_us/usgs_streamflow/${b}_streamflow_qc.txt`),
        { file: b },
      );
      const q = cloneSeries(discharge);
      expect(flagSpike(q, DISCHARGE_TESTS.spike)).toEqual({ suspect: 0, fail: 0 });
      expect(flagRateOfChange(q, DISCHARGE_TESTS.rateOfChange)).toEqual({ suspect: 0, fail: 0 });
      const peak = q.values.indexOf(Math.max(...q.values));
      expect(q.flags[peak]).toBeLessThan(Flag.FAIL);
      const glitched = cloneSeries(discharge);
      glitched.values[500] = glitched.values[500]! * 200;
      expect(flagSpike(glitched, DISCHARGE_TESTS.spike).fail).toBe(1);
    }
  });
  it('flags a departing sensor of tempSensorGroup.csv against the group median', () => {
    const frame = readWideCsv(readData('hydrology/saqc/tempSensorGroup.csv'), {
      file: 'tempSensorGroup.csv',
    });
    const names = [...frame.columns.keys()];
    const config = parsePolishConfig({
      variables: Object.fromEntries(names.map((n) => [n, {}])),
      redundancy: [{ variables: names, suspect: 2, fail: 5 }],
    });
    const { report } = polish(frame, config);
    const flagged = names.map((n) => report.variables[n]!.tests.redundancy!);
    expect(flagged.some((o) => o.suspect + o.fail > 0)).toBe(true);
  });
  it('runs weir-ts polish on hydro_data.csv to Parquet and Arrow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-ts-'));
    const cfg = join(dir, 'polish.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        align: { freq: '15min', method: 'time' },
        maintenance: { file: dataPath('hydrology/saqc/hydro_maint.csv'), method: 'closed' },
        variables: {
          level: {
            column: 'level_raw',
            tests: { range: { failMin: 0 } },
            fill: { method: 'forward', maxGap: '1h' },
          },
          sac254: {
            column: 'sac254_raw',
            tests: { range: { failMin: 0, failMax: 60 } },
            fill: { method: 'mask' },
          },
        },
      }),
    );
    const out: string[] = [];
    const sink = { write: (s: string) => out.push(s) };
    const input = dataPath('hydrology/saqc/hydro_data.csv');
    expect(
      await main(['polish', input, '--config', cfg, '--out', join(dir, 'p.parquet')], sink, sink),
    ).toBe(0);
    // 218 grid points lie inside an interval (23 of them with no reading); 16 more are
    // interpolated from a reading inside one
    const text = out.join('');
    expect(text.match(/manual +0 suspect, 211 fail/g)).toHaveLength(2);
    expect(text.match(/MANUAL: 211 fail, 23 missing/g)).toHaveLength(2);
    // 467 sac254 readings are out of range; 369 grid points were flagged when the range
    // test ran after alignment, 636 grid points are fed by one of them
    expect(text).toMatch(/sac254[\s\S]*range +0 suspect, 636 fail/);
    const parquet = readFileSync(join(dir, 'p.parquet'));
    const fromParquet = seriesFromParquet(parquet);
    const recorded = JSON.parse(metadataFromParquet(parquet).get(POLISH_REPORT_KEY)!);
    expect(recorded.variables.sac254.fill).toMatchObject({
      method: 'mask',
      masked: 867,
      byCause: { RANGE: 636, MANUAL: 234 },
    });
    expect(fromParquet.map((s) => s.name)).toEqual(['level', 'sac254']);
    expect(
      await main(
        ['polish', input, '--config', cfg, '--out', join(dir, 'p.arrow'), '--json'],
        sink,
        sink,
      ),
    ).toBe(0);
    const fromArrow = seriesFromArrowIPC(readFileSync(join(dir, 'p.arrow')));
    expect([...fromArrow[1]!.flags]).toEqual([...fromParquet[1]!.flags]);
    const maint = readMaintenanceLog(readData('hydrology/saqc/hydro_maint.csv'), { file: 'm' });
    for (const s of fromArrow) {
      for (const { start, end } of maint) {
        for (let i = 0; i < s.time.length; i++)
          if (s.time[i]! >= start && s.time[i]! <= end)
            expect(s.flags[i]).toBeGreaterThanOrEqual(Flag.FAIL);
      }
    }
    writeFileSync(cfg, '{"variables": {"level": {"tests": {"range": {"failMin": "zero"}}}}}');
    const err: string[] = [];
    const errSink = { write: (s: string) => err.push(s) };
    expect(await main(['polish', input, '--config', cfg], sink, errSink)).toBe(1);
    expect(err.join('')).toMatch(
      /variables\.level\.tests\.range\.failMin: Invalid input: expected number/,
    );
    expect(await main(['polosh'], sink, errSink)).toBe(2);
  });
});

void readWideCsv;
