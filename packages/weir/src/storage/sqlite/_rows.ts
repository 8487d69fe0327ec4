/**
 * Rows of the SQLite event log's tables and what they become: events parsed with their id,
 * run and backfill records, and the materialization summaries the index keeps.
 */
import type Database from 'better-sqlite3';
import type { BackfillRecord, MaterializationSummary, RunRecord } from '../event-log.js';
import type { BackfillStatus, RunStatus, StoredEvent } from '../events.js';

export type Row = { id: number; body: string };
export type BackfillRow = {
  backfill_id: string;
  status: BackfillStatus;
  requested_at: number;
  finished_at: number | null;
  r_id: number;
  r_body: string;
  f_id: number | null;
  f_body: string | null;
};
export type RunRow = {
  run_id: string;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  s_id: number;
  s_body: string;
  f_id: number | null;
  f_body: string | null;
};

export const RUN_SELECT = `
  SELECT r.run_id, r.status, r.started_at, r.finished_at, s.id AS s_id, s.body AS s_body, f.id AS f_id, f.body AS f_body
  FROM runs r JOIN events s ON s.id = r.started_id LEFT JOIN events f ON f.id = r.finished_id`;

export const BACKFILL_SELECT = `
  SELECT b.backfill_id, b.status, b.requested_at, b.finished_at, r.id AS r_id, r.body AS r_body, f.id AS f_id, f.body AS f_body
  FROM backfills b JOIN events r ON r.id = b.requested_id LEFT JOIN events f ON f.id = b.finished_id`;

export function toRunRecord(row: RunRow): RunRecord {
  const record: RunRecord = {
    runId: row.run_id,
    status: row.status,
    startedAt: row.started_at,
    started: parse(row.s_id, row.s_body) as StoredEvent<'run:started'>,
  };
  if (row.finished_at !== null) record.finishedAt = row.finished_at;
  if (row.f_body !== null)
    record.finished = parse(row.f_id!, row.f_body) as StoredEvent<'run:finished'>;
  return record;
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
  return rows.map((row) => {
    const record: BackfillRecord = {
      backfillId: row.backfill_id,
      status: row.status,
      requestedAt: row.requested_at,
      requested: parse(row.r_id, row.r_body) as StoredEvent<'backfill:requested'>,
      runIds: runIds.get(row.backfill_id)!,
    };
    if (row.finished_at !== null) record.finishedAt = row.finished_at;
    if (row.f_body !== null)
      record.finished = parse(row.f_id!, row.f_body) as StoredEvent<'backfill:finished'>;
    return record;
  });
}

/**
 * What the index keeps of a materialization event, as JSON: only what deciding state and
 * reading the artefact need (see MaterializationSummary); the key, partition and type are
 * columns of the row and are added back on read.
 */
export function summarize(event: StoredEvent<'asset:materialized'>): string {
  const { dataVersion, codeVersion, inputs, blockedBy, startedAt, endedAt, artefact } =
    event.materialization;
  const versions: Record<
    string,
    { dataVersion: string; eventId: number; partitionCount?: number }
  > = {};
  for (const key in inputs) {
    const { dataVersion, eventId, partitionCount } = inputs[key]!;
    versions[key] =
      partitionCount === undefined
        ? { dataVersion, eventId }
        : { dataVersion, eventId, partitionCount };
  }
  return JSON.stringify({
    id: event.id,
    runId: event.runId,
    timestamp: event.timestamp,
    materialization: {
      dataVersion,
      codeVersion,
      inputs: versions,
      ...(blockedBy === undefined ? {} : { blockedBy }),
      startedAt,
      endedAt,
      artefact: { format: artefact.format, location: artefact.location, type: artefact.type },
    },
  });
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
  let summary: MaterializationSummary;
  try {
    summary = JSON.parse(json) as MaterializationSummary;
  } catch {
    throw new DamagedRow(
      `the index's summary of ${partition === '' ? assetKey : `${assetKey}[${partition}]`} is not valid JSON`,
    );
  }
  summary.type = 'asset:materialized';
  summary.assetKey = assetKey;
  summary.partition = partition;
  return summary;
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
