/**
 * How the station's variables are polished (a `@weir/timeseries` configuration). Readings
 * are judged one by one first (maintenance log, range), then aligned to a 15-minute grid
 * carrying their flags, then tested on the grid; each variable has its own gap policy:
 *
 * - level: forward fill up to 1 h (a river's level changes slowly; a longer gap stays invalid);
 * - water temperature: linear fill up to 2 h (smooth, daily cycle);
 * - SAC254 (organic load): never guessed; invalid points are masked and the validity channel
 *   says so, because interpolating an absorbance across a maintenance visit would lie.
 */
import { parsePolishConfig } from '@weir/timeseries';
import { BOUNDS } from './raw.js';

/** The grid every month is polished onto. */
export const GRID_MS = 15 * 60 * 1000;

export const stationPolicy = parsePolishConfig({
  duplicates: 'mean',
  align: { freq: '15min', method: 'time' },
  variables: {
    level_raw: {
      unit: 'cm',
      tests: {
        manual: true,
        range: { failMin: BOUNDS.level_raw.min, failMax: BOUNDS.level_raw.max },
        spike: { suspect: 15, fail: 40 },
        flatLine: { suspectCount: 96, tolerance: 0 },
      },
      fill: { method: 'forward', maxGap: '1h' },
    },
    water_temp_raw: {
      unit: '°C',
      tests: {
        manual: true,
        range: { failMin: BOUNDS.water_temp_raw.min, failMax: BOUNDS.water_temp_raw.max },
        spike: { suspect: 2, fail: 5 },
      },
      fill: { method: 'linear', maxGap: '2h' },
    },
    sac254_raw: {
      unit: '1/m',
      tests: {
        manual: true,
        range: { failMin: BOUNDS.sac254_raw.min, failMax: BOUNDS.sac254_raw.max },
      },
      fill: { method: 'mask' },
    },
  },
});
