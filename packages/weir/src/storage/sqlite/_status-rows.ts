/**
 * @module storage/sqlite/_status-rows
 * `statusRows()` of the SQLite log: a few columns of asset_state and, from check_latest, which
 * rows' newest materialization has a failing check; no summary or event body is read.
 */
import type Database from 'better-sqlite3';
import type { StatusRow } from '../event-log.js';

/**
 * asset_key, materialization_id, usable_id, observation_id, failure_id, the newest
 * materialization's data version, code version, input versions, location and end time.
 */
type Row = [
  string,
  number | null,
  number | null,
  number | null,
  number | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
];

/**
 * The status rows of the unpartitioned asset_state rows `where` selects, and of check_latest
 * rows (`c`) `checkWhere` selects; both take the named parameters `params`. The newest
 * materialization's data version is the current one (a column) unless an observation set it
 * since or the newest is blocked (then read from its summary: rare).
 */
export function readStatusRows(
  db: Database.Database,
  where: string,
  checkWhere: string,
  params: Readonly<Record<string, unknown>>,
): StatusRow[] {
  return db.transaction((): StatusRow[] => {
    const rows = db
      .prepare(
        `SELECT asset_key, materialization_id, usable_id, observation_id, failure_id,
           CASE WHEN usable_id IS materialization_id AND observation_id IS NULL THEN data_version
             ELSE materialization_summary ->> '$.materialization.dataVersion' END,
           code_version, input_versions, location, ended_at
         FROM asset_state WHERE ${where}`,
      )
      .raw(true)
      .all(params) as Row[];
    const failing = new Set(
      db
        .prepare(
          `SELECT c.asset_key FROM check_latest c JOIN asset_state s
             ON s.asset_key = c.asset_key AND s.partition = c.partition
           WHERE ${checkWhere} AND c.passed = 0 AND c.materialization_id = s.materialization_id`,
        )
        .pluck(true)
        .all(params) as string[],
    );
    return rows.map((row) => ({
      assetKey: row[0],
      materializationId: row[1] ?? 0,
      usableId: row[2] ?? 0,
      observationId: row[3] ?? 0,
      failureId: row[4] ?? 0,
      dataVersion: row[5] ?? undefined,
      codeVersion: row[6] ?? undefined,
      inputVersions: row[7] ?? undefined,
      location: row[8] ?? undefined,
      endedAt: row[9] ?? 0,
      failingCheck: failing.has(row[0]),
    }));
  })();
}
