/**
 * @module daemon/_launcher
 * The daemon's run queue: runs requested by sensors, schedules and conditions, started in
 * this process in the order asked (higher `priority` first) with at most `maxRuns` at once.
 * A launched run plans from the state as it is when it starts, as `weir materialize` does: a
 * request whose work another process did meanwhile ends as "nothing to do", so a request
 * seen twice never materializes twice. Knows which asset partitions its runs will
 * materialize (`inProgress`), for the conditions.
 */

import {
  type Instance,
  materialize,
  type PartitionRequest,
  type RunResult,
} from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { RunTrigger, StoredEvent } from '../storage/index.js';

export interface RunOrder {
  /** Asset keys, or a selection expression. */
  selection: string | readonly string[];
  partitions?: PartitionRequest;
  /** Recompute the selection (less `skip`) whether stale or not. */
  force?: boolean;
  /** Partitions to leave out, by asset key (a condition's run: those it did not request). */
  skip?: ReadonlyMap<string, ReadonlySet<string>>;
  trigger: RunTrigger;
  /** Higher first (default 0). */
  priority?: number;
  /** The asset partitions it is for (conditions' requests): in progress until it ends. */
  covers?: ReadonlyMap<string, readonly string[]>;
}

export interface Launched {
  /** Resolves once the run has started (its id) or found nothing to do (undefined). */
  readonly started: Promise<string | undefined>;
  /** Resolves when it has ended (never rejects: a run that throws ends 'failed'). */
  readonly ended: Promise<LaunchEnd>;
}

export interface LaunchEnd {
  runId: string | undefined;
  status: RunResult['status'] | 'error';
  /** Why each failed step failed, by unit label; or the error that stopped the run. */
  failures: Record<string, string>;
}

/**
 * The run's id once it has started, or undefined if it has not within `ms` (the queue is full
 * of long runs): a tick or an evaluation is recorded without waiting for a free slot; the run
 * still starts, with its trigger.
 */
export async function startedWithin(launched: Launched, ms = 2_000): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([launched.started, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface LauncherOptions {
  graph: AssetGraph;
  instance: Instance;
  maxRuns: number;
  signal: AbortSignal;
  onRunStarted?: (runId: string, order: RunOrder) => void;
  onRunEnded?: (end: LaunchEnd, order: RunOrder) => void;
}

interface Queued {
  order: RunOrder;
  seq: number;
  startedWith: (runId: string | undefined) => void;
  endedWith: (end: LaunchEnd) => void;
}

export class Launcher {
  private readonly queue: Queued[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly covering = new Map<string, Map<string, number>>();
  private seq = 0;

  constructor(private readonly options: LauncherOptions) {}

  /** Queues a run; it starts when a slot is free. */
  launch(order: RunOrder): Launched {
    let startedWith!: (runId: string | undefined) => void;
    let endedWith!: (end: LaunchEnd) => void;
    const started = new Promise<string | undefined>((resolve) => {
      startedWith = resolve;
    });
    const ended = new Promise<LaunchEnd>((resolve) => {
      endedWith = resolve;
    });
    this.cover(order, 1);
    this.queue.push({ order, seq: this.seq++, startedWith, endedWith });
    this.queue.sort((a, b) => (b.order.priority ?? 0) - (a.order.priority ?? 0) || a.seq - b.seq);
    this.pump();
    return { started, ended };
  }

  /** Asset partitions that queued or running runs are for. */
  inProgress(): ReadonlyMap<string, ReadonlySet<string>> {
    const result = new Map<string, Set<string>>();
    for (const [key, partitions] of this.covering) result.set(key, new Set(partitions.keys()));
    return result;
  }

  get queued(): number {
    return this.queue.length;
  }

  get active(): number {
    return this.running.size;
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.queue.length > 0) {
      await Promise.race(this.running);
    }
  }

  private pump(): void {
    while (this.running.size < this.options.maxRuns && this.queue.length > 0) {
      if (this.options.signal.aborted) {
        for (const item of this.queue.splice(0)) {
          this.cover(item.order, -1);
          item.startedWith(undefined);
          item.endedWith({ runId: undefined, status: 'cancelled', failures: {} });
        }
        return;
      }
      const item = this.queue.shift()!;
      const running: Promise<void> = this.run(item).finally(() => {
        this.running.delete(running);
        this.cover(item.order, -1);
        this.pump();
      });
      this.running.add(running);
    }
  }

  private async run(item: Queued): Promise<void> {
    const { order } = item;
    let runId: string | undefined;
    const onEvent = (event: StoredEvent) => {
      if (event.type !== 'run:started' || runId !== undefined) return;
      runId = event.runId;
      item.startedWith(runId);
      this.options.onRunStarted?.(runId, order);
    };
    let end: LaunchEnd;
    try {
      const result = await materialize(this.options.graph, {
        instance: this.options.instance,
        selection: order.selection,
        ...(order.partitions === undefined ? {} : { partitions: order.partitions }),
        ...(order.skip === undefined ? {} : { skip: order.skip }),
        ...(order.force ? { force: true } : {}),
        trigger: order.trigger,
        signal: this.options.signal,
        onEvent,
      });
      end = { runId: result.runId, status: result.status, failures: result.reasons };
    } catch (error) {
      end = {
        runId,
        status: 'error',
        failures: { run: error instanceof Error ? error.message : String(error) },
      };
    }
    item.startedWith(runId);
    item.endedWith(end);
    this.options.onRunEnded?.(end, order);
  }

  private cover(order: RunOrder, by: 1 | -1): void {
    for (const [key, partitions] of order.covers ?? []) {
      let counts = this.covering.get(key);
      if (counts === undefined) {
        counts = new Map();
        this.covering.set(key, counts);
      }
      for (const partition of partitions) {
        const count = (counts.get(partition) ?? 0) + by;
        if (count > 0) counts.set(partition, count);
        else counts.delete(partition);
      }
      if (counts.size === 0) this.covering.delete(key);
    }
  }
}
