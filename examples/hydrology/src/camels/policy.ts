/**
 * How a CAMELS basin is polished. Discharge: physically never negative; a day-to-day jump
 * by two orders of magnitude that comes straight back is a spike (log scale, the thresholds
 * `@weir/timeseries` recommends for daily discharge after testing them on these basins); a
 * value stuck for 7 days or more is a flat line; an invalid discharge is never guessed (masked:
 * it is the target). USGS `A:e` (estimated) days stay valid but carry their flag. Forcings:
 * physical bounds, then linear fill over at most 3 days (a longer hole drops the windows).
 */
import { parsePolishConfig } from '@weir/timeseries';

export const dischargePolicy = parsePolishConfig({
  variables: {
    discharge: {
      unit: 'mm/day',
      acceptSuspect: true,
      tests: {
        range: { failMin: 0 },
        spike: { suspect: Math.log(10), fail: Math.log(100), scale: 'log' },
        rateOfChange: { maxPerHour: Math.log(100) / 24, scale: 'log', severity: 'suspect' },
        flatLine: { suspectCount: 7, failCount: 10, tolerance: 0 },
      },
      fill: { method: 'mask' },
    },
  },
});

const filled = { method: 'linear', maxGap: '3D' } as const;

export const forcingPolicy = parsePolishConfig({
  variables: {
    prcp: { unit: 'mm/day', tests: { range: { failMin: 0, failMax: 500 } }, fill: filled },
    srad: { unit: 'W/m2', tests: { range: { failMin: 0, failMax: 1400 } }, fill: filled },
    tmax: { unit: '°C', tests: { range: { failMin: -70, failMax: 60 } }, fill: filled },
    tmin: { unit: '°C', tests: { range: { failMin: -70, failMax: 60 } }, fill: filled },
    vp: { unit: 'Pa', tests: { range: { failMin: 0, failMax: 10_000 } }, fill: filled },
  },
});
