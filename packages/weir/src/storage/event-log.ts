/**
 * @module storage/event-log
 * The event log interface and the contract every implementation keeps. Implementations:
 * SQLite (the embedded default); PostgreSQL (`@weir/postgres`, packages/postgres); an in-memory
 * reference model in the tests. Every implementation runs the shared conformance suite in `weir/testing`.
 *
 * The contract is written here so that a backend can be implemented from this file alone:
 * the EventLog interface states the guarantees about events, ids and cursors, and the
 * record types below state the index rules (what each field holds after any sequence of
 * appends). Where it says "unspecified", callers must not rely on one answer.
 */
import type { AutomationRecords, RoleClaim, RoleHolder } from './automation-state.js';
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
import type { HoldingResult, Lease, StepStart, StepStartResult } from './leases.js';

export type { AutomationRecords, RoleClaim, RoleHolder } from './automation-state.js';
export type {
  HoldingResult,
  Lease,
  LeaseHolder,
  StepStart,
  StepStartResult,
} from './leases.js';

/**
 * The part of a materialization event that decides state and lets a run read the artefact;
 * the index returns this, not the whole event (read that with `event(id)`), so status over
 * thousands of assets stays fast.
 *
 * Exactly these fields: the event's `id`, `type`, `runId`, `assetKey`, `partition` and
 * `timestamp`; of its materialization `dataVersion`, `codeVersion`, `startedAt`, `endedAt`,
 * `blockedBy` (only when the event has it), `artefact` reduced to `format`, `location` and
 * `type`, and `inputs` with each input reduced to `dataVersion`, `eventId` and
 * `partitionCount` (only when the input has it; its `partitions` list is left out).
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

/**
 * The index record of one asset partition (`partition` is `''` for an unpartitioned asset):
 * the newest events that decide its state.
 *
 * A record exists once an `asset:materialized`, `asset:observed`, `step:failed` or
 * `freshness:evaluated` event names the asset partition; `check:evaluated` events alone
 * make none. Each field below is a pure function of the events appended so far, in id order
 * (which is what `rebuildIndexes()` replays).
 */
export interface AssetRecord {
  assetKey: string;
  partition: string;
  /** The summary of the newest materialization, whether or not a blocking check failed on it. */
  materialization?: MaterializationSummary;
  /**
   * The summary of the newest *usable* materialization: the one consumers read (inputs,
   * data versions and staleness all use it). Appending a materialization without
   * `blockedBy` (or with an empty list) makes it the usable one. One with `blockedBy` is
   * not usable when recorded: `usable` stays what it was (possibly none).
   *
   * A blocked materialization becomes usable later only while it is still the newest
   * materialization, when a passing `check:evaluated` about it (its `materializationId`)
   * is appended and, after indexing that result, the indexed result (see `checks`) of every
   * check named in its `blockedBy` is a pass about this same materialization id. An older
   * blocked materialization never becomes usable. A failing result never revokes a usable
   * materialization (status reports it; rematerializing replaces it).
   */
  usable?: MaterializationSummary;
  /**
   * The indexed result of each check, by check name: the newest `check:evaluated` of that
   * name, except that a result about an older materialization (a smaller
   * `materializationId`) than the indexed result's is history only: it does not replace
   * the indexed result and cannot make anything usable. A result about the same or a newer
   * materialization replaces it.
   */
  checks: Record<string, CheckEvent>;
  /** The newest `freshness:evaluated` event. */
  freshness?: FreshnessEvent;
  /** The newest `asset:observed` event (recorded even when its data version did not change). */
  observation?: ObservationEvent;
  /** The newest `step:failed` event, whether or not a later materialization superseded it. */
  failure?: FailureEvent;
  /**
   * The id of the event that last *changed* the current data version. The current data
   * version is set by appending an observation (its data version), a usable materialization
   * (its data version) or a check result that makes a blocked materialization usable (that
   * materialization's data version), whichever happened last. When the version so set
   * equals the current one, `dataChangedId` keeps its older id (rematerializing or
   * re-observing identical data changes nothing downstream); when it differs, or there was
   * none, `dataChangedId` becomes the id of the materialization or observation that carries
   * the new version (for an unblocked materialization: the materialization's id, not the
   * check's). Blocked materializations, failures, checks that unblock nothing and freshness
   * evaluations leave it alone. Undefined while there is no current data version.
   */
  dataChangedId?: number;
}

/**
 * What decides an unpartitioned asset's status, in a few columns (see `EventLog.statusRows`).
 * Every field is a function of the asset's AssetRecord, given by `statusRowOf` in
 * `storage/status-row.ts` (a backend may compute rows with it; SQLite keeps the fields in
 * columns). Ids are 0 for none; fields "of the newest materialization" are undefined
 * (`endedAt` 0) when it has none.
 */
export interface StatusRow {
  assetKey: string;
  /** `AssetRecord.materialization.id`. */
  materializationId: number;
  /** `AssetRecord.usable.id`. */
  usableId: number;
  /** `AssetRecord.observation.id`. */
  observationId: number;
  /** `AssetRecord.failure.id`. */
  failureId: number;
  /** The newest materialization's data version. */
  dataVersion: string | undefined;
  /** The newest materialization's code version. */
  codeVersion: string | undefined;
  /**
   * The newest materialization's inputs and the data versions it read, as
   * `inputVersionsOf(materialization.inputs)` encodes them (keys in order; undefined where
   * that encoding is).
   */
  inputVersions: string | undefined;
  /** The newest materialization's artefact location. */
  location: string | undefined;
  /** The newest materialization's `endedAt`. */
  endedAt: number;
  /** Whether an indexed check result (`AssetRecord.checks`) about the newest materialization failed. */
  failingCheck: boolean;
}

/**
 * The state of every recorded partition of one asset, in columns (one entry per partition,
 * in no particular order), so planning over 100,000 partitions reads typed arrays rather
 * than 100,000 records. Ids are event ids; 0 means none.
 *
 * A partition has a row when it would have an AssetRecord (see there); rows of partition
 * `''` (the unpartitioned asset) are never included.
 */
export interface PartitionStates {
  partitions: string[];
  /** The newest materialization (AssetRecord.materialization). */
  materializationId: Float64Array;
  /** The usable materialization (AssetRecord.usable). */
  usableId: Float64Array;
  /** The event that last changed the current data version (AssetRecord.dataChangedId). */
  dataChangedId: Float64Array;
  /**
   * The log position the newest materialization (blocked or not) read its inputs at: the
   * largest `eventId` over its `materialization.inputs`, 0 when it has no inputs or there
   * is no materialization.
   */
  inputsAsOf: Float64Array;
  /** The newest failure. */
  failureId: Float64Array;
  /**
   * The newest materialization's code version, as an index into `codeVersions` (unspecified
   * for a partition never materialized; read it only when `materializationId` is not 0).
   */
  codeVersion: Uint32Array;
  /** The distinct code versions `codeVersion` points into, each once. */
  codeVersions: string[];
  /**
   * A cursor for `updatedAfter`: the largest *updated id* over every partition row of the
   * asset (not only those returned), 0 when it has none. A row's updated id is the id of the
   * newest event that changed it: a materialization (blocked or not), an observation, a
   * failure, a freshness evaluation, or a check result that made a materialization usable.
   * Other check results leave it alone.
   */
  throughId: number;
}

/**
 * A backfill, from `backfill:requested` and `backfill:finished` events. Requested: status
 * `running`, `requestedAt` the event's timestamp. Finished: `status`, `finishedAt` and
 * `finished` from that event (a finish of an unknown backfill is ignored; a later finish
 * replaces an earlier one). Requested again with the same id: running again, the new
 * request replaces the old, the finish is cleared.
 */
export interface BackfillRecord {
  backfillId: string;
  status: BackfillStatus;
  requestedAt: number;
  finishedAt?: number;
  requested: StoredEvent<'backfill:requested'>;
  finished?: StoredEvent<'backfill:finished'>;
  /**
   * The runs whose `run:started` names this `backfillId`, newest first (as `runs()` orders
   * them: by `startedAt`, then by started event id, descending).
   */
  runIds: string[];
}

/**
 * A run, from `run:started` and `run:finished` events. Started: status `running`,
 * `startedAt` the event's timestamp. Finished: `status`, `finishedAt` and `finished` from
 * that event (a finish of an unknown run is ignored; a later finish replaces an earlier
 * one). A second `run:started` with the same run id (never written by Weir) sets it
 * running again with the new start; what it keeps of an earlier finish is unspecified.
 */
export interface RunRecord {
  runId: string;
  status: RunStatus;
  startedAt: number;
  finishedAt?: number;
  started: StoredEvent<'run:started'>;
  finished?: StoredEvent<'run:finished'>;
}

/** Which events `events()` returns; every filter given must hold. */
export interface EventQuery {
  /**
   * A cursor: only events with an id greater than this, or, with `descending`, less than
   * this (paging backwards from the id last seen).
   */
  afterId?: number;
  /** Only events whose `runId` is this. */
  runId?: string;
  /** Only events whose `assetKey` is this (any partition). */
  assetKey?: string;
  /** Only events of these types; an empty list filters nothing. */
  types?: readonly WeirEventType[];
  /** At most this many, counted after ordering. */
  limit?: number;
  /** Newest first instead of oldest first. */
  descending?: boolean;
}

/**
 * The append-only record of everything Weir does, and the index tables that summarise it.
 *
 * **Events.** `append` stores events atomically and gives each an id. Events are stored as
 * JSON: what reads return is the event's JSON round trip (properties that are `undefined`
 * are absent) with its `id` added. Nothing is ever updated or deleted.
 *
 * **Ids and the ordering guarantee.** Ids are positive integers (0 means "none" in
 * PartitionStates), increasing in the order of the list within one `append`, and assigned
 * *in commit order* across every connection and process that appends to the same storage:
 * once any reader has seen an event with id N, no event with an id below N is committed
 * afterwards. The core relies on this: `events({ afterId })` is used as a cursor and must
 * never miss an event; updated ids (`PartitionStates.throughId`, `updatedAfter`) are cursors
 * over the index in the same way; and ids are compared as a clock (`dataChangedId` against
 * `inputsAsOf` decides staleness). An append's events are contiguous in that order (no other
 * append's event lies between them) and a reader sees all of them or none. A backend whose
 * ids are not commit-ordered — a PostgreSQL sequence with concurrent writers hands out ids
 * when rows are inserted, and a transaction holding id 7 can commit after one holding id 8 —
 * must serialize appends (for example a transaction-level advisory lock taken before
 * drawing ids) or provide a separate commit-ordered cursor and use it for these ids.
 *
 * **Index.** The index (AssetRecord, PartitionStates, RunRecord, BackfillRecord, dynamic
 * partitions) is written in the same transaction as the events it summarises, so a reader
 * never sees an event without its effect on the index or the reverse, and is a function of
 * the events alone: `rebuildIndexes()` recomputes it by replaying every event in id order
 * and must give what appending gave. The rules for each part are on those types and on the
 * methods below.
 */
export interface EventLog {
  /**
   * Appends events atomically (all or none), updating the indexes in the same transaction,
   * and returns them as stored, in order, each with its id (see the ordering guarantee).
   * An empty list writes nothing and returns `[]`.
   */
  append(events: readonly WeirEvent[]): Promise<StoredEvent[]>;
  /**
   * Optional: `append`, synchronously. A backend that can offer it lets a step's log lines be
   * recorded while user code blocks the event loop (see execution's step log); without it
   * they are recorded as soon as the step yields.
   */
  appendSync?(events: readonly WeirEvent[]): StoredEvent[];
  /**
   * `append`, only while run `runId` is recorded as running (its `run:started` appended, no
   * `run:finished` yet): otherwise nothing is appended and the result is `[]`. The check and
   * the append are one transaction, so processes that close one crashed run close it once.
   */
  appendWhileRunning(runId: string, events: readonly WeirEvent[]): Promise<StoredEvent[]>;
  /**
   * `append`, only while run `runId` still holds the lease of every asset partition of
   * `leases` (a fence: a step whose lease another run took over, judging its holder dead,
   * must not record its outcome as well). Otherwise nothing is appended and the result names
   * who holds them now (`undefined` holder: no one).
   */
  appendHolding(
    runId: string,
    leases: ReadonlyArray<{ assetKey: string; partition: string }>,
    events: readonly WeirEvent[],
  ): Promise<HoldingResult>;
  /**
   * The index record of every unpartitioned asset (partition `''`) among `assetKeys` (all
   * assets when omitted), in no particular order; keys without a record are left out.
   * Partitioned assets are read with `partitionStates` and `partitionRecords`.
   */
  latest(assetKeys?: readonly string[]): Promise<AssetRecord[]>;
  /**
   * The status row of every unpartitioned asset among `assetKeys` (all when omitted): the same
   * assets as `latest()`, in no particular order. Status reads these to decide which assets are
   * fresh without reading their records, and reads (with `latest`) only the records it needs.
   */
  statusRows(assetKeys?: readonly string[]): Promise<StatusRow[]>;
  /**
   * Every recorded partition of a partitioned asset, in columns (empty for an unknown or
   * unpartitioned asset); with `updatedAfter`, only the partitions whose updated id is
   * greater than it (see `PartitionStates.throughId`).
   */
  partitionStates(assetKey: string, options?: { updatedAfter?: number }): Promise<PartitionStates>;
  /**
   * The index records of some partitions of one asset, in no particular order (those never
   * recorded are left out).
   */
  partitionRecords(assetKey: string, partitions: readonly string[]): Promise<AssetRecord[]>;
  /**
   * The current keys of a dynamic partitions definition, in the order they were added:
   * `partitions:added` appends its keys that are not current, in the order of its list (a
   * key listed twice counts once, at its first place); a key already current keeps its
   * place. `partitions:removed` removes its keys (unknown ones are ignored), so a key added
   * again after removal comes last. An unknown name has no keys.
   */
  dynamicPartitions(name: string): Promise<string[]>;
  /**
   * Backfills, newest first: by `requestedAt`, then by requested event id, descending;
   * `status` filters; at most `limit` (default 50).
   */
  backfills(options?: { limit?: number; status?: BackfillStatus }): Promise<BackfillRecord[]>;
  backfill(backfillId: string): Promise<BackfillRecord | undefined>;
  /** One event by id; undefined when there is none. */
  event(id: number): Promise<StoredEvent | undefined>;
  /**
   * Optional: the `timestamp` of each of these events, by id (ids with no event are left
   * out): what `event(id)` gives, for many ids in one read. Without it, callers read each
   * event with `event`.
   */
  eventTimes?(ids: readonly number[]): Promise<Map<number, number>>;
  /** Events matching `query`, by id ascending (descending with `descending`). */
  events(query?: EventQuery): Promise<StoredEvent[]>;
  /**
   * Runs, newest first: by `startedAt`, then by started event id, descending; `status`
   * filters; at most `limit` (default 50).
   */
  runs(options?: { limit?: number; status?: RunStatus }): Promise<RunRecord[]>;
  run(runId: string): Promise<RunRecord | undefined>;
  /**
   * Starts a unit of work exactly once across processes: in one transaction, checks that
   * every asset partition of `start.events` is not leased by another run (other than the
   * leases being taken over, which must be unchanged) and that its newest materialization is
   * the one expected, then appends the take-over events and `start.events` (whose
   * `step:started` events take the leases). With `start.pool`, in the same transaction, it
   * also checks the pool has the unit's slots free (see `StepStart.pool`). Held beats moved,
   * and moved beats pool-full, when several apply: a unit another run did need not wait for
   * a slot.
   */
  startSteps(start: StepStart): Promise<StepStartResult>;
  /** The leases held on these partitions of one asset (those not leased are left out). */
  leases(assetKey: string, partitions: readonly string[]): Promise<Lease[]>;
  /** Sets the heartbeat of every lease `runId` holds to `at`: its process is alive. */
  renewLeases(runId: string, at: number): Promise<void>;
  /** The id of the newest event (0 when empty): a cheap signal that something was appended. */
  lastEventId(): Promise<number>;
  /**
   * Optional, for a log its server can announce appends for (PostgreSQL's LISTEN/NOTIFY): the
   * newest event id once one after `afterId` is appended, `timeoutMs` passed or `signal`
   * aborted. Watchers (the server's live views, the daemon) wait on it instead of polling
   * `lastEventId`; without it they poll.
   */
  waitForEvents?(
    afterId: number,
    options: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<number>;
  /**
   * The newest sensor ticks, schedule ticks, condition evaluations and pauses. With
   * `conditions: false`, `conditions` is left empty (a running daemon keeps their memory
   * itself, and they are the bulk: one per automated asset).
   */
  automationRecords(options?: { conditions?: boolean }): Promise<AutomationRecords>;
  /**
   * Takes or renews `role` for `holder`, atomically: granted when nobody holds it, when
   * `holder` (same id) does, or when its holder's id is `takeOver` (the caller judged that
   * holder dead: its process is gone, or its heartbeat is older than the caller allows);
   * otherwise refused, naming the holder. Roles are liveness, not history: no event, and
   * `rebuildIndexes` leaves them alone.
   */
  claimRole(
    role: string,
    holder: RoleHolder,
    at: number,
    options?: { takeOver?: string },
  ): Promise<RoleClaim>;
  /** Gives up `role` if `holderId` holds it; otherwise does nothing. */
  releaseRole(role: string, holderId: string): Promise<void>;
  /** Rebuilds every index from the events alone; reads afterwards answer as before. */
  rebuildIndexes(): Promise<void>;
  /** Closes this connection; the storage, and other connections to it, stay as they are. */
  close(): Promise<void>;
}
