// What a resolver is configured with: weights, threshold and blocking.
import { type BlockingOptions, DEFAULT_BLOCKING } from './blocking.js';
import type { PreparedRecord } from './features.js';
import { quickScore } from './score.js';
import { DEFAULT_THRESHOLD, DEFAULT_VETO, DEFAULT_WEIGHTS, type MatchWeights } from './weights.js';

export interface ResolverOptions {
  weights?: Partial<MatchWeights>;
  /** Pairs scoring at least this are matches (default 8). */
  threshold?: number;
  blocking?: Partial<BlockingOptions>;
  /**
   * A cluster never holds two records one of whose comparisons has an outcome weighing this or
   * less (default -4: a different name, street, suite or ZIP code, places far apart, a place
   * given by one only).
   */
  veto?: number;
}

export interface ResolvedOptions {
  weights: MatchWeights;
  threshold: number;
  blocking: BlockingOptions;
  veto: number;
}

export function resolveOptions(options: ResolverOptions = {}): ResolvedOptions {
  return {
    weights: { ...DEFAULT_WEIGHTS, ...options.weights },
    threshold: options.threshold ?? DEFAULT_THRESHOLD,
    blocking: { ...DEFAULT_BLOCKING, ...options.blocking },
    veto: options.veto ?? DEFAULT_VETO,
  };
}

/** The conflict test clustering uses: some comparison of the pair weighs `veto` or less. */
export function conflictTest(
  o: ResolvedOptions,
): (a: PreparedRecord, b: PreparedRecord) => boolean {
  return (a, b) => {
    const [x, y] = a.record.id < b.record.id ? [a, b] : [b, a];
    return quickScore(x, y, o.weights).lowest <= o.veto;
  };
}
