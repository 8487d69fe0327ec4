/**
 * @module saqc/chunks
 * SaQC's `freq='20D'` partitions: successive, non-overlapping windows of fixed length
 * (pandas `Grouper(freq=...)` with its default origin, midnight UTC of the first
 * timestamp's day), not a rolling window.
 */

const DAY_MS = 86_400_000;

/**
 * Start indices of each non-empty chunk of a time-ordered axis, plus `time.length` at
 * the end, so chunk `c` is `[starts[c], starts[c + 1])`.
 *
 * @example
 * chunkStarts(time, 20 * 86_400_000);
 */
export function chunkStarts(time: Float64Array, chunkMs: number): number[] {
  const starts: number[] = [];
  if (time.length === 0) return [0];
  const origin = Math.floor(time[0]! / DAY_MS) * DAY_MS;
  let current = -1;
  for (let i = 0; i < time.length; i++) {
    const c = Math.floor((time[i]! - origin) / chunkMs);
    if (c !== current) {
      starts.push(i);
      current = c;
    }
  }
  starts.push(time.length);
  return starts;
}
