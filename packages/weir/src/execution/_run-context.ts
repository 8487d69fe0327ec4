import type { ArtefactStore } from '../artefacts/index.js';
import type { PartitionSpace } from '../definitions/index.js';
import type { AssetGraph, AssetNode } from '../graph/index.js';
import type {
  AssetRecord,
  EventLog,
  InputVersion,
  MaterializationSummary,
  StoredEvent,
  WeirEvent,
} from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import { configHashOf } from '../versioning/index.js';
import type { ResourcePool } from './_resources.js';
import type { LogEntry } from './_step-logger.js';
import type { StepUnit } from './_units.js';

export type VersionEvent = MaterializationSummary | StoredEvent<'asset:observed'>;

/**
 * The current version of every asset (and partition) as a run sees it: the log's latest,
 * then this run's own. Partitions are read from the log when a step first needs them.
 */
export class VersionBook {
  private readonly events = new Map<string, VersionEvent>();
  /** Partitioned assets: partition key → usable version (null: none), as far as loaded. */
  private readonly partitions = new Map<string, Map<string, VersionEvent | null>>();
  /** Partitions being read from the log: concurrent steps wait for the same read. */
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    records: ReadonlyMap<string, AssetRecord>,
    partitioned: Iterable<string> = [],
    private readonly eventLog?: EventLog,
  ) {
    for (const [key, record] of records) {
      const event = record.usable ?? record.observation;
      if (event !== undefined) this.events.set(key, event);
    }
    for (const key of partitioned) this.partitions.set(key, new Map());
  }

  isPartitioned(key: string): boolean {
    return this.partitions.has(key);
  }

  event(key: string, partition = NO_PARTITION): VersionEvent | undefined {
    if (partition === NO_PARTITION) return this.events.get(key);
    return this.partitions.get(key)?.get(partition) ?? undefined;
  }

  current(key: string, partition = NO_PARTITION): InputVersion {
    const event = this.event(key, partition);
    if (event === undefined) return { dataVersion: '', eventId: 0 };
    const dataVersion =
      event.type === 'asset:materialized'
        ? event.materialization.dataVersion
        : event.observation.dataVersion;
    return { dataVersion, eventId: event.id };
  }

  /** Reads from the log the versions of `partitions` of `key` not known yet. */
  async load(key: string, partitions: readonly string[]): Promise<void> {
    const known = this.partitions.get(key);
    const eventLog = this.eventLog;
    if (known === undefined || eventLog === undefined) return;
    const pending = new Set<Promise<void>>();
    const missing: string[] = [];
    for (const p of partitions) {
      if (known.has(p)) continue;
      const inFlight = this.loading.get(`${key}\0${p}`);
      if (inFlight !== undefined) pending.add(inFlight);
      else missing.push(p);
    }
    if (missing.length > 0) {
      const read = eventLog.partitionRecords(key, missing).then((records) => {
        const found = new Map(records.map((r) => [r.partition, r.usable]));
        for (const p of missing) {
          // A version this run recorded meanwhile is newer than what the log had.
          if (!known.has(p)) known.set(p, found.get(p) ?? null);
          this.loading.delete(`${key}\0${p}`);
        }
      });
      for (const p of missing) this.loading.set(`${key}\0${p}`, read);
      pending.add(read);
    }
    await Promise.all(pending);
  }

  update(event: VersionEvent): void {
    if (event.partition === NO_PARTITION) this.events.set(event.assetKey, event);
    else this.partitions.get(event.assetKey)?.set(event.partition, event);
  }
}

export interface StepFields {
  runId: string;
  assetKey: string;
  partition: string;
  timestamp: number;
}

/** Everything a step needs from the run it belongs to. */
export class RunContext {
  private readonly cache = new Map<string, Uint8Array>();
  private cachedBytes = 0;

  constructor(
    readonly runId: string,
    readonly graph: AssetGraph,
    readonly eventLog: EventLog,
    readonly artefacts: ArtefactStore,
    readonly resources: ResourcePool,
    readonly versions: VersionBook,
    readonly signal: AbortSignal,
    private readonly emit: (event: StoredEvent) => void,
    readonly onLog: (key: string, entry: LogEntry) => void,
    /** The partition space of each partitioned asset, as planned. */
    readonly spaces: ReadonlyMap<string, PartitionSpace> = new Map(),
  ) {}

  /** The fields every event of `key`'s step in this run carries. */
  stepFields(key: string, partition: string = NO_PARTITION): StepFields {
    return { runId: this.runId, assetKey: key, partition, timestamp: Date.now() };
  }

  /** One event per partition of `unit` (one for an unpartitioned unit). */
  unitEvents(unit: StepUnit, make: (fields: StepFields) => WeirEvent): WeirEvent[] {
    return unit.keys.map((partition) => make(this.stepFields(unit.key, partition)));
  }

  async record(events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    const stored = await this.eventLog.append(events);
    for (const event of stored) this.emit(event);
    return stored;
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
