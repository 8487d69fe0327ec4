/**
 * Rows of the SQLite event log's tables and what they become: events parsed with their id,
 * run and backfill records, and the materialization summaries the index keeps.
 */
import type Database from 'better-sqlite3';
import type { BackfillRecord, MaterializationSummary, RunRecord } from '../event-log.js';
import type { StoredEvent } from '../events.js';
import {
  type BackfillRow,
  backfillRecordOf,
  type KeptSummary,
  keptSummaryOf,
  type RunRow,
  runRecordOf,
  summaryFromRow,
} from '../index-rows.js';

export type Row = { id: number; body: string };
export type { BackfillRow, RunRow };

export const RUN_SELECT = `
  SELECT r.run_id, r.status, r.started_at, r.finished_at, s.id AS s_id, s.body AS s_body, f.id AS f_id, f.body AS f_body
  FROM runs r JOIN events s ON s.id = r.started_id LEFT JOIN events f ON f.id = r.finished_id`;

export const BACKFILL_SELECT = `
  SELECT b.backfill_id, b.status, b.requested_at, b.finished_at, r.id AS r_id, r.body AS r_body, f.id AS f_id, f.body AS f_body
  FROM backfills b JOIN events r ON r.id = b.requested_id LEFT JOIN events f ON f.id = b.finished_id`;

export function toRunRecord(row: RunRow): RunRecord {
  return runRecordOf(row, parse);
}

export function backfillRecords(
  db: Database.Database,
  rows: readonly BackfillRow[],
): BackfillRecord[] {
  if (rows.length === 0) return [];
  const runIds = new Map<string, string[]>(rows.map((row) => [row.backfill_id, []]));
  const runs = db
    .prepare(
      `SELECT backfill_id, run_id FROM runs
       WHERE backfill_id IN (SELECT value FROM json_each(@backfillIds))
       ORDER BY started_at DESC, started_id DESC`,
    )
    .raw(true)
    .all({ backfillIds: JSON.stringify([...runIds.keys()]) }) as Array<[string, string]>;
  for (const [backfillId, runId] of runs) runIds.get(backfillId)!.push(runId);
  return rows.map((row) => backfillRecordOf(row, runIds.get(row.backfill_id)!, parse));
}

/**
 * What the index keeps of a materialization event, as JSON: only what deciding state and
 * reading the artefact need (see MaterializationSummary); the key, partition and type are
 * columns of the row and are added back on read.
 */
export function summarize(event: StoredEvent<'asset:materialized'>): string {
  return JSON.stringify({ id: event.id, ...keptSummaryOf(event) });
}

/**
 * A row whose stored JSON no longer parses: damage inside a value, which SQLite's own checks
 * do not see (restated with the log's path by `sqliteFault`).
 */
export class DamagedRow extends Error {
  override readonly name = 'DamagedRow';
}

export function readSummary(
  json: string,
  assetKey: string,
  partition: string,
): MaterializationSummary {
  let kept: KeptSummary & { id: number };
  try {
    kept = JSON.parse(json) as KeptSummary & { id: number };
  } catch {
    throw new DamagedRow(
      `the index's summary of ${partition === '' ? assetKey : `${assetKey}[${partition}]`} is not valid JSON`,
    );
  }
  return summaryFromRow(kept, assetKey, partition);
}

export function parse(id: number, body: string): StoredEvent {
  // Assigning instead of spreading saves a copy per event: status parses thousands.
  let event: StoredEvent;
  try {
    event = JSON.parse(body) as StoredEvent;
  } catch {
    throw new DamagedRow(`event ${id} is damaged: its body is not valid JSON`);
  }
  event.id = id;
  return event;
}
