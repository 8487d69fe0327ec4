/**
 * Index rows of asset_state (and their newest check results) as `AssetRecord`s: what
 * `latest()` and `partitionRecords()` return.
 */
import type Database from 'better-sqlite3';
import type { AssetRecord } from '../event-log.js';
import type { StoredEvent } from '../events.js';
import { parse, type Row, readSummary } from './_rows.js';

/**
 * asset_key, partition, summary, usable_id, usable summary (when not the newest), observation,
 * failure and freshness ids, data_changed_id.
 */
type StateRow = [
  string,
  string,
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
  // Raw rows of one rowid table; the few observation, failure and freshness events are
  // fetched by id afterwards rather than joined for every asset.
  const rows = db
    .prepare(
      `SELECT asset_key, partition, materialization_summary, usable_id,
              CASE WHEN usable_id IS materialization_id THEN NULL ELSE usable_summary END,
              observation_id, failure_id, freshness_id, data_changed_id
       FROM asset_state WHERE ${where}`,
    )
    .raw(true)
    .all(params) as StateRow[];
  if (rows.length === 0) return [];
  const wanted: number[] = [];
  for (const row of rows)
    for (const id of [row[5], row[6], row[7]]) if (id !== null) wanted.push(id);
  const bodies = new Map<number, StoredEvent>();
  if (wanted.length > 0) {
    const found = db
      .prepare('SELECT id, body FROM events WHERE id IN (SELECT value FROM json_each(@ids))')
      .all({ ids: JSON.stringify(wanted) }) as Row[];
    for (const row of found) bodies.set(row.id, parse(row.id, row.body));
  }
  const records = new Map<string, AssetRecord>();
  for (const [
    assetKey,
    partition,
    latest,
    usableId,
    usable,
    observationId,
    failureId,
    freshnessId,
    dataChangedId,
  ] of rows) {
    const record: AssetRecord = { assetKey, partition, checks: {} };
    if (latest !== null) record.materialization = readSummary(latest, assetKey, partition);
    if (usableId !== null)
      record.usable =
        usable === null ? record.materialization : readSummary(usable, assetKey, partition);
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
