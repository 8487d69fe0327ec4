/**
 * Index rows of asset_state (and their newest check results) as `AssetRecord`s: what
 * `latest()` and `partitionRecords()` return. A row keeps the summary of its newest
 * materialization only for an unpartitioned asset (status of thousands of assets reads them
 * together); a partition's summaries are made from the events when its record is read.
 */
import type Database from 'better-sqlite3';
import type { AssetRecord, MaterializationSummary } from '../event-log.js';
import type { StoredEvent } from '../events.js';
import { parse, type Row, readSummary, summarize } from './_rows.js';

/**
 * asset_key, partition, materialization_id, its summary, usable_id, the usable summary (when
 * not the newest), observation, failure and freshness ids, data_changed_id.
 */
type StateRow = [
  string,
  string,
  number | null,
  string | null,
  number | null,
  string | null,
  number | null,
  number | null,
  number | null,
  number | null,
];

/**
 * The records of the asset_state rows `where` selects, with the checks `checkWhere` selects
 * from check_latest (`c`) for the same rows; both take the named parameters `params`.
 */
export function assetRecords(
  db: Database.Database,
  where: string,
  checkWhere: string,
  params: Readonly<Record<string, unknown>>,
): AssetRecord[] {
  // Raw rows of one rowid table; the few observation, failure and freshness events (and the
  // materializations of partitions) are fetched by id afterwards rather than joined.
  const rows = db
    .prepare(
      `SELECT asset_key, partition, materialization_id, materialization_summary, usable_id,
              CASE WHEN usable_id IS materialization_id THEN NULL ELSE usable_summary END,
              observation_id, failure_id, freshness_id, data_changed_id
       FROM asset_state WHERE ${where}`,
    )
    .raw(true)
    .all(params) as StateRow[];
  if (rows.length === 0) return [];
  const bodies = eventsOf(db, rows);
  const summaryOf = (id: number, kept: string | null, assetKey: string, partition: string) => {
    if (kept !== null) return readSummary(kept, assetKey, partition);
    // The same JSON the row would have kept, so the record is the same either way.
    const event = bodies.get(id) as StoredEvent<'asset:materialized'>;
    return readSummary(summarize(event), assetKey, partition);
  };
  const records = new Map<string, AssetRecord>();
  for (const row of rows) {
    const [assetKey, partition, latestId, latest, usableId, usable] = row;
    const [, , , , , , observationId, failureId, freshnessId, dataChangedId] = row;
    const record: AssetRecord = { assetKey, partition, checks: {} };
    let newest: MaterializationSummary | undefined;
    if (latestId !== null) {
      newest = summaryOf(latestId, latest, assetKey, partition);
      record.materialization = newest;
    }
    if (usableId !== null) {
      record.usable =
        usableId === latestId ? newest : summaryOf(usableId, usable, assetKey, partition);
    }
    if (observationId !== null)
      record.observation = bodies.get(observationId) as StoredEvent<'asset:observed'>;
    if (failureId !== null) record.failure = bodies.get(failureId) as StoredEvent<'step:failed'>;
    if (freshnessId !== null)
      record.freshness = bodies.get(freshnessId) as StoredEvent<'freshness:evaluated'>;
    if (dataChangedId !== null) record.dataChangedId = dataChangedId;
    records.set(`${assetKey}\0${partition}`, record);
  }
  const checkRows = db
    .prepare(
      `SELECT c.asset_key, c.partition, e.id, e.body FROM check_latest c JOIN events e ON e.id = c.event_id
       WHERE ${checkWhere}`,
    )
    .all(params) as Array<{ asset_key: string; partition: string; id: number; body: string }>;
  for (const row of checkRows) {
    const record = records.get(`${row.asset_key}\0${row.partition}`);
    const event = parse(row.id, row.body) as StoredEvent<'check:evaluated'>;
    if (record !== undefined) record.checks[event.check.name] = event;
  }
  return [...records.values()];
}

/** The events the rows name by id and keep no summary of, parsed. */
function eventsOf(db: Database.Database, rows: readonly StateRow[]): Map<number, StoredEvent> {
  const wanted: number[] = [];
  for (const [, , latestId, latest, usableId, usable, ...others] of rows) {
    if (latestId !== null && latest === null) wanted.push(latestId);
    if (usableId !== null && usableId !== latestId && usable === null) wanted.push(usableId);
    for (const id of others.slice(0, 3)) if (id !== null) wanted.push(id);
  }
  const bodies = new Map<number, StoredEvent>();
  if (wanted.length === 0) return bodies;
  const found = db
    .prepare('SELECT id, body FROM events WHERE id IN (SELECT value FROM json_each(@ids))')
    .all({ ids: JSON.stringify(wanted) }) as Row[];
  for (const row of found) bodies.set(row.id, parse(row.id, row.body));
  return bodies;
}
