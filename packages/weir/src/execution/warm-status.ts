/**
 * @module execution/warm-status
 * The status of every asset, kept in memory by a long-lived process (the daemon, a web
 * server) and brought up to date from the log: each call reads what was appended since the
 * last one and recomputes only the assets those events reached (and downstream), plus, when
 * time has moved on, the assets whose status depends on it (time windows, freshness). The
 * rules are `assetStatus`'s (the same `readState`), so the two never disagree; a first call,
 * or one after many events, is a cold read.
 *
 * What it cannot see is what leaves no event: an artefact deleted from the store by hand shows
 * only at the next cold read (`weir status`, `weir verify`), or when the asset is read.
 */
import type { ProjectDefinition } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { AssetState } from '../versioning/index.js';
import { clockedKeys, touchedAfter } from './_touched.js';
import type { Instance } from './instance.js';
import { graphOf } from './project-graph.js';
import { readState } from './read-state.js';

export interface WarmStatusOptions {
  instance: Instance;
  /**
   * Time-dependent assets are recomputed when the time asked for has moved on by at least this
   * (default 1 s).
   */
  clockMs?: number;
}

export class WarmStatus {
  private readonly graph: AssetGraph;
  private readonly clocked: ReadonlySet<string>;
  private states = new Map<string, AssetState>();
  /** The newest event id the states reflect; -1 before the first read. */
  private through = -1;
  private clockedAt = Number.NEGATIVE_INFINITY;

  constructor(
    project: ProjectDefinition | AssetGraph,
    private readonly options: WarmStatusOptions,
  ) {
    this.graph = graphOf(project);
    this.clocked = clockedKeys(this.graph, this.graph.keys, { freshness: true });
  }

  /** Every asset's state at `now` (default now), in the graph's order. */
  async status(now = Date.now()): Promise<AssetState[]> {
    const { eventLog } = this.options.instance;
    // Read first: what is appended during the read is recomputed by the next call.
    const last = await eventLog.lastEventId();
    const clockDue = Math.abs(now - this.clockedAt) >= (this.options.clockMs ?? 1_000);
    if (this.through < 0) {
      await this.read(undefined, now);
    } else if (last !== this.through || clockDue) {
      const touched =
        last === this.through
          ? new Set<string>()
          : await touchedAfter(eventLog, this.graph, this.through);
      if (touched !== undefined && clockDue) {
        for (const key of this.graph.downstreamOf(this.clocked)) touched.add(key);
      }
      await this.read(touched, now);
    }
    this.through = last;
    if (clockDue) this.clockedAt = now;
    return this.graph.keys.map((key) => this.states.get(key)!);
  }

  /** Recomputes `keys` (all when undefined) into the kept states. */
  private async read(keys: ReadonlySet<string> | undefined, now: number): Promise<void> {
    if (keys !== undefined && keys.size === 0) return;
    const { states } = await readState(this.graph, {
      instance: this.options.instance,
      ...(keys === undefined ? {} : { selection: [...keys] }),
      observe: false,
      now,
    });
    if (keys === undefined) this.states = new Map(states);
    else for (const key of keys) this.states.set(key, states.get(key)!);
  }
}
