/**
 * @module server/_launches
 * Runs launched through the API, in the server's process. A launch answers once the run has
 * started (its id) or found nothing to do; the run goes on after the answer. A run launched
 * here can be cancelled here; leases keep it exactly once against every other process.
 */
import {
  type Instance,
  materialize,
  type PartitionRequest,
  type RunResult,
} from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { RunTrigger } from '../storage/index.js';

export interface LaunchRequest {
  selection: string;
  partitions?: PartitionRequest;
  force?: boolean;
  trigger: RunTrigger;
}

export type LaunchAnswer =
  | { runId: string }
  | { runId: undefined; status: RunResult['status']; reasons: Record<string, string> };

export class Launches {
  private readonly running = new Map<string, AbortController>();
  private readonly ends = new Set<Promise<unknown>>();

  constructor(
    private readonly graph: AssetGraph,
    private readonly instance: Instance,
  ) {}

  /** Starts a run; resolves when it has started or ended without starting. Throws on a bad request. */
  launch(request: LaunchRequest): Promise<LaunchAnswer> {
    const controller = new AbortController();
    return new Promise<LaunchAnswer>((resolve, reject) => {
      let runId: string | undefined;
      const ended = materialize(this.graph, {
        instance: this.instance,
        selection: request.selection,
        ...(request.partitions === undefined ? {} : { partitions: request.partitions }),
        ...(request.force ? { force: true } : {}),
        trigger: request.trigger,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type !== 'run:started' || runId !== undefined) return;
          runId = event.runId;
          this.running.set(runId, controller);
          resolve({ runId });
        },
      }).then(
        (result) => {
          if (result.runId === undefined) {
            resolve({ runId: undefined, status: result.status, reasons: result.reasons });
          }
        },
        (error: unknown) => reject(error),
      );
      const tracked = ended.finally(() => {
        if (runId !== undefined) this.running.delete(runId);
        this.ends.delete(tracked);
      });
      this.ends.add(tracked);
    });
  }

  /** Cancels a run launched by this server; false when it is not one (or has ended). */
  cancel(runId: string): boolean {
    const controller = this.running.get(runId);
    if (controller === undefined) return false;
    controller.abort();
    return true;
  }

  /** Cancels every run still going and waits for them to record their end. */
  async close(): Promise<void> {
    for (const controller of this.running.values()) controller.abort();
    await Promise.allSettled([...this.ends]);
  }
}
