/** The per-month polishing counts: every count the configuration can produce, zeros included. */
import { Cause, createSeries, Flag, parsePolishConfig } from '@weir/timeseries';
import { describe, expect, it } from 'vitest';
import { polishCounts } from '../src/station/polished.js';

const config = parsePolishConfig({
  align: { freq: '15min' },
  variables: {
    level: {
      tests: { range: { failMin: 0 }, spike: { suspect: 1 } },
      fill: { method: 'forward', maxGap: '1h' },
    },
    sac: { tests: { manual: true }, fill: { method: 'mask' } },
  },
});

describe('polishCounts', () => {
  it('reports zero for what did not happen, and counts flagged points by cause', () => {
    const time = Float64Array.from([0, 900_000, 1_800_000]);
    const level = createSeries('level', time, Float64Array.from([1, -5, 2]));
    level.flags[1] = Flag.FAIL;
    level.causes[1] = Cause.RANGE | Cause.ALIGNED;
    const sac = createSeries('sac', time, Float64Array.from([3, 4, 5]));
    expect(polishCounts([level, sac], config)).toEqual({
      'level.points': 3,
      'level.flagged.RANGE': 1,
      'level.flagged.SPIKE': 0,
      'level.flagged.GAP': 0,
      'level.filled': 0,
      'level.observed': 3,
      'level.imputed': 0,
      'level.invalid': 0,
      'sac.points': 3,
      'sac.flagged.MANUAL': 0,
      'sac.flagged.GAP': 0,
      'sac.masked': 0,
      'sac.observed': 3,
      'sac.imputed': 0,
      'sac.invalid': 0,
    });
  });
});
