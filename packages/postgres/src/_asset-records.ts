/**
 * @module postgres/_asset-records
 * Reading `AssetRecord`s: the asset_state rows with the events their ids point to (the
 * newest materialization's summary unless the row keeps it, the usable one, observation,
 * failure, freshness) and the newest result of each check.
 */
import type { AssetRecord, MaterializationSummary, StoredEvent } from 'weir';
import type { Query } from './_query.js';
import { parseEvent, readSummary, summarize } from './_records.js';

type RecordRow = {
  asset_key: string;
  partition: string;
  materialization_id: number | null;
  materialization_summary: string | null;
  m_body: string | null;
  usable_id: number | null;
  usable_summary: string | null;
  u_body: string | null;
  observation_id: number | null;
  o_body: string | null;
  failure_id: number | null;
  f_body: string | null;
  freshness_id: number | null;
  fr_body: string | null;
  data_changed_id: number | null;
  checks: Array<[number, string]> | null;
};

const RECORD_SELECT = `
  SELECT s.asset_key, s.partition, s.materialization_id, s.materialization_summary, m.body AS m_body,
    s.usable_id, CASE WHEN s.usable_id IS NOT DISTINCT FROM s.materialization_id THEN NULL
      ELSE s.usable_summary END AS usable_summary, u.body AS u_body,
    s.observation_id, o.body AS o_body, s.failure_id, f.body AS f_body,
    s.freshness_id, fr.body AS fr_body, s.data_changed_id,
    (SELECT json_agg(json_build_array(e.id, e.body)) FROM check_latest c
       JOIN events e ON e.id = c.event_id
     WHERE c.asset_key = s.asset_key AND c.partition = s.partition) AS checks
  FROM asset_state s
  LEFT JOIN events m ON s.materialization_summary IS NULL AND m.id = s.materialization_id
  LEFT JOIN events u ON s.usable_id IS DISTINCT FROM s.materialization_id
    AND s.usable_summary IS NULL AND u.id = s.usable_id
  LEFT JOIN events o ON o.id = s.observation_id
  LEFT JOIN events f ON f.id = s.failure_id
  LEFT JOIN events fr ON fr.id = s.freshness_id`;

/** The records of unpartitioned assets: every one, or those of `assetKeys`. */
export function latestRecords(query: Query, assetKeys?: readonly string[]): Promise<AssetRecord[]> {
  return assetKeys === undefined
    ? readRecords(query, "s.partition = ''", [])
    : readRecords(query, "s.partition = '' AND s.asset_key = ANY($1::text[])", [assetKeys]);
}

/** The records of `partitions` of `assetKey`. */
export async function partitionRecords(
  query: Query,
  assetKey: string,
  partitions: readonly string[],
): Promise<AssetRecord[]> {
  if (partitions.length === 0) return [];
  return readRecords(query, 's.asset_key = $1 AND s.partition = ANY($2::text[])', [
    assetKey,
    partitions,
  ]);
}

/** Reads the index records of the asset_state rows (`s`) that `where` selects. */
async function readRecords(query: Query, where: string, params: unknown[]): Promise<AssetRecord[]> {
  const { rows } = await query<RecordRow>(`${RECORD_SELECT} WHERE ${where}`, params);
  return rows.map(toAssetRecord);
}

function toAssetRecord(row: RecordRow): AssetRecord {
  const { asset_key: assetKey, partition } = row;
  const summaryOf = (id: number, kept: string | null, body: string | null) =>
    readSummary(
      kept ?? summarize(parseEvent(id, body!) as StoredEvent<'asset:materialized'>),
      id,
      assetKey,
      partition,
    );
  const record: AssetRecord = { assetKey, partition, checks: {} };
  let newest: MaterializationSummary | undefined;
  if (row.materialization_id !== null) {
    newest = summaryOf(row.materialization_id, row.materialization_summary, row.m_body);
    record.materialization = newest;
  }
  if (row.usable_id !== null) {
    record.usable =
      row.usable_id === row.materialization_id
        ? newest
        : summaryOf(row.usable_id, row.usable_summary, row.u_body);
  }
  if (row.observation_id !== null)
    record.observation = parseEvent(
      row.observation_id,
      row.o_body!,
    ) as StoredEvent<'asset:observed'>;
  if (row.failure_id !== null)
    record.failure = parseEvent(row.failure_id, row.f_body!) as StoredEvent<'step:failed'>;
  if (row.freshness_id !== null)
    record.freshness = parseEvent(
      row.freshness_id,
      row.fr_body!,
    ) as StoredEvent<'freshness:evaluated'>;
  if (row.data_changed_id !== null) record.dataChangedId = row.data_changed_id;
  for (const [id, body] of row.checks ?? []) {
    const check = parseEvent(id, body) as StoredEvent<'check:evaluated'>;
    record.checks[check.check.name] = check;
  }
  return record;
}
