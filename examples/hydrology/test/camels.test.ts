import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Series } from '@weir/timeseries';
import { Cause, Flag, refreshValidity, Validity } from '@weir/timeseries';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CamelsBasin } from '../src/data/camels.js';
import {
  camelsLayout,
  cfsToMmPerDay,
  DEFAULT_ATTRIBUTES,
  FORCING_NAMES,
  loadCamelsBasins,
  readCamelsAttributes,
} from '../src/data/camels.js';
import { injectFaults } from '../src/data/faults.js';
import { buildSampleSet, dayNumber } from '../src/data/windows.js';

const DAY_MS = 86_400_000;
const BASINS = ['01022500', '01547700', '02064000', '03015500'];
/** The example's copy of the data, or the shared one it was copied from. */
const ROOT = [
  fileURLToPath(new URL('../data/camels_us', import.meta.url)),
  '/work/shared/data/hydrology/camels_us',
].find((p) => existsSync(p));

const dayIndex = (s: Series, date: string) => s.time.indexOf(dayNumber(date) * DAY_MS);

describe.skipIf(ROOT === undefined)('CAMELS-US, the four basins', () => {
  let basins: CamelsBasin[];
  beforeAll(async () => {
    basins = await loadCamelsBasins(BASINS, camelsLayout(ROOT!));
  });

  it('converts ft³/s to mm/day with the Daymet header’s area (checked by hand for one day)', () => {
    const b = basins[0]!;
    expect(b.id).toBe('01022500');
    expect(b.area).toBe(587_675_987);
    expect([b.latitude, b.elevation]).toEqual([44.82, 133]);
    // 2000-01-01: 255 ft³/s × 0.028316846592 m³/ft³ × 86400 s × 1000 mm/m / 587,675,987 m².
    const i = dayIndex(b.discharge, '2000-01-01');
    expect(b.discharge.values[i]).toBeCloseTo(1.0615998916337277, 12);
    expect(b.discharge.values[i]).toBeCloseTo((255 * 0.0283168 * 86_400 * 1000) / 587_675_987, 5);
    expect(cfsToMmPerDay(255, 587_675_987)).toBe(b.discharge.values[i]);
    expect(b.discharge.unit).toBe('mm/day');
    // 03015500's largest peak, 6,380 ft³/s on 2002-05-14, over 831,030,801 m².
    const peak = basins[3]!.discharge;
    expect(peak.values[dayIndex(peak, '2002-05-14')]).toBeCloseTo(
      (6380 * 0.028316846592 * 86_400_000) / 831_030_801,
      10,
    );
  });

  it('keeps the reader’s flags: A:e is suspect (cause QUALIFIER) but observed until polished', () => {
    expect(basins.map((b) => b.qualifiers['A:e'])).toEqual([225, 14, 107, 90]);
    for (const b of basins) {
      const q = b.discharge;
      expect(q.values).toHaveLength(1096);
      let suspect = 0;
      for (let i = 0; i < q.values.length; i++) {
        if (q.flags[i] !== Flag.SUSPECT) continue;
        suspect++;
        expect(q.causes[i]).toBe(Cause.QUALIFIER);
        expect(q.validity[i]).toBe(Validity.OBSERVED);
      }
      expect(suspect).toBe(b.qualifiers['A:e']);
    }
  });

  it('reads the five forcings with their units, and the default static attributes', () => {
    for (const b of basins) {
      expect(Object.keys(b.forcings)).toEqual([...FORCING_NAMES]);
      expect(b.forcings.prcp.unit).toBe('mm/day');
      expect(b.forcings.vp.unit).toBe('Pa');
      expect(Object.keys(b.attributes)).toEqual([...DEFAULT_ATTRIBUTES]);
    }
    expect(basins[0]!.forcings.prcp.values).toHaveLength(1461); // 2000–2003
    expect(basins[1]!.forcings.prcp.values).toHaveLength(1096); // 2000–2002
    const first = basins[0]!.forcings;
    expect([0, 1, 2, 3, 4].map((k) => first[FORCING_NAMES[k]!].values[2])).toEqual([
      5.5, 126.63, 9.25, -1.1, 566.46,
    ]);
    expect(basins[0]!.attributes).toMatchObject({
      area_gages2: 573.6,
      elev_mean: 92.68,
      aridity: 0.587356423405076,
      frac_snow: 0.245259009248271,
    });
  });

  it('builds 365 / 182 / 275 samples per basin and split, in well under a second', () => {
    const t0 = performance.now();
    const set = buildSampleSet(basins, { attributes: DEFAULT_ATTRIBUTES });
    const ar = buildSampleSet(basins, { attributes: DEFAULT_ATTRIBUTES, autoregressive: true });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(1000);
    for (const s of [set, ar]) {
      expect([s.train.count, s.validation.count, s.test.count]).toEqual([1460, 728, 1100]);
      expect(s.counts.validation.map((c) => c.samples)).toEqual([182, 182, 182, 182]);
      expect(s.counts.test.every((c) => c.dropped === 0 && c.maskedTargets === 0)).toBe(true);
      expect(s.train.steps).toBe(270);
      expect(s.target.unit).toBe('mm/day');
    }
    expect(set.featureNames).toEqual([
      'prcp',
      'srad',
      'tmax',
      'tmin',
      'vp',
      'prcp_valid',
      'srad_valid',
      'tmax_valid',
      'tmin_valid',
      'vp_valid',
      ...DEFAULT_ATTRIBUTES,
    ]);
    expect(ar.train.features).toBe(20);
    expect(set.train.features).toBe(18);
    // No target is masked on raw data, so the training targets are exactly standardised.
    const y = Array.from(set.train.y);
    const mean = y.reduce((a, v) => a + v, 0) / y.length;
    const sd = Math.sqrt(y.reduce((a, v) => a + (v - mean) ** 2, 0) / y.length);
    expect(mean).toBeCloseTo(0, 5);
    expect(sd).toBeCloseTo(1, 5);
    expect(new Date(set.train.date[0]!).toISOString()).toBe('2000-10-01T00:00:00.000Z');
    expect(new Date(set.test.date[1099]!).toISOString()).toBe('2002-12-31T00:00:00.000Z');
  });

  it('masks the estimated (A:e) targets once a polish makes them invalid', () => {
    const polished = basins.map((b) => {
      const discharge = { ...b.discharge, validity: b.discharge.validity.slice() };
      refreshValidity(discharge); // suspect → invalid, as polishing without acceptSuspect does
      return { ...b, discharge };
    });
    const set = buildSampleSet(polished, { autoregressive: true });
    const masked = (name: 'train' | 'validation' | 'test') =>
      set.counts[name].map((c) => c.maskedTargets);
    expect(masked('train')).toEqual([100, 0, 25, 37]);
    expect(masked('validation')).toEqual([55, 13, 7, 8]);
    expect(masked('test')).toEqual([23, 1, 69, 18]);
    // q_prev does not drop windows; its validity channel says where it is unknown.
    expect(set.train.count).toBe(1460);
    const qValid = set.featureNames.indexOf('q_prev_valid');
    let unknown = 0;
    for (let i = 0; i < set.train.count; i++) {
      if (set.train.x[(i * 270 + 269) * set.train.features + qValid] === 0) unknown++;
    }
    expect(unknown).toBeGreaterThan(0);
  });

  it('drops the windows a synthetic forcing gap touches, and masks synthetic discharge gaps', () => {
    const b = basins[1]!;
    const gappy = injectFaults(b.forcings.prcp, {
      seed: 7,
      gaps: { count: 1, length: [3, 3] },
      within: { from: dayNumber('2002-06-01') * DAY_MS, to: dayNumber('2002-06-30') * DAY_MS },
    });
    const qGaps = injectFaults(b.discharge, {
      seed: 8,
      gaps: { count: 2, length: [4, 4] },
      within: { from: dayNumber('2002-08-01') * DAY_MS, to: dayNumber('2002-08-31') * DAY_MS },
    });
    const faulted = {
      ...b,
      discharge: qGaps.series,
      forcings: { ...b.forcings, prcp: gappy.series },
    };
    const set = buildSampleSet([faulted]);
    const gap = gappy.faults[0]!;
    // Targets from the gap's first day to 269 days after its last are dropped (to 2002-12-31).
    const lastTarget = dayNumber('2002-12-31');
    const dropped = lastTarget - gap.from / DAY_MS + 1;
    expect(set.counts.test[0]).toEqual({
      basin: '01547700',
      candidates: 275,
      dropped,
      maskedTargets: 0, // the discharge gaps fall inside the dropped stretch
      samples: 275 - dropped,
    });
    const early = buildSampleSet([{ ...b, discharge: qGaps.series }]);
    expect(early.counts.test[0]!.maskedTargets).toBe(8);
  });

  it('reports missing attributes and tables by name', () => {
    const table = { file: 't.txt', text: 'gauge_id;a;b\n01022500;1;x\n' };
    expect(readCamelsAttributes([table], ['01022500'], ['a']).get('01022500')).toEqual({ a: 1 });
    expect(() => readCamelsAttributes([table], ['01022500'], ['b'])).toThrow(/t.txt:2:3/);
    expect(() => readCamelsAttributes([table], ['01022500'], ['c'])).toThrow(/no attribute table/);
    expect(() => readCamelsAttributes([table], ['99999999'], ['a'])).toThrow(/no row/);
  });
});
