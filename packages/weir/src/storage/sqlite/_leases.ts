/**
 * @module storage/sqlite/_leases
 * Leases in the SQLite event log: the `leases` index table kept by step events, and
 * `startSteps`, which checks and takes them in one immediate transaction.
 */
import type Database from 'better-sqlite3';
import type { Lease, StepStart, StepStartResult } from '../event-log.js';
import type { StoredEvent, WeirEvent } from '../events.js';

/** The outcomes that end a step and release its lease. */
const OUTCOMES = new Set(['asset:materialized', 'step:failed', 'step:cancelled', 'step:skipped']);

type LeaseRow = {
  asset_key: string;
  partition: string;
  run_id: string;
  started_id: number;
  heartbeat_at: number;
  host: string | null;
  pid: number | null;
  pid_start: number | null;
  thread_id: number | null;
};

export class LeaseTable {
  private readonly take: Database.Statement;
  private readonly release: Database.Statement;
  private readonly releaseRun: Database.Statement;
  private readonly renew: Database.Statement;
  private readonly held: Database.Statement;
  private readonly newest: Database.Statement;
  private readonly heldOne: Database.Statement;
  private readonly newestOne: Database.Statement;

  constructor(db: Database.Database) {
    this.take = db.prepare(
      `INSERT INTO leases (asset_key, partition, run_id, started_id, heartbeat_at)
       VALUES (@assetKey, @partition, @runId, @id, @timestamp)
       ON CONFLICT (asset_key, partition) DO UPDATE SET run_id = excluded.run_id,
         started_id = excluded.started_id, heartbeat_at = excluded.heartbeat_at`,
    );
    this.release = db.prepare(
      `DELETE FROM leases
       WHERE asset_key = @assetKey AND partition = @partition AND run_id = @runId`,
    );
    this.releaseRun = db.prepare('DELETE FROM leases WHERE run_id = @runId');
    this.renew = db.prepare('UPDATE leases SET heartbeat_at = @at WHERE run_id = @runId');
    // The holder's host and pid are on its run's run:started event.
    const held = `SELECT l.asset_key, l.partition, l.run_id, l.started_id, l.heartbeat_at,
         json_extract(e.body, '$.host') AS host, json_extract(e.body, '$.pid') AS pid,
         json_extract(e.body, '$.pidStart') AS pid_start,
         json_extract(e.body, '$.threadId') AS thread_id
       FROM leases l LEFT JOIN runs r ON r.run_id = l.run_id LEFT JOIN events e ON e.id = r.started_id
       WHERE l.asset_key = @assetKey`;
    this.held = db.prepare(`${held} AND l.partition IN (SELECT value FROM json_each(@partitions))`);
    // CROSS JOIN: each key looked up in the unique index, not a scan of the asset's partitions.
    this.newest = db
      .prepare(
        `SELECT s.partition, ifnull(s.materialization_id, 0)
         FROM json_each(@partitions) j CROSS JOIN asset_state s
         WHERE s.asset_key = @assetKey AND s.partition = j.value`,
      )
      .raw(true);
    // The same for one partition (most units), without encoding a list to decode it again.
    this.heldOne = db.prepare(`${held} AND l.partition = @partition`);
    this.newestOne = db
      .prepare(
        `SELECT partition, ifnull(materialization_id, 0) FROM asset_state
         WHERE asset_key = @assetKey AND partition = @partition`,
      )
      .raw(true);
  }

  /** Keeps the table in step with one appended event (called inside its transaction). */
  index(event: StoredEvent): void {
    if (event.type === 'step:started') this.take.run(event);
    else if (event.type === 'run:finished') this.releaseRun.run(event);
    else if (OUTCOMES.has(event.type)) this.release.run(event);
  }

  leases(assetKey: string, partitions: readonly string[]): Lease[] {
    if (partitions.length === 0) return [];
    const rows = (
      partitions.length === 1
        ? this.heldOne.all({ assetKey, partition: partitions[0] })
        : this.held.all({ assetKey, partitions: JSON.stringify(partitions) })
    ) as LeaseRow[];
    return rows.map((row) => ({
      assetKey: row.asset_key,
      partition: row.partition,
      runId: row.run_id,
      host: row.host ?? '',
      pid: row.pid ?? 0,
      ...(row.pid_start === null ? {} : { pidStart: row.pid_start }),
      ...(row.thread_id === null ? {} : { threadId: row.thread_id }),
      startedId: row.started_id,
      heartbeatAt: row.heartbeat_at,
    }));
  }

  /** Of `leases`, those `runId` does not hold, with who holds each now. */
  notHeldBy(
    runId: string,
    leases: ReadonlyArray<{ assetKey: string; partition: string }>,
  ): Array<{ assetKey: string; partition: string; holder: Lease | undefined }> {
    const byAsset = new Map<string, string[]>();
    for (const { assetKey, partition } of leases) {
      const list = byAsset.get(assetKey) ?? [];
      list.push(partition);
      byAsset.set(assetKey, list);
    }
    const lost: Array<{ assetKey: string; partition: string; holder: Lease | undefined }> = [];
    for (const [assetKey, partitions] of byAsset) {
      const held = new Map(this.leases(assetKey, partitions).map((l) => [l.partition, l]));
      for (const partition of partitions) {
        const holder = held.get(partition);
        if (holder?.runId !== runId) lost.push({ assetKey, partition, holder });
      }
    }
    return lost;
  }

  renewLeases(runId: string, at: number): void {
    this.renew.run({ runId, at });
  }

  /**
   * The checks of `startSteps` (run inside its transaction): leases held by other runs and
   * not being taken over, then materializations newer than expected. Undefined: go ahead.
   */
  refusal(start: StepStart): Exclude<StepStartResult, { status: 'started' }> | undefined {
    const runId = runOf(start.events);
    const takenOver = new Map(
      (start.takeOver ?? []).map(({ lease }) => [`${lease.assetKey}\0${lease.partition}`, lease]),
    );
    const held: Lease[] = [];
    for (const [assetKey, partitions] of partitionsOf(start.events)) {
      for (const lease of this.leases(assetKey, partitions)) {
        if (lease.runId === runId) continue;
        const dead = takenOver.get(`${assetKey}\0${lease.partition}`);
        if (dead?.runId === lease.runId && dead.startedId === lease.startedId) continue;
        held.push(lease);
      }
    }
    if (held.length > 0) return { status: 'held', leases: held };
    const moved: Array<{ assetKey: string; partition: string; materializationId: number }> = [];
    const byAsset = new Map<string, Array<{ partition: string; materializationId: number }>>();
    for (const { assetKey, partition, materializationId } of start.expected) {
      const list = byAsset.get(assetKey) ?? [];
      list.push({ partition, materializationId });
      byAsset.set(assetKey, list);
    }
    for (const [assetKey, expected] of byAsset) {
      const rows =
        expected.length === 1
          ? this.newestOne.all({ assetKey, partition: expected[0]!.partition })
          : this.newest.all({
              assetKey,
              partitions: JSON.stringify(expected.map((e) => e.partition)),
            });
      const current = new Map(rows as Array<[string, number]>);
      for (const { partition, materializationId } of expected) {
        const now = current.get(partition) ?? 0;
        if (now !== materializationId) moved.push({ assetKey, partition, materializationId: now });
      }
    }
    return moved.length > 0 ? { status: 'moved', partitions: moved } : undefined;
  }
}

/** The run of a unit's `step:started` events. */
function runOf(events: readonly WeirEvent[]): string | undefined {
  for (const event of events) if (event.type === 'step:started') return event.runId;
  return undefined;
}

/** The asset partitions the `step:started` events name, by asset. */
function partitionsOf(events: readonly WeirEvent[]): Map<string, string[]> {
  const byAsset = new Map<string, string[]>();
  for (const event of events) {
    if (event.type !== 'step:started') continue;
    const list = byAsset.get(event.assetKey) ?? [];
    list.push(event.partition);
    byAsset.set(event.assetKey, list);
  }
  return byAsset;
}
