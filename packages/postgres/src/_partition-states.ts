/**
 * @module postgres/_partition-states
 * `partitionStates()` of the PostgreSQL log: every partition's ids and code version of one
 * asset, read as one row of aggregated columns and returned as typed arrays.
 */
import { internCodeVersions, type PartitionStates, readIdColumn } from 'weir';
import type { Query } from './_query.js';

export async function readPartitionStates(
  query: Query,
  assetKey: string,
  options: { updatedAfter?: number },
): Promise<PartitionStates> {
  const after = options.updatedAfter;
  const { rows } = await query<{
    n: number;
    keys: string[] | null;
    materialized: string | null;
    usable: string | null;
    changed: string | null;
    as_of: string | null;
    failed: string | null;
    codes: string[] | null;
    through: number;
  }>(
    // One row of columns: making 100,000 row objects costs more than the query.
    `SELECT count(*)::integer AS n, json_agg(partition) AS keys,
       string_agg(coalesce(materialization_id, 0)::text, ',') AS materialized,
       string_agg(coalesce(usable_id, 0)::text, ',') AS usable,
       string_agg(coalesce(data_changed_id, 0)::text, ',') AS changed,
       string_agg(coalesce(inputs_as_of, 0)::text, ',') AS as_of,
       string_agg(coalesce(failure_id, 0)::text, ',') AS failed,
       json_agg(coalesce(code_version, '')) AS codes,
       (SELECT coalesce(max(updated_id), 0) FROM asset_state
        WHERE asset_key = $1 AND partition <> '')::bigint AS through
     FROM asset_state
     WHERE asset_key = $1 AND partition <> ''${after === undefined ? '' : ' AND updated_id > $2'}`,
    after === undefined ? [assetKey] : [assetKey, after],
  );
  const row = rows[0]!;
  const n = row.n;
  const versions = row.codes ?? [];
  const { codeVersion, codeVersions } = internCodeVersions(versions, n);
  return {
    partitions: row.keys ?? [],
    materializationId: readIdColumn(row.materialized, n),
    usableId: readIdColumn(row.usable, n),
    dataChangedId: readIdColumn(row.changed, n),
    inputsAsOf: readIdColumn(row.as_of, n),
    failureId: readIdColumn(row.failed, n),
    codeVersion,
    codeVersions,
    throughId: row.through,
  };
}
