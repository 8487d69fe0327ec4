/**
 * @module storage/sqlite/_run-tables
 * The SQLite event log's indexes of runs, dynamic partitions and backfills (`runs`,
 * `dynamic_partitions`, `backfills`), kept by their events in the transaction that appends
 * them. The rules are those of `RunRecord`, `dynamicPartitions` and `BackfillRecord` in
 * event-log.ts.
 */
import type Database from 'better-sqlite3';
import type { StoredEvent } from '../events.js';

export class RunTables {
  private readonly startRun: Database.Statement;
  private readonly finishRun: Database.Statement;
  private readonly addPartitions: Database.Statement;
  private readonly removePartitions: Database.Statement;
  private readonly requestBackfill: Database.Statement;
  private readonly finishBackfill: Database.Statement;

  constructor(db: Database.Database) {
    this.startRun = db.prepare(
      `INSERT INTO runs (run_id, status, started_at, started_id, backfill_id)
       VALUES (@runId, 'running', @timestamp, @id, @backfillId)
       ON CONFLICT (run_id) DO UPDATE SET status = 'running', started_at = excluded.started_at,
         started_id = excluded.started_id, backfill_id = excluded.backfill_id`,
    );
    this.finishRun = db.prepare(
      `UPDATE runs SET status = @status, finished_at = @timestamp, finished_id = @id
       WHERE run_id = @runId`,
    );
    // json_each's key of an array element is its index: keys added together keep their order.
    // A key added again keeps its first place.
    this.addPartitions = db.prepare(
      `INSERT OR IGNORE INTO dynamic_partitions (name, key, added_id, position)
       SELECT @name, value, @id, key FROM json_each(@keys)`,
    );
    this.removePartitions = db.prepare(
      'DELETE FROM dynamic_partitions WHERE name = @name AND key IN (SELECT value FROM json_each(@keys))',
    );
    this.requestBackfill = db.prepare(
      `INSERT INTO backfills (backfill_id, status, requested_at, requested_id)
       VALUES (@backfillId, 'running', @timestamp, @id)
       ON CONFLICT (backfill_id) DO UPDATE SET status = 'running', requested_at = excluded.requested_at,
         requested_id = excluded.requested_id, finished_at = NULL, finished_id = NULL`,
    );
    this.finishBackfill = db.prepare(
      `UPDATE backfills SET status = @status, finished_at = @timestamp, finished_id = @id
       WHERE backfill_id = @backfillId`,
    );
  }

  /** Indexes `event` if it starts or finishes a run or backfill, or changes dynamic partitions. */
  index(event: StoredEvent): void {
    switch (event.type) {
      case 'run:started':
        this.startRun.run({
          runId: event.runId,
          timestamp: event.timestamp,
          id: event.id,
          backfillId: event.backfillId ?? null,
        });
        break;
      case 'run:finished':
        this.finishRun.run({
          status: event.status,
          timestamp: event.timestamp,
          id: event.id,
          runId: event.runId,
        });
        break;
      case 'partitions:added':
        this.addPartitions.run({
          name: event.name,
          id: event.id,
          keys: JSON.stringify(event.keys),
        });
        break;
      case 'partitions:removed':
        this.removePartitions.run({ name: event.name, keys: JSON.stringify(event.keys) });
        break;
      case 'backfill:requested':
        this.requestBackfill.run({
          backfillId: event.backfillId,
          timestamp: event.timestamp,
          id: event.id,
        });
        break;
      case 'backfill:finished':
        this.finishBackfill.run({
          status: event.status,
          timestamp: event.timestamp,
          id: event.id,
          backfillId: event.backfillId,
        });
        break;
    }
  }
}
