/**
 * @module postgres/_status-rows
 * `statusRows()` of the PostgreSQL log: a few columns of the unpartitioned asset_state rows
 * and, from check_latest, whether the newest materialization has a failing check; no summary
 * or event body is read.
 */
import type { StatusRow } from 'weir';
import type { Query } from './_query.js';

export async function readStatusRows(
  query: Query,
  assetKeys?: readonly string[],
): Promise<StatusRow[]> {
  const { rows } = await query<{
    asset_key: string;
    materialization_id: number | null;
    usable_id: number | null;
    observation_id: number | null;
    failure_id: number | null;
    data_version: string | null;
    code_version: string | null;
    input_versions: string | null;
    location: string | null;
    ended_at: number | null;
    failing: boolean;
  }>(
    `SELECT s.asset_key, s.materialization_id, s.usable_id, s.observation_id, s.failure_id,
       s.materialization_data_version AS data_version, s.code_version, s.input_versions,
       s.location, s.ended_at,
       EXISTS (SELECT 1 FROM check_latest c WHERE c.asset_key = s.asset_key
         AND c.partition = '' AND NOT c.passed AND c.materialization_id = s.materialization_id)
         AS failing
     FROM asset_state s
     WHERE s.partition = ''${assetKeys === undefined ? '' : ' AND s.asset_key = ANY($1::text[])'}`,
    assetKeys === undefined ? [] : [assetKeys],
  );
  return rows.map((row) => ({
    assetKey: row.asset_key,
    materializationId: row.materialization_id ?? 0,
    usableId: row.usable_id ?? 0,
    observationId: row.observation_id ?? 0,
    failureId: row.failure_id ?? 0,
    dataVersion: row.data_version ?? undefined,
    codeVersion: row.code_version ?? undefined,
    inputVersions:
      row.input_versions === null ? undefined : (JSON.parse(row.input_versions) as string),
    location: row.location ?? undefined,
    endedAt: row.ended_at ?? 0,
    failingCheck: row.failing,
  }));
}
