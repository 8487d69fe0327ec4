/**
 * @module versioning/stale-status
 * The vocabulary of staleness: an asset's status and the causes that explain it.
 */
import type { AssetRecord, FreshnessOutcome } from '../storage/index.js';
import type { PartitionedState } from './partition-staleness.js';

export type AssetStatus = 'fresh' | 'stale' | 'missing' | 'failed';

/** The event that moved a version: a materialization (in a run) or an observation. */
export interface VersionSource {
  eventId: number;
  type: 'materialization' | 'observation';
  runId?: string;
  timestamp: number;
}

export type StaleCause =
  | { category: 'missing'; key: string; reason: string }
  | { category: 'code'; key: string; from: string; to: string; reason: string }
  | {
      category: 'data';
      key: string;
      dependency: string;
      /** The version the current materialization read; undefined for a new input. */
      from: string | undefined;
      /** The dependency's version now; undefined when it has none. */
      to: string | undefined;
      movedBy: VersionSource | undefined;
      reason: string;
    }
  | {
      category: 'dependency';
      key: string;
      dependency: string;
      dependencyStatus: AssetStatus;
      reason: string;
    }
  | {
      category: 'failed';
      key: string;
      eventId: number;
      runId: string;
      error: string;
      reason: string;
    }
  | { category: 'unobservable'; key: string; error: string; reason: string }
  | {
      /** The current materialization's artefact is missing, or was changed after it was stored. */
      category: 'artefact';
      key: string;
      location: string;
      problem: 'missing' | 'corrupt' | 'unreadable';
      reason: string;
    }
  | {
      category: 'check';
      key: string;
      /** The blocking checks that failed. */
      checks: string[];
      /** The materialization they failed on. */
      eventId: number;
      reason: string;
    };

export type StaleCategory = StaleCause['category'];

export interface AssetState {
  key: string;
  kind: 'asset' | 'source';
  status: AssetStatus;
  /** Why it is not fresh; empty when fresh. */
  causes: StaleCause[];
  /** The current data version (latest materialization or observation). */
  dataVersion: string | undefined;
  codeVersion: string;
  /**
   * The asset's index record. Read for every asset that is not fresh (and its upstream); for
   * one whose status row showed it fresh, only when the read asked for `details` or needed it
   * (see `ReadStateOptions.details`), else undefined.
   */
  record: AssetRecord | undefined;
  /** Failing checks that do not block (warnings), one line each. */
  warnings: string[];
  /** How the freshness policy stands now, for assets that have one. */
  freshness: FreshnessOutcome | undefined;
  /**
   * With a freshness policy per partition (`freshness: { partitions }`): how each partition
   * with a policy stands, by partition key in partition order; `freshness` is then the most
   * overdue of them.
   */
  partitionFreshness?: ReadonlyMap<string, FreshnessOutcome>;
  /**
   * A partitioned asset: the state of each partition (`dataVersion` is then undefined, and
   * `record` holds only asset-level events such as freshness evaluations).
   */
  partitions?: PartitionedState;
}

/** A one-line reason for an asset's status. */
export function summarize(state: AssetState): string {
  if (state.status === 'fresh') {
    const base = state.kind === 'source' ? 'observed' : 'up to date';
    return state.warnings.length === 0
      ? base
      : `${base}; ${state.warnings[0]}${state.warnings.length > 1 ? ` (+${state.warnings.length - 1} more warnings)` : ''}`;
  }
  const [first, ...rest] = state.causes;
  if (first === undefined) return state.status;
  return rest.length === 0
    ? first.reason
    : `${first.reason} (+${rest.length} more cause${rest.length === 1 ? '' : 's'}: weir why ${state.key})`;
}
