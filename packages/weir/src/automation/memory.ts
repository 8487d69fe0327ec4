/**
 * @module automation/memory
 * What a condition remembers between evaluations, as JSON the daemon stores in the event log
 * (so it survives a restart): when the last evaluation ran and the event it had seen, what it
 * requested, and the partitions each stateful node (`since`, `newlyTrue`) was true for, by the
 * node's path in the tree and a signature of the node, so an edited condition forgets only
 * the parts that changed.
 */
import type { AutomationCondition, PartitionSet, PartitionSpace } from '../definitions/index.js';
import { sha256, stableStringify } from '../hash.js';
import { decodeSet, encodeSet, type KeyRanges } from './key-ranges.js';

/** A condition's memory: `undefined` before its first evaluation. */
export interface ConditionMemory {
  readonly version: 1;
  /** The time (epoch ms) and facts cursor (event id) of the evaluation that wrote it. */
  readonly evaluatedAt: number;
  readonly cursor: number;
  /** The partitions that evaluation requested (`newlyRequested` at the next one). */
  readonly requested: KeyRanges;
  /**
   * By node path (`$` the root, `$.0.1` its first operand's second operand): the node's
   * signature and the partitions it remembers (for `since`, its own value; for `newlyTrue`,
   * its operand's).
   */
  readonly nodes: Readonly<Record<string, NodeMemory>>;
}

export interface NodeMemory {
  readonly sig: string;
  readonly partitions: KeyRanges;
}

const signatures = new WeakMap<AutomationCondition, string>();

/**
 * A short hash of what a node means: its type, options and operands, not its name or
 * description, so renaming a composition (or rewording a built-in's description in a later
 * version) keeps its memory. Cached: conditions are immutable data.
 */
export function signatureOf(node: AutomationCondition): string {
  let sig = signatures.get(node);
  if (sig === undefined) {
    const meaning = JSON.parse(
      JSON.stringify(node, (key, value: unknown) =>
        key === 'name' || key === 'description' ? undefined : value,
      ),
    ) as unknown;
    sig = sha256(stableStringify(meaning)).slice(0, 12);
    signatures.set(node, sig);
  }
  return sig;
}

/** The previous evaluation, decoded against today's space. */
export interface Recall {
  readonly evaluatedAt: number;
  readonly cursor: number;
  readonly requested: PartitionSet;
  /** What the node at `path` remembered, if the node there is still the same. */
  node(path: string, node: AutomationCondition): PartitionSet | undefined;
}

/**
 * Reads memory written by an earlier evaluation (possibly another process, before a restart)
 * against `space`. Anything unreadable counts as no memory: the condition starts afresh.
 */
export function recall(memory: unknown, space: PartitionSpace): Recall | undefined {
  if (!isMemory(memory)) return undefined;
  return {
    evaluatedAt: memory.evaluatedAt,
    cursor: memory.cursor,
    requested: decodeSet(memory.requested, space),
    node(path, node) {
      const stored = memory.nodes[path];
      if (stored?.sig !== signatureOf(node) || !Array.isArray(stored.partitions)) return undefined;
      return decodeSet(stored.partitions, space);
    },
  };
}

/** Collects what this evaluation leaves for the next. */
export class MemoryWriter {
  private readonly nodes: Record<string, NodeMemory> = {};

  constructor(private readonly space: PartitionSpace) {}

  remember(path: string, node: AutomationCondition, partitions: PartitionSet): void {
    this.nodes[path] = { sig: signatureOf(node), partitions: encodeSet(partitions, this.space) };
  }

  finish(evaluatedAt: number, cursor: number, requested: PartitionSet): ConditionMemory {
    return {
      version: 1,
      evaluatedAt,
      cursor,
      requested: encodeSet(requested, this.space),
      nodes: this.nodes,
    };
  }
}

/**
 * `memory` as if its evaluation had requested only `launched` (a set over `space`): for a
 * daemon that could not launch everything requested (another process holds a lease, the
 * condition was paused), so that `newlyRequested` at the next evaluation does not count what
 * never ran, and conditions built on it (`eager`, `onCron`, …) ask again.
 *
 * @example
 * const kept = memoryWithRequested(evaluation.memory, launched, space);
 */
export function memoryWithRequested(
  memory: ConditionMemory,
  launched: PartitionSet,
  space: PartitionSpace,
): ConditionMemory {
  return { ...memory, requested: encodeSet(launched, space) };
}

function isMemory(value: unknown): value is ConditionMemory {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<ConditionMemory>;
  return (
    m.version === 1 &&
    typeof m.evaluatedAt === 'number' &&
    typeof m.cursor === 'number' &&
    Array.isArray(m.requested) &&
    typeof m.nodes === 'object' &&
    m.nodes !== null
  );
}
