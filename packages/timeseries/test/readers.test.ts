import { describe, expect, it } from 'vitest';
import {
  Cause,
  Flag,
  InputError,
  readCamelsStreamflow,
  readDaymetForcing,
  readMaintenanceLog,
  readWideCsv,
} from '../src/index.js';
import { noRealData, readData, realDataTitle } from './_data.js';

const error = (f: () => unknown): InputError => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
};

describe('readWideCsv', () => {
  it('reads timestamps and numbers, empty cells as missing', () => {
    const f = readWideCsv('Timestamp,a,b\n2016-01-01 00:02:00,1.5,\n2016-01-01 00:17:00,NaN,3\n', {
      file: 'x.csv',
    });
    expect([...f.time]).toEqual([Date.UTC(2016, 0, 1, 0, 2), Date.UTC(2016, 0, 1, 0, 17)]);
    expect([...f.columns.get('a')!]).toEqual([1.5, Number.NaN]);
    expect([...f.columns.get('b')!]).toEqual([Number.NaN, 3]);
  });
  it('names file, line and column of bad input', () => {
    const text = 'Timestamp,a\n2016-01-01 00:02:00,1\n2016-01-01 00:17:00,1,2\n';
    expect(error(() => readWideCsv(text, { file: 'x.csv' })).message).toMatch(
      /^x\.csv:3:24: expected 2 fields/,
    );
    expect(
      error(() => readWideCsv('t,a\n2016-01-01 00:02:00,abc\n', { file: 'x.csv' })).message,
    ).toBe('x.csv:2:21: expected a number, found "abc"');
    expect(error(() => readWideCsv('t,a\n2016-01-32,1\n', { file: 'x.csv' })).message).toMatch(
      /^x\.csv:2:1: unparseable timestamp/,
    );
    expect(
      error(() => readWideCsv('t,a\n2016-01-01,1\n', { file: 'x.csv', columns: ['b'] })).message,
    ).toMatch(/^x\.csv:1:1: missing column "b"/);
  });
});

describe('readMaintenanceLog', () => {
  it('reads intervals and rejects reversed ones', () => {
    const iv = readMaintenanceLog('Timestamp,maint\n2016-01-10 11:15:00,2016-01-10 12:15:00\n', {
      file: 'm.csv',
    });
    expect(iv).toEqual([
      { start: Date.UTC(2016, 0, 10, 11, 15), end: Date.UTC(2016, 0, 10, 12, 15) },
    ]);
    expect(
      error(() =>
        readMaintenanceLog('a,b\n2016-01-10 12:15:00,2016-01-10 11:15:00\n', { file: 'm.csv' }),
      ).message,
    ).toMatch(/^m\.csv:2:21: the interval ends before it starts/);
  });
});

describe('CAMELS readers', () => {
  it('carries qualifiers as flags and -999 as missing', () => {
    const r = readCamelsStreamflow(
      '01022500 2000 01 01   255.00 A:e\n01022500 2000 01 02   -999.00 A\n01022500 2000 01 03 3 A\n',
      {
        file: 'q.txt',
      },
    );
    expect([...r.discharge.flags]).toEqual([Flag.SUSPECT, Flag.MISSING, Flag.NOT_EVALUATED]);
    expect(r.discharge.causes[0]).toBe(Cause.QUALIFIER);
    expect(r.discharge.causes[1]).toBe(Cause.MISSING_VALUE);
    expect(r.qualifiers).toEqual({ 'A:e': 1, A: 2 });
    expect(
      error(() => readCamelsStreamflow('01022500 2000 01 01 x A\n', { file: 'q.txt' })).message,
    ).toBe('q.txt:1:21: expected a number, found "x"');
    expect(
      error(() => readCamelsStreamflow('01022500 2000 01 01 1 Z\n', { file: 'q.txt' })).message,
    ).toMatch(/^q\.txt:1:23: unknown USGS qualifier/);
  });
  it('reads the Daymet header', () => {
    const text =
      '  44.82\n 133.00\n 587675987\nYear Mnth Day Hr dayl(s) prcp(mm/day)\n2000 01 01 12\t31185.97\t0.00\n';
    const f = readDaymetForcing(text, { file: 'd.txt' });
    expect([f.latitude, f.elevation, f.area]).toEqual([44.82, 133, 587675987]);
    expect([...f.frame.columns.get('prcp(mm/day)')!]).toEqual([0]);
    expect(
      error(() => readDaymetForcing('1\n2\n3\nYear Mnth\n', { file: 'd.txt' })).message,
    ).toMatch(/^d\.txt:4:1: expected a column header/);
  });
});

describe.skipIf(noRealData)(realDataTitle('real files'), () => {
  it('reads SaQC hydro_data.csv, hydro_maint.csv and tempSensorGroup.csv', () => {
    const f = readWideCsv(readData('hydrology/saqc/hydro_data.csv'), { file: 'hydro_data.csv' });
    expect(f.time.length).toBe(70163);
    expect([...f.columns.keys()]).toEqual(['sac254_raw', 'level_raw', 'water_temp_raw']);
    expect(
      readMaintenanceLog(readData('hydrology/saqc/hydro_maint.csv'), { file: 'hydro_maint.csv' }),
    ).toHaveLength(36);
    const g = readWideCsv(readData('hydrology/saqc/tempSensorGroup.csv'), {
      file: 'tempSensorGroup.csv',
    });
    expect(g.time.length).toBe(52559);
    expect(g.columns.size).toBe(5);
  });
  it('reads every CAMELS basin', () => {
    let estimated = 0;
    for (const b of ['01022500', '01547700', '02064000', '03015500']) {
      const q = readCamelsStreamflow(
        readData(`hydrology/camels_us/usgs_streamflow/${b}_streamflow_qc.txt`),
        { file: b },
      );
      expect(q.basin).toBe(b);
      expect(q.discharge.time.length).toBe(1096);
      estimated += q.qualifiers['A:e'] ?? 0;
      const d = readDaymetForcing(
        readData(`hydrology/camels_us/daymet/${b}_lump_cida_forcing_leap.txt`),
        { file: b },
      );
      expect(d.frame.columns.has('prcp(mm/day)')).toBe(true);
      expect(d.area).toBeGreaterThan(0);
    }
    expect(estimated).toBe(436);
  });
});
