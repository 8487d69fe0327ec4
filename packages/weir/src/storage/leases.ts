/**
 * @module storage/leases
 * The lease contract of the event log (exactly once per asset partition across processes):
 * who holds a lease, a lease as the log keeps it, and what taking the leases with a unit's
 * first `step:started`, and appending under them, answer. See `EventLog.startSteps` and
 * `EventLog.appendHolding` in event-log.ts.
 */
import type { StoredEvent, WeirEvent } from './events.js';

/** Who holds a lease: a run of a process on a host. */
export interface LeaseHolder {
  runId: string;
  host: string;
  pid: number;
  /** The holder process's start, from its run's `run:started` (`pidStart`), when known. */
  pidStart?: number;
  /** The holder's thread in that process, from its run's `run:started`, when known. */
  threadId?: number;
}

/**
 * A step in flight: the lease on one asset partition that makes it run exactly once at a
 * time across processes. It is index state like any other: a `step:started` event takes it
 * for its run (replacing any lease on that asset partition), the same run's outcome for it
 * (`asset:materialized`, `step:failed`, `step:cancelled`, `step:skipped`) releases it, and
 * the run's `run:finished` releases every lease the run still holds. Only `startSteps`
 * refuses to take a lease another run holds; `append` never checks.
 *
 * A lease also holds the pool slots its `step:started` carries (`pool`), and they live and
 * die with it: released exactly when the lease is (the step's outcome, its run's end, a
 * take-over of a dead holder, which appends an outcome for it), replaced when a new
 * `step:started` replaces the lease. There is no other record of a pool's use, so a slot
 * cannot leak: a killed process's slots are freed when its leases are taken over or its run
 * is closed.
 */
export interface Lease extends LeaseHolder {
  assetKey: string;
  partition: string;
  /** The `step:started` event that took it. */
  startedId: number;
  /**
   * When the holder last said it is alive (epoch ms): the `step:started` event's timestamp,
   * then each `renewLeases`. Liveness, not history: `rebuildIndexes()` resets it to the
   * `step:started` timestamp.
   */
  heartbeatAt: number;
  /** The pool slots it holds, from its `step:started`'s `pool`; absent when that has none. */
  pool?: { name: string; slots: number };
}

/** The first `step:started` of one unit of work, taken with its leases in one transaction. */
export interface StepStart {
  /**
   * The `step:started` events (one per partition of the unit, all of one run and with its
   * host and pid on the run's `run:started`), and anything to record with them.
   */
  events: readonly WeirEvent[];
  /**
   * The newest materialization id of each asset partition the caller planned from (0: none;
   * see `AssetRecord.materialization`). When one has moved on since, another run did the
   * work: nothing is appended and the result is `moved`.
   */
  expected: ReadonlyArray<{ assetKey: string; partition: string; materializationId: number }>;
  /**
   * Leases the caller judged dead (their process is gone, or they were not renewed in time),
   * with the events that close their steps (a `step:failed` of the dead run, say). Each is
   * taken over only if it is still exactly that lease (same run and `startedId`); its events
   * are appended before `events`; one that is not (released or taken by another run since)
   * is left out, events and all. A take-over need not be of the unit's partitions: a unit
   * waiting for a pool takes over the dead holders of its slots the same way.
   */
  takeOver?: ReadonlyArray<{ lease: Lease; events: readonly WeirEvent[] }>;
  /**
   * The pool the unit takes `slots` of, and the pool's `limit`. The slots used are those of
   * every lease in the pool (`Lease.pool.name`) except the leases this call replaces: on the
   * unit's own asset partitions, and those taken over here (still exactly that lease). When
   * used + `slots` > `limit`, nothing is appended and the result is `pool-full`. Otherwise
   * the unit's `step:started` events are recorded with `pool: { name, slots }` on the first
   * and `slots: 0` on the rest (a unit takes its slots once; see `poolStarts`), replacing any
   * `pool` they carry. Without it the events are recorded as given.
   */
  pool?: { name: string; limit: number; slots: number };
}

export type StepStartResult =
  /** Appended: the leases are the caller's run's. */
  | { status: 'started'; events: StoredEvent[] }
  /** Another run holds some of the leases (and they are not being taken over): nothing appended. */
  | { status: 'held'; leases: Lease[] }
  /** Some asset partitions have a newer materialization than expected: nothing appended. */
  | {
      status: 'moved';
      partitions: Array<{ assetKey: string; partition: string; materializationId: number }>;
    }
  /**
   * The unit's pool has too few free slots: nothing appended. `used` slots of `limit` are
   * held by `holders` (every counted lease in the pool with slots, any order): wait for one
   * to be released, or take over those whose holder died.
   */
  | { status: 'pool-full'; pool: string; used: number; limit: number; holders: Lease[] };

export type HoldingResult =
  | { status: 'appended'; events: StoredEvent[] }
  | {
      status: 'lost';
      /** The partitions whose lease the run no longer holds, and who holds each now. */
      lost: Array<{ assetKey: string; partition: string; holder: Lease | undefined }>;
    };
