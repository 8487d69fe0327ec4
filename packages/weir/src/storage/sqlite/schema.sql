-- The SQLite event log's schema after every migration; regenerate with UPDATE_SCHEMA=1 npx vitest run packages/weir/test/storage-sqlite-schema.test.ts
CREATE TABLE asset_state (
  asset_key TEXT NOT NULL,
  partition TEXT NOT NULL,
  materialization_id INTEGER,
  materialization_summary TEXT,
  usable_id INTEGER,
  usable_summary TEXT,
  observation_id INTEGER,
  failure_id INTEGER,
  freshness_id INTEGER,
  data_version TEXT,
  data_changed_id INTEGER,
  inputs_as_of INTEGER,
  code_version TEXT,
  updated_id INTEGER,
  input_versions TEXT,
  location TEXT,
  ended_at INTEGER,
  UNIQUE (asset_key, partition)
);

CREATE TABLE automation_state (
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  PRIMARY KEY (kind, name)
) WITHOUT ROWID;

CREATE TABLE backfills (
  backfill_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  finished_at INTEGER,
  requested_id INTEGER NOT NULL,
  finished_id INTEGER
);

CREATE TABLE check_latest (
  asset_key TEXT NOT NULL,
  partition TEXT NOT NULL,
  check_name TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  materialization_id INTEGER,
  passed INTEGER,
  PRIMARY KEY (asset_key, partition, check_name)
) WITHOUT ROWID;

CREATE TABLE dynamic_partitions (
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  added_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (name, key)
) WITHOUT ROWID;

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  run_id TEXT,
  asset_key TEXT,
  partition TEXT,
  timestamp INTEGER NOT NULL,
  body TEXT NOT NULL
);

CREATE TABLE leases (
  asset_key TEXT NOT NULL,
  partition TEXT NOT NULL,
  run_id TEXT NOT NULL,
  started_id INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  pool TEXT,
  slots INTEGER,
  PRIMARY KEY (asset_key, partition)
) WITHOUT ROWID;

CREATE TABLE roles (
  role TEXT PRIMARY KEY,
  holder_id TEXT NOT NULL,
  holder TEXT NOT NULL,
  heartbeat_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  started_id INTEGER NOT NULL,
  finished_id INTEGER,
  backfill_id TEXT
);

CREATE TABLE weir_schema (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
);

CREATE INDEX asset_state_by_update ON asset_state (asset_key, updated_id, partition, materialization_id, usable_id, data_changed_id, inputs_as_of, failure_id, code_version);

CREATE INDEX asset_state_unpartitioned ON asset_state (asset_key) WHERE partition = '';

CREATE INDEX backfills_by_request ON backfills (requested_at);

CREATE INDEX check_latest_unpartitioned ON check_latest (asset_key) WHERE partition = '';

CREATE INDEX dynamic_partitions_in_order ON dynamic_partitions (name, added_id, position);

CREATE INDEX events_by_asset ON events (asset_key, type, id) WHERE asset_key IS NOT NULL;

CREATE INDEX events_by_run ON events (run_id, id) WHERE run_id IS NOT NULL;

CREATE INDEX leases_by_pool ON leases (pool) WHERE pool IS NOT NULL;

CREATE INDEX leases_by_run ON leases (run_id);

CREATE INDEX runs_by_backfill ON runs (backfill_id, started_at) WHERE backfill_id IS NOT NULL;

CREATE INDEX runs_by_start ON runs (started_at);
