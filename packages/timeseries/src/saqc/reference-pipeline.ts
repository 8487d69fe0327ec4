/**
 * @module saqc/reference-pipeline
 * SaQC's reference cleaning of its hydrology tutorial data (`saqc/hydro_config.csv`),
 * reproduced step by step with the same parameters, counting what each function flagged
 * per variable, and the recall of the result on the maintenance intervals.
 */
import { Cause, Flag } from '../flags.js';
import { flagManual, lowerBound, type ManualInterval } from '../qc/manual.js';
import { flagRange } from '../qc/range.js';
import type { Frame, Series } from '../series.js';
import { seriesOf } from '../series.js';
import { alignSeries } from '../time/align.js';
import { correctDrift, type DriftFit } from './drift.js';
import { assignKNNScore } from './knn.js';
import { flagByStray } from './stray.js';
import { transferFlags } from './transfer.js';
import { zScoreBlocks } from './zscore-blocks.js';

/** Points flagged fail (or missing) in a series. */
export function countFlagged(s: Series, atLeast: number = Flag.FAIL): number {
  let n = 0;
  for (let i = 0; i < s.flags.length; i++) if (s.flags[i]! >= atLeast) n++;
  return n;
}

/** Share of points inside the intervals (closed) that are flagged fail or worse. */
export function maintenanceRecall(
  s: Series,
  intervals: readonly ManualInterval[],
): { inside: number; flagged: number; recall: number } {
  let inside = 0;
  let flagged = 0;
  const seen = new Uint8Array(s.time.length);
  for (const { start, end } of intervals) {
    for (let i = lowerBound(s.time, start); i < s.time.length && s.time[i]! <= end; i++) {
      if (seen[i]) continue;
      seen[i] = 1;
      inside++;
      if (s.flags[i]! >= Flag.FAIL) flagged++;
    }
  }
  return { inside, flagged, recall: inside === 0 ? 1 : flagged / inside };
}

/** The result of {@link runSaqcReference}. */
export interface SaqcReferenceResult {
  /** Final series on the 15-minute grid: level_raw, water_temp_raw, sac254_raw, sac254_corr, kNN_scores. */
  series: Record<string, Series>;
  /** Per function, per variable: points newly flagged fail by that step (on the grid after `align`). */
  counts: Array<{ step: string; variable: string; flagged: number }>;
  recall: Record<string, { inside: number; flagged: number; recall: number }>;
  driftFits: DriftFit[];
}

/**
 * Runs SaQC's `hydro_config.csv` on `hydro_data.csv` and `hydro_maint.csv`.
 *
 * @example
 * const result = runSaqcReference(readWideCsv(text, { file }), readMaintenanceLog(m, { file: mf }));
 */
export function runSaqcReference(
  frame: Frame,
  maintenance: readonly ManualInterval[],
): SaqcReferenceResult {
  const counts: SaqcReferenceResult['counts'] = [];
  const record = (step: string, variable: string, flagged: number): void => {
    counts.push({ step, variable, flagged });
  };
  let sac = seriesOf(frame, 'sac254_raw');
  let level = seriesOf(frame, 'level_raw');
  let temp = seriesOf(frame, 'water_temp_raw');
  record(
    "flagManual(mdata='maint', method='closed')",
    'sac254_raw',
    flagManual(sac, maintenance, { method: 'closed' }).fail,
  );
  record('flagRange(min=0)', 'level_raw', flagRange(level, { failMin: 0 }).fail);
  record('flagRange(min=-1)', 'water_temp_raw', flagRange(temp, { failMin: -1 }).fail);
  record(
    'flagRange(min=0, max=60)',
    'sac254_raw',
    flagRange(sac, { failMin: 0, failMax: 60 }).fail,
  );
  const align = (s: Series): Series => {
    const { series } = alignSeries(s, { freq: '15min', method: 'time' });
    record("align(freq='15min') [fail or missing on grid]", s.name, countFlagged(series));
    return series;
  };
  level = align(level);
  temp = align(temp);
  sac = align(sac);
  const drift = correctDrift(sac, maintenance, 'sac254_corr');
  const sacCorr = drift.series;
  const levelZ = zScoreBlocks(level, '20D', 'level_z');
  const waterZ = zScoreBlocks(temp, '20D', 'water_z');
  const sacZ = zScoreBlocks(sac, '20D', 'sac_z');
  const scores = assignKNNScore([levelZ, waterZ, sacZ], 'kNN_scores', { freq: '20D' });
  record("flagByStray(freq='20D')", 'kNN_scores', flagByStray(scores, { window: '20D' }));
  for (const target of [level, sacCorr, temp]) {
    const before = countFlagged(target);
    transferFlags(scores, target, { causes: Cause.STRAY, label: Cause.STRAY });
    record(
      "transferFlags(field=['kNN_scores'], label='STRAY')",
      target.name,
      countFlagged(target) - before,
    );
  }
  const series = {
    level_raw: level,
    water_temp_raw: temp,
    sac254_raw: sac,
    sac254_corr: sacCorr,
    kNN_scores: scores,
  };
  const recall = Object.fromEntries(
    [level, temp, sacCorr].map((s) => [s.name, maintenanceRecall(s, maintenance)]),
  );
  return { series, counts, recall, driftFits: drift.fits };
}
