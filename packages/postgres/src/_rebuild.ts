/**
 * @module postgres/_rebuild
 * Rebuilding the PostgreSQL log's indexes from its events: every index table emptied and the
 * events replayed through weir_reindex, in pages, in one transaction under the write lock.
 */
import type pg from 'pg';
import { parseEvent, recordOf } from './_records.js';

/** The advisory lock every write takes (classid WEIR, objid the schema's hash). */
const WRITE_LOCK = 1464158546;

/** Rebuilds the indexes on `client`; rolls back (and rethrows) if anything fails. */
export async function rebuildIndexes(client: pg.PoolClient): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [
      WRITE_LOCK,
    ]);
    await client.query(
      `DELETE FROM asset_state; DELETE FROM check_latest; DELETE FROM runs;
       DELETE FROM dynamic_partitions; DELETE FROM backfills; DELETE FROM leases;
       DELETE FROM automation_state`,
    );
    for (let afterId = 0; ; ) {
      const { rows } = await client.query<{ id: number; body: string }>(
        'SELECT id, body FROM events WHERE id > $1 ORDER BY id LIMIT 5000',
        [afterId],
      );
      if (rows.length === 0) break;
      const replay = rows.map((row) => {
        const record = recordOf(parseEvent(row.id, row.body), undefined);
        record.id = row.id;
        return record;
      });
      await client.query('SELECT weir_reindex($1::jsonb)', [JSON.stringify(replay)]);
      afterId = rows[rows.length - 1]!.id;
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
