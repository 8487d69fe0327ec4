/**
 * @module execution/_record-map
 * The index records a read holds, by asset key, read from the log only for the keys asked for:
 * status over thousands of fresh assets (decided from their status rows) reads none of theirs,
 * while a run, `why` or `check` reads the records it needs.
 */
import type { AssetRecord, EventLog } from '../storage/index.js';

export class RecordMap implements ReadonlyMap<string, AssetRecord> {
  private readonly records = new Map<string, AssetRecord>();
  /** Keys read (or being read) from the log, whether or not they have a record. */
  private readonly asked = new Set<string>();

  constructor(private readonly eventLog: EventLog) {}

  /** Reads the records of `keys` not read yet. */
  async load(keys: Iterable<string>): Promise<void> {
    const missing: string[] = [];
    for (const key of keys) {
      if (this.asked.has(key)) continue;
      this.asked.add(key);
      missing.push(key);
    }
    if (missing.length === 0) return;
    // Listing thousands of keys costs more than reading every record and leaving some out.
    const found = await this.eventLog.latest(missing.length > 500 ? undefined : missing);
    const wanted = new Set(missing);
    for (const record of found) {
      if (wanted.has(record.assetKey) && !this.records.has(record.assetKey))
        this.records.set(record.assetKey, record);
    }
  }

  /** Replaces `key`'s record for this read (an observation made now, not recorded). */
  set(key: string, record: AssetRecord): void {
    this.asked.add(key);
    this.records.set(key, record);
  }

  get(key: string): AssetRecord | undefined {
    return this.records.get(key);
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  get size(): number {
    return this.records.size;
  }

  keys(): MapIterator<string> {
    return this.records.keys();
  }

  values(): MapIterator<AssetRecord> {
    return this.records.values();
  }

  entries(): MapIterator<[string, AssetRecord]> {
    return this.records.entries();
  }

  [Symbol.iterator](): MapIterator<[string, AssetRecord]> {
    return this.records.entries();
  }

  forEach(
    callback: (value: AssetRecord, key: string, map: ReadonlyMap<string, AssetRecord>) => void,
  ): void {
    for (const [key, record] of this.records) callback(record, key, this);
  }
}
