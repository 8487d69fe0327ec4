/**
 * @module automation/facts
 * What the condition engine asks about the world: the contract between the engine (pure) and
 * the daemon, which implements these interfaces from the state it keeps in memory. Every set
 * is a `PartitionSet` over the space of the asset it describes; an unpartitioned asset is a
 * space of one partition (key `''`). The state methods are called lazily (only for the
 * leaves a condition uses) and at most once per argument in one evaluation; the mapping
 * methods (`readersOf`, `readOf`) and `changes` may be called several times. None may see
 * the state change during an evaluation (nor before its `result` is read).
 */
import type { PartitionSet, PartitionSpace } from '../definitions/index.js';

/** The event that last changed the usable data of some partitions of an asset. */
export interface DataChange {
  /** The partitions it changed, in the space of the asset whose facts returned it. */
  readonly partitions: PartitionSet;
  /** The event's id (its position in the log) and time (epoch ms). */
  readonly eventId: number;
  readonly at: number;
  /** A materialization (by a run) or an observation (of a source). */
  readonly kind: 'materialized' | 'observed';
  readonly runId?: string;
  /**
   * What caused it, as a person reads it, attached by the daemon from its records, e.g.
   * `triggered by sensor telemetry_inbox observing inbox/2026-11-20.csv`.
   */
  readonly trigger?: string;
}

/**
 * Facts about one asset (or source asset) at one evaluation. Evaluated in topological order,
 * a child's `ParentFacts` can say what the same pass requested of its parents.
 */
export interface AssetFacts {
  readonly key: string;
  readonly kind: 'asset' | 'source';
  /** Its partitions now (time windows ended by `now`, current dynamic keys). */
  readonly space: PartitionSpace;
  /** The evaluation's time (epoch ms); the engine has no clock of its own. */
  readonly now: number;
  /**
   * The newest event id these facts reflect. The engine remembers it, and at the next
   * evaluation asks what changed after it (`changedAfter`, `materializedAfter`).
   */
  readonly cursor: number;
  /** Partitions with no usable data: never materialized, or every materialization blocked by a check (a source: never observed). */
  missing(): PartitionSet;
  /** Partitions a queued or running run will materialize, or whose lease a process holds (a source: empty, or being observed). */
  inProgress(): PartitionSet;
  /** Partitions whose newest attempt failed: a failed step, a failed blocking check (which `blocked` also holds), a failed observation. */
  failed(): PartitionSet;
  /** Partitions whose newest materialization a blocking check blocked (a source: empty). */
  blocked(): PartitionSet;
  /** Partitions whose freshness policy is violated now; for a partitioned asset, the daemon names the partitions whose absence makes it overdue (usually the newest). */
  overdue(): PartitionSet;
  /** Materialized partitions whose code version differs from the asset's current one (staleness' `codeChanged`; a source: empty). */
  codeVersionChanged(): PartitionSet;
  /** Partitions with any materialization (usable or blocked; a source: a recorded observation) after event `eventId`. */
  materializedAfter(eventId: number): PartitionSet;
  /** Partitions whose usable data version changed after event `eventId` (`dataChangedId > eventId`; a source: observed with a new version). */
  changedAfter(eventId: number): PartitionSet;
  /** Partitions with a usable materialization (a source: a recorded observation) at or after `time` (epoch ms), the same data or not. */
  updatedSince(time: number): PartitionSet;
  /**
   * The events that last changed the usable data of `partitions`, grouped by event (one
   * per run or observation is enough), newest first. Only asked for explanations, so it may
   * read the log; at most a few groups matter.
   */
  changes(partitions: PartitionSet): readonly DataChange[];
  /** One entry per parent (inputs and deps), in the graph's order. */
  readonly parents: readonly ParentFacts[];
}

/** One edge, seen from the child: the parent's own facts, plus how the child reads it. */
export interface ParentFacts {
  /** The parent's facts (its key, space and sets are the parent's). */
  readonly asset: AssetFacts;
  /**
   * The parent's partitions requested earlier in this same evaluation pass (its
   * `evaluateCondition(…).requested`); empty when it has no condition or was not evaluated.
   */
  readonly requested: PartitionSet;
  /**
   * The child reads it through last-good inputs (`many(x, { lastGood: true })`): its failing,
   * blocked or missing partitions do not hold the child back while another it reads is usable.
   */
  readonly lastGood?: boolean;
  /** The child's partitions that read any of `parentPartitions` (the mapping's `downstreamFor`). */
  readersOf(parentPartitions: PartitionSet): PartitionSet;
  /** The parent's partitions that any of `childPartitions` reads (the mapping's `upstreamFor`). */
  readOf(childPartitions: PartitionSet): PartitionSet;
  /**
   * The child's partitions that have read this parent and whose input from it changed since
   * they read it (staleness' `dataMoved` for this parent; never-materialized partitions are
   * not in it).
   */
  moved(): PartitionSet;
  /**
   * The child's partitions whose newest attempt came before the newest change of this
   * parent's data that they read: never attempted while the parent has usable data, last
   * materialized from older data (`moved`), or last failed before the change (compare the
   * parent's `newestRead(dataChangedId)` with the greater of the child's `inputsAsOf` and,
   * when its newest attempt failed, its failure's event id). So a child that failed in the
   * very run that brought its parent's data is not asked to run again for that data.
   */
  changedSinceAttempt(): PartitionSet;
}
