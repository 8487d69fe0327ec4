/**
 * @module execution/gc
 * `collectGarbage()` (weir gc): removes artefacts nothing needs from the store. It keeps
 * every current and usable materialization's artefact, the versions current
 * materializations read (so they stay reproducible), and, by the retention policy, recent
 * history and the last few materializations of each asset partition; artefacts a run in
 * flight may read or record are never removed. Events are never deleted: the event log is
 * the truth, and it says which artefacts were collected (`artefacts:collected`).
 */
import { EnvironmentError } from '../errors.js';
import type { EventLog, RetentionPolicy, StoredEvent, WeirEvent } from '../storage/index.js';
import type { Instance } from './instance.js';
import { isOrphaned } from './recovery.js';

export const DEFAULT_RETENTION: RetentionPolicy = {
  keepDays: 30,
  keepLast: 3,
  graceMs: 24 * 60 * 60 * 1000,
};

export interface GcOptions {
  instance: Instance;
  /** What history to keep; the defaults (`DEFAULT_RETENTION`) for what is omitted. */
  policy?: Partial<RetentionPolicy>;
  /** Report what would be removed, and how many bytes, without removing anything. */
  dryRun?: boolean;
  /** The time retention is judged at (epoch ms); now by default. */
  now?: number;
}

export interface CollectedArtefact {
  location: string;
  bytes: number;
  /** `unreferenced`: no event refers to it; `history`: only materializations past retention do. */
  reason: 'unreferenced' | 'history';
}

export interface GcReport {
  policy: RetentionPolicy;
  dryRun: boolean;
  /** Removed (or, with `dryRun`, to be removed). */
  collected: CollectedArtefact[];
  bytes: number;
  /** Artefacts left in the store, and their bytes. */
  kept: { artefacts: number; bytes: number };
}

interface Materialized {
  id: number;
  timestamp: number;
  location: string;
  usable: boolean;
  inputs: number[];
}

export async function collectGarbage(options: GcOptions): Promise<GcReport> {
  const { instance } = options;
  const policy = { ...DEFAULT_RETENTION, ...options.policy };
  validate(policy);
  const now = options.now ?? Date.now();
  const live = await liveRuns(instance.eventLog);
  const groups = await materializationsByPartition(instance.eventLog);
  const current = await currentIds(instance.eventLog, groups);
  const keep = keptLocations(groups, current, { policy, now, oldestLiveRun: live.oldestStartedId });
  const referenced = new Set<string>();
  for (const group of groups.values()) for (const m of group) referenced.add(m.location);
  // Not written or stored again since before this: a writer may be recording it otherwise.
  const cutoff = Math.min(now - policy.graceMs, live.oldestStartedAt);
  const report: GcReport = {
    policy,
    dryRun: options.dryRun === true,
    collected: [],
    bytes: 0,
    kept: { artefacts: 0, bytes: 0 },
  };
  for await (const object of instance.artefacts.list()) {
    const collectable = !keep.has(object.location) && object.modifiedAt <= cutoff;
    const removed =
      collectable &&
      (options.dryRun ||
        (await instance.artefacts.remove(object.location, { unlessModifiedAfter: cutoff })));
    if (!removed) {
      report.kept.artefacts += 1;
      report.kept.bytes += object.size;
      continue;
    }
    const reason = referenced.has(object.location) ? 'history' : 'unreferenced';
    report.collected.push({ location: object.location, bytes: object.size, reason });
    report.bytes += object.size;
  }
  if (!report.dryRun) await record(instance.eventLog, report, now);
  return report;
}

function validate(policy: RetentionPolicy): void {
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new EnvironmentError('E_USAGE', `retention ${name} must be a number ≥ 0, got ${value}`);
    }
  }
}

/** Runs still going (on this host, or elsewhere: those are never judged dead here). */
async function liveRuns(
  eventLog: EventLog,
): Promise<{ oldestStartedId: number; oldestStartedAt: number }> {
  let oldestStartedId = Number.POSITIVE_INFINITY;
  let oldestStartedAt = Number.POSITIVE_INFINITY;
  for (const run of await eventLog.runs({ status: 'running', limit: 10_000 })) {
    if (isOrphaned(run)) continue;
    oldestStartedId = Math.min(oldestStartedId, run.started.id);
    oldestStartedAt = Math.min(oldestStartedAt, run.startedAt);
  }
  return { oldestStartedId, oldestStartedAt };
}

/** Every materialization, grouped by asset partition, oldest first. */
async function materializationsByPartition(
  eventLog: EventLog,
): Promise<Map<string, Materialized[]>> {
  const groups = new Map<string, Materialized[]>();
  let afterId = 0;
  for (;;) {
    const page = await eventLog.events({ types: ['asset:materialized'], afterId, limit: 5000 });
    for (const event of page) {
      if (event.type !== 'asset:materialized') continue;
      const id = `${event.assetKey}\0${event.partition}`;
      const group = groups.get(id) ?? [];
      if (group.length === 0) groups.set(id, group);
      group.push(summaryOf(event));
    }
    if (page.length < 5000) return groups;
    afterId = page[page.length - 1]!.id;
  }
}

function summaryOf(event: StoredEvent<'asset:materialized'>): Materialized {
  const m = event.materialization;
  return {
    id: event.id,
    timestamp: m.endedAt,
    location: m.artefact.location,
    usable: (m.blockedBy ?? []).length === 0,
    inputs: Object.values(m.inputs).map((input) => input.eventId),
  };
}

/** The newest and the usable materialization of every asset partition, from the index. */
async function currentIds(
  eventLog: EventLog,
  groups: ReadonlyMap<string, readonly Materialized[]>,
): Promise<Set<number>> {
  const ids = new Set<number>();
  for (const record of await eventLog.latest()) {
    if (record.usable !== undefined) ids.add(record.usable.id);
    if (record.materialization !== undefined) ids.add(record.materialization.id);
  }
  const partitioned = new Set<string>();
  for (const id of groups.keys()) {
    const [key, partition] = id.split('\0') as [string, string];
    if (partition !== '') partitioned.add(key);
  }
  for (const key of partitioned) {
    const states = await eventLog.partitionStates(key);
    for (const column of [states.usableId, states.materializationId]) {
      for (const id of column) if (id > 0) ids.add(id);
    }
  }
  return ids;
}

/**
 * The artefacts to keep: the current ones (newest and usable of each asset partition), the
 * versions they read, and by the policy the last `keepLast` of each asset partition, those
 * younger than `keepDays`, and those a live run may read (superseded after it started).
 */
function keptLocations(
  groups: ReadonlyMap<string, readonly Materialized[]>,
  current: ReadonlySet<number>,
  { policy, now, oldestLiveRun }: { policy: RetentionPolicy; now: number; oldestLiveRun: number },
): Set<string> {
  const keep = new Set<string>();
  const byId = new Map<number, Materialized>();
  const readByCurrent = new Set<number>();
  const young = now - policy.keepDays * 24 * 60 * 60 * 1000;
  for (const group of groups.values()) {
    for (const m of group) {
      byId.set(m.id, m);
      if (!current.has(m.id)) continue;
      keep.add(m.location);
      for (const id of m.inputs) readByCurrent.add(id);
    }
    let supersededBy = Number.POSITIVE_INFINITY;
    for (let i = group.length - 1; i >= 0; i--) {
      const m = group[i]!;
      const recent = i >= group.length - policy.keepLast || m.timestamp >= young;
      if (recent || supersededBy > oldestLiveRun) keep.add(m.location);
      if (m.usable) supersededBy = m.id;
    }
  }
  for (const id of readByCurrent) {
    const read = byId.get(id);
    if (read !== undefined) keep.add(read.location);
  }
  return keep;
}

/** One `artefacts:collected` event per thousand locations, appended together. */
async function record(eventLog: EventLog, report: GcReport, now: number): Promise<void> {
  const events: WeirEvent[] = [];
  for (let i = 0; i < report.collected.length; i += 1000) {
    const chunk = report.collected.slice(i, i + 1000);
    events.push({
      type: 'artefacts:collected',
      timestamp: now,
      locations: chunk.map((c) => c.location),
      bytes: chunk.reduce((sum, c) => sum + c.bytes, 0),
      policy: report.policy,
    });
  }
  await eventLog.append(events);
}
