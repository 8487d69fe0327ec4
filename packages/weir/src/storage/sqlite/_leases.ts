/**
 * @module storage/sqlite/_leases
 * Leases in the SQLite event log: the `leases` index table kept by step events, and
 * `startSteps`, which checks and takes them in one immediate transaction. A lease also holds
 * the pool slots of its step (`pool`, `slots`), so a pool's use is the sum over its leases.
 */
import type Database from 'better-sqlite3';
import type { Lease, StepStart, StepStartResult } from '../event-log.js';
import type { StoredEvent, WeirEvent } from '../events.js';
import { type LeaseRow, leaseOf } from '../index-rows.js';
import { poolStarts } from '../pool-starts.js';

/** The outcomes that end a step and release its lease. */
const OUTCOMES = new Set(['asset:materialized', 'step:failed', 'step:cancelled', 'step:skipped']);

type Refusal = Exclude<StepStartResult, { status: 'started' }>;

export class LeaseTable {
  private readonly take: Database.Statement;
  private readonly release: Database.Statement;
  private readonly releaseRun: Database.Statement;
  private readonly renew: Database.Statement;
  private readonly held: Database.Statement;
  private readonly newest: Database.Statement;
  private readonly heldOne: Database.Statement;
  private readonly newestOne: Database.Statement;
  private readonly inPool: Database.Statement;

  constructor(db: Database.Database) {
    this.take = db.prepare(
      `INSERT INTO leases (asset_key, partition, run_id, started_id, heartbeat_at, pool, slots)
       VALUES (@assetKey, @partition, @runId, @id, @timestamp, @pool, @slots)
       ON CONFLICT (asset_key, partition) DO UPDATE SET run_id = excluded.run_id,
         started_id = excluded.started_id, heartbeat_at = excluded.heartbeat_at,
         pool = excluded.pool, slots = excluded.slots`,
    );
    this.release = db.prepare(
      `DELETE FROM leases
       WHERE asset_key = @assetKey AND partition = @partition AND run_id = @runId`,
    );
    this.releaseRun = db.prepare('DELETE FROM leases WHERE run_id = @runId');
    this.renew = db.prepare('UPDATE leases SET heartbeat_at = @at WHERE run_id = @runId');
    // The holder's host and pid are on its run's run:started event.
    const select = `SELECT l.asset_key, l.partition, l.run_id, l.started_id, l.heartbeat_at,
         l.pool, l.slots,
         json_extract(e.body, '$.host') AS host, json_extract(e.body, '$.pid') AS pid,
         json_extract(e.body, '$.pidStart') AS pid_start,
         json_extract(e.body, '$.threadId') AS thread_id
       FROM leases l LEFT JOIN runs r ON r.run_id = l.run_id LEFT JOIN events e ON e.id = r.started_id`;
    const held = `${select} WHERE l.asset_key = @assetKey`;
    this.inPool = db.prepare(`${select} WHERE l.pool = @pool AND l.slots > 0`);
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
    if (event.type === 'step:started') {
      this.take.run({ ...event, pool: event.pool?.name ?? null, slots: event.pool?.slots ?? null });
    } else if (event.type === 'run:finished') this.releaseRun.run(event);
    else if (OUTCOMES.has(event.type)) this.release.run(event);
  }

  leases(assetKey: string, partitions: readonly string[]): Lease[] {
    if (partitions.length === 0) return [];
    const rows = (
      partitions.length === 1
        ? this.heldOne.all({ assetKey, partition: partitions[0] })
        : this.held.all({ assetKey, partitions: JSON.stringify(partitions) })
    ) as LeaseRow[];
    return rows.map(leaseOf);
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
   * not being taken over, materializations newer than expected, then the pool's free slots.
   * A refusal, or what to append: the take-overs that still apply, then the unit's events.
   */
  check(start: StepStart): Refusal | WeirEvent[] {
    const runId = runOf(start.events);
    const starting = partitionsOf(start.events);
    // The take-overs whose lease is still exactly the one the caller judged dead.
    const current = new Map<string, Lease>();
    const taking: WeirEvent[] = [];
    for (const { lease, events } of start.takeOver ?? []) {
      const now = this.leases(lease.assetKey, [lease.partition])[0];
      if (now?.runId !== lease.runId || now.startedId !== lease.startedId) continue;
      current.set(keyOf(now), now);
      taking.push(...events);
    }
    const held: Lease[] = [];
    for (const [assetKey, partitions] of starting) {
      for (const lease of this.leases(assetKey, partitions)) {
        if (lease.runId !== runId && !current.has(keyOf(lease))) held.push(lease);
      }
    }
    if (held.length > 0) return { status: 'held', leases: held };
    const moved = this.moved(start.expected);
    if (moved.length > 0) return { status: 'moved', partitions: moved };
    const { pool } = start;
    if (pool === undefined) return [...taking, ...start.events];
    const holders = (this.inPool.all({ pool: pool.name }) as LeaseRow[])
      .map(leaseOf)
      .filter(
        (lease) =>
          !current.has(keyOf(lease)) && !starting.get(lease.assetKey)?.includes(lease.partition),
      );
    const used = holders.reduce((sum, lease) => sum + (lease.pool?.slots ?? 0), 0);
    if (used + pool.slots > pool.limit) {
      return { status: 'pool-full', pool: pool.name, used, limit: pool.limit, holders };
    }
    return [...taking, ...poolStarts(start.events, pool)];
  }

  /** Of `expected`, the asset partitions whose newest materialization is another now. */
  private moved(
    expected: StepStart['expected'],
  ): Array<{ assetKey: string; partition: string; materializationId: number }> {
    const moved: Array<{ assetKey: string; partition: string; materializationId: number }> = [];
    const byAsset = new Map<string, Array<{ partition: string; materializationId: number }>>();
    for (const { assetKey, partition, materializationId } of expected) {
      const list = byAsset.get(assetKey) ?? [];
      list.push({ partition, materializationId });
      byAsset.set(assetKey, list);
    }
    for (const [assetKey, wanted] of byAsset) {
      const rows =
        wanted.length === 1
          ? this.newestOne.all({ assetKey, partition: wanted[0]!.partition })
          : this.newest.all({
              assetKey,
              partitions: JSON.stringify(wanted.map((e) => e.partition)),
            });
      const now = new Map(rows as Array<[string, number]>);
      for (const { partition, materializationId } of wanted) {
        const id = now.get(partition) ?? 0;
        if (id !== materializationId) moved.push({ assetKey, partition, materializationId: id });
      }
    }
    return moved;
  }
}

function keyOf(lease: { assetKey: string; partition: string }): string {
  return `${lease.assetKey}\0${lease.partition}`;
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
