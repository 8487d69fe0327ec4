-- The events (the truth) and the index tables that summarise them, as in the SQLite log
-- (packages/weir/src/storage/sqlite/schema.sql), with a few columns SQLite reads from event
-- bodies instead (a lease holder's process, a blocked materialization's checks), since
-- PostgreSQL parses JSON that a body may hold and text may not (NUL).

-- Bodies are the events' JSON as text, exactly as JSON.stringify wrote it (jsonb would reorder
-- keys and refuse \u0000). Ids are drawn under the log's advisory lock: commit order.
CREATE TABLE events (
  id bigint PRIMARY KEY,
  type text NOT NULL,
  run_id text,
  asset_key text,
  partition text,
  timestamp bigint NOT NULL,
  body text NOT NULL
);
CREATE INDEX events_by_run ON events (run_id, id) WHERE run_id IS NOT NULL;
CREATE INDEX events_by_asset ON events (asset_key, type, id) WHERE asset_key IS NOT NULL;
CREATE INDEX events_by_type ON events (type, id);

-- One row per asset partition ('' for an unpartitioned asset): AssetRecord's ids, the current
-- data version and the event that last changed it, and the status columns. Summaries (the
-- MaterializationSummary JSON without its id, type, key and partition) are kept for
-- unpartitioned assets only; usable_summary only while the usable one is not the newest.
CREATE TABLE asset_state (
  asset_key text NOT NULL,
  partition text NOT NULL,
  materialization_id bigint,
  materialization_summary text,
  usable_id bigint,
  usable_summary text,
  observation_id bigint,
  failure_id bigint,
  freshness_id bigint,
  data_version text,
  data_changed_id bigint,
  inputs_as_of bigint,
  code_version text,
  updated_id bigint,
  -- The newest materialization's data version, and the checks it failed (NULL: none).
  materialization_data_version text,
  blocked_by text[],
  -- Status columns (unpartitioned rows): the input versions as a JSON string (the encoding
  -- holds NUL, which text may not), the artefact location and the end time.
  input_versions text,
  location text,
  ended_at bigint,
  PRIMARY KEY (asset_key, partition)
);
CREATE INDEX asset_state_by_update ON asset_state (asset_key, updated_id);
CREATE INDEX asset_state_unpartitioned ON asset_state (asset_key) WHERE partition = '';

-- The indexed result of each check of each asset partition.
CREATE TABLE check_latest (
  asset_key text NOT NULL,
  partition text NOT NULL,
  check_name text NOT NULL,
  event_id bigint NOT NULL,
  materialization_id bigint NOT NULL,
  passed boolean NOT NULL,
  PRIMARY KEY (asset_key, partition, check_name)
);

-- Runs; the process of a run (from its run:started) names a lease's holder.
CREATE TABLE runs (
  run_id text PRIMARY KEY,
  status text NOT NULL,
  started_at bigint NOT NULL,
  finished_at bigint,
  started_id bigint NOT NULL,
  finished_id bigint,
  backfill_id text,
  host text,
  pid bigint,
  pid_start bigint,
  thread_id bigint
);
CREATE INDEX runs_by_start ON runs (started_at, started_id);
CREATE INDEX runs_by_backfill ON runs (backfill_id, started_at) WHERE backfill_id IS NOT NULL;

-- The current keys of each dynamic partitions definition, ordered by the event that added
-- each and its place in that event's list.
CREATE TABLE dynamic_partitions (
  name text NOT NULL,
  key text NOT NULL,
  added_id bigint NOT NULL,
  position integer NOT NULL,
  PRIMARY KEY (name, key)
);
CREATE INDEX dynamic_partitions_in_order ON dynamic_partitions (name, added_id, position);

CREATE TABLE backfills (
  backfill_id text PRIMARY KEY,
  status text NOT NULL,
  requested_at bigint NOT NULL,
  finished_at bigint,
  requested_id bigint NOT NULL,
  finished_id bigint
);
CREATE INDEX backfills_by_request ON backfills (requested_at, requested_id);

-- Steps in flight (see Lease in weir's event-log.ts) and the pool slots each holds.
CREATE TABLE leases (
  asset_key text NOT NULL,
  partition text NOT NULL,
  run_id text NOT NULL,
  started_id bigint NOT NULL,
  heartbeat_at bigint NOT NULL,
  pool text,
  slots integer,
  PRIMARY KEY (asset_key, partition)
);
CREATE INDEX leases_by_run ON leases (run_id);
CREATE INDEX leases_by_pool ON leases (pool) WHERE pool IS NOT NULL;

-- A lease with its holder's process.
CREATE VIEW lease_holders AS
  SELECT l.asset_key, l.partition, l.run_id, l.started_id, l.heartbeat_at, l.pool, l.slots,
         r.host, r.pid, r.pid_start, r.thread_id
  FROM leases l LEFT JOIN runs r ON r.run_id = l.run_id;

-- The newest sensor and schedule ticks, condition evaluations, and what is paused.
CREATE TABLE automation_state (
  kind text NOT NULL,
  name text NOT NULL,
  event_id bigint NOT NULL,
  PRIMARY KEY (kind, name)
);

-- Roles (the instance's daemon): liveness, not history; a rebuild leaves them alone.
CREATE TABLE roles (
  role text PRIMARY KEY,
  holder_id text NOT NULL,
  holder text NOT NULL,
  heartbeat_at bigint NOT NULL
);
