/**
 * Reading one asset's partition rows as typed-array columns (`EventLog.partitionStates`).
 */
import type Database from 'better-sqlite3';
import type { PartitionStates } from '../event-log.js';
import { internCodeVersions, readIdColumn } from '../index-rows.js';

/**
 * The partition rows of one asset as columns: their count, partition keys, the materialization,
 * usable, data changed, inputs-as-of and failure ids (comma-separated, 0 for null), the newest
 * updated_id, and code versions. Keys and code versions are joined by SEPARATOR or are JSON
 * arrays (see partitionStates).
 */
type PartitionColumns = [
  number,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
  string | null,
];

/** Joins partition keys and code versions in partitionStates (if one holds it, JSON is used). */
const SEPARATOR = '\u0001';

export class PartitionStateReader {
  private readonly queries = new Map<string, Database.Statement>();
  private readonly lastUpdate: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.lastUpdate = db
      .prepare(
        `SELECT updated_id FROM asset_state WHERE asset_key = @assetKey AND partition <> ''
         ORDER BY updated_id DESC LIMIT 1`,
      )
      .pluck(true);
  }

  /**
   * One query over the covering index asset_state_by_update, aggregated into one row of
   * columns: better-sqlite3 spends about a microsecond making each row, which for 100,000
   * partitions cost more than the query, while a few long strings cost little to split.
   */
  read(assetKey: string, after: number | undefined): PartitionStates {
    const params = { assetKey, after };
    let [n, keys, materialized, usable, changed, asOf, failed, updatedId, codes] = this.query(
      after !== undefined,
      false,
    ).get(params) as PartitionColumns;
    let partitions = n === 0 ? [] : keys!.split(SEPARATOR);
    let versions = n === 0 ? [] : codes!.split(SEPARATOR);
    if (partitions.length !== n || versions.length !== n) {
      // A key or code version holds the separator: read those two columns as JSON instead.
      [n, keys, materialized, usable, changed, asOf, failed, updatedId, codes] = this.query(
        after !== undefined,
        true,
      ).get(params) as PartitionColumns;
      partitions = n === 0 ? [] : (JSON.parse(keys!) as string[]);
      versions = n === 0 ? [] : (JSON.parse(codes!) as string[]);
    }
    const { codeVersion, codeVersions } = internCodeVersions(versions, n);
    let throughId = updatedId ?? 0;
    if (n === 0 && after !== undefined) {
      throughId = (this.lastUpdate.get({ assetKey }) as number | null | undefined) ?? 0;
    }
    return {
      partitions,
      materializationId: readIdColumn(materialized, n),
      usableId: readIdColumn(usable, n),
      dataChangedId: readIdColumn(changed, n),
      inputsAsOf: readIdColumn(asOf, n),
      failureId: readIdColumn(failed, n),
      codeVersion,
      codeVersions,
      throughId,
    };
  }

  private query(changedOnly: boolean, json: boolean): Database.Statement {
    const name = `${changedOnly}/${json}`;
    let statement = this.queries.get(name);
    if (statement === undefined) {
      const strings = (column: string) =>
        json ? `json_group_array(${column})` : `group_concat(${column}, '${SEPARATOR}')`;
      statement = this.db
        .prepare(
          `SELECT count(*), ${strings('partition')},
             group_concat(ifnull(materialization_id, 0)), group_concat(ifnull(usable_id, 0)),
             group_concat(ifnull(data_changed_id, 0)), group_concat(ifnull(inputs_as_of, 0)),
             group_concat(ifnull(failure_id, 0)), max(updated_id),
             ${strings("ifnull(code_version, '')")}
           FROM asset_state
           WHERE asset_key = @assetKey${changedOnly ? ' AND updated_id > @after' : ''}
             AND partition <> ''`,
        )
        .raw(true);
      this.queries.set(name, statement);
    }
    return statement;
  }
}
