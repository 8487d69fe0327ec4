/**
 * @module execution/_run-context
 * Everything a step needs from the run it belongs to: ids, the graph, storage, resources,
 * the versions it reads, cancellation, and how its events are recorded and reported.
 */
import type { ArtefactStore } from '../artefacts/index.js';
import type { AssetDefinition, PartitionSpace } from '../definitions/index.js';
import type { AssetGraph, AssetNode } from '../graph/index.js';
import type {
  EventLog,
  HoldingResult,
  LeaseHolder,
  StoredEvent,
  WeirEvent,
} from '../storage/index.js';
import { NO_PARTITION, poolStarts } from '../storage/index.js';
import { configHashOf } from '../versioning/index.js';
import { RunStopped } from './_errors.js';
import { PlanBasis } from './_plan-basis.js';
import type { ResourcePool } from './_resources.js';
import type { LogEntry } from './_step-logger.js';
import type { StepUnit } from './_units.js';
import type { VersionBook } from './_version-book.js';

export interface StepFields {
  runId: string;
  assetKey: string;
  partition: string;
  timestamp: number;
  /** The queue worker recording the step's events (see `RunContextOptions.worker`). */
  worker?: string;
}

export interface RunContextOptions {
  runId: string;
  graph: AssetGraph;
  eventLog: EventLog;
  artefacts: ArtefactStore;
  resources: ResourcePool;
  versions: VersionBook;
  signal: AbortSignal;
  /** Every event as it is recorded. */
  onEvent?: (event: StoredEvent) => void;
  /** Every `ctx.log` entry as it is written. */
  onLog?: (assetKey: string, entry: LogEntry) => void;
  /** The partition space of each partitioned asset, as planned. */
  spaces?: ReadonlyMap<string, PartitionSpace>;
  /** What the run planned from (the newest materializations); none known when omitted. */
  basis?: PlanBasis;
  /** This process, as the holder of the run's leases. */
  holder?: LeaseHolder;
  /** Whether `ctx.previous()` gives steps their current materialization (not when reproducing). */
  previousAvailable?: boolean;
  /** The time the run judged time windows at (epoch ms): its partition spaces are as of then. */
  now?: number;
  /** A queue worker's id: every step event this context records carries it (`worker`). */
  worker?: string;
}

export class RunContext {
  readonly runId: string;
  readonly graph: AssetGraph;
  readonly eventLog: EventLog;
  readonly artefacts: ArtefactStore;
  readonly resources: ResourcePool;
  readonly versions: VersionBook;
  readonly signal: AbortSignal;
  readonly spaces: ReadonlyMap<string, PartitionSpace>;
  readonly basis: PlanBasis;
  readonly holder: LeaseHolder;
  readonly previousAvailable: boolean;
  readonly now: number;
  readonly worker: string | undefined;
  readonly onLog: (assetKey: string, entry: LogEntry) => void;
  private readonly onEvent: (event: StoredEvent) => void;
  private readonly cache = new Map<string, Uint8Array>();
  private cachedBytes = 0;

  constructor(options: RunContextOptions) {
    this.runId = options.runId;
    this.graph = options.graph;
    this.eventLog = options.eventLog;
    this.artefacts = options.artefacts;
    this.resources = options.resources;
    this.versions = options.versions;
    this.signal = options.signal;
    this.spaces = options.spaces ?? new Map();
    this.basis = options.basis ?? new PlanBasis(new Map(), { spaces: new Map(), rows: new Map() });
    this.holder = options.holder ?? { runId: options.runId, host: '', pid: process.pid };
    this.previousAvailable = options.previousAvailable ?? true;
    this.now = options.now ?? Date.now();
    this.worker = options.worker;
    this.onEvent = options.onEvent ?? (() => {});
    this.onLog = options.onLog ?? (() => {});
  }

  /** The fields every event of `key`'s step in this run carries. */
  stepFields(key: string, partition: string = NO_PARTITION): StepFields {
    const fields: StepFields = {
      runId: this.runId,
      assetKey: key,
      partition,
      timestamp: Date.now(),
    };
    if (this.worker !== undefined) fields.worker = this.worker;
    return fields;
  }

  /** The pool `key`'s steps take slots of, with its limit; undefined when it has none. */
  poolOf(key: string): { name: string; limit: number; slots: number } | undefined {
    const { pool, slots } = this.graph.node(key).definition as AssetDefinition;
    if (pool === undefined) return undefined;
    // The graph refuses an undeclared pool; a graph built by hand may lack it: no limit then.
    return { name: pool, limit: this.graph.pools[pool] ?? Number.POSITIVE_INFINITY, slots };
  }

  /** One event per partition of `unit` (one for an unpartitioned unit). */
  unitEvents(unit: StepUnit, make: (fields: StepFields) => WeirEvent): WeirEvent[] {
    return unit.keys.map((partition) => make(this.stepFields(unit.key, partition)));
  }

  /**
   * The `step:started` events of an attempt at `unit`, carrying its pool slots: a retry's
   * replace the unit's leases, which must keep holding the slots.
   */
  startedEvents(
    unit: StepUnit,
    attempt: number,
    extra: { tookOver?: { runId: string; reason: string } } = {},
  ): WeirEvent[] {
    const events = this.unitEvents(unit, (fields) => ({
      type: 'step:started',
      ...fields,
      attempt,
      ...extra,
    }));
    const pool = this.poolOf(unit.key);
    return pool === undefined ? events : poolStarts(events, pool);
  }

  /** Records events; a refused write stops the run (RunStopped), it is no step's failure. */
  async record(events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    let stored: StoredEvent[];
    try {
      stored = await this.eventLog.append(events);
    } catch (error) {
      throw new RunStopped(`the event log refused a write: ${messageOf(error)}`, { cause: error });
    }
    this.emit(stored);
    return stored;
  }

  /**
   * Records a unit's outcome only while the run still holds the unit's leases (a fence: after
   * another run took them over, judging this one dead, its outcome must not be recorded too).
   */
  async recordHolding(
    unit: StepUnit,
    events: readonly WeirEvent[],
  ): Promise<StoredEvent[] | { lost: string }> {
    let held: HoldingResult;
    try {
      const leases = unit.keys.map((partition) => ({ assetKey: unit.key, partition }));
      held = await this.eventLog.appendHolding(this.runId, leases, events);
    } catch (error) {
      throw new RunStopped(`the event log refused a write: ${messageOf(error)}`, { cause: error });
    }
    if (held.status === 'lost') {
      const holders = [...new Set(held.lost.map((l) => l.holder?.runId ?? 'no run'))];
      return {
        lost: `its lease was taken over by ${holders.map((h) => `run ${h}`).join(', ')} (this run was judged dead), so its result was not recorded`,
      };
    }
    this.emit(held.events);
    return held.events;
  }

  /** Hands recorded events to whoever watches the run; a listener that throws stops the run. */
  emit(events: readonly StoredEvent[]): void {
    for (const event of events) {
      try {
        this.onEvent(event);
      } catch (error) {
        throw new RunStopped(messageOf(error), { cause: error });
      }
    }
  }

  configHash(node: AssetNode): string {
    return configHashOf(node.definition, this.graph.resources);
  }

  /** Reads an artefact, keeping small ones in memory for the run: a fan-out reads its upstream once. */
  async readArtefact(location: string): Promise<Uint8Array> {
    const cached = this.cache.get(location);
    if (cached !== undefined) return cached;
    const bytes = await this.artefacts.read(location);
    if (
      bytes.byteLength <= 8 * 1024 * 1024 &&
      this.cachedBytes + bytes.byteLength <= 64 * 1024 * 1024
    ) {
      this.cache.set(location, bytes);
      this.cachedBytes += bytes.byteLength;
    }
    return bytes;
  }
}

function messageOf(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}
