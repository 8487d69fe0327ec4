/**
 * @module storage/events
 * Every event Weir records: one discriminated union on `type`. The event log is the only
 * source of truth; status, staleness and lineage are derived from these.
 */
import type { IoFormat, JsonValue, LogLevel, Metadata } from '../definitions/index.js';

/** The partition of an unpartitioned asset. */
export const NO_PARTITION = '';

export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string;
  /** Weir's error code when the error is Weir's. */
  code?: string;
  /** What to do about it, when the error says (a Weir error's hint). */
  hint?: string;
}

/** Where a materialization's bytes live in the artefact store. */
export interface ArtefactLocation {
  format: IoFormat;
  /** Store-relative location, e.g. `objects/3f/3fa9…`. */
  location: string;
  /** SHA-256 of the stored bytes (a directory: of its manifest). */
  contentHash: string;
  size: number;
  type: 'blob' | 'file' | 'directory';
}

/** The version of one input a materialization read, and the event that produced that version. */
export interface InputVersion {
  /**
   * The input's data version; for several partitions of a partitioned input, a hash of
   * their keys and data versions.
   */
  dataVersion: string;
  /**
   * The materialization or observation event that produced `dataVersion`; for several
   * partitions, the newest of their events (the log position the step read them at).
   */
  eventId: number;
  /** A partitioned input: how many of its partitions were read. */
  partitionCount?: number;
  /** A partitioned input read as one partition (or a few): their keys. */
  partitions?: string[];
}

/** Provenance: everything that determined one materialization. */
export interface Materialization {
  dataVersion: string;
  codeVersion: string;
  /**
   * What a derived code version was made of: each part (`materialize`, a helper such as
   * `src/phone.ts:normalizePhone`, `package lodash`) with its hash or version, so `why` can
   * name what changed. Absent for explicit code versions and in logs written before it existed.
   */
  codeParts?: Record<string, string>;
  /** Every upstream (inputs and deps), by key. */
  inputs: Record<string, InputVersion>;
  /** Hash of the identities of the resources the asset used. */
  configHash: string;
  artefact: ArtefactLocation;
  startedAt: number;
  endedAt: number;
  host: string;
  weirVersion: string;
  metadata: Metadata;
  /**
   * Blocking checks this materialization failed when it was produced. When any did, it is
   * recorded but not used: consumers keep reading the last materialization that passed.
   */
  blockedBy?: string[];
}

/** One check's result on one materialization. */
export interface CheckRecord {
  name: string;
  severity: 'error' | 'warn';
  blocking: boolean;
  passed: boolean;
  message?: string;
  metadata: Metadata;
}

export interface FreshnessOutcome {
  status: 'fresh' | 'overdue' | 'unknown';
  overdueByMs: number;
  deadline?: number;
  lastUpdatedAt?: number;
  reason: string;
}

export interface Observation {
  dataVersion: string;
  metadata: Metadata;
}

export type RunStatus = 'running' | 'success' | 'failed' | 'cancelled' | 'crashed';

/** What a backfill asked for: a selection and the partitions of its assets to bring up to date. */
export interface BackfillRequest {
  selection: string;
  /** Inclusive range of partition keys, as typed (`--from`/`--to`). */
  from?: string;
  to?: string;
  /** Explicit partition keys (`--partition`). */
  partitions?: string[];
  force: boolean;
}

export type BackfillStatus = 'running' | 'success' | 'failed' | 'cancelled';

export interface RunSummary {
  materialized: string[];
  /** Planned because an upstream was, not run because every upstream came out unchanged. */
  unchanged: string[];
  /** Planned, not run: another run (a concurrent command) materialized it first, from the same inputs. */
  concurrent?: string[];
  failed: string[];
  skipped: string[];
  cancelled: string[];
}

/** Keys added to or removed from a dynamic partitions definition. */
interface DynamicPartitionsChange {
  runId?: string;
  /** The dynamic partitions definition's name. */
  name: string;
  keys: string[];
}

interface Base {
  /** Epoch milliseconds. */
  timestamp: number;
}
interface InRun extends Base {
  runId: string;
}
interface ForStep extends InRun {
  assetKey: string;
  partition: string;
  /**
   * The queue worker that recorded it (its id, `weir worker --id`), when a worker ran the step
   * rather than the run's own process: which worker ran each step is read from here.
   */
  worker?: string;
}

export type WeirEvent =
  | (InRun & {
      type: 'run:started';
      selection: string;
      force: boolean;
      /** Planned steps in order (asset keys). */
      steps: string[];
      /** Units of work planned: one per unpartitioned step, one per partition (or range) of a partitioned one. */
      units?: number;
      host: string;
      pid: number;
      /**
       * When that process started, in the host's own terms (Linux: clock ticks after boot), so
       * a later process given the same pid is not taken for it. Absent where unknown.
       */
      pidStart?: number;
      /** The thread of that process running it (worker_threads' threadId; 0: the main thread). */
      threadId?: number;
      weirVersion: string;
      /** Partitions asked for (`--partition`, `--from/--to`); every stale one when omitted. */
      partitions?: { from?: string; to?: string; keys?: string[] };
      /** The backfill this run works for. */
      backfillId?: string;
      /** What launched it, when not a person at a terminal (the daemon says why). */
      trigger?: RunTrigger;
    })
  | (InRun & {
      type: 'run:finished';
      status: Exclude<RunStatus, 'running'>;
      summary: RunSummary;
      reason?: string;
    })
  | (ForStep & {
      type: 'step:started';
      attempt: number;
      /** The step took over the lease of a run whose process died or stopped renewing it. */
      tookOver?: { runId: string; reason: string };
      /**
       * The pool slots its lease holds while it lives (see `StepStart.pool`). A unit of several
       * partitions takes its slots once: its first `step:started` carries them, the others 0.
       */
      pool?: { name: string; slots: number };
    })
  | (ForStep & {
      type: 'step:log';
      level: LogLevel;
      message: string;
      fields?: Record<string, JsonValue>;
    })
  | (ForStep & { type: 'step:retrying'; attempt: number; delayMs: number; error: ErrorInfo })
  | (ForStep & { type: 'step:failed'; attempt: number; error: ErrorInfo })
  | (ForStep & { type: 'step:skipped'; reason: string; blockedBy: string[] })
  | (ForStep & {
      type: 'step:cancelled';
      /** Why, when the run itself was not cancelled (its step lost its lease to another run). */
      reason?: string;
    })
  | (ForStep & { type: 'asset:materialized'; materialization: Materialization })
  | (Base & {
      type: 'asset:observed';
      runId?: string;
      assetKey: string;
      partition: string;
      observation: Observation;
    })
  | (Base & {
      type: 'check:evaluated';
      runId?: string;
      assetKey: string;
      partition: string;
      /** The materialization the check looked at. */
      materializationId: number;
      dataVersion: string;
      check: CheckRecord;
    })
  | (Base & DynamicPartitionsChange & { type: 'partitions:added' })
  | (Base & DynamicPartitionsChange & { type: 'partitions:removed' })
  | (Base & {
      type: 'backfill:requested';
      backfillId: string;
      request: BackfillRequest;
      /** Partitions requested, summed over the selected assets, when it was requested. */
      requestedPartitions: number;
    })
  | (Base & {
      type: 'backfill:finished';
      backfillId: string;
      status: Exclude<BackfillStatus, 'running'>;
      /** Why it was cancelled or failed. */
      reason?: string;
    })
  | (Base & {
      type: 'freshness:evaluated';
      assetKey: string;
      partition: string;
      freshness: FreshnessOutcome;
    })
  | (Base & {
      /**
       * `weir verify --repair` rewrote an artefact that was missing or corrupt, from a
       * reproduction (recorded inputs, same code) that gave exactly the recorded content.
       * History only: indexes nothing.
       */
      type: 'artefact:repaired';
      assetKey: string;
      partition: string;
      /** The materialization whose artefact was rewritten. */
      materializationId: number;
      location: string;
      /** What verification found before the repair. */
      found: 'missing' | 'corrupt' | 'unreadable';
    })
  | (Base & {
      /**
       * `weir gc` removed these artefacts from the store; the events that refer to them stay,
       * so history can say their bytes were collected. History only: indexes nothing.
       */
      type: 'artefacts:collected';
      locations: string[];
      /** Bytes freed by these locations. */
      bytes: number;
      /** The retention policy that let them go. */
      policy: RetentionPolicy;
    })
  | (Base & {
      /**
       * A sensor was polled. `cursor` is the cursor after the tick (a failed tick keeps the
       * previous one), which the next poll is given.
       */
      type: 'sensor:ticked';
      name: string;
      outcome: SensorOutcome;
      cursor?: string;
      error?: ErrorInfo;
      durationMs: number;
      /** What the tick did: observations recorded, dynamic partitions added, runs launched. */
      observations: number;
      partitionsAdded: number;
      runIds: string[];
      /** Observations of source assets it made, for `why` ("observing inbox/x.csv"). */
      observed?: Array<{
        assetKey: string;
        partition: string;
        dataVersion: string;
        /** The `asset:observed` event recorded. */
        eventId: number;
        /** The file it saw, when the sensor said (a folder sensor's `path` metadata). */
        path?: string;
      }>;
    })
  | (Base & {
      /** A schedule's tick (the cron time `tick`, epoch ms) was handled: its run launched. */
      type: 'schedule:ticked';
      name: string;
      tick: number;
      runIds: string[];
      error?: ErrorInfo;
    })
  | (Base & {
      /**
       * An asset's automation condition was evaluated and requested partitions (or its
       * memory had to be kept). `result` is the engine's explanation (automation/result.ts),
       * `memory` what the next evaluation starts from.
       */
      type: 'automation:evaluated';
      assetKey: string;
      /** The partitions requested, as key ranges (`['']` for an unpartitioned asset). */
      requested: Array<string | [string, string]>;
      count: number;
      result?: JsonValue;
      memory: JsonValue;
      runIds: string[];
    })
  | (Base & {
      /** A sensor, schedule or asset condition (by name or key) was paused or resumed. */
      type: 'automation:paused' | 'automation:resumed';
      name: string;
    });

/**
 * What launched a run: a sensor, a schedule's tick or an asset's automation condition (the
 * daemon), or a person through the HTTP API or web UI (`api`).
 */
export interface RunTrigger {
  kind: 'sensor' | 'schedule' | 'condition' | 'api';
  /**
   * The sensor's or schedule's name, the asset key whose condition requested it, or for `api`
   * the role of the token that launched it (`operator`, or `local` on an open local server).
   */
  name: string;
  /** One line a person reads: why it was launched. */
  reason: string;
}

/** How a sensor's tick ended. */
export type SensorOutcome = 'requested' | 'nothing' | 'failed' | 'timed-out';

/** What `weir gc` keeps of an asset partition's history (see docs/gc.md). */
export interface RetentionPolicy {
  /** Every materialization younger than this many days keeps its artefact. */
  keepDays: number;
  /** The newest this many materializations of each asset partition keep theirs. */
  keepLast: number;
  /** Artefacts no event refers to are kept while younger than this (a run may be recording them). */
  graceMs: number;
}

export type WeirEventType = WeirEvent['type'];

/** An event as stored: with its position in the log. */
export type StoredEvent<T extends WeirEventType = WeirEventType> = Extract<
  WeirEvent,
  { type: T }
> & {
  id: number;
};

export type MaterializationEvent = StoredEvent<'asset:materialized'>;
export type ObservationEvent = StoredEvent<'asset:observed'>;
export type FailureEvent = StoredEvent<'step:failed'>;
export type CheckEvent = StoredEvent<'check:evaluated'>;
export type FreshnessEvent = StoredEvent<'freshness:evaluated'>;

/** The step outcomes that end a step. */
export const STEP_OUTCOMES = [
  'asset:materialized',
  'step:failed',
  'step:skipped',
  'step:cancelled',
] as const;
