/**
 * Numbered schema migrations for the SQLite event log. A released migration is never
 * edited: add a new one. Each runs in its own transaction with its row inserted first.
 */
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
];
