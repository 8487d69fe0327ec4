/**
 * @module storage/event-log
 * The event log interface. Implementations: SQLite (embedded default), PostgreSQL.
 * Every implementation runs the shared conformance suite in `weir/testing`.
 */
import type {
  ArtefactLocation,
  BackfillStatus,
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
    /** The data version of each input it read and the event it came from (for several partitions, the newest). */
    inputs: Record<string, Pick<InputVersion, 'dataVersion' | 'eventId' | 'partitionCount'>>;
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
  /**
   * The id of the event that last changed the current data version (of `usable`, or of the
   * observation): a rematerialization with the same data version keeps the older id.
   */
  dataChangedId?: number;
}

/**
 * The state of every recorded partition of one asset, in columns (one entry per partition,
 * in no particular order), so planning over 100,000 partitions reads typed arrays rather
 * than 100,000 records. Ids are event ids; 0 means none.
 */
export interface PartitionStates {
  partitions: string[];
  /** The newest materialization. */
  materializationId: Float64Array;
  /** The newest materialization no blocking check failed on. */
  usableId: Float64Array;
  /** The event that last changed the usable data version (see AssetRecord.dataChangedId). */
  dataChangedId: Float64Array;
  /** The newest materialization's inputs were read at this log position (the newest input event). */
  inputsAsOf: Float64Array;
  /** The newest failure. */
  failureId: Float64Array;
  /** The newest materialization's code version, as an index into `codeVersions`. */
  codeVersion: Uint32Array;
  codeVersions: string[];
  /** The newest event that changed any partition row of the asset (0: none): a cursor for `updatedAfter`. */
  throughId: number;
}

export interface BackfillRecord {
  backfillId: string;
  status: BackfillStatus;
  requestedAt: number;
  finishedAt?: number;
  requested: StoredEvent<'backfill:requested'>;
  finished?: StoredEvent<'backfill:finished'>;
  /** Runs that worked for it, newest first. */
  runIds: string[];
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
  /**
   * The index record of every unpartitioned asset of `assetKeys` (all assets when omitted);
   * partitioned assets are read with `partitionStates` and `partitionRecords`.
   */
  latest(assetKeys?: readonly string[]): Promise<AssetRecord[]>;
  /**
   * Every recorded partition of a partitioned asset, in columns; with `updatedAfter`, only
   * the partitions whose row an event after that id changed.
   */
  partitionStates(assetKey: string, options?: { updatedAfter?: number }): Promise<PartitionStates>;
  /** The index records of some partitions of one asset (those never recorded are left out). */
  partitionRecords(assetKey: string, partitions: readonly string[]): Promise<AssetRecord[]>;
  /** The current keys of a dynamic partitions definition, in the order they were added. */
  dynamicPartitions(name: string): Promise<string[]>;
  backfills(options?: { limit?: number; status?: BackfillStatus }): Promise<BackfillRecord[]>;
  backfill(backfillId: string): Promise<BackfillRecord | undefined>;
  event(id: number): Promise<StoredEvent | undefined>;
  events(query?: EventQuery): Promise<StoredEvent[]>;
  runs(options?: { limit?: number; status?: RunStatus }): Promise<RunRecord[]>;
  run(runId: string): Promise<RunRecord | undefined>;
  /** Rebuilds every index table from the events alone. */
  rebuildIndexes(): Promise<void>;
  close(): Promise<void>;
}
