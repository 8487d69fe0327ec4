/**
 * @module storage/event-log
 * The event log interface. Implementations: SQLite (embedded default), PostgreSQL.
 * Every implementation runs the shared conformance suite in `weir/testing`.
 */
import type {
  ArtefactLocation,
  CheckEvent,
  FailureEvent,
  FreshnessEvent,
  InputVersion,
  Materialization,
  MaterializationEvent,
  ObservationEvent,
  RunStatus,
  StoredEvent,
  WeirEvent,
  WeirEventType,
} from './events.js';

/**
 * The part of a materialization event that decides state and lets a run read the artefact;
 * the index returns this, not the whole event (read that with `event(id)`), so status over
 * thousands of assets stays fast.
 */
export type MaterializationSummary = Pick<
  MaterializationEvent,
  'id' | 'type' | 'runId' | 'assetKey' | 'partition' | 'timestamp'
> & {
  materialization: Pick<
    Materialization,
    'dataVersion' | 'codeVersion' | 'blockedBy' | 'startedAt' | 'endedAt'
  > & {
    /** The data version of each input it read (the full event also has the events they came from). */
    inputs: Record<string, Pick<InputVersion, 'dataVersion'>>;
    artefact: Pick<ArtefactLocation, 'format' | 'location' | 'type'>;
  };
};

/** The newest events that decide an asset partition's state, read from the index. */
export interface AssetRecord {
  assetKey: string;
  partition: string;
  /** The newest materialization, whether or not its blocking checks passed. */
  materialization?: MaterializationSummary;
  /** The newest materialization consumers may read: no blocking check failed on it. */
  usable?: MaterializationSummary;
  /** The newest result of each check, by check name. */
  checks: Record<string, CheckEvent>;
  /** The newest recorded freshness evaluation. */
  freshness?: FreshnessEvent;
  observation?: ObservationEvent;
  /** The newest failure, whether or not a later materialization superseded it. */
  failure?: FailureEvent;
}

export interface RunRecord {
  runId: string;
  status: RunStatus;
  startedAt: number;
  finishedAt?: number;
  started: StoredEvent<'run:started'>;
  finished?: StoredEvent<'run:finished'>;
}

export interface EventQuery {
  /** Only events with id greater than this (a cursor). */
  afterId?: number;
  runId?: string;
  assetKey?: string;
  types?: readonly WeirEventType[];
  limit?: number;
  /** Newest first instead of oldest first. */
  descending?: boolean;
}

export interface EventLog {
  /**
   * Appends events atomically (all or none), updating the indexes in the same transaction,
   * and returns them as stored, in order.
   */
  append(events: readonly WeirEvent[]): Promise<StoredEvent[]>;
  /** The index record of every asset partition of `assetKeys` (all assets when omitted). */
  latest(assetKeys?: readonly string[]): Promise<AssetRecord[]>;
  event(id: number): Promise<StoredEvent | undefined>;
  events(query?: EventQuery): Promise<StoredEvent[]>;
  runs(options?: { limit?: number; status?: RunStatus }): Promise<RunRecord[]>;
  run(runId: string): Promise<RunRecord | undefined>;
  /** Rebuilds every index table from the events alone. */
  rebuildIndexes(): Promise<void>;
  close(): Promise<void>;
}
