/**
 * @module storage/sqlite/_asset-state
 * The asset index of the SQLite event log: `asset_state` (one row per asset partition: its
 * newest and usable materialization, observation, failure, freshness, data version and the
 * status columns) and `check_latest` (the indexed result of each check), kept by the events
 * that decide an asset's state, in the transaction that appends them. The index rules are
 * those of `AssetRecord` in event-log.ts.
 */
import type Database from 'better-sqlite3';
import type { StoredEvent } from '../events.js';
import { inputVersionsOf } from '../status-row.js';
import { parse, type Row, summarize } from './_rows.js';

export class AssetStateTable {
  private readonly indexUsableMaterialization: Database.Statement;
  private readonly indexBlockedMaterialization: Database.Statement;
  private readonly indexObservation: Database.Statement;
  private readonly indexFailure: Database.Statement;
  private readonly indexUsable: Database.Statement;
  private readonly indexFreshness: Database.Statement;
  private readonly indexCheck: Database.Statement;
  private readonly latestCheckOf: Database.Statement;
  private readonly latestMaterializationOf: Database.Statement;

  constructor(db: Database.Database) {
    // Every write of an asset_state row sets updated_id to the id of the event that wrote it.
    const upsert = (column: string) =>
      db.prepare(
        `INSERT INTO asset_state (asset_key, partition, ${column}, updated_id)
         VALUES (@assetKey, @partition, @id, @id)
         ON CONFLICT (asset_key, partition) DO UPDATE
         SET ${column} = excluded.${column}, updated_id = excluded.updated_id`,
      );
    // A data version equal to the current one keeps the id of the event that introduced it.
    const dataChanged = `data_changed_id = CASE
        WHEN data_version IS excluded.data_version AND data_changed_id IS NOT NULL THEN data_changed_id
        ELSE excluded.data_changed_id END,
      data_version = excluded.data_version`;
    // What status decides freshness from without reading a summary (migration 005). And
    // usable_summary is NULL while the usable materialization is the newest (nearly always):
    // a row holds one summary, not two copies, which halves what a scan of asset_state reads.
    // A blocked newest keeps the usable one's summary there (the old row's values, below).
    const statusColumns = 'input_versions, location, ended_at';
    const statusValues = '@inputVersions, @location, @endedAt';
    const statusUpdates = `input_versions = excluded.input_versions, location = excluded.location,
           ended_at = excluded.ended_at`;
    this.indexUsableMaterialization = db.prepare(
      `INSERT INTO asset_state (asset_key, partition, materialization_id, materialization_summary,
         code_version, inputs_as_of, ${statusColumns}, data_version, data_changed_id, usable_id,
         usable_summary, updated_id)
       VALUES (@assetKey, @partition, @id, @summary, @codeVersion, @inputsAsOf, ${statusValues},
         @dataVersion, @id, @id, NULL, @id)
       ON CONFLICT (asset_key, partition) DO UPDATE
       SET materialization_id = excluded.materialization_id,
           materialization_summary = excluded.materialization_summary,
           code_version = excluded.code_version, inputs_as_of = excluded.inputs_as_of,
           ${statusUpdates}, usable_id = excluded.usable_id, usable_summary = NULL,
           ${dataChanged}, updated_id = excluded.updated_id`,
    );
    this.indexBlockedMaterialization = db.prepare(
      `INSERT INTO asset_state (asset_key, partition, materialization_id, materialization_summary,
         code_version, inputs_as_of, ${statusColumns}, updated_id)
       VALUES (@assetKey, @partition, @id, @summary, @codeVersion, @inputsAsOf, ${statusValues}, @id)
       ON CONFLICT (asset_key, partition) DO UPDATE
       SET materialization_id = excluded.materialization_id,
           materialization_summary = excluded.materialization_summary,
           usable_summary = CASE WHEN usable_id IS materialization_id THEN materialization_summary
             ELSE usable_summary END,
           code_version = excluded.code_version, inputs_as_of = excluded.inputs_as_of,
           ${statusUpdates}, updated_id = excluded.updated_id`,
    );
    this.indexObservation = db.prepare(
      `INSERT INTO asset_state (asset_key, partition, observation_id, data_version, data_changed_id, updated_id)
       VALUES (@assetKey, @partition, @id, @dataVersion, @id, @id)
       ON CONFLICT (asset_key, partition) DO UPDATE
       SET observation_id = excluded.observation_id, ${dataChanged}, updated_id = excluded.updated_id`,
    );
    this.indexFailure = upsert('failure_id');
    this.indexUsable = db.prepare(
      `UPDATE asset_state SET usable_id = materialization_id, usable_summary = NULL,
         data_changed_id = CASE WHEN data_version IS @dataVersion AND data_changed_id IS NOT NULL
           THEN data_changed_id ELSE materialization_id END,
         data_version = @dataVersion, updated_id = @id
       WHERE asset_key = @assetKey AND partition = @partition
         AND materialization_id = @materializationId AND usable_id IS NOT materialization_id`,
    );
    this.indexFreshness = upsert('freshness_id');
    this.indexCheck = db.prepare(
      `INSERT INTO check_latest (asset_key, partition, check_name, event_id, materialization_id, passed)
       VALUES (@assetKey, @partition, @checkName, @id, @materializationId, @passed)
       ON CONFLICT (asset_key, partition, check_name) DO UPDATE SET event_id = excluded.event_id,
         materialization_id = excluded.materialization_id, passed = excluded.passed`,
    );
    this.latestCheckOf = db.prepare(
      `SELECT e.body FROM check_latest c JOIN events e ON e.id = c.event_id
       WHERE c.asset_key = @assetKey AND c.partition = @partition AND c.check_name = @checkName`,
    );
    this.latestMaterializationOf = db.prepare(
      `SELECT e.id, e.body FROM asset_state l JOIN events e ON e.id = l.materialization_id
       WHERE l.asset_key = @assetKey AND l.partition = @partition`,
    );
  }

  /** Indexes `event` if it is one that decides an asset partition's state. */
  index(event: StoredEvent): void {
    switch (event.type) {
      case 'asset:materialized': {
        const { materialization: m, assetKey, partition, id } = event;
        let inputsAsOf = 0;
        for (const key in m.inputs) inputsAsOf = Math.max(inputsAsOf, m.inputs[key]!.eventId);
        const row = {
          assetKey,
          partition,
          id,
          // Only an unpartitioned asset keeps its summary in the row (see _asset-records.ts):
          // a partition's record is read a few at a time, and a smaller row makes each
          // partition's commit write fewer pages.
          summary: partition === '' ? summarize(event) : null,
          codeVersion: m.codeVersion,
          inputsAsOf,
          dataVersion: m.dataVersion,
          // Status columns: status rows are those of unpartitioned assets (migration 005).
          inputVersions: partition === '' ? (inputVersionsOf(m.inputs) ?? null) : null,
          location: partition === '' ? m.artefact.location : null,
          endedAt: partition === '' ? m.endedAt : null,
        };
        if ((m.blockedBy ?? []).length === 0) this.indexUsableMaterialization.run(row);
        else this.indexBlockedMaterialization.run(row);
        break;
      }
      case 'check:evaluated':
        if (this.isOlderCheck(event)) break;
        this.indexCheck.run({
          assetKey: event.assetKey,
          partition: event.partition,
          checkName: event.check.name,
          id: event.id,
          // For status rows, as asset_state's status columns: unpartitioned only.
          materializationId: event.partition === '' ? event.materializationId : null,
          passed: event.partition === '' ? (event.check.passed ? 1 : 0) : null,
        });
        if (event.check.passed) this.unblockIfCleared(event);
        break;
      case 'freshness:evaluated':
        this.indexFreshness.run(event);
        break;
      case 'asset:observed':
        this.indexObservation.run({
          assetKey: event.assetKey,
          partition: event.partition,
          id: event.id,
          dataVersion: event.observation.dataVersion,
        });
        break;
      case 'step:failed':
        this.indexFailure.run(event);
        break;
    }
  }

  /** A result about an older materialization than the indexed one (a slow `weir check`) is history only. */
  private isOlderCheck(event: StoredEvent<'check:evaluated'>): boolean {
    const latest = this.latestCheckOf.get({
      assetKey: event.assetKey,
      partition: event.partition,
      checkName: event.check.name,
    }) as { body: string } | undefined;
    if (latest === undefined) return false;
    return (
      (JSON.parse(latest.body) as StoredEvent<'check:evaluated'>).materializationId >
      event.materializationId
    );
  }

  /**
   * A re-evaluation that passes every blocking check the newest materialization had failed
   * makes it usable (the check, not the data, was wrong). A failing re-evaluation does not
   * revoke data already in use: status reports it, and rematerializing replaces it.
   */
  private unblockIfCleared(event: StoredEvent<'check:evaluated'>): void {
    const { assetKey, partition } = event;
    const row = this.latestMaterializationOf.get({ assetKey, partition }) as Row | undefined;
    if (row === undefined || row.id !== event.materializationId) return;
    const { materialization } = parse(row.id, row.body) as StoredEvent<'asset:materialized'>;
    const cleared = (materialization.blockedBy ?? []).every((name) => {
      const latest = this.latestCheckOf.get({ assetKey, partition, checkName: name }) as
        | { body: string }
        | undefined;
      if (latest === undefined) return false;
      const check = JSON.parse(latest.body) as StoredEvent<'check:evaluated'>;
      return check.materializationId === row.id && check.check.passed;
    });
    if (cleared) {
      const { dataVersion } = materialization;
      this.indexUsable.run({
        dataVersion,
        id: event.id,
        assetKey,
        partition,
        materializationId: row.id,
      });
    }
  }
}
