/**
 * @module execution/_version-book
 * The current version of every asset (and partition) as a run sees it: the log's latest, then
 * the run's own materializations.
 */
import type {
  AssetRecord,
  EventLog,
  InputVersion,
  MaterializationSummary,
  StoredEvent,
} from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';

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
        // A partitioned source's version is its observation.
        const found = new Map(records.map((r) => [r.partition, r.usable ?? r.observation]));
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
