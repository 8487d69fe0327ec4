/**
 * @module postgres/_runs
 * Reading the runs, backfills and dynamic partitions indexes (`runs`, `backfills`,
 * `dynamic_partitions`), each record with the events it points to.
 */
import {
  type BackfillRecord,
  type BackfillRow as BackfillRowBase,
  type BackfillStatus,
  backfillRecordOf,
  type RunRecord,
  type RunRow,
  type RunStatus,
  runRecordOf,
} from 'weir';
import type { Query } from './_query.js';
import { parseEvent } from './_records.js';

type BackfillRow = BackfillRowBase & { run_ids: string[] | null };

const RUN_SELECT = `
  SELECT r.run_id, r.status, r.started_at, r.finished_at, s.id AS s_id, s.body AS s_body,
    f.id AS f_id, f.body AS f_body
  FROM runs r JOIN events s ON s.id = r.started_id LEFT JOIN events f ON f.id = r.finished_id`;

const BACKFILL_SELECT = `
  SELECT b.backfill_id, b.status, b.requested_at, b.finished_at, r.id AS r_id, r.body AS r_body,
    f.id AS f_id, f.body AS f_body,
    (SELECT json_agg(x.run_id ORDER BY x.started_at DESC, x.started_id DESC) FROM runs x
     WHERE x.backfill_id = b.backfill_id) AS run_ids
  FROM backfills b JOIN events r ON r.id = b.requested_id LEFT JOIN events f ON f.id = b.finished_id`;

export async function readRuns(
  query: Query,
  options: { limit?: number; status?: RunStatus },
): Promise<RunRecord[]> {
  const { rows } = await query<RunRow>(
    `${RUN_SELECT} WHERE $1::text IS NULL OR r.status = $1
     ORDER BY r.started_at DESC, r.started_id DESC LIMIT $2`,
    [options.status ?? null, options.limit ?? 50],
  );
  return rows.map(toRunRecord);
}

export async function readRun(query: Query, runId: string): Promise<RunRecord | undefined> {
  const { rows } = await query<RunRow>(`${RUN_SELECT} WHERE r.run_id = $1`, [runId]);
  return rows[0] === undefined ? undefined : toRunRecord(rows[0]);
}

export async function readBackfills(
  query: Query,
  options: { limit?: number; status?: BackfillStatus },
): Promise<BackfillRecord[]> {
  const { rows } = await query<BackfillRow>(
    `${BACKFILL_SELECT} WHERE $1::text IS NULL OR b.status = $1
     ORDER BY b.requested_at DESC, b.requested_id DESC LIMIT $2`,
    [options.status ?? null, options.limit ?? 50],
  );
  return rows.map(toBackfillRecord);
}

export async function readBackfill(
  query: Query,
  backfillId: string,
): Promise<BackfillRecord | undefined> {
  const { rows } = await query<BackfillRow>(`${BACKFILL_SELECT} WHERE b.backfill_id = $1`, [
    backfillId,
  ]);
  return rows[0] === undefined ? undefined : toBackfillRecord(rows[0]);
}

/** The keys of the dynamic partitions `name`, in the order they were added. */
export async function readDynamicPartitions(query: Query, name: string): Promise<string[]> {
  const { rows } = await query<{ key: string }>(
    'SELECT key FROM dynamic_partitions WHERE name = $1 ORDER BY added_id, position',
    [name],
  );
  return rows.map((row) => row.key);
}

function toRunRecord(row: RunRow): RunRecord {
  return runRecordOf(row, parseEvent);
}

function toBackfillRecord(row: BackfillRow): BackfillRecord {
  return backfillRecordOf(row, row.run_ids ?? [], parseEvent);
}
