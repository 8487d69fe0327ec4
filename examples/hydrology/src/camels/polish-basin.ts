/** Polishing one CAMELS basin with the policies of `policy.ts`, and what it did, by cause. */
import { type Frame, polish, type Series } from '@weir/timeseries';
import type { CamelsBasin, ForcingName } from '../data/camels.js';
import { polishCounts } from '../station/polished.js';
import { dischargePolicy, forcingPolicy } from './policy.js';

export function polishBasin(basin: CamelsBasin): {
  basin: CamelsBasin;
  counts: Record<string, number>;
} {
  const [discharge] = polish(frameOf({ discharge: basin.discharge }), dischargePolicy).series;
  const forcings = polish(frameOf(basin.forcings), forcingPolicy).series;
  const byName = Object.fromEntries(forcings.map((s) => [s.name, s])) as Record<
    ForcingName,
    Series
  >;
  return {
    basin: { ...basin, discharge: discharge!, forcings: byName },
    counts: {
      ...polishCounts([discharge!], dischargePolicy),
      ...polishCounts(forcings, forcingPolicy),
    },
  };
}

/** Series on one time axis as a frame, keeping the flags and causes a reader set. */
function frameOf(series: Readonly<Record<string, Series>>): Frame {
  const all = Object.entries(series);
  return {
    time: all[0]![1].time,
    columns: new Map(all.map(([name, s]) => [name, s.values])),
    flags: new Map(all.map(([name, s]) => [name, s.flags])),
    causes: new Map(all.map(([name, s]) => [name, s.causes])),
  };
}
