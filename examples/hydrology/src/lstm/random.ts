/**
 * @module lstm/random
 * Every random draw of training comes from one seeded generator (tfjs has no global seed and
 * draws from Math.random), in a fixed order: the initial weights, then per epoch the shuffle,
 * then per batch the dropout mask. Same seed, same data → same draws.
 */
export { seededRandom } from '../data/faults.js';

export type Random = () => number;

/** Fisher–Yates, in place. */
export function shuffle<T extends { [i: number]: number; length: number }>(
  items: T,
  random: Random,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

/** Inverted dropout: each value 0 with probability `rate`, otherwise 1/(1 − rate). */
export function dropoutMask(size: number, rate: number, random: Random): Float32Array {
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = random() < rate ? 0 : keep;
  return mask;
}
