/**
 * @module execution/queries
 * The read side: status, why, history and logs, all derived from the event log.
 */
import type { ProjectDefinition } from '../definitions/index.js';
import { DefinitionError, didYouMean, EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { MaterializationEvent, RunRecord, RunStatus, StoredEvent } from '../storage/index.js';
import type { AssetState } from '../versioning/index.js';
import { explainPartition, type PartitionWhy } from './_partition-why.js';
import type { Instance } from './instance.js';
import { graphOf } from './project-graph.js';
import { type ReadStateOptions, readState } from './read-state.js';
import { runAsOfNow } from './recovery.js';

export type StatusOptions = ReadStateOptions;

/** The state of each selected asset, in topological order. Writes nothing. */
export async function assetStatus(
  project: ProjectDefinition | AssetGraph,
  options: StatusOptions,
): Promise<AssetState[]> {
  const graph = graphOf(project);
  const { selected, states } = await readState(graph, options);
  return graph.keys.filter((key) => selected.has(key)).map((key) => states.get(key)!);
}

export interface WhyReport {
  key: string;
  state: AssetState;
  /** The materialization (or observation) that is current, with its provenance. */
  current: StoredEvent<'asset:materialized'> | StoredEvent<'asset:observed'> | undefined;
  /** The state of every upstream asset, so a chain of causes can be followed to its root. */
  upstream: Record<string, AssetState>;
  /** With `partition`: that partition's state, causes and provenance. */
  partition?: PartitionWhy;
}

/** Why `key` is in the state it is in: its causes, its upstream's causes, and its provenance. */
export async function explain(
  project: ProjectDefinition | AssetGraph,
  key: string,
  options: StatusOptions & { partition?: string },
): Promise<WhyReport> {
  const graph = graphOf(project);
  graph.node(key);
  const { states } = await readState(graph, { ...options, selection: [key], details: true });
  const state = states.get(key)!;
  const upstream: Record<string, AssetState> = {};
  for (const [other, otherState] of states) if (other !== key) upstream[other] = otherState;
  const report: WhyReport = {
    key,
    state,
    current: await currentEvent(options.instance, state),
    upstream,
  };
  if (options.partition !== undefined) {
    report.partition = await explainPartition(
      graph,
      options.instance.eventLog,
      state,
      states,
      options.partition,
    );
  }
  return report;
}

/** The whole event behind what consumers read now: the index holds only its summary. */
async function currentEvent(instance: Instance, state: AssetState): Promise<WhyReport['current']> {
  const usable = state.record?.usable;
  if (usable === undefined) return state.record?.observation;
  return (await instance.eventLog.event(usable.id)) as
    | StoredEvent<'asset:materialized'>
    | undefined;
}

/**
 * Materializations (or observations, for a source) of `key`, newest first; of one partition
 * with `partition`; older than event `before` when given (the next page).
 */
export async function assetHistory(
  instance: Instance,
  key: string,
  options: { limit?: number; graph?: AssetGraph; partition?: string; before?: number } = {},
): Promise<Array<MaterializationEvent | StoredEvent<'asset:observed'>>> {
  if (options.graph && !options.graph.has(key)) {
    throw new DefinitionError('E_UNKNOWN_ASSET', `no asset '${key}' in the project`, {
      hint: didYouMean(key, options.graph.keys),
    });
  }
  const limit = options.limit ?? 20;
  const query = {
    assetKey: key,
    types: ['asset:materialized', 'asset:observed'] as const,
    descending: true,
  };
  if (options.partition === undefined) {
    return (await instance.eventLog.events({
      ...query,
      limit,
      ...(options.before === undefined ? {} : { afterId: options.before }),
    })) as Array<MaterializationEvent | StoredEvent<'asset:observed'>>;
  }
  // The log is queried by asset; one partition's events are picked out page by page.
  const found: Array<MaterializationEvent | StoredEvent<'asset:observed'>> = [];
  let afterId = options.before;
  while (found.length < limit) {
    const page = await instance.eventLog.events({
      ...query,
      limit: 1000,
      ...(afterId === undefined ? {} : { afterId }),
    });
    for (const event of page) {
      if ('partition' in event && event.partition === options.partition && found.length < limit) {
        found.push(event as MaterializationEvent | StoredEvent<'asset:observed'>);
      }
    }
    if (page.length < 1000) break;
    afterId = page[page.length - 1]!.id;
  }
  return found;
}

/** A run and its events (logs included), oldest first. `latest` names the newest run. */
export async function runLogs(
  instance: Instance,
  runId: string,
): Promise<{ run: RunRecord; events: StoredEvent[] }> {
  const { eventLog } = instance;
  const run =
    runId === 'latest'
      ? (await listRuns(instance, { limit: 1 }))[0]
      : await findRun(instance, runId);
  if (run === undefined) {
    const recent = (await eventLog.runs({ limit: 50 })).map((r) => r.runId);
    throw new EnvironmentError(
      'E_NOT_FOUND',
      runId === 'latest' ? 'no runs recorded yet' : `no run '${runId}'`,
      {
        hint: didYouMean(runId, recent) ?? 'list runs with `weir runs`',
      },
    );
  }
  return { run, events: await eventLog.events({ runId: run.runId }) };
}

/** Runs, newest first, as they stand now: one whose process died reads as crashed. */
export async function listRuns(
  instance: Instance,
  options: { limit?: number; status?: RunStatus } = {},
): Promise<RunRecord[]> {
  if (options.status === 'crashed') {
    const running = await instance.eventLog.runs({ ...options, status: 'running' });
    const crashed = await instance.eventLog.runs(options);
    return [...running.map(runAsOfNow).filter((r) => r.status === 'crashed'), ...crashed]
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, options.limit ?? 50);
  }
  const runs = (await instance.eventLog.runs(options)).map(runAsOfNow);
  return options.status === undefined ? runs : runs.filter((r) => r.status === options.status);
}

/** One run as it stands now (see `listRuns`). */
export async function findRun(instance: Instance, runId: string): Promise<RunRecord | undefined> {
  const run = await instance.eventLog.run(runId);
  return run === undefined ? undefined : runAsOfNow(run);
}
