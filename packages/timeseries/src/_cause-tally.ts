/**
 * @module _cause-tally
 * Counting flagged points by cause in one pass (internal: `countCauses` and the fused last
 * pass of `polish` share it). A tally is a flat array indexed `bit * 3 + k`, `k` 0 for
 * suspect, 1 fail, 2 missing.
 */
import { Cause, type CauseName, Flag } from './flags.js';
import type { CauseTally } from './report.js';

/** A fresh tally for {@link tallyCauses}. */
export function causeTallyArray(): Float64Array {
  return new Float64Array(32 * 3);
}

/**
 * Adds one point's causes at its flag. Only for flags suspect or worse: a pass point may
 * carry `ALIGNED` or `DUPLICATE`, which say how its value was made, not why it is flagged.
 */
export function tallyCauses(tally: Float64Array, causes: number, flag: number): void {
  const k = flag === Flag.SUSPECT ? 0 : flag === Flag.FAIL ? 1 : 2;
  let rest = causes;
  while (rest !== 0) {
    const low = rest & -rest;
    const at = (31 - Math.clz32(low)) * 3 + k;
    tally[at] = tally[at]! + 1;
    rest ^= low;
  }
}

/** The named counts of a tally, causes in declaration order, absent ones left out. */
export function causeTally(tally: Float64Array): CauseTally {
  const out: CauseTally = {};
  for (const [name, bit] of Object.entries(Cause) as [CauseName, number][]) {
    const at = (31 - Math.clz32(bit)) * 3;
    const suspect = tally[at]!;
    const fail = tally[at + 1]!;
    const missing = tally[at + 2]!;
    if (suspect + fail + missing > 0) out[name] = { suspect, fail, missing };
  }
  return out;
}
