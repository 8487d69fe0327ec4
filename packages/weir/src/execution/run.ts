/**
 * @module execution/run
 * `materialize()`: observe sources, plan, and run the stale steps of a selection in
 * dependency order with as much parallelism as the concurrency limit allows.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { PartitionSet, type PartitionSpace, type ProjectDefinition } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { RunSummary, StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import { WEIR_VERSION } from '../version.js';
import { type AssetState, resolveStaleness } from '../versioning/index.js';
import { toErrorInfo } from './_errors.js';
import { ResourcePool } from './_resources.js';
import { RunContext, VersionBook } from './_run-context.js';
import { schedule } from './_scheduler.js';
import type { LogEntry } from './_step-logger.js';
import { buildUnits } from './_units.js';
import type { Instance } from './instance.js';
import { observeAndRead } from './observe.js';
import {
  type PartitionRequest,
  partitionCacheDir,
  readPartitionInputs,
  requestedPartitions,
} from './partitions.js';
import { type Plan, planRun } from './planner.js';
import { graphOf, selectKeys } from './project-graph.js';
import { activeRuns, recoverCrashedRuns } from './recovery.js';

export interface MaterializeOptions {
  instance: Instance;
  /** A selection expression (see docs/selection.md); every asset when omitted. */
  selection?: string;
  /** Recompute the selection whether stale or not. */
  force?: boolean;
  /** Steps at once; the project's `concurrency` (default 4) when omitted. */
  concurrency?: number;
  /** Abort to cancel: steps in flight are recorded as cancelled, none start after. */
  signal?: AbortSignal;
  /** Every event as it is recorded (for progress displays). */
  onEvent?: (event: StoredEvent) => void;
  /** Every `ctx.log` entry as it is written. */
  onLog?: (assetKey: string, entry: LogEntry) => void;
  /** Partitioned assets: only these partitions (`--partition`, `--from/--to`); all when omitted. */
  partitions?: PartitionRequest;
  /** The time that decides which time windows have ended (default: now). */
  now?: number;
  /** The backfill this run works for (see `backfill()`). */
  backfillId?: string;
  /** Partitions to leave out, by asset key (a resumed forced backfill's finished ones). */
  skip?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface RunResult {
  /** Undefined when nothing needed to run (no run was recorded). */
  runId: string | undefined;
  status: 'success' | 'failed' | 'cancelled' | 'nothing-to-do';
  plan: Plan;
  summary: RunSummary;
  /** Why each failed or skipped step did not materialize. */
  reasons: Record<string, string>;
  /** Crashed runs closed before this one started. */
  recoveredRuns: string[];
}

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
  const { eventLog, artefacts } = options.instance;
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onEvent ?? (() => {});

  const recoveredRuns = await recoverCrashedRuns(eventLog);
  const resources = new ResourcePool(graph.resources, signal);
  try {
    const { records, failedSources, partitioned, states, plan } = await prepare(
      graph,
      options,
      resources,
      signal,
    );
    const summary: RunSummary = {
      materialized: [],
      unchanged: [],
      failed: [],
      skipped: [],
      cancelled: [],
    };
    const reasons: Record<string, string> = {};
    if (plan.steps.length === 0 && plan.blocked.length === 0 && failedSources.length === 0) {
      return { runId: undefined, status: 'nothing-to-do', plan, summary, reasons, recoveredRuns };
    }

    const runId = newRunId();
    const run = new RunContext(
      runId,
      graph,
      eventLog,
      artefacts,
      resources,
      new VersionBook(records, partitioned.spaces.keys(), eventLog),
      signal,
      emit,
      options.onLog ?? (() => {}),
      partitioned.spaces,
    );
    const units = buildUnits(graph, plan, states);
    const startedAt = Date.now();
    const opening: WeirEvent[] = [
      {
        type: 'run:started',
        runId,
        timestamp: startedAt,
        selection: options.selection ?? '*',
        force: options.force ?? false,
        steps: plan.steps,
        units: units.length,
        host: hostname(),
        pid: process.pid,
        weirVersion: WEIR_VERSION,
        ...(options.partitions === undefined ? {} : { partitions: requestOf(options.partitions) }),
        ...(options.backfillId === undefined ? {} : { backfillId: options.backfillId }),
      },
    ];
    for (const { key, error } of failedSources) {
      opening.push({
        type: 'step:failed',
        runId,
        assetKey: key,
        partition: NO_PARTITION,
        timestamp: startedAt,
        attempt: 1,
        error: toErrorInfo(error),
      });
      summary.failed.push(key);
      reasons[key] = `could not be observed: ${error.message}`;
    }
    for (const { key, reason, blockedBy } of plan.blocked) {
      const partitions = plan.partitions.get(key);
      const space = partitioned.spaces.get(key);
      const keys =
        partitions === undefined || space === undefined
          ? [NO_PARTITION]
          : [...partitions.blocked.indices()].map((i) => space.keyAt(i));
      for (const partition of keys) {
        opening.push({
          type: 'step:skipped',
          runId,
          assetKey: key,
          partition,
          timestamp: startedAt,
          reason: partitions?.blockedReason ?? reason,
          blockedBy,
        });
      }
      summary.skipped.push(key);
      reasons[key] = reason;
    }
    await run.record(opening);
    activeRuns.add(runId);
    try {
      await schedule(run, units, plan, records, concurrency, summary, reasons);
    } catch (error) {
      // Storage failed or a listener threw: close the run rather than leave it running.
      await eventLog
        .append([
          {
            type: 'run:finished',
            runId,
            timestamp: Date.now(),
            status: 'failed',
            summary,
            reason: `the run stopped: ${(error as Error)?.message ?? String(error)}`,
          },
        ])
        .catch(() => {});
      throw error;
    } finally {
      activeRuns.delete(runId);
    }

    const status = signal.aborted
      ? 'cancelled'
      : summary.failed.length > 0 || summary.skipped.length > 0
        ? 'failed'
        : 'success';
    await run.record([{ type: 'run:finished', runId, timestamp: Date.now(), status, summary }]);
    return { runId, status, plan, summary, reasons, recoveredRuns };
  } finally {
    for (const error of await resources.disposeAll()) {
      process.stderr.write(`weir: a resource failed to dispose: ${error.message}\n`);
    }
  }
}

/** What a run would do now: the states it sees and its plan, without running or recording a run. */
export async function planMaterialization(
  project: ProjectDefinition | AssetGraph,
  options: Omit<MaterializeOptions, 'onEvent' | 'onLog' | 'concurrency' | 'backfillId'>,
): Promise<{ plan: Plan; states: Map<string, AssetState> }> {
  const graph = graphOf(project);
  const signal = options.signal ?? new AbortController().signal;
  await recoverCrashedRuns(options.instance.eventLog);
  const resources = new ResourcePool(graph.resources, signal);
  try {
    const { plan, states } = await prepare(graph, options, resources, signal);
    return { plan, states };
  } finally {
    await resources.disposeAll();
  }
}

/** Observes the sources, reads the state of the selection and its upstream, and plans. */
async function prepare(
  graph: AssetGraph,
  options: Omit<MaterializeOptions, 'onEvent' | 'onLog' | 'concurrency' | 'backfillId'>,
  resources: ResourcePool,
  signal: AbortSignal,
) {
  const { eventLog } = options.instance;
  const selected = selectKeys(graph, options.selection);
  const upstream = graph.upstreamOf(selected);
  const { records, failures: failedSources } = await observeAndRead(
    graph,
    upstream,
    eventLog,
    resources,
    signal,
    true,
  );
  const now = options.now ?? Date.now();
  const partitioned = await readPartitionInputs(
    graph,
    eventLog,
    upstream,
    now,
    partitionCacheDir(options.instance),
  );
  const states = resolveStaleness(graph, records, selected, now, new Map(), partitioned);
  const plan = planRun(graph, selected, states, {
    force: options.force ?? false,
    failedSources: new Set(failedSources.map((f) => f.key)),
    requested: withoutSkipped(
      requestedPartitions(graph, selected, partitioned.spaces, options.partitions),
      partitioned.spaces,
      options.skip,
    ),
  });
  return { records, failedSources, partitioned, states, plan };
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
