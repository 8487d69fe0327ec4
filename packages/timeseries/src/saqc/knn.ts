/**
 * @module saqc/knn
 * SaQC's `assignKNNScore`: rows where every feature is present form a feature space; in
 * each chunk (`freq`) every row is scored by the sum of the Euclidean distances to its `n`
 * nearest other rows (`n = min(n, max(size, 2) - 1)`, SaQC's rule). Chunks with fewer
 * than `minPeriods` rows get no score.
 *
 * The search is exact: rows are sorted on the first feature and each query walks outwards
 * from its own position, stopping in a direction once the gap in that feature alone
 * exceeds the current n-th distance. Worst case O(c² d) per chunk of c rows; on smooth
 * sensor data it visits a small neighbourhood, close to O(c log c).
 */
import { Flag } from '../flags.js';
import type { Series } from '../series.js';
import { createSeries } from '../series.js';
import { type Duration, durationMs } from '../time/duration.js';
import { chunkStarts } from './chunks.js';

/** Parameters of {@link assignKNNScore} (SaQC's defaults). */
export interface KnnParams {
  /** Neighbours per row; default 10. */
  n?: number;
  /** Chunk length, e.g. `'20D'`; default: the whole series at once. */
  freq?: Duration;
  /** Fewest rows in a chunk to score it; default 2. */
  minPeriods?: number;
}

/**
 * Scores rows of features that share one time axis; returns a series named `target`
 * (NaN where a row had a missing or failed feature). Throws if the axes differ.
 *
 * @example
 * const scores = assignKNNScore([levelZ, waterZ, sacZ], 'kNN_scores', { freq: '20D' });
 */
export function assignKNNScore(
  features: readonly Series[],
  target: string,
  p: KnnParams = {},
): Series {
  const first = features[0];
  if (first === undefined) throw new RangeError('assignKNNScore: no features');
  const time = first.time;
  for (const f of features) {
    if (f.time.length !== time.length || f.time.some((t, i) => t !== time[i])) {
      throw new RangeError(`assignKNNScore: ${f.name} is not on the time axis of ${first.name}`);
    }
  }
  const d = features.length;
  const rows: number[] = [];
  for (let i = 0; i < time.length; i++) {
    let ok = true;
    for (const f of features) {
      const v = f.values[i]!;
      if (Number.isNaN(v) || f.flags[i]! >= Flag.FAIL) ok = false;
    }
    if (ok) rows.push(i);
  }
  const rowTime = Float64Array.from(rows, (i) => time[i]!);
  const scores = new Float64Array(time.length).fill(Number.NaN);
  const chunkMs = p.freq === undefined ? Number.POSITIVE_INFINITY : durationMs(p.freq);
  const starts = Number.isFinite(chunkMs) ? chunkStarts(rowTime, chunkMs) : [0, rows.length];
  const minPeriods = p.minPeriods ?? 2;
  for (let c = 0; c + 1 < starts.length; c++) {
    const a = starts[c]!;
    const size = starts[c + 1]! - a;
    if (size < minPeriods || size === 0) continue;
    const k = Math.min(p.n ?? 10, Math.max(size, 2) - 1);
    const x = new Float64Array(size * d);
    for (let r = 0; r < size; r++) {
      for (let j = 0; j < d; j++) x[r * d + j] = features[j]!.values[rows[a + r]!]!;
    }
    const sums = knnDistanceSums(x, size, d, k);
    for (let r = 0; r < size; r++) scores[rows[a + r]!] = sums[r]!;
  }
  return createSeries(target, time.slice(), scores);
}

/**
 * For `size` points of dimension `d` stored row-major in `x`, the sum of the distances
 * from each point to its `k` nearest other points.
 */
export function knnDistanceSums(x: Float64Array, size: number, d: number, k: number): Float64Array {
  const out = new Float64Array(size);
  if (k <= 0) return out;
  const order = Uint32Array.from({ length: size }, (_, i) => i).sort(
    (p, q) => x[p * d]! - x[q * d]!,
  );
  const key = Float64Array.from(order, (i) => x[i * d]!);
  const best = new Float64Array(k); // squared distances, ascending
  for (let r = 0; r < size; r++) {
    const i = order[r]!;
    let filled = 0;
    const consider = (j: number): void => {
      let s = 0;
      for (let q = 0; q < d; q++) {
        const diff = x[i * d + q]! - x[j * d + q]!;
        s += diff * diff;
      }
      if (filled < k) {
        let pos = filled++;
        while (pos > 0 && best[pos - 1]! > s) {
          best[pos] = best[pos - 1]!;
          pos--;
        }
        best[pos] = s;
      } else if (s < best[k - 1]!) {
        let pos = k - 1;
        while (pos > 0 && best[pos - 1]! > s) {
          best[pos] = best[pos - 1]!;
          pos--;
        }
        best[pos] = s;
      }
    };
    let lo = r - 1;
    let hi = r + 1;
    const xi = key[r]!;
    while (lo >= 0 || hi < size) {
      const dl = lo >= 0 ? xi - key[lo]! : Number.POSITIVE_INFINITY;
      const dh = hi < size ? key[hi]! - xi : Number.POSITIVE_INFINITY;
      const gap = Math.min(dl, dh);
      if (filled === k && gap * gap >= best[k - 1]!) break;
      if (dl <= dh) consider(order[lo--]!);
      else consider(order[hi++]!);
    }
    let sum = 0;
    for (let q = 0; q < filled; q++) sum += Math.sqrt(best[q]!);
    out[i] = sum;
  }
  return out;
}
