/**
 * @module storage/index-rows
 * What the event log's index tables hold, mapped to and from the records of the `EventLog`
 * interface, for every backend: the SQLite log here and the PostgreSQL log in @weir/postgres
 * select the same columns (`runs`, `backfills`, `leases`, `asset_state`) and read them the
 * same way, so the mapping is written once. How a row is fetched, and how its event bodies are
 * parsed (a damaged body is each backend's own error), stays with the backend.
 */
import type { BackfillRecord, Lease, MaterializationSummary, RunRecord } from './event-log.js';
import type { BackfillStatus, RunStatus, StoredEvent } from './events.js';

/** Parses a stored event body, giving it its id. */
export type ParseEvent = (id: number, body: string) => StoredEvent;

/** A `runs` row joined with its `run:started` (s_) and `run:finished` (f_) events. */
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

/** A `backfills` row joined with its `backfill:requested` (r_) and `backfill:finished` (f_) events. */
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

/** A `leases` row with its holder (from its run). */
export type LeaseRow = {
  asset_key: string;
  partition: string;
  run_id: string;
  started_id: number;
  heartbeat_at: number;
  host: string | null;
  pid: number | null;
  pid_start: number | null;
  thread_id: number | null;
  pool: string | null;
  slots: number | null;
};

export function runRecordOf(row: RunRow, parse: ParseEvent): RunRecord {
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

/** A backfill's record; `runIds` are its runs, newest first. */
export function backfillRecordOf(
  row: BackfillRow,
  runIds: string[],
  parse: ParseEvent,
): BackfillRecord {
  const record: BackfillRecord = {
    backfillId: row.backfill_id,
    status: row.status,
    requestedAt: row.requested_at,
    requested: parse(row.r_id, row.r_body) as StoredEvent<'backfill:requested'>,
    runIds,
  };
  if (row.finished_at !== null) record.finishedAt = row.finished_at;
  if (row.f_body !== null)
    record.finished = parse(row.f_id!, row.f_body) as StoredEvent<'backfill:finished'>;
  return record;
}

export function leaseOf(row: LeaseRow): Lease {
  return {
    assetKey: row.asset_key,
    partition: row.partition,
    runId: row.run_id,
    host: row.host ?? '',
    pid: row.pid ?? 0,
    ...(row.pid_start === null ? {} : { pidStart: row.pid_start }),
    ...(row.thread_id === null ? {} : { threadId: row.thread_id }),
    startedId: row.started_id,
    heartbeatAt: row.heartbeat_at,
    ...(row.pool === null ? {} : { pool: { name: row.pool, slots: row.slots ?? 0 } }),
  };
}

/** What an index row keeps of a materialization; the row's columns give the rest. */
export type KeptSummary = Pick<MaterializationSummary, 'runId' | 'timestamp' | 'materialization'>;

/**
 * What the index keeps of a materialization event: only what deciding state and reading the
 * artefact need (see `MaterializationSummary`). A backend stores it as JSON in the asset's row
 * (with or without the event id, as its schema has it) and reads it back with `summaryFromRow`.
 */
export function keptSummaryOf(
  event: Pick<StoredEvent<'asset:materialized'>, 'runId' | 'timestamp' | 'materialization'>,
): KeptSummary {
  const { dataVersion, codeVersion, inputs, blockedBy, startedAt, endedAt, artefact } =
    event.materialization;
  const versions: KeptSummary['materialization']['inputs'] = {};
  for (const key in inputs) {
    const { dataVersion, eventId, partitionCount } = inputs[key]!;
    versions[key] =
      partitionCount === undefined
        ? { dataVersion, eventId }
        : { dataVersion, eventId, partitionCount };
  }
  return {
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
  };
}

/** A summary parsed from an index row, completed with what the row's columns hold. */
export function summaryFromRow(
  kept: KeptSummary & { id?: number },
  assetKey: string,
  partition: string,
): MaterializationSummary {
  const summary = kept as MaterializationSummary;
  summary.type = 'asset:materialized';
  summary.assetKey = assetKey;
  summary.partition = partition;
  return summary;
}

/**
 * `n` non-negative integers aggregated into one text column (SQLite's group_concat,
 * PostgreSQL's string_agg): decimal, comma-separated. Reading one long string costs less than
 * making a row object per partition.
 */
export function readIdColumn(text: string | null, n: number): Float64Array {
  const ids = new Float64Array(n);
  if (text === null) return ids;
  let value = 0;
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      ids[k++] = value;
      value = 0;
    } else value = value * 10 + c - 48;
  }
  ids[k] = value;
  return ids;
}

/**
 * The code versions of `n` partitions, interned: partitions of one asset share a few, so each
 * gets the index of its version in `codeVersions` (the last one is remembered: neighbours
 * usually share it).
 */
export function internCodeVersions(
  versions: readonly string[],
  n: number,
): { codeVersion: Uint32Array; codeVersions: string[] } {
  const codeVersion = new Uint32Array(n);
  const codeVersions: string[] = [];
  const interned = new Map<string, number>();
  let lastCode: string | undefined;
  let lastIndex = 0;
  for (let i = 0; i < n; i++) {
    const code = versions[i]!;
    if (code !== lastCode) {
      let index = interned.get(code);
      if (index === undefined) {
        index = codeVersions.push(code) - 1;
        interned.set(code, index);
      }
      lastCode = code;
      lastIndex = index;
    }
    codeVersion[i] = lastIndex;
  }
  return { codeVersion, codeVersions };
}
