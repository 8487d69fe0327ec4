/**
 * @module automation/result
 * What an evaluation decided and why, as a tree of plain data that goes into an event: per
 * node its name, the partitions it is true for (as key ranges: compact for 100,000
 * partitions), a one-line reason, its children, and for upstream facts which parents made it
 * true and the events that brought their new data.
 */
import type { AutomationCondition } from '../definitions/index.js';
import type { KeyRanges } from './key-ranges.js';

/** One node of an evaluated condition. */
export interface ConditionResult {
  readonly name: string;
  readonly type: AutomationCondition['type'];
  readonly description: string;
  /** The partitions this node is true for. */
  readonly partitions: KeyRanges;
  readonly count: number;
  /** How many partitions the asset had (1 when unpartitioned). */
  readonly size: number;
  /** One line a person reads, e.g. `true for 3 of 365 partitions (2026-11-18…2026-11-20)`. */
  readonly reason: string;
  readonly children: readonly ConditionResult[];
  /** Upstream facts: the parents that make it true, each with what it contributes. */
  readonly upstream?: readonly UpstreamDetail[];
  /** `since`: the partitions true only because of a trigger at an earlier evaluation. */
  readonly remembered?: KeyRanges;
  /** `cron-tick-passed`, `upstreams-updated-since-cron`: the tick it looked at (epoch ms). */
  readonly tick?: number;
}

/** What one parent contributes to an upstream fact. */
export interface UpstreamDetail {
  readonly parent: string;
  /** This asset's partitions for which the fact holds through this parent. */
  readonly partitions: KeyRanges;
  readonly count: number;
  /** Of those, the ones that read parent partitions requested in this same evaluation... */
  readonly requested?: KeyRanges;
  /** ...which are these (the parent's keys). */
  readonly requestedUpstream?: KeyRanges;
  /** For the partitions this evaluation requested: the events that brought the data, newest first. */
  readonly changes?: readonly ChangeRecord[];
}

/** An event that changed a parent's data, and which of this asset's partitions read it. */
export interface ChangeRecord {
  /** The parent's partitions it changed (the parent's keys), as far as these readers read them. */
  readonly upstream: KeyRanges;
  /** This asset's partitions that read them. */
  readonly readers: KeyRanges;
  readonly kind: 'materialized' | 'observed';
  readonly eventId: number;
  readonly at: number;
  readonly runId?: string;
  readonly trigger?: string;
}
