/**
 * @module execution/run
 * `materialize()`: observe sources, read the state, plan, and run the stale units of a
 * selection through the instance's executor, in dependency order, with as much parallelism
 * as the concurrency limit allows.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { PartitionSet, type PartitionSpace, type ProjectDefinition } from '../definitions/index.js';
import { EnvironmentError, WeirError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { RunSummary, RunTrigger, StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import { WEIR_VERSION } from '../version.js';
import type { AssetState } from '../versioning/index.js';
import { HEARTBEAT_MS } from './_claim.js';
import { RunStopped, toErrorInfo } from './_errors.js';
import { PlanBasis } from './_plan-basis.js';
import { replacedSincePlan } from './_replaced-upstream.js';
import { ResourcePool } from './_resources.js';
import { RunContext } from './_run-context.js';
import { schedule } from './_scheduler.js';
import type { LogEntry } from './_step-logger.js';
import { buildUnits, type StepUnit } from './_units.js';
import { VersionBook } from './_version-book.js';
import type { Executor } from './executor.js';
import type { Instance } from './instance.js';
import { observeSources, recordObservations } from './observe.js';
import { type PartitionRequest, requestedPartitions } from './partitions.js';
import { type Plan, planRun } from './planner.js';
import { graphOf, selectionText, selectKeys } from './project-graph.js';
import { readStateWith, type StateSnapshot } from './read-state.js';
import { activeRuns, THIS_PROCESS } from './recovery.js';
import { runStatus, type SettledUnit, summarizeRun } from './run-summary.js';

export interface MaterializeOptions {
  instance: Instance;
  /** How this run's steps run (see docs/executors.md); the instance's executor when omitted. */
  executor?: Executor;
  /** A selection expression (see docs/selection.md), or a list of asset keys; every asset when omitted. */
  selection?: string | readonly string[];
  /** Recompute the selection whether stale or not. */
  force?: boolean;
  /** Steps at once; the project's `concurrency` (default 4) when omitted. */
  concurrency?: number;
  /** Abort to cancel: steps in flight are recorded as cancelled, none start after. */
  signal?: AbortSignal;
  /** Every event as it is recorded (for progress displays). */
  onEvent?: (event: StoredEvent) => void;
  /** Every `ctx.log` entry as it is written (source observers' too). */
  onLog?: (assetKey: string, entry: LogEntry) => void;
  /** Partitioned assets: only these partitions (`--partition`, `--from/--to`); all when omitted. */
  partitions?: PartitionRequest;
  /** The time that decides which time windows have ended (default: now). */
  now?: number;
  /** The backfill this run works for (see `backfill()`). */
  backfillId?: string;
  /** Partitions to leave out, by asset key (a resumed forced backfill's finished ones). */
  skip?: ReadonlyMap<string, ReadonlySet<string>>;
  /** What launched the run (the daemon: a sensor, a schedule, a condition), recorded on it. */
  trigger?: RunTrigger;
}

export interface RunResult {
  /** Undefined when nothing needed to run (no run was recorded). */
  runId: string | undefined;
  status: 'success' | 'failed' | 'cancelled' | 'nothing-to-do';
  plan: Plan;
  summary: RunSummary;
  /** Why each failed or skipped step did not materialize. */
  reasons: Record<string, string>;
  /** Problems that did not fail the run, one line each (a resource that failed to dispose). */
  warnings: string[];
}

type PlanOnlyOptions = Omit<
  MaterializeOptions,
  'onEvent' | 'concurrency' | 'backfillId' | 'trigger'
>;

export async function materialize(
  project: ProjectDefinition | AssetGraph,
  options: MaterializeOptions,
): Promise<RunResult> {
  const graph = graphOf(project);
  const concurrency = options.concurrency ?? ('concurrency' in project ? project.concurrency : 4);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new EnvironmentError(
      'E_USAGE',
      `concurrency must be a whole number ≥ 1, got ${concurrency}`,
    );
  }
  const signal = options.signal ?? new AbortController().signal;
  const resources = new ResourcePool(graph.resources, signal);
  const executor = options.executor ?? options.instance.executor;
  let result: Omit<RunResult, 'warnings'>;
  let runId: string | undefined;
  try {
    const { snapshot, plan } = await prepare(graph, options, resources, signal, true);
    result = await runPlan(graph, options, {
      snapshot,
      plan,
      resources,
      signal,
      concurrency,
      executor,
      started: (id) => {
        runId = id;
      },
    });
  } catch (error) {
    await resources.disposeAll();
    if (runId !== undefined) await executor.releaseRun?.(runId).catch(() => []);
    throw error;
  }
  const disposal = await resources.disposeAll();
  if (runId !== undefined) {
    const released = executor.releaseRun?.(runId).catch((error: unknown) => [error as Error]);
    disposal.push(...((await released) ?? []));
  }
  return {
    ...result,
    warnings: disposal.map((error) => `a resource failed to dispose: ${error.message}`),
  };
}

/** What a run would do now: the states it sees and its plan. Records nothing. */
export async function planMaterialization(
  project: ProjectDefinition | AssetGraph,
  options: PlanOnlyOptions,
): Promise<{ plan: Plan; states: ReadonlyMap<string, AssetState> }> {
  const graph = graphOf(project);
  const signal = options.signal ?? new AbortController().signal;
  const resources = new ResourcePool(graph.resources, signal);
  try {
    const { snapshot, plan } = await prepare(graph, options, resources, signal, false);
    return { plan, states: snapshot.states };
  } finally {
    await resources.disposeAll();
  }
}

/**
 * Observes the sources (recording changes when `record`), reads the state of the selection
 * and its upstream, and plans.
 */
async function prepare(
  graph: AssetGraph,
  options: PlanOnlyOptions,
  resources: ResourcePool,
  signal: AbortSignal,
  record: boolean,
): Promise<{ snapshot: StateSnapshot; plan: Plan }> {
  const read = { ...options, signal };
  let observed: Parameters<typeof readStateWith>[2]['observed'];
  if (record) {
    const keys = graph.upstreamOf(selectKeys(graph, options.selection));
    const observations = await observeSources(graph, keys, options.instance.eventLog, {
      resources,
      signal,
      now: options.now ?? Date.now(),
      ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    });
    await recordObservations(options.instance.eventLog, observations);
    observed = { changed: [], failures: observations.failures };
  }
  const snapshot = await readStateWith(graph, read, {
    resources,
    ...(observed === undefined ? {} : { observed }),
  });
  const spaces = snapshot.partitions.spaces;
  const plan = planRun(graph, snapshot.selected, snapshot.states, {
    force: options.force ?? false,
    // A partitioned source's failing partitions block only their readers (see its state).
    failedSources: new Set(
      snapshot.observations.failures.filter((f) => f.partition === NO_PARTITION).map((f) => f.key),
    ),
    requested: withoutSkipped(
      requestedPartitions(graph, snapshot.selected, spaces, options.partitions),
      spaces,
      options.skip,
    ),
  });
  return { snapshot, plan };
}

interface Prepared {
  snapshot: StateSnapshot;
  plan: Plan;
  resources: ResourcePool;
  signal: AbortSignal;
  concurrency: number;
  executor: Executor;
  /** Told the run's id once the run is recorded. */
  started: (runId: string) => void;
}

/** Records the run, schedules its units through the instance's executor, and closes it. */
async function runPlan(
  graph: AssetGraph,
  options: MaterializeOptions,
  { snapshot, plan, resources, signal, concurrency, executor, started }: Prepared,
): Promise<Omit<RunResult, 'warnings'>> {
  const { failures } = snapshot.observations;
  if (plan.steps.length === 0 && plan.blocked.length === 0 && failures.length === 0) {
    return { runId: undefined, status: 'nothing-to-do', plan, ...summarizeRun([]) };
  }
  const { instance } = options;
  // What the steps read (their inputs' versions) and what they replace (their own records).
  await snapshot.loadRecords(plan.steps.flatMap((key) => [key, ...graph.parents(key)]));
  const runId = newRunId();
  started(runId);
  const basis = new PlanBasis(snapshot.records, snapshot.partitions);
  const versions = new VersionBook(
    snapshot.records,
    snapshot.partitions.spaces.keys(),
    instance.eventLog,
    (key, partition) => basis.plannedPartitionId(key, partition),
  );
  replacedSincePlan(graph, versions, snapshot.states);
  const run = new RunContext({
    runId,
    graph,
    eventLog: instance.eventLog,
    artefacts: instance.artefacts,
    resources,
    versions,
    signal,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
    spaces: snapshot.partitions.spaces,
    basis,
    holder: { runId, host: hostname(), pid: process.pid },
    // --force makes a new version from scratch: incremental steps get no previous to update.
    previousAvailable: options.force !== true,
    now: snapshot.now,
  });
  const units = buildUnits(graph, plan, snapshot.states);
  const opening = openingOf(run, options, plan, units, snapshot);
  activeRuns.add(runId);
  // The leases the run holds stay alive while it does (other hosts judge them by this).
  const heartbeat = setInterval(() => {
    instance.eventLog.renewLeases(runId, Date.now()).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const settled: SettledUnit[] = [...opening.settled];
  try {
    await run.record(opening.events);
    await schedule(run, units, {
      executor,
      concurrency,
      plan,
      records: snapshot.records,
      force: options.force ?? false,
      settled,
    });
  } catch (error) {
    // Storage failed or a listener threw: close the run rather than leave it running.
    await instance.eventLog
      .append([
        {
          type: 'run:finished',
          runId,
          timestamp: Date.now(),
          status: 'failed',
          summary: summarizeRun(settled).summary,
          reason: `the run stopped: ${(error as Error)?.message ?? String(error)}`,
        },
      ])
      .catch(() => {});
    // The event log refused a write (a full disk, say): that fault is the cause, said as it is.
    throw error instanceof RunStopped && error.cause instanceof WeirError ? error.cause : error;
  } finally {
    clearInterval(heartbeat);
    activeRuns.delete(runId);
  }
  const { summary, reasons } = summarizeRun(settled);
  const status = runStatus(summary, signal.aborted);
  await run.record([{ type: 'run:finished', runId, timestamp: Date.now(), status, summary }]);
  return { runId, status, plan, summary, reasons };
}

/**
 * The events that open a run (`run:started`, then a failure for each source that could not be
 * observed and a skip for each step the plan blocked), and how those steps settled.
 */
function openingOf(
  run: RunContext,
  options: MaterializeOptions,
  plan: Plan,
  units: readonly StepUnit[],
  snapshot: StateSnapshot,
): { events: WeirEvent[]; settled: SettledUnit[] } {
  const { runId } = run;
  const startedAt = Date.now();
  const events: WeirEvent[] = [
    {
      type: 'run:started',
      runId,
      timestamp: startedAt,
      selection: selectionText(options.selection),
      force: options.force ?? false,
      steps: plan.steps,
      units: units.length,
      host: hostname(),
      pid: process.pid,
      ...(THIS_PROCESS.pidStart === undefined ? {} : { pidStart: THIS_PROCESS.pidStart }),
      threadId: THIS_PROCESS.threadId,
      weirVersion: WEIR_VERSION,
      ...(options.partitions === undefined ? {} : { partitions: requestOf(options.partitions) }),
      ...(options.backfillId === undefined ? {} : { backfillId: options.backfillId }),
      ...(options.trigger === undefined ? {} : { trigger: options.trigger }),
    },
  ];
  const settled: SettledUnit[] = [];
  for (const { key, partition, error } of snapshot.observations.failures) {
    events.push({
      type: 'step:failed',
      ...run.stepFields(key, partition),
      timestamp: startedAt,
      attempt: 1,
      error: toErrorInfo(error),
    });
    const reason = new Error(`could not be observed: ${error.message}`);
    settled.push({ key, keys: [partition], outcome: { status: 'failed', error: reason } });
  }
  for (const { key, reason, blockedBy } of plan.blocked) {
    const partitions = plan.partitions.get(key);
    const space = snapshot.partitions.spaces.get(key);
    const keys =
      partitions === undefined || space === undefined
        ? [NO_PARTITION]
        : [...partitions.blocked.indices()].map((i) => space.keyAt(i));
    for (const partition of keys) {
      events.push({
        type: 'step:skipped',
        ...run.stepFields(key, partition),
        timestamp: startedAt,
        reason: partitions?.blockedReason ?? reason,
        blockedBy,
      });
    }
    settled.push({ key, keys: [NO_PARTITION], outcome: { status: 'skipped', reason } });
  }
  return { events, settled };
}

function withoutSkipped(
  requested: Map<string, PartitionSet>,
  spaces: ReadonlyMap<string, PartitionSpace>,
  skip: ReadonlyMap<string, ReadonlySet<string>> | undefined,
): Map<string, PartitionSet> {
  for (const [key, partitions] of skip ?? []) {
    const space = spaces.get(key);
    if (space === undefined) continue;
    const done = PartitionSet.empty(space.size);
    for (const partition of partitions) {
      const index = space.indexOf(partition);
      if (index >= 0) done.add(index);
    }
    requested.set(key, (requested.get(key) ?? PartitionSet.all(space.size)).difference(done));
  }
  return requested;
}

function requestOf(request: PartitionRequest): { from?: string; to?: string; keys?: string[] } {
  const out: { from?: string; to?: string; keys?: string[] } = {};
  if (request.from !== undefined) out.from = request.from;
  if (request.to !== undefined) out.to = request.to;
  if (request.keys !== undefined) out.keys = [...request.keys];
  return out;
}

function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
