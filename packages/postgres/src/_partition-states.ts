/**
 * @module postgres/_partition-states
 * `partitionStates()` of the PostgreSQL log: every partition's ids and code version of one
 * asset, read as one row of aggregated columns and returned as typed arrays.
 */
import type { PartitionStates } from 'weir';
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
  const codeVersion = new Uint32Array(n);
  const codeVersions: string[] = [];
  const interned = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const code = versions[i]!;
    let index = interned.get(code);
    if (index === undefined) {
      index = codeVersions.push(code) - 1;
      interned.set(code, index);
    }
    codeVersion[i] = index;
  }
  return {
    partitions: row.keys ?? [],
    materializationId: readIds(row.materialized, n),
    usableId: readIds(row.usable, n),
    dataChangedId: readIds(row.changed, n),
    inputsAsOf: readIds(row.as_of, n),
    failureId: readIds(row.failed, n),
    codeVersion,
    codeVersions,
    throughId: row.through,
  };
}

/** `n` non-negative integers written by string_agg: decimal, comma-separated. */
function readIds(text: string | null, n: number): Float64Array {
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
