/**
 * @module server/_live-state
 * What the graph view shows of every asset, kept current by the server: the status (a
 * `WarmStatus`, so the rules are `weir status`'s), when it was last materialized, and whether
 * a step of it is running now. The event hub brings the two last up to date as events come,
 * so a graph request at 10,000 assets reads nothing it has not already seen.
 */
import { type Instance, listRuns, WarmStatus } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { StoredEvent } from '../storage/index.js';
import type { AssetState } from '../versioning/index.js';
import type { EventHub } from './_hub.js';

const STEP_ENDS = new Set(['asset:materialized', 'step:failed', 'step:skipped', 'step:cancelled']);

export class LiveState {
  private readonly warm: WarmStatus;
  private readonly materializedAt = new Map<string, number>();
  /** Asset key → run id → partitions of its steps in flight. */
  private readonly inFlight = new Map<string, Map<string, Set<string>>>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    readonly graph: AssetGraph,
    private readonly instance: Instance,
  ) {
    this.warm = new WarmStatus(graph, { instance });
  }

  /** Reads what the hub cannot tell (the state before it started), then follows it. */
  async start(hub: EventHub): Promise<void> {
    this.unsubscribe = hub.subscribe((events) => {
      for (const event of events) this.see(event);
    });
    const { eventLog } = this.instance;
    for (const row of await eventLog.statusRows()) {
      if (row.endedAt > 0) this.materializedAt.set(row.assetKey, row.endedAt);
    }
    for (const key of this.graph.keys) {
      if (this.graph.node(key).partitions === undefined) continue;
      const [newest] = await eventLog.events({
        assetKey: key,
        types: ['asset:materialized'],
        descending: true,
        limit: 1,
      });
      if (newest?.type === 'asset:materialized') this.later(key, newest.materialization.endedAt);
    }
    for (const run of await listRuns(this.instance, { status: 'running', limit: 500 })) {
      const steps = await eventLog.events({
        runId: run.runId,
        types: ['step:started', ...STEP_ENDS] as StoredEvent['type'][],
      });
      for (const event of steps) this.see(event);
    }
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Every asset's state now, in the graph's order. */
  status(now = Date.now()): Promise<AssetState[]> {
    return this.warm.status(now);
  }

  lastMaterializedAt(key: string): number | undefined {
    return this.materializedAt.get(key);
  }

  running(key: string): boolean {
    return this.inFlight.has(key);
  }

  private see(event: StoredEvent): void {
    if (event.type === 'asset:materialized')
      this.later(event.assetKey, event.materialization.endedAt);
    if (event.type === 'step:started') {
      const runs = this.inFlight.get(event.assetKey) ?? new Map<string, Set<string>>();
      this.inFlight.set(event.assetKey, runs);
      const partitions = runs.get(event.runId) ?? new Set<string>();
      runs.set(event.runId, partitions);
      partitions.add(event.partition);
    } else if (STEP_ENDS.has(event.type) && 'assetKey' in event && 'runId' in event) {
      const runs = this.inFlight.get(event.assetKey);
      const partitions = runs?.get(event.runId ?? '');
      partitions?.delete('partition' in event ? event.partition : '');
      if (partitions?.size === 0) runs!.delete(event.runId!);
      if (runs?.size === 0) this.inFlight.delete(event.assetKey);
    } else if (event.type === 'run:finished') {
      for (const [key, runs] of this.inFlight) {
        runs.delete(event.runId);
        if (runs.size === 0) this.inFlight.delete(key);
      }
    }
  }

  private later(key: string, at: number): void {
    if ((this.materializedAt.get(key) ?? 0) < at) this.materializedAt.set(key, at);
  }
}
