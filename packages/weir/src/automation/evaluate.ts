/**
 * @module automation/evaluate
 * The condition engine: evaluates a condition tree for every partition of one asset at once,
 * with set operations on bitsets (no object per partition), from facts the caller gathers and
 * the memory the previous evaluation returned. Pure: no I/O, no clock; the same facts and
 * memory give the same result.
 */
import type { AutomationCondition, PartitionSet, PartitionSpace } from '../definitions/index.js';
import { upstreamDetails } from './_details.js';
import { evaluateLeaf, LeafContext, type ParentPart } from './_leaves.js';
import type { AssetFacts } from './facts.js';
import { describeRanges, encodeSet } from './key-ranges.js';
import { type ConditionMemory, MemoryWriter, recall } from './memory.js';
import type { ConditionResult } from './result.js';

/** What one evaluation decided. */
export interface ConditionEvaluation {
  /** The partitions to materialize now: those the whole condition is true for. */
  readonly requested: PartitionSet;
  /**
   * Why, node by node (JSON: record it with the request, explain it with `explainCondition`).
   * Built on first access, from the facts as they were: read it before they change.
   */
  readonly result: ConditionResult;
  /** Give it to the next evaluation of this asset's condition (JSON: persist it to survive a restart). */
  readonly memory: ConditionMemory;
}

interface Outcome {
  readonly node: AutomationCondition;
  readonly set: PartitionSet;
  readonly children: readonly Outcome[];
  readonly parents?: readonly ParentPart[];
  readonly remembered?: PartitionSet;
  readonly tick?: number;
}

/**
 * Evaluates `condition` for every partition of the asset `facts` describes. `memory` is what
 * the previous evaluation of this asset returned (undefined, or anything unreadable, at the
 * first: `since` and `newlyTrue` then start empty, and facts "since the previous evaluation"
 * are taken as described on each leaf). Evaluate assets upstream first, handing each child
 * the `requested` sets of its parents (`ParentFacts.requested`), so a change propagates in
 * one pass.
 *
 * @example
 * const { requested, result, memory } = evaluateCondition(eager(), facts, previousMemory);
 */
export function evaluateCondition(
  condition: AutomationCondition,
  facts: AssetFacts,
  memory?: unknown,
): ConditionEvaluation {
  const ctx = new LeafContext(facts, recall(memory, facts.space));
  const writer = new MemoryWriter(facts.space);
  const root = walk(condition, '$', ctx, writer);
  const requested = root.set;
  let result: ConditionResult | undefined;
  return {
    requested,
    // Built when asked (the daemon records it when an evaluation launches or skips work): it
    // is most of an evaluation's cost, and may ask the facts for the events behind a change.
    get result() {
      result ??= toResult(root, requested, facts.space);
      return result;
    },
    memory: writer.finish(facts.now, facts.cursor, requested),
  };
}

function walk(
  node: AutomationCondition,
  path: string,
  ctx: LeafContext,
  writer: MemoryWriter,
): Outcome {
  const child = (operand: AutomationCondition, i: number) =>
    walk(operand, `${path}.${i}`, ctx, writer);
  switch (node.type) {
    case 'and':
    case 'or': {
      // Every operand is evaluated, even when the result is already decided, so that the
      // memory of `since` and `newlyTrue` below does not depend on evaluation order.
      const children = node.operands.map(child);
      const combine = node.type === 'and' ? 'intersect' : 'union';
      const set = children.slice(1).reduce((acc, c) => acc[combine](c.set), children[0]!.set);
      return { node, set, children };
    }
    case 'not': {
      const inner = child(node.operand, 0);
      return { node, set: inner.set.complement(), children: [inner] };
    }
    case 'newly-true': {
      const inner = child(node.operand, 0);
      const before = ctx.previous?.node(path, node) ?? ctx.empty();
      writer.remember(path, node, inner.set);
      return { node, set: inner.set.difference(before), children: [inner] };
    }
    case 'since': {
      const trigger = child(node.trigger, 0);
      const reset = child(node.reset, 1);
      const before = ctx.previous?.node(path, node) ?? ctx.empty();
      // A trigger and a reset at the same evaluation leave it true.
      const set = before.difference(reset.set).union(trigger.set);
      writer.remember(path, node, set);
      return { node, set, children: [trigger, reset], remembered: set.difference(trigger.set) };
    }
    default: {
      const { set, parents, tick } = evaluateLeaf(node, ctx);
      return {
        node,
        set,
        children: [],
        ...(parents === undefined ? {} : { parents }),
        ...(tick === undefined ? {} : { tick }),
      };
    }
  }
}

function toResult(
  outcome: Outcome,
  requested: PartitionSet,
  space: PartitionSpace,
): ConditionResult {
  const { node, set } = outcome;
  const parents = outcome.parents;
  const remembered = outcome.remembered;
  const partitions = encodeSet(set, space);
  let reason = `${summary(set, partitions, space)}: ${node.description}`;
  if (parents !== undefined && parents.length > 0) {
    reason += ` (through ${parents.map((p) => `${p.parent.asset.key}: ${p.set.count}`).join(', ')})`;
  }
  if (remembered !== undefined && !remembered.isEmpty()) {
    reason += `; ${remembered.count} since an earlier evaluation`;
  }
  const tick = outcome.tick;
  return {
    name: node.name,
    type: node.type,
    description: node.description,
    partitions,
    count: set.count,
    size: space.size,
    reason,
    children: outcome.children.map((c) => toResult(c, requested, space)),
    ...(parents === undefined
      ? {}
      : { upstream: upstreamDetails(node.type, parents, requested, space) }),
    ...(remembered === undefined || remembered.isEmpty()
      ? {}
      : { remembered: encodeSet(remembered, space) }),
    ...(tick === undefined ? {} : { tick }),
  };
}

/** `true` / `false` for an unpartitioned asset, else `true for 3 of 365 partitions (a…b)`. */
function summary(
  set: PartitionSet,
  partitions: ReturnType<typeof encodeSet>,
  space: PartitionSpace,
): string {
  if (space.definition === undefined) return set.isEmpty() ? 'false' : 'true';
  if (set.isEmpty()) return `false for all ${space.size} partitions`;
  const which = describeRanges(partitions, 2);
  return set.count === space.size
    ? `true for all ${space.size} partitions`
    : `true for ${set.count} of ${space.size} partitions (${which})`;
}
