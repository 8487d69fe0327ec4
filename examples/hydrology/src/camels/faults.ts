/**
 * The synthetic faults of the raw vs polished experiment: spikes, flat lines, gaps and
 * negative values injected into a copy of a basin's discharge and precipitation, in the
 * training and validation years only (the test year stays the real record, so every model is
 * scored on the same days against real observations). Seeded per basin: reproducible.
 */
import type { CamelsBasin } from '../data/camels.js';
import { type FaultKind, faultSummary, injectFaults } from '../data/faults.js';
import { CAMELS_SPLITS } from '../data/windows.js';

export interface FaultReport {
  readonly label: 'synthetic';
  /** `discharge.spike.events`, `prcp.gap.points`, … */
  readonly summary: Record<string, number>;
}

const WITHIN = {
  from: Date.UTC(1999, 0, 1),
  to: Date.parse(`${CAMELS_SPLITS.validation.end}T00:00:00Z`),
};

export function faultBasin(
  basin: CamelsBasin,
  index: number,
): { basin: CamelsBasin; faults: FaultReport } {
  const discharge = injectFaults(basin.discharge, {
    seed: 1000 + index,
    within: WITHIN,
    spikes: { count: 6 },
    flatLines: { count: 3, length: [10, 30] },
    gaps: { count: 4 },
    negatives: { count: 4 },
  });
  const prcp = injectFaults(basin.forcings.prcp, {
    seed: 2000 + index,
    within: WITHIN,
    spikes: { count: 4 },
    negatives: { count: 4 },
    flatLines: { count: 2, length: [10, 20] },
  });
  const summary: Record<string, number> = {};
  for (const [name, faulted] of [
    ['discharge', discharge],
    ['prcp', prcp],
  ] as const) {
    for (const [kind, n] of Object.entries(faultSummary(faulted.faults)) as [
      FaultKind,
      { events: number; points: number },
    ][]) {
      if (n.events > 0) summary[`${name}.${kind}.points`] = n.points;
    }
  }
  return {
    basin: {
      ...basin,
      discharge: discharge.series,
      forcings: { ...basin.forcings, prcp: prcp.series },
    },
    faults: { label: 'synthetic', summary },
  };
}
