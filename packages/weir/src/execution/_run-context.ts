import type { ArtefactStore } from '../artefacts/index.js';
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

type VersionEvent = MaterializationSummary | StoredEvent<'asset:observed'>;

/** The current version of every asset as a run sees it: the log's latest, then this run's own. */
export class VersionBook {
  private readonly events = new Map<string, VersionEvent>();

  constructor(records: ReadonlyMap<string, AssetRecord>) {
    for (const [key, record] of records) {
      const event = record.usable ?? record.observation;
      if (event !== undefined) this.events.set(key, event);
    }
  }

  event(key: string): VersionEvent | undefined {
    return this.events.get(key);
  }

  current(key: string): InputVersion {
    const event = this.events.get(key);
    if (event === undefined) return { dataVersion: '', eventId: 0 };
    const dataVersion =
      event.type === 'asset:materialized'
        ? event.materialization.dataVersion
        : event.observation.dataVersion;
    return { dataVersion, eventId: event.id };
  }

  update(event: VersionEvent): void {
    this.events.set(event.assetKey, event);
  }
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
  ) {}

  /** The fields every event of `key`'s step in this run carries. */
  stepFields(key: string): {
    runId: string;
    assetKey: string;
    partition: string;
    timestamp: number;
  } {
    return { runId: this.runId, assetKey: key, partition: NO_PARTITION, timestamp: Date.now() };
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
