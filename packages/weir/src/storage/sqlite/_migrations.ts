/**
 * Numbered schema migrations for the SQLite event log. A released migration is never
 * edited: add a new one. Each runs in its own transaction with its row inserted first.
 */
import type Database from 'better-sqlite3';
import { EnvironmentError } from '../../errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, asset and run indexes',
    sql: `
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        run_id TEXT,
        asset_key TEXT,
        partition TEXT,
        timestamp INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX events_by_run ON events (run_id, id) WHERE run_id IS NOT NULL;
      CREATE INDEX events_by_asset ON events (asset_key, type, id) WHERE asset_key IS NOT NULL;

      -- Index of the newest events per asset partition; rebuilt from events by rebuildIndexes().
      CREATE TABLE asset_latest (
        asset_key TEXT NOT NULL,
        partition TEXT NOT NULL,
        materialization_id INTEGER,
        observation_id INTEGER,
        failure_id INTEGER,
        PRIMARY KEY (asset_key, partition)
      ) WITHOUT ROWID;

      -- Index of runs; rebuilt from run:started / run:finished events.
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        started_id INTEGER NOT NULL,
        finished_id INTEGER
      );
      CREATE INDEX runs_by_start ON runs (started_at);
    `,
  },
  {
    version: 2,
    name: 'asset_state: summaries, the usable materialization, checks and freshness',
    sql: `
      -- Replaces asset_latest. A rowid table: its rows carry summaries of a few hundred bytes,
      -- which WITHOUT ROWID tables store poorly (a full scan was 4x slower).
      CREATE TABLE asset_state (
        asset_key TEXT NOT NULL,
        partition TEXT NOT NULL,
        materialization_id INTEGER,
        -- MaterializationSummary JSON of the newest materialization and of the usable one
        -- (the newest no blocking check failed on), so status reads one table.
        materialization_summary TEXT,
        usable_id INTEGER,
        usable_summary TEXT,
        observation_id INTEGER,
        failure_id INTEGER,
        freshness_id INTEGER,
        UNIQUE (asset_key, partition)
      );
      INSERT INTO asset_state (asset_key, partition, materialization_id, usable_id, observation_id, failure_id)
        SELECT asset_key, partition, materialization_id, materialization_id, observation_id, failure_id FROM asset_latest;
      UPDATE asset_state SET materialization_summary = (
        SELECT json_object(
          'id', e.id, 'type', e.type, 'runId', e.run_id, 'assetKey', e.asset_key,
          'partition', e.partition, 'timestamp', e.timestamp,
          'materialization', json_object(
            'dataVersion', json_extract(e.body, '$.materialization.dataVersion'),
            'codeVersion', json_extract(e.body, '$.materialization.codeVersion'),
            'inputs', json(json_extract(e.body, '$.materialization.inputs')),
            'startedAt', json_extract(e.body, '$.materialization.startedAt'),
            'endedAt', json_extract(e.body, '$.materialization.endedAt'),
            'artefact', json(json_extract(e.body, '$.materialization.artefact'))))
        FROM events e WHERE e.id = asset_state.materialization_id);
      UPDATE asset_state SET usable_summary = materialization_summary;
      DROP TABLE asset_latest;

      -- Index of the newest result of each check per asset partition.
      CREATE TABLE check_latest (
        asset_key TEXT NOT NULL,
        partition TEXT NOT NULL,
        check_name TEXT NOT NULL,
        event_id INTEGER NOT NULL,
        PRIMARY KEY (asset_key, partition, check_name)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'partitions: change ids and code versions in asset_state, dynamic partitions, backfills',
    sql: `
      -- The current data version (of the usable materialization, or of the newest observation)
      -- and the event that last changed it (rematerializing the same data keeps the old id);
      -- the newest materialization's code version and the log position its inputs were read
      -- at; and the event that last changed the row (a cursor for reading changed partitions).
      ALTER TABLE asset_state ADD COLUMN data_version TEXT;
      ALTER TABLE asset_state ADD COLUMN data_changed_id INTEGER;
      ALTER TABLE asset_state ADD COLUMN inputs_as_of INTEGER;
      ALTER TABLE asset_state ADD COLUMN code_version TEXT;
      ALTER TABLE asset_state ADD COLUMN updated_id INTEGER;

      -- Summaries now keep the event each input came from, as well as its data version.
      UPDATE asset_state SET materialization_summary = json_set(materialization_summary,
        '$.materialization.inputs', json((
          SELECT json_group_object(j.key, json_object(
            'dataVersion', json_extract(j.value, '$.dataVersion'),
            'eventId', json_extract(j.value, '$.eventId')))
          FROM events e, json_each(e.body, '$.materialization.inputs') j
          WHERE e.id = asset_state.materialization_id)))
      WHERE materialization_summary IS NOT NULL;
      UPDATE asset_state SET usable_summary = CASE
        WHEN usable_id IS materialization_id THEN materialization_summary
        ELSE json_set(usable_summary, '$.materialization.inputs', json((
          SELECT json_group_object(j.key, json_object(
            'dataVersion', json_extract(j.value, '$.dataVersion'),
            'eventId', json_extract(j.value, '$.eventId')))
          FROM events e, json_each(e.body, '$.materialization.inputs') j
          WHERE e.id = asset_state.usable_id)))
        END
      WHERE usable_summary IS NOT NULL;

      UPDATE asset_state SET
        code_version = json_extract(materialization_summary, '$.materialization.codeVersion'),
        inputs_as_of = CASE WHEN materialization_id IS NOT NULL THEN (
          SELECT coalesce(max(json_extract(j.value, '$.eventId')), 0)
          FROM events e, json_each(e.body, '$.materialization.inputs') j
          WHERE e.id = asset_state.materialization_id) END,
        data_version = CASE
          WHEN observation_id > coalesce(usable_id, 0)
            THEN (SELECT json_extract(body, '$.observation.dataVersion') FROM events WHERE id = observation_id)
          ELSE json_extract(usable_summary, '$.materialization.dataVersion') END,
        updated_id = nullif(max(coalesce(materialization_id, 0), coalesce(usable_id, 0),
          coalesce(observation_id, 0), coalesce(failure_id, 0), coalesce(freshness_id, 0)), 0);

      -- The data changed at the first unblocked materialization with the current data version
      -- since the last materialization with another (observations are recorded only on a
      -- change). Which blocked materializations a later check unblocked is not worked out
      -- here, so the id found is never earlier than the exact one: at worst a reader is
      -- reported stale, never wrongly fresh. rebuildIndexes() computes it exactly. Each
      -- search walks one partition's materializations from the usable one, by a temporary index.
      CREATE INDEX weir_migration_3 ON events (asset_key, partition, id) WHERE type = 'asset:materialized';
      UPDATE asset_state SET data_changed_id = CASE
        WHEN observation_id > coalesce(usable_id, 0) THEN observation_id
        WHEN usable_id IS NULL THEN NULL
        ELSE coalesce((
          SELECT e.id FROM events e
          WHERE e.type = 'asset:materialized' AND e.asset_key = asset_state.asset_key
            AND e.partition = asset_state.partition AND e.id <= asset_state.usable_id
            AND e.id > coalesce((
              SELECT f.id FROM events f
              WHERE f.type = 'asset:materialized' AND f.asset_key = asset_state.asset_key
                AND f.partition = asset_state.partition AND f.id < asset_state.usable_id
                AND json_extract(f.body, '$.materialization.dataVersion') IS NOT asset_state.data_version
              ORDER BY f.id DESC LIMIT 1
            ), 0)
            AND coalesce(json_array_length(e.body, '$.materialization.blockedBy'), 0) = 0
            AND json_extract(e.body, '$.materialization.dataVersion') = asset_state.data_version
          ORDER BY e.id LIMIT 1
        ), usable_id) END;
      DROP INDEX weir_migration_3;

      -- Changed partitions of one asset, by cursor; and the unpartitioned rows, which latest()
      -- reads, apart from what may be millions of partition rows.
      CREATE INDEX asset_state_by_update ON asset_state (asset_key, updated_id, partition,
        materialization_id, usable_id, data_changed_id, inputs_as_of, failure_id, code_version);
      CREATE INDEX asset_state_unpartitioned ON asset_state (asset_key) WHERE partition = '';
      CREATE INDEX check_latest_unpartitioned ON check_latest (asset_key) WHERE partition = '';

      -- The current keys of each dynamic partitions definition; rebuilt from partitions:added
      -- and partitions:removed. A key keeps the id of the event that added it and its position
      -- in that event's list, which order the keys.
      CREATE TABLE dynamic_partitions (
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        added_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (name, key)
      ) WITHOUT ROWID;
      CREATE INDEX dynamic_partitions_in_order ON dynamic_partitions (name, added_id, position);

      -- Index of backfills; rebuilt from backfill:requested / backfill:finished events. Runs
      -- name the backfill they work for.
      CREATE TABLE backfills (
        backfill_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        finished_at INTEGER,
        requested_id INTEGER NOT NULL,
        finished_id INTEGER
      );
      CREATE INDEX backfills_by_request ON backfills (requested_at);
      ALTER TABLE runs ADD COLUMN backfill_id TEXT;
      UPDATE runs SET backfill_id = (
        SELECT json_extract(body, '$.backfillId') FROM events WHERE id = runs.started_id);
      CREATE INDEX runs_by_backfill ON runs (backfill_id, started_at) WHERE backfill_id IS NOT NULL;
    `,
  },
];

/** Applies the migrations a log lacks; refuses a log newer than this Weir. */
export function migrate(db: Database.Database, path: string): void {
  const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  // One immediate transaction: a second process opening the same new log waits here, then
  // finds the migrations applied, instead of racing to apply them too.
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS weir_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const current =
      (db.prepare('SELECT MAX(version) AS v FROM weir_schema').get() as { v: number | null }).v ??
      0;
    if (current > newest) {
      throw new EnvironmentError(
        'E_STORAGE',
        `the event log at ${path} has schema version ${current}, newer than this Weir understands (${newest})`,
        { hint: 'upgrade Weir to the version that wrote this log' },
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.prepare('INSERT INTO weir_schema (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
      db.exec(migration.sql);
    }
  }).immediate();
}
