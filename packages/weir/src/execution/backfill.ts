/**
 * @module execution/backfill
 * Backfills: a recorded request to bring a range of partitions up to date. It runs only
 * the partitions that are stale, can be resumed after a crash or Ctrl-C without redoing
 * the partitions it finished, and can be cancelled from another process.
 */
import { randomBytes } from 'node:crypto';
import type { ProjectDefinition } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import type { AssetGraph } from '../graph/index.js';
import type { BackfillRecord, BackfillRequest, EventLog } from '../storage/index.js';
import type { Instance } from './instance.js';
import { type PartitionRequest, requestedPartitions } from './partitions.js';
import { graphOf, selectionText } from './project-graph.js';
import { findRun } from './queries.js';
import { readState } from './read-state.js';
import { type MaterializeOptions, materialize, type RunResult } from './run.js';

export interface BackfillOptions
  extends Omit<MaterializeOptions, 'partitions' | 'backfillId' | 'selection'> {
  /** A selection expression, or a list of asset keys; every asset when omitted. */
  selection?: string | readonly string[];
  partitions: PartitionRequest;
  /** Called once the backfill is recorded, before any step runs. */
  onRequested?: (backfill: BackfillRecord) => void;
  /** How often to look for a cancellation from another process (ms, default 500). */
  pollMs?: number;
}

export interface BackfillResult {
  backfill: BackfillRecord;
  run: RunResult;
}

/** Records a backfill over `options.partitions` of the selection and runs it. */
export async function backfill(
  project: ProjectDefinition | AssetGraph,
  options: BackfillOptions,
): Promise<BackfillResult> {
  const graph = graphOf(project);
  const { eventLog } = options.instance;
  const selection = selectionText(options.selection);
  const { selected, partitions } = await readState(graph, {
    instance: options.instance,
    selection,
    observe: false,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const requested = requestedPartitions(graph, selected, partitions.spaces, options.partitions);
  let count = 0;
  for (const set of requested.values()) count += set.count;
  const backfillId = `bf-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const request: BackfillRequest = { selection, force: options.force ?? false };
  if (options.partitions.from !== undefined) request.from = options.partitions.from;
  if (options.partitions.to !== undefined) request.to = options.partitions.to;
  if (options.partitions.keys !== undefined) request.partitions = [...options.partitions.keys];
  await eventLog.append([
    {
      type: 'backfill:requested',
      backfillId,
      timestamp: Date.now(),
      request,
      requestedPartitions: count,
    },
  ]);
  return runBackfill(project, backfillId, options);
}

/**
 * Resumes a backfill whose process died or was interrupted, or that failed: plans its
 * request again, so partitions it finished (now fresh) do not run again. A forced backfill
 * skips the partitions its earlier runs materialized.
 */
export async function resumeBackfill(
  project: ProjectDefinition | AssetGraph,
  backfillId: string,
  options: Omit<BackfillOptions, 'partitions' | 'selection' | 'force'>,
): Promise<BackfillResult> {
  const record = await findBackfill(options.instance.eventLog, backfillId);
  if (record.status === 'success' || record.status === 'cancelled') {
    throw new EnvironmentError(
      'E_CONFLICT',
      `backfill ${backfillId} ${record.status === 'success' ? 'has finished' : 'was cancelled'}; nothing to resume`,
      { hint: 'start a new one with weir backfill SELECTION --from … --to …' },
    );
  }
  const [newest] = record.runIds;
  if (newest !== undefined && (await findRun(options.instance, newest))?.status === 'running') {
    throw new EnvironmentError(
      'E_CONFLICT',
      `backfill ${backfillId} is running (run ${newest}); resume it once that run has ended`,
      { hint: `to stop it: weir backfill --cancel ${backfillId}` },
    );
  }
  const { request } = record.requested;
  const partitions: PartitionRequest = {};
  if (request.from !== undefined) partitions.from = request.from;
  if (request.to !== undefined) partitions.to = request.to;
  if (request.partitions !== undefined) partitions.keys = request.partitions;
  return runBackfill(project, backfillId, {
    ...options,
    selection: request.selection,
    partitions,
    force: request.force,
  });
}

/** Marks a backfill cancelled; a process running it stops starting steps within `pollMs`. */
export async function cancelBackfill(
  instance: Instance,
  backfillId: string,
  reason = 'cancelled by a user',
): Promise<BackfillRecord> {
  const record = await findBackfill(instance.eventLog, backfillId);
  if (record.status !== 'running' && record.status !== 'failed') {
    throw new EnvironmentError('E_CONFLICT', `backfill ${backfillId} is ${record.status} already`);
  }
  await instance.eventLog.append([
    { type: 'backfill:finished', backfillId, timestamp: Date.now(), status: 'cancelled', reason },
  ]);
  return findBackfill(instance.eventLog, backfillId);
}

async function runBackfill(
  project: ProjectDefinition | AssetGraph,
  backfillId: string,
  options: BackfillOptions,
): Promise<BackfillResult> {
  const { eventLog } = options.instance;
  const record = await findBackfill(eventLog, backfillId);
  options.onRequested?.(record);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  let cancelled = false;
  const poll = setInterval(() => {
    eventLog.backfill(backfillId).then(
      (now) => {
        if (now?.status === 'cancelled') {
          cancelled = true;
          stop.abort();
        }
      },
      () => {},
    );
  }, options.pollMs ?? 500);
  poll.unref();
  try {
    const done = record.requested.request.force
      ? await materializedBy(eventLog, record.runIds)
      : undefined;
    const run = await materialize(project, {
      ...options,
      selection: record.requested.request.selection,
      partitions: options.partitions,
      ...(done === undefined ? {} : { skip: done }),
      backfillId,
      signal: stop.signal,
    });
    // Interrupted (Ctrl-C) stays resumable; cancelled from elsewhere is recorded already,
    // perhaps after the last poll: it is never overwritten.
    const latest = await eventLog.backfill(backfillId);
    if (!cancelled && run.status !== 'cancelled' && latest?.status !== 'cancelled') {
      await eventLog.append([
        {
          type: 'backfill:finished',
          backfillId,
          timestamp: Date.now(),
          status: run.status === 'failed' ? 'failed' : 'success',
          ...(run.status === 'failed'
            ? {
                reason: `${run.summary.failed.length} failed, ${run.summary.skipped.length} skipped`,
              }
            : {}),
        },
      ]);
    }
    return { backfill: await findBackfill(eventLog, backfillId), run };
  } finally {
    clearInterval(poll);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** The partitions each asset had materialized by `runIds`. */
async function materializedBy(
  eventLog: EventLog,
  runIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const done = new Map<string, Set<string>>();
  for (const runId of runIds) {
    for (const event of await eventLog.events({ runId, types: ['asset:materialized'] })) {
      // A materialization that failed a blocking check is not done: resume redoes it.
      if (event.type !== 'asset:materialized' || event.materialization.blockedBy?.length) continue;
      const set = done.get(event.assetKey) ?? new Set<string>();
      set.add(event.partition);
      done.set(event.assetKey, set);
    }
  }
  return done;
}

async function findBackfill(eventLog: EventLog, backfillId: string): Promise<BackfillRecord> {
  const record = await eventLog.backfill(backfillId);
  if (record === undefined) {
    const recent = (await eventLog.backfills({ limit: 20 })).map((b) => b.backfillId);
    throw new EnvironmentError('E_NOT_FOUND', `no backfill '${backfillId}'`, {
      hint:
        recent.length > 0
          ? `recent backfills: ${recent.slice(0, 5).join(', ')}`
          : 'start one with weir backfill',
    });
  }
  return record;
}

/** Backfills, newest first. */
export async function listBackfills(
  instance: Instance,
  options: { limit?: number } = {},
): Promise<BackfillRecord[]> {
  return instance.eventLog.backfills(options);
}
