/**
 * @module definitions/conditions/types
 * Automation conditions as data: a tree of named nodes an asset declares with
 * `automation: …`, which the automation layer evaluates per partition. Plain objects, so a
 * tree can be compared, hashed into a signature, listed and explained.
 */

/** Facts about the asset's own partitions. */
export type OwnFact =
  | 'missing'
  | 'in-progress'
  | 'failed'
  | 'overdue'
  | 'code-version-changed'
  | 'newly-updated'
  | 'newly-requested'
  | 'initial-evaluation';

/** Facts about what a partition reads: true when any (not ignored) parent makes it so. */
export type UpstreamFact =
  | 'upstream-updated'
  | 'upstream-newly-updated'
  | 'upstream-in-progress'
  | 'upstream-failing'
  | 'upstream-check-failing'
  | 'upstream-missing'
  | 'upstream-requested';

interface Node<T extends string> {
  readonly kind: 'condition';
  readonly type: T;
  /** Short, snake_case: `eager`, `missing`, `upstream_updated`, or a user's own label. */
  readonly name: string;
  /** One sentence: what it means for a partition to satisfy this node. */
  readonly description: string;
}

export type OwnFactCondition = Node<OwnFact>;

export interface UpstreamFactCondition extends Node<UpstreamFact> {
  /** Parent keys this fact does not look at. */
  readonly ignore: readonly string[];
}

export interface LatestTimeWindowCondition extends Node<'in-latest-time-window'> {
  /** Windows ending within this long before the newest window's end also count; 0: only the newest. */
  readonly lookbackMs: number;
}

export interface CronTickPassedCondition extends Node<'cron-tick-passed'> {
  readonly cron: string;
  readonly timezone: string;
}

export interface UpstreamsUpdatedSinceCronCondition extends Node<'upstreams-updated-since-cron'> {
  readonly cron: string;
  readonly timezone: string;
  readonly ignore: readonly string[];
}

export interface AndCondition extends Node<'and'> {
  readonly operands: readonly AutomationCondition[];
}

export interface OrCondition extends Node<'or'> {
  readonly operands: readonly AutomationCondition[];
}

export interface NotCondition extends Node<'not'> {
  readonly operand: AutomationCondition;
}

export interface SinceCondition extends Node<'since'> {
  readonly trigger: AutomationCondition;
  readonly reset: AutomationCondition;
}

export interface NewlyTrueCondition extends Node<'newly-true'> {
  readonly operand: AutomationCondition;
}

/** A node of an automation condition tree. */
export type AutomationCondition =
  | OwnFactCondition
  | UpstreamFactCondition
  | LatestTimeWindowCondition
  | CronTickPassedCondition
  | UpstreamsUpdatedSinceCronCondition
  | AndCondition
  | OrCondition
  | NotCondition
  | SinceCondition
  | NewlyTrueCondition;

/** The nodes directly below `condition`, in order (their index is their step in a node path). */
export function childrenOf(condition: AutomationCondition): readonly AutomationCondition[] {
  switch (condition.type) {
    case 'and':
    case 'or':
      return condition.operands;
    case 'not':
    case 'newly-true':
      return [condition.operand];
    case 'since':
      return [condition.trigger, condition.reset];
    default:
      return [];
  }
}

export function isCondition(value: unknown): value is AutomationCondition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'condition' &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}
