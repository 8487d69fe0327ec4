/**
 * @module daemon/_conditions
 * One pass over the assets' automation conditions: facts from the instance (facts.ts), each
 * asset's condition evaluated upstream first with what its parents requested in the same
 * pass (so a change propagates in one pass and one run), the requests launched as runs (one
 * per distinct set of partition keys), and each request recorded with the explanation that
 * decided it and the memory the next pass starts from.
 */
import {
  type AssetFacts,
  encodeSet,
  evaluateCondition,
  explainCondition,
} from '../automation/index.js';
import {
  type AssetDefinition,
  type AutomationCondition,
  childrenOf,
  type JsonValue,
  type PartitionSet,
} from '../definitions/index.js';
import type { Instance } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { AutomationRecords, StoredEvent, WeirEvent } from '../storage/index.js';
import { type Launcher, type RunOrder, startedWithin } from './_launcher.js';
import { type FactsOptions, readFacts } from './facts.js';

/** Memory alone (nothing requested) is recorded at most this often per asset. */
const MEMORY_EVERY_MS = 60_000;

export interface ConditionPassContext {
  graph: AssetGraph;
  instance: Instance;
  launcher: Launcher;
  records: AutomationRecords;
  /** Only these assets' conditions (those a change reached: see _affected.ts); all when undefined. */
  only?: ReadonlySet<string>;
  /** Each asset's newest memory (this daemon's, else as recorded) and when it was recorded. */
  memory: Map<string, { memory: unknown; recordedAt: number; recordedState?: string | undefined }>;
  now: number;
  triggerOf?: FactsOptions['triggerOf'];
}

interface Decision {
  key: string;
  facts: AssetFacts;
  requested: PartitionSet;
  evaluation: ReturnType<typeof evaluateCondition>;
}

/** The assets with a condition, upstream first, leaving out paused ones. */
export function automatedKeys(graph: AssetGraph, paused: ReadonlySet<string>): string[] {
  return graph.keys.filter((key) => {
    const definition = graph.node(key).definition;
    return definition.kind === 'asset' && definition.automation !== undefined && !paused.has(key);
  });
}

/** Evaluates, launches and records; returns the evaluations recorded. */
export async function evaluateConditions(
  context: ConditionPassContext,
): Promise<StoredEvent<'automation:evaluated'>[]> {
  const only = context.only;
  const keys = automatedKeys(context.graph, context.records.paused).filter(
    (key) => only === undefined || only.has(key),
  );
  if (keys.length === 0) return [];
  const requestedOf = new Map<string, PartitionSet>();
  const facts = await readFacts({
    graph: context.graph,
    instance: context.instance,
    now: context.now,
    inProgress: context.launcher.inProgress(),
    keys,
    ...(context.triggerOf === undefined ? {} : { triggerOf: context.triggerOf }),
    requested: requestedOf,
  });
  const decisions: Decision[] = [];
  for (const key of keys) {
    const own = facts.get(key);
    if (own === undefined) continue;
    const definition = context.graph.node(key).definition as AssetDefinition;
    const evaluation = evaluateCondition(
      definition.automation!,
      own,
      (context.memory.get(key) ?? context.records.conditions.get(key))?.memory,
    );
    requestedOf.set(key, evaluation.requested);
    decisions.push({ key, facts: own, requested: evaluation.requested, evaluation });
  }
  const runIds = await launch(decisions, context);
  const events = decisions.flatMap((d) => record(d, runIds.get(d.key) ?? [], context));
  return (await context.instance.eventLog.append(events)) as StoredEvent<'automation:evaluated'>[];
}

/**
 * One run per group of requested assets connected by requested parent-child edges (so a run
 * orders a change's whole path, and unrelated requests do not wait for each other), each
 * asset limited to the partitions requested of it; returns the run ids by asset key.
 */
async function launch(
  decisions: readonly Decision[],
  context: ConditionPassContext,
): Promise<Map<string, string[]>> {
  const requested = decisions.filter((d) => !d.requested.isEmpty());
  const byAsset = new Map<string, string[]>();
  const launched = connected(requested, context.graph).map(async (members) => {
    const skip = new Map<string, Set<string>>();
    const covers = new Map<string, string[]>();
    for (const { key, facts, requested: set } of members) {
      const partitioned = context.graph.node(key).partitions !== undefined;
      covers.set(key, partitioned ? keysOf(set, facts) : ['']);
      if (partitioned) skip.set(key, new Set(keysOf(set.complement(), facts)));
    }
    const order: RunOrder = {
      selection: members.map((d) => d.key),
      skip,
      // A request made on a clock (a cron tick, an overdue policy) stands although nothing
      // upstream changed: its partitions are recomputed, not only planned from staleness.
      ...(members.some((d) => onAClock(context.graph, d.key)) ? { force: true } : {}),
      trigger: { kind: 'condition', name: members[0]!.key, reason: reasonOf(members[0]!, context) },
      covers,
    };
    const runId = await startedWithin(context.launcher.launch(order));
    if (runId === undefined) return;
    for (const d of members) byAsset.set(d.key, [...(byAsset.get(d.key) ?? []), runId]);
  });
  await Promise.all(launched);
  return byAsset;
}

/** Groups of decisions whose assets are linked by parent-child edges among them, upstream first. */
function connected(decisions: readonly Decision[], graph: AssetGraph): Decision[][] {
  const groupOf = new Map<string, Decision[]>();
  for (const decision of decisions) {
    let mine: Decision[] = [decision];
    for (const parent of graph.parents(decision.key)) {
      const theirs = groupOf.get(parent);
      if (theirs === undefined || theirs === mine) continue;
      theirs.push(...mine);
      for (const d of mine) groupOf.set(d.key, theirs);
      mine = theirs;
    }
    groupOf.set(decision.key, mine);
  }
  const groups = [...new Set(groupOf.values())];
  for (const members of groups) {
    members.sort((a, b) => graph.position(a.key) - graph.position(b.key));
  }
  return groups;
}

/** Whether the asset's condition can request without a change of data (cron, overdue). */
function onAClock(graph: AssetGraph, key: string): boolean {
  const definition = graph.node(key).definition as AssetDefinition;
  const walk = (node: AutomationCondition): boolean =>
    node.type === 'overdue' || node.type === 'cron-tick-passed' || childrenOf(node).some(walk);
  return definition.automation !== undefined && walk(definition.automation);
}

function keysOf(set: PartitionSet, facts: AssetFacts): string[] {
  return [...set.indices()].map((i) => facts.space.keyAt(i));
}

function reasonOf(decision: Decision, context: ConditionPassContext): string {
  const lines = explainCondition(decision.evaluation.result, {
    key: decision.key,
    space: decision.facts.space,
    at: context.now,
    maxLines: 2,
  });
  const first = lines[0] ?? `${decision.key} requested by its automation condition`;
  // Partitions requested for other reasons (other files, other days) are in the evaluation.
  return lines.length > 1 ? `${first} (and other partitions, for their own reasons)` : first;
}

function record(decision: Decision, runIds: string[], context: ConditionPassContext): WeirEvent[] {
  const { key, requested, evaluation, facts } = decision;
  const memory = evaluation.memory as unknown as JsonValue;
  // What the memory holds beyond the cursor: a `newlyTrue` that saw a fact turn false, a
  // `since` that started or ended. Lost in a restart, a condition could miss its next edge
  // (an asset overdue again), so a change of it is recorded at once; the cursor alone only
  // every MEMORY_EVERY_MS.
  const state = JSON.stringify([evaluation.memory.requested, evaluation.memory.nodes]);
  const last = context.memory.get(key);
  const recordedAt = last?.recordedAt ?? context.records.conditions.get(key)?.timestamp;
  const recordedState = last?.recordedState ?? stateOf(context.records.conditions.get(key)?.memory);
  const due =
    !requested.isEmpty() ||
    state !== recordedState ||
    recordedAt === undefined ||
    context.now - recordedAt >= MEMORY_EVERY_MS;
  context.memory.set(key, {
    memory,
    recordedAt: due ? context.now : recordedAt!,
    recordedState: due ? state : recordedState,
  });
  if (!due) return [];
  return [
    {
      type: 'automation:evaluated',
      assetKey: key,
      requested: encodeSet(requested, facts.space) as Array<string | [string, string]>,
      count: requested.count,
      ...(requested.isEmpty() ? {} : { result: evaluation.result as unknown as JsonValue }),
      memory,
      runIds,
      timestamp: context.now,
    },
  ];
}

/** The part of a recorded memory beyond its cursor (see `record`). */
export function stateOf(memory: unknown): string | undefined {
  if (typeof memory !== 'object' || memory === null) return undefined;
  const { requested, nodes } = memory as { requested?: unknown; nodes?: unknown };
  return JSON.stringify([requested, nodes]);
}
