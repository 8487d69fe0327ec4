// Entity resolution with state: records are added, replaced and removed in batches, and only
// the pairs a batch can have changed are scored again. The matches kept are always exactly
// those a full resolve of the current records finds (`resolveAll`): a pair is a match when it
// shares a block within the size cap and scores at least the threshold. A batch therefore
// scores (1) the changed records against their blocks, (2) every pair of a block that shrank
// to within the cap, and re-checks (3) the matches in a block that grew past it.
import { blockingKeys } from './blocking.js';
import type { ClusterLink, ResolvedCluster } from './cluster.js';
import { ClusterCache } from './cluster-cache.js';
import { type PreparedRecord, prepareRecord } from './features.js';
import {
  conflictTest,
  type ResolvedOptions,
  type ResolverOptions,
  resolveOptions,
} from './options.js';
import type { ResolvableRecord } from './record.js';
import { isMatch, type PairScore, scorePair } from './score.js';
import {
  assertState,
  fromTuple,
  MATCHING_VERSION,
  type RecordTuple,
  type ResolverState,
  recordFingerprint,
  STATE_FORMAT,
  STATE_VERSION,
  toTuple,
} from './state.js';

/** What one batch did. */
export interface BatchReport {
  added: number;
  replaced: number;
  unchanged: number;
  removed: number;
  /** Pairs scored by this batch. */
  pairsScored: number;
}

interface Entry {
  prepared: PreparedRecord;
  keys: string[];
  fingerprint: string;
}

export class EntityResolver {
  readonly options: ResolvedOptions;
  private readonly entries = new Map<string, Entry>();
  private readonly blocks = new Map<string, Set<string>>();
  private readonly links = new Map<string, Map<string, PairScore>>();
  private readonly cache: ClusterCache;

  constructor(options: ResolverOptions = {}) {
    this.options = resolveOptions(options);
    const none: [string, PairScore][] = [];
    this.cache = new ClusterCache(
      {
        ids: () => this.entries.keys(),
        prepared: (id) => this.entries.get(id)?.prepared,
        neighbours: (id) => this.links.get(id) ?? none,
      },
      conflictTest(this.options),
    );
  }

  /** How many records the resolver holds. */
  get size(): number {
    return this.entries.size;
  }

  /** Adds records, or replaces those with ids it holds; unchanged ones cost nothing. */
  upsert(records: Iterable<ResolvableRecord>): BatchReport {
    return this.apply([], records);
  }

  /** Removes the records with these ids (ids it does not hold are ignored). */
  remove(ids: Iterable<string>): BatchReport {
    return this.apply(ids, []);
  }

  /** Makes `records` the whole of one agency's records: the agency's others are removed. */
  replaceAgency(agency: string, records: Iterable<ResolvableRecord>): BatchReport {
    const list = [...records];
    const keep = new Set(list.map((r) => r.id));
    const gone: string[] = [];
    for (const [id, e] of this.entries) {
      if (e.prepared.record.source.agency === agency && !keep.has(id)) gone.push(id);
    }
    return this.apply(gone, list);
  }

  /** The record with this id, if held. */
  get(id: string): ResolvableRecord | undefined {
    return this.entries.get(id)?.prepared.record;
  }

  /**
   * Clusters of two records or more, sorted; a record in none is an entity of its own. Only the
   * link components a batch touched are clustered again; the clusters returned are shared with
   * later calls, so treat them as read-only.
   */
  clusters(): ResolvedCluster[] {
    return this.cache.clusters();
  }

  /** Every matched pair (`a` < `b`) with its score and evidence. */
  matchedPairs(): ClusterLink[] {
    const out: ClusterLink[] = [];
    for (const [a, neighbours] of this.links) {
      for (const [b, s] of neighbours) if (a < b) out.push({ a, b, ...s });
    }
    return out;
  }

  toJSON(): ResolverState {
    const ids = [...this.entries.keys()].sort();
    const index = new Map(ids.map((id, i) => [id, i]));
    const sourceIndex = new Map<string, number>();
    const sources: [string, string, string][] = [];
    const records: RecordTuple[] = ids.map((id) => {
      const r = this.entries.get(id)!.prepared.record;
      const key = JSON.stringify([r.source.agency, r.source.layout, r.source.file]);
      let s = sourceIndex.get(key);
      if (s === undefined) {
        s = sources.length;
        sourceIndex.set(key, s);
        sources.push([r.source.agency, r.source.layout, r.source.file]);
      }
      return toTuple(r, s);
    });
    const links = this.matchedPairs()
      .map((l): [number, number] => [index.get(l.a)!, index.get(l.b)!])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      matching: MATCHING_VERSION,
      options: this.options,
      sources,
      records,
      links,
    };
  }

  /**
   * A resolver from a state `toJSON` wrote: records and matches back, only the matches rescored.
   * A state from code that matched differently (another `MATCHING_VERSION`) is resolved afresh.
   */
  static fromJSON(value: unknown): EntityResolver {
    assertState(value);
    const resolver = new EntityResolver(value.options);
    const records = value.records.map((t) => fromTuple(t, value.sources));
    if (value.matching !== MATCHING_VERSION) {
      resolver.upsert(records);
      return resolver;
    }
    const ids: string[] = [];
    for (const record of records) {
      ids.push(record.id);
      resolver.attach(record);
    }
    for (const [i, j] of value.links) {
      const a = ids[i];
      const b = ids[j];
      if (a === undefined || b === undefined)
        throw new Error(`resolver state links ${i} and ${j}: no such records`);
      resolver.evaluate(a, b);
    }
    return resolver;
  }

  private apply(removals: Iterable<string>, additions: Iterable<ResolvableRecord>): BatchReport {
    const report: BatchReport = { added: 0, replaced: 0, unchanged: 0, removed: 0, pairsScored: 0 };
    // Block sizes before the batch, for the blocks it touches.
    const before = new Map<string, number>();
    const latest = new Map<string, ResolvableRecord>();
    for (const r of additions) latest.set(r.id, r);
    for (const id of removals) {
      if (latest.has(id) || !this.entries.has(id)) continue;
      this.detach(id, before);
      report.removed++;
    }
    const changed: string[] = [];
    for (const r of latest.values()) {
      const old = this.entries.get(r.id);
      if (old && old.fingerprint === recordFingerprint(r)) {
        report.unchanged++;
        continue;
      }
      if (old) {
        this.detach(r.id, before);
        report.replaced++;
      } else report.added++;
      this.attach(r, before);
      changed.push(r.id);
    }
    const isChanged = new Set(changed);
    const cap = this.options.blocking.maxBlockSize;
    const recheck = new Map<string, Set<string>>();
    const queue = (a: string, b: string) => {
      if (isChanged.has(a) || isChanged.has(b)) return; // the changed record's own pass scores it
      const [x, y] = a < b ? [a, b] : [b, a];
      const set = recheck.get(x);
      if (set) set.add(y);
      else recheck.set(x, new Set([y]));
    };
    for (const [key, was] of before) {
      const members = this.blocks.get(key);
      const now = members?.size ?? 0;
      if (!members || was <= cap === now <= cap) continue;
      const list = [...members];
      if (now <= cap) {
        for (let i = 0; i < list.length; i++)
          for (let j = i + 1; j < list.length; j++) queue(list[i]!, list[j]!);
      } else {
        for (const m of list)
          for (const x of this.links.get(m)?.keys() ?? []) if (members.has(x)) queue(m, x);
      }
    }
    for (const [a, bs] of recheck) {
      for (const b of bs) if (this.evaluate(a, b)) report.pairsScored++;
    }
    for (const id of changed) {
      const seen = new Set<string>();
      for (const key of this.entries.get(id)!.keys) {
        const members = this.blocks.get(key)!;
        if (members.size > cap) continue;
        for (const other of members) {
          if (other === id || seen.has(other) || (isChanged.has(other) && other < id)) continue;
          seen.add(other);
          this.evaluate(id, other);
          report.pairsScored++;
        }
      }
    }
    return report;
  }

  /** Scores a pair when it is a candidate and keeps it as a match or drops it; true when scored. */
  private evaluate(x: string, y: string): boolean {
    const [a, b] = x < y ? [x, y] : [y, x];
    this.unlink(a, b);
    if (!this.isCandidate(a, b)) return false;
    const pa = this.entries.get(a)!.prepared;
    const pb = this.entries.get(b)!.prepared;
    if (isMatch(pa, pb, this.options.weights, this.options.threshold)) {
      const s = scorePair(pa, pb, this.options.weights);
      this.neighbours(a).set(b, s);
      this.neighbours(b).set(a, s);
      this.cache.touch(a);
      this.cache.touch(b);
    }
    return true;
  }

  private isCandidate(a: string, b: string): boolean {
    const cap = this.options.blocking.maxBlockSize;
    for (const key of this.entries.get(a)!.keys) {
      const members = this.blocks.get(key)!;
      if (members.size <= cap && members.has(b)) return true;
    }
    return false;
  }

  private neighbours(id: string): Map<string, PairScore> {
    let m = this.links.get(id);
    if (!m) {
      m = new Map();
      this.links.set(id, m);
    }
    return m;
  }

  private unlink(a: string, b: string): void {
    const ma = this.links.get(a);
    if (!ma?.delete(b)) return;
    if (ma.size === 0) this.links.delete(a);
    this.cache.touch(a);
    this.cache.touch(b);
    const mb = this.links.get(b)!;
    mb.delete(a);
    if (mb.size === 0) this.links.delete(b);
  }

  private attach(record: ResolvableRecord, before?: Map<string, number>): void {
    const prepared = prepareRecord(record);
    const keys = blockingKeys(prepared, this.options.blocking);
    this.entries.set(record.id, { prepared, keys, fingerprint: recordFingerprint(record) });
    this.cache.touch(record.id);
    for (const key of keys) {
      let members = this.blocks.get(key);
      if (!members) {
        members = new Set();
        this.blocks.set(key, members);
      }
      if (before && !before.has(key)) before.set(key, members.size);
      members.add(record.id);
    }
  }

  private detach(id: string, before: Map<string, number>): void {
    const entry = this.entries.get(id)!;
    for (const other of [...(this.links.get(id)?.keys() ?? [])]) this.unlink(id, other);
    for (const key of entry.keys) {
      const members = this.blocks.get(key)!;
      if (!before.has(key)) before.set(key, members.size);
      members.delete(id);
      if (members.size === 0) this.blocks.delete(key);
    }
    this.entries.delete(id);
    this.cache.touch(id);
  }
}
