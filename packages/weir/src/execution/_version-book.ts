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
  /**
   * The newest materialization id of each asset partition as far as known (blocked ones
   * included, as `EventLog.startSteps` compares them); by `key\0partition`.
   */
  private readonly newest = new Map<string, number>();
  /** Assets whose versions the run took from the log again because another run replaced them. */
  private readonly replaced = new Set<string>();
  /** How many times it did (a version known before may be stale after each). */
  private refreshes = 0;

  constructor(
    records: ReadonlyMap<string, AssetRecord>,
    partitioned: Iterable<string> = [],
    private readonly eventLog?: EventLog,
    /**
     * The newest materialization id of a partition when the run planned (undefined: not read
     * then): a partition first read later with a newer one was replaced by another run.
     */
    private readonly planned?: (key: string, partition: string) => number | undefined,
  ) {
    for (const [key, record] of records) {
      const event = record.usable ?? record.observation;
      if (event !== undefined) this.events.set(key, event);
      this.newest.set(`${key}\0${NO_PARTITION}`, record.materialization?.id ?? 0);
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
        const found = new Map(records.map((r) => [r.partition, r]));
        for (const p of missing) {
          // A version this run recorded meanwhile is newer than what the log had.
          if (!known.has(p)) {
            const record = found.get(p);
            const id = record?.materialization?.id ?? 0;
            known.set(p, record?.usable ?? record?.observation ?? null);
            this.newest.set(`${key}\0${p}`, id);
            if (id > (this.planned?.(key, p) ?? id)) this.markReplaced(key);
          }
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
    const at = `${event.assetKey}\0${event.partition}`;
    if (event.type === 'asset:materialized' && event.id > (this.newest.get(at) ?? 0)) {
      this.newest.set(at, event.id);
    }
  }

  /**
   * Sets the version of `key`'s `partition` to `event` (none when undefined), whatever the
   * log says: a unit run elsewhere reads exactly the versions its run claimed it with.
   */
  pin(key: string, partition: string, event: VersionEvent | undefined): void {
    if (partition === NO_PARTITION) {
      if (event === undefined) this.events.delete(key);
      else this.events.set(key, event);
    } else {
      this.partitions.get(key)?.set(partition, event ?? null);
    }
  }

  /**
   * The newest materialization id of `key`'s `partition` as this run knows it (0: none): what
   * a step that reads it expects to still be the newest when it starts.
   */
  newestId(key: string, partition = NO_PARTITION): number {
    return this.newest.get(`${key}\0${partition}`) ?? 0;
  }

  /**
   * The assets another run replaced while this run went on (see `refresh`), and how many
   * refreshes it took: what was judged of the versions before the last one may be out of date.
   */
  replacedKeys(): { keys: ReadonlySet<string>; refreshes: number } {
    return { keys: this.replaced, refreshes: this.refreshes };
  }

  /**
   * Takes the log's versions of `partitions` of `key` (its only one when unpartitioned) that
   * another run moved on since the run learnt them; whether any had moved.
   */
  async refresh(key: string, partitions: readonly string[]): Promise<boolean> {
    const eventLog = this.eventLog;
    if (eventLog === undefined) return false;
    const known = this.partitions.get(key);
    const records =
      known === undefined
        ? await eventLog.latest([key])
        : await eventLog.partitionRecords(key, partitions);
    const found = new Map(records.map((r) => [r.partition, r]));
    let moved = false;
    for (const p of known === undefined ? [NO_PARTITION] : partitions) {
      const record = found.get(p);
      const id = record?.materialization?.id ?? 0;
      if (id === (this.newest.get(`${key}\0${p}`) ?? 0)) continue;
      moved = true;
      const event = record?.usable ?? record?.observation;
      if (known !== undefined) known.set(p, event ?? null);
      else if (event !== undefined) this.events.set(key, event);
      else this.events.delete(key);
      this.newest.set(`${key}\0${p}`, id);
    }
    if (moved) this.markReplaced(key);
    return moved;
  }

  /** Notes that another run replaced `key` while this run went on (it knows the new version). */
  markReplaced(key: string): void {
    this.replaced.add(key);
    this.refreshes += 1;
  }
}
