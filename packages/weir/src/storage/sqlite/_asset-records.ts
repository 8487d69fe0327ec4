/**
 * Index rows of asset_state (and their newest check results) as `AssetRecord`s: what
 * `latest()` and `partitionRecords()` return, and the status rows of `statusRows()`, whose
 * records are decoded only when asked for.
 */
import type Database from 'better-sqlite3';
import type { AssetRecord, StatusRow } from '../event-log.js';
import type { StoredEvent } from '../events.js';
import { parse, readSummary } from './_rows.js';

/**
 * asset_key, partition, materialization_id, usable_id, observation_id, failure_id,
 * freshness_id, data_changed_id, summary, usable summary (when not the newest), the newest
 * materialization's code version, data version, input versions, location and end time.
 */
type StateRow = [
  string,
  string,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
];

/** asset_key, partition, materialization_id, passed, event id, body. */
type CheckRow = [string, string, number | null, number | null, number, string];

/** What the rows `where` selects are made of, undecoded. */
interface RawState {
  rows: StateRow[];
  /** Observation, failure and freshness event bodies by id. */
  bodies: Map<number, string>;
  /** Check rows by `asset_key\0partition`. */
  checks: Map<string, CheckRow[]>;
}

/**
 * The asset_state rows `where` selects, with the checks `checkWhere` selects from check_latest
 * (`c`) for the same rows; both take the named parameters `params`. One read transaction, so
 * the parts agree with each other.
 */
function readRaw(
  db: Database.Database,
  where: string,
  checkWhere: string,
  params: Readonly<Record<string, unknown>>,
): RawState {
  return db.transaction((): RawState => {
    // Raw rows of one rowid table; the few observation, failure and freshness events are
    // fetched by id afterwards rather than joined for every asset. The newest materialization's
    // data version is the current one unless another event set that since.
    const rows = db
      .prepare(
        `SELECT asset_key, partition, materialization_id, usable_id, observation_id, failure_id,
              freshness_id, data_changed_id, materialization_summary,
              CASE WHEN usable_id IS materialization_id THEN NULL ELSE usable_summary END,
              code_version,
              CASE WHEN usable_id IS materialization_id AND observation_id IS NULL THEN data_version
                ELSE materialization_summary ->> '$.materialization.dataVersion' END,
              input_versions, location, ended_at
       FROM asset_state WHERE ${where}`,
      )
      .raw(true)
      .all(params) as StateRow[];
    const bodies = new Map<number, string>();
    const checks = new Map<string, CheckRow[]>();
    if (rows.length === 0) return { rows, bodies, checks };
    const wanted: number[] = [];
    for (const row of rows)
      for (const id of [row[4], row[5], row[6]]) if (id !== null) wanted.push(id);
    if (wanted.length > 0) {
      const found = db
        .prepare('SELECT id, body FROM events WHERE id IN (SELECT value FROM json_each(@ids))')
        .raw(true)
        .all({ ids: JSON.stringify(wanted) }) as Array<[number, string]>;
      for (const [id, body] of found) bodies.set(id, body);
    }
    const checkRows = db
      .prepare(
        `SELECT c.asset_key, c.partition, c.materialization_id, c.passed, e.id, e.body
         FROM check_latest c JOIN events e ON e.id = c.event_id WHERE ${checkWhere}`,
      )
      .raw(true)
      .all(params) as CheckRow[];
    for (const check of checkRows) {
      const key = `${check[0]}\0${check[1]}`;
      const list = checks.get(key);
      if (list === undefined) checks.set(key, [check]);
      else list.push(check);
    }
    return { rows, bodies, checks };
  })();
}

/** The record one raw row stands for. */
function toRecord(row: StateRow, raw: RawState): AssetRecord {
  const [assetKey, partition, , usableId, observationId, failureId, freshnessId, dataChangedId] =
    row;
  const [, , , , , , , , latest, usable] = row;
  const record: AssetRecord = { assetKey, partition, checks: {} };
  if (latest !== null) record.materialization = readSummary(latest, assetKey, partition);
  if (usableId !== null)
    record.usable =
      usable === null ? record.materialization : readSummary(usable, assetKey, partition);
  const event = <T extends StoredEvent>(id: number) => {
    const body = raw.bodies.get(id);
    return (body === undefined ? undefined : parse(id, body)) as T;
  };
  if (observationId !== null) record.observation = event(observationId);
  if (failureId !== null) record.failure = event(failureId);
  if (freshnessId !== null) record.freshness = event(freshnessId);
  if (dataChangedId !== null) record.dataChangedId = dataChangedId;
  for (const check of raw.checks.get(`${assetKey}\0${partition}`) ?? []) {
    const parsed = parse(check[4], check[5]) as StoredEvent<'check:evaluated'>;
    record.checks[parsed.check.name] = parsed;
  }
  return record;
}

/** The records of the asset_state rows `where` selects (see `readRaw`). */
export function assetRecords(
  db: Database.Database,
  where: string,
  checkWhere: string,
  params: Readonly<Record<string, unknown>>,
): AssetRecord[] {
  const raw = readRaw(db, where, checkWhere, params);
  return raw.rows.map((row) => toRecord(row, raw));
}

/** The status rows of the asset_state rows `where` selects; records decoded when first asked for. */
export function statusRows(
  db: Database.Database,
  where: string,
  checkWhere: string,
  params: Readonly<Record<string, unknown>>,
): StatusRow[] {
  const raw = readRaw(db, where, checkWhere, params);
  return raw.rows.map((row) => {
    const materializationId = row[2] ?? 0;
    let failingCheck = false;
    for (const check of raw.checks.get(`${row[0]}\0${row[1]}`) ?? [])
      if (check[2] === materializationId && check[3] === 0) failingCheck = true;
    let record: AssetRecord | undefined;
    return {
      assetKey: row[0],
      materializationId,
      usableId: row[3] ?? 0,
      observationId: row[4] ?? 0,
      failureId: row[5] ?? 0,
      dataVersion: row[11] ?? undefined,
      codeVersion: row[10] ?? undefined,
      inputVersions: row[12] ?? undefined,
      location: row[13] ?? undefined,
      endedAt: row[14] ?? 0,
      failingCheck: materializationId !== 0 && failingCheck,
      record: () => {
        record ??= toRecord(row, raw);
        return record;
      },
    };
  });
}
