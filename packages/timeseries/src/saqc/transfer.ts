/**
 * @module saqc/transfer
 * SaQC's `transferFlags`: flags of one series are copied onto the points of another that
 * share a timestamp, worsening but never improving them (`overwrite=False`).
 */
import { Flag, worstFlag } from '../flags.js';
import type { Series } from '../series.js';

/**
 * Copies the suspect-or-worse flags of `source` onto `target` at equal timestamps, with
 * the source's causes (restricted to `causes` if given) plus `label`. Returns how many
 * target points received a flag. Both series must be in time order.
 *
 * @example
 * transferFlags(kNNScores, level, { label: Cause.STRAY });
 */
export function transferFlags(
  source: Series,
  target: Series,
  options: { causes?: number; label?: number } = {},
): number {
  const mask = options.causes ?? 0xffffffff;
  const label = options.label ?? 0;
  let j = 0;
  let transferred = 0;
  for (let i = 0; i < source.time.length; i++) {
    const f = source.flags[i]!;
    if (f < Flag.SUSPECT || f === Flag.MISSING) continue;
    if (options.causes !== undefined && (source.causes[i]! & mask) === 0) continue;
    const t = source.time[i]!;
    while (j < target.time.length && target.time[j]! < t) j++;
    if (j < target.time.length && target.time[j] === t) {
      target.flags[j] = worstFlag(target.flags[j]!, f);
      target.causes[j] = target.causes[j]! | (source.causes[i]! & mask) | label;
      transferred++;
    }
  }
  return transferred;
}
