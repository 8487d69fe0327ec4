/**
 * @module saqc/zscore-blocks
 * SaQC's `transform(func=zScore(x), freq='20D')`: in each successive 20-day chunk, values
 * are standardised by the chunk's mean and sample standard deviation (ddof 1). Values
 * flagged fail or worse are masked (SaQC masks flagged data before a function runs) and
 * come out `NaN`.
 */
import { Flag } from '../flags.js';
import type { Series } from '../series.js';
import { createSeries } from '../series.js';
import { type Duration, durationMs } from '../time/duration.js';
import { chunkStarts } from './chunks.js';

/**
 * A new series of chunk-wise z-scores named `target`, with the input's flags and causes.
 *
 * @example
 * const levelZ = zScoreBlocks(level, '20D', 'level_z');
 */
export function zScoreBlocks(s: Series, freq: Duration, target: string): Series {
  const { time, values, flags } = s;
  const z = new Float64Array(values.length).fill(Number.NaN);
  const starts = chunkStarts(time, durationMs(freq));
  for (let c = 0; c + 1 < starts.length; c++) {
    const a = starts[c]!;
    const b = starts[c + 1]!;
    let count = 0;
    let mean = 0;
    let m2 = 0;
    for (let i = a; i < b; i++) {
      const v = values[i]!;
      if (Number.isNaN(v) || flags[i]! >= Flag.FAIL) continue;
      count++;
      const d = v - mean;
      mean += d / count;
      m2 += d * (v - mean);
    }
    if (count < 2) continue;
    const sd = Math.sqrt(m2 / (count - 1));
    for (let i = a; i < b; i++) {
      const v = values[i]!;
      if (Number.isNaN(v) || flags[i]! >= Flag.FAIL) continue;
      z[i] = (v - mean) / sd;
    }
  }
  return createSeries(target, time.slice(), z, {
    flags: s.flags.slice(),
    causes: s.causes.slice(),
  });
}
