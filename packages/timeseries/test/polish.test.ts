import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import {
  ConfigError,
  cloneSeries,
  createSeries,
  Flag,
  type Frame,
  flagRateOfChange,
  flagSpike,
  parsePolishConfig,
  polish,
  readCamelsStreamflow,
  readMaintenanceLog,
  readWideCsv,
  seriesFromArrowIPC,
  severity,
  Validity,
} from '../src/index.js';
import { seriesFromParquet } from '../src/parquet.js';
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
    expect(out.join('')).toMatch(/manual +0 suspect, 218 fail/);
    const fromParquet = seriesFromParquet(readFileSync(join(dir, 'p.parquet')));
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
