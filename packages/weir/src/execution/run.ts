/**
 * @module execution/run
 * `materialize()`: observe sources, plan, and run the stale steps of a selection in
 * dependency order with as much parallelism as the concurrency limit allows.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ProjectDefinition } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { RunSummary, StoredEvent, WeirEvent } from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import { WEIR_VERSION } from '../version.js';
import { resolveStaleness } from '../versioning/index.js';
import { toErrorInfo } from './_errors.js';
import { ResourcePool } from './_resources.js';
import { RunContext, VersionBook } from './_run-context.js';
import { schedule } from './_scheduler.js';
import type { LogEntry } from './_step-logger.js';
import type { Instance } from './instance.js';
import { observeAndRead } from './observe.js';
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
  const selected = selectKeys(graph, options.selection);
  const upstream = graph.upstreamOf(selected);
  const resources = new ResourcePool(graph.resources, signal);
  try {
    const { records, failures: failedSources } = await observeAndRead(
      graph,
      upstream,
      eventLog,
      resources,
      signal,
      true,
    );
    const states = resolveStaleness(graph, records, selected);
    const plan = planRun(graph, selected, states, {
      force: options.force ?? false,
      failedSources: new Set(failedSources.map((f) => f.key)),
    });
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
      new VersionBook(records),
      signal,
      emit,
      options.onLog ?? (() => {}),
    );
    const now = Date.now();
    const opening: WeirEvent[] = [
      {
        type: 'run:started',
        runId,
        timestamp: now,
        selection: options.selection ?? '*',
        force: options.force ?? false,
        steps: plan.steps,
        host: hostname(),
        pid: process.pid,
        weirVersion: WEIR_VERSION,
      },
    ];
    for (const { key, error } of failedSources) {
      opening.push({
        type: 'step:failed',
        runId,
        assetKey: key,
        partition: NO_PARTITION,
        timestamp: now,
        attempt: 1,
        error: toErrorInfo(error),
      });
      summary.failed.push(key);
      reasons[key] = `could not be observed: ${error.message}`;
    }
    for (const { key, reason, blockedBy } of plan.blocked) {
      opening.push({
        type: 'step:skipped',
        runId,
        assetKey: key,
        partition: NO_PARTITION,
        timestamp: now,
        reason,
        blockedBy,
      });
      summary.skipped.push(key);
      reasons[key] = reason;
    }
    await run.record(opening);
    activeRuns.add(runId);
    try {
      await schedule(run, plan, records, concurrency, summary, reasons);
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

function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
