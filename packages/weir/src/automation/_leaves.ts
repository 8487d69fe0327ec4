/**
 * @module automation/_leaves
 * The value of each leaf of a condition, as a set of partitions of the evaluated asset, from
 * the facts (asked once each per evaluation) and the previous evaluation's memory.
 */
import {
  type AutomationCondition,
  cronTicks,
  latestCronTick,
  PartitionSet,
  type PartitionSpace,
  type UpstreamFact,
} from '../definitions/index.js';
import type { AssetFacts, ParentFacts } from './facts.js';
import type { Recall } from './memory.js';

/** What one parent contributes to an upstream fact (sets in the evaluated asset's space). */
export interface ParentPart {
  readonly parent: ParentFacts;
  readonly set: PartitionSet;
  /** The part that is due to parent partitions requested in this pass. */
  readonly requested: PartitionSet;
  /** The parent partitions that count as changed, for explanations (undefined: any it reads). */
  readonly changed: PartitionSet | undefined;
}

export interface LeafValue {
  readonly set: PartitionSet;
  readonly parents?: readonly ParentPart[];
  /** Cron leaves: the tick they looked at (epoch ms). */
  readonly tick?: number;
}

/** One evaluation's access to facts and memory, with every facts call asked once. */
export class LeafContext {
  readonly size: number;
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly facts: AssetFacts,
    readonly previous: Recall | undefined,
  ) {
    this.size = facts.space.size;
  }

  once<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  empty(): PartitionSet {
    return PartitionSet.empty(this.size);
  }

  all(): PartitionSet {
    return PartitionSet.all(this.size);
  }
}

/** The value of a leaf node (any node without operands). */
export function evaluateLeaf(node: AutomationCondition, ctx: LeafContext): LeafValue {
  const { facts, previous } = ctx;
  switch (node.type) {
    case 'missing':
      return { set: ctx.once('missing', () => facts.missing()) };
    case 'in-progress':
      return { set: ctx.once('inProgress', () => facts.inProgress()) };
    case 'failed':
      return { set: ctx.once('failed', () => facts.failed()) };
    case 'overdue':
      return { set: ctx.once('overdue', () => facts.overdue()) };
    case 'code-version-changed':
      return { set: ctx.once('codeVersionChanged', () => facts.codeVersionChanged()) };
    case 'newly-updated':
      return {
        set:
          previous === undefined
            ? ctx.empty()
            : ctx.once(`materializedAfter:${previous.cursor}`, () =>
                facts.materializedAfter(previous.cursor),
              ),
      };
    case 'newly-requested':
      return { set: previous?.requested ?? ctx.empty() };
    case 'initial-evaluation':
      return { set: previous === undefined ? ctx.all() : ctx.empty() };
    case 'in-latest-time-window':
      return { set: latestWindows(facts.space, node.lookbackMs) };
    case 'cron-tick-passed': {
      const tick = latestCronTick(node.cron, node.timezone, facts.now);
      const passed =
        previous !== undefined &&
        tick !== undefined &&
        cronTicks(node.cron, node.timezone, previous.evaluatedAt, facts.now, 1).length > 0;
      return { set: passed ? ctx.all() : ctx.empty(), ...(passed ? { tick } : {}) };
    }
    case 'upstreams-updated-since-cron':
      return sinceCron(node.cron, node.timezone, node.ignore, ctx);
    case 'and':
    case 'or':
    case 'not':
    case 'since':
    case 'newly-true':
      throw new TypeError(`${node.type} is not a leaf`);
    default:
      return upstreamFact(node.type, node.ignore, ctx);
  }
}

/** The newest time window (and those ending within `lookbackMs` of it); everything when not time windows. */
export function latestWindows(space: PartitionSpace, lookbackMs: number): PartitionSet {
  const dims = space.dimensions;
  if (dims === undefined) {
    const [from, to] = latestRange(space, lookbackMs);
    return PartitionSet.fromRanges(space.size, [[from, to]]);
  }
  const t = dims.findIndex((d) => d.space.definition?.kind === 'time-window');
  if (t < 0) return PartitionSet.all(space.size);
  const [from, to] = latestRange(dims[t]!.space, lookbackMs);
  const inner = dims[1].space.size;
  const set = PartitionSet.empty(space.size);
  if (t === 0) return set.addRange(from * inner, to * inner);
  for (let row = 0; row < dims[0].space.size; row++) {
    set.addRange(row * inner + from, row * inner + to);
  }
  return set;
}

function latestRange(space: PartitionSpace, lookbackMs: number): [number, number] {
  const size = space.size;
  if (size === 0 || space.definition?.kind !== 'time-window') return [0, size];
  const end = space.windowAt(size - 1)!.end;
  let from = size - 1;
  while (from > 0 && space.windowAt(from - 1)!.end >= end - lookbackMs) from -= 1;
  return [from, size];
}

function parentsOf(ctx: LeafContext, ignore: readonly string[]): Array<[number, ParentFacts]> {
  return ctx.facts.parents
    .map((parent, i): [number, ParentFacts] => [i, parent])
    .filter(([, parent]) => !ignore.includes(parent.asset.key));
}

/** Memoized per parent: `readersOf` of a parent-space set named by `what`. */
function readers(
  ctx: LeafContext,
  i: number,
  parent: ParentFacts,
  what: string,
  set: () => PartitionSet,
): PartitionSet {
  return ctx.once(`p${i}:readersOf:${what}`, () => {
    const parentSet = ctx.once(`p${i}:${what}`, set);
    return parentSet.isEmpty() ? PartitionSet.empty(ctx.size) : parent.readersOf(parentSet);
  });
}

/** The child's partitions none of whose read partitions of `parent` is usable or requested. */
function withNothingUsable(ctx: LeafContext, i: number, parent: ParentFacts): PartitionSet {
  const readsUsable = readers(ctx, i, parent, 'usable-or-requested', () =>
    parent.asset.missing().complement().union(parent.requested),
  );
  return ctx.all().difference(readsUsable);
}

function upstreamFact(type: UpstreamFact, ignore: readonly string[], ctx: LeafContext): LeafValue {
  const parts: ParentPart[] = [];
  let set = ctx.empty();
  for (const [i, parent] of parentsOf(ctx, ignore)) {
    const up = parent.asset;
    const requested = readers(ctx, i, parent, 'requested', () => parent.requested);
    const notRequested = (name: string, read: () => PartitionSet) =>
      readers(ctx, i, parent, `${name}-requested`, () => read().difference(parent.requested));
    let part: PartitionSet;
    let changed: PartitionSet | undefined;
    let viaRequest = ctx.empty();
    switch (type) {
      case 'upstream-updated':
        part = ctx.once(`p${i}:moved`, () => parent.moved()).union(requested);
        viaRequest = requested;
        break;
      case 'upstream-newly-updated': {
        const previous = ctx.previous;
        if (previous === undefined) part = ctx.once(`p${i}:moved`, () => parent.moved());
        else {
          const after = ctx.once(`p${i}:changedAfter`, () => up.changedAfter(previous.cursor));
          changed = after;
          part = readers(ctx, i, parent, 'changedAfter', () => after).intersect(
            ctx.once(`p${i}:changedSinceAttempt`, () => parent.changedSinceAttempt()),
          );
        }
        part = part.union(requested);
        viaRequest = requested;
        break;
      }
      case 'upstream-in-progress':
        part = readers(ctx, i, parent, 'inProgress', () => up.inProgress());
        break;
      // A last-good reader is held back only where nothing it reads is usable.
      case 'upstream-failing':
        part =
          parent.lastGood === true
            ? withNothingUsable(ctx, i, parent)
            : notRequested('failed', () => up.failed());
        break;
      case 'upstream-check-failing':
        part =
          parent.lastGood === true
            ? withNothingUsable(ctx, i, parent)
            : notRequested('blocked', () => up.blocked());
        break;
      case 'upstream-missing':
        part =
          parent.lastGood === true
            ? withNothingUsable(ctx, i, parent)
            : notRequested('missing', () => up.missing());
        break;
      case 'upstream-requested':
        part = requested;
        viaRequest = requested;
        break;
    }
    if (part.isEmpty()) continue;
    parts.push({ parent, set: part, requested: viaRequest.intersect(part), changed });
    set = set.union(part);
  }
  return { set, parents: parts };
}

function sinceCron(
  cron: string,
  timezone: string,
  ignore: readonly string[],
  ctx: LeafContext,
): LeafValue {
  const tick = latestCronTick(cron, timezone, ctx.facts.now);
  if (tick === undefined) return { set: ctx.empty(), parents: [] };
  const parts: ParentPart[] = [];
  let set = ctx.all();
  for (const [i, parent] of parentsOf(ctx, ignore)) {
    const updated = ctx.once(`p${i}:updatedSince:${tick}`, () => parent.asset.updatedSince(tick));
    const requested = readers(ctx, i, parent, 'requested', () => parent.requested);
    const part = readers(ctx, i, parent, `updatedSince:${tick}`, () => updated).union(requested);
    parts.push({ parent, set: part, requested: requested.intersect(part), changed: updated });
    set = set.intersect(part);
  }
  // Each parent's own part is kept: an explanation names the parents still awaited.
  return { set, parents: parts, tick };
}
