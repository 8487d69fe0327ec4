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
import type { AssetDefinition, JsonValue, PartitionSet } from '../definitions/index.js';
import type { Instance } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { AutomationRecords, StoredEvent, WeirEvent } from '../storage/index.js';
import type { Launcher, RunOrder } from './_launcher.js';
import { readFacts } from './facts.js';

/** Memory alone (nothing requested) is recorded at most this often per asset. */
const MEMORY_EVERY_MS = 60_000;

export interface ConditionPassContext {
  graph: AssetGraph;
  instance: Instance;
  launcher: Launcher;
  records: AutomationRecords;
  /** Each asset's newest memory (this daemon's, else as recorded) and when it was recorded. */
  memory: Map<string, { memory: unknown; recordedAt: number }>;
  now: number;
  triggerOf?: (runId: string) => string | undefined;
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
  const keys = automatedKeys(context.graph, context.records.paused);
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

/** One run per distinct set of requested partition keys; returns the run ids by asset key. */
async function launch(
  decisions: readonly Decision[],
  context: ConditionPassContext,
): Promise<Map<string, string[]>> {
  const groups = new Map<string, { decisions: Decision[]; keys: string[] | undefined }>();
  for (const decision of decisions) {
    if (decision.requested.isEmpty()) continue;
    const { space } = decision.facts;
    const partitioned = context.graph.node(decision.key).partitions !== undefined;
    const keys = partitioned
      ? decision.requested
          .ranges()
          .flatMap(([start, end]) =>
            Array.from({ length: end - start }, (_, i) => space.keyAt(start + i)),
          )
      : undefined;
    const id = keys === undefined ? '' : JSON.stringify(keys);
    const group = groups.get(id) ?? { decisions: [], keys };
    group.decisions.push(decision);
    groups.set(id, group);
  }
  const byAsset = new Map<string, string[]>();
  const launched = [...groups.values()].map(async ({ decisions: members, keys }) => {
    const order: RunOrder = {
      selection: members.map((d) => d.key),
      ...(keys === undefined ? {} : { partitions: { keys } }),
      trigger: { kind: 'condition', name: members[0]!.key, reason: reasonOf(members[0]!, context) },
      covers: new Map(members.map((d) => [d.key, keys ?? ['']])),
    };
    const runId = await context.launcher.launch(order).started;
    if (runId === undefined) return;
    for (const d of members) byAsset.set(d.key, [...(byAsset.get(d.key) ?? []), runId]);
  });
  await Promise.all(launched);
  return byAsset;
}

function reasonOf(decision: Decision, context: ConditionPassContext): string {
  const [first] = explainCondition(decision.evaluation.result, {
    key: decision.key,
    space: decision.facts.space,
    at: context.now,
    maxLines: 1,
  });
  return first ?? `${decision.key} requested by its automation condition`;
}

function record(decision: Decision, runIds: string[], context: ConditionPassContext): WeirEvent[] {
  const { key, requested, evaluation, facts } = decision;
  const memory = evaluation.memory as unknown as JsonValue;
  const last = context.memory.get(key);
  const recordedAt = last?.recordedAt ?? context.records.conditions.get(key)?.timestamp;
  const due = recordedAt === undefined || context.now - recordedAt >= MEMORY_EVERY_MS;
  context.memory.set(key, {
    memory,
    recordedAt: requested.isEmpty() && !due ? recordedAt! : context.now,
  });
  if (requested.isEmpty() && !due) return [];
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
