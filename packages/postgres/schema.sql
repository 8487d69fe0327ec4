-- The PostgreSQL event log's schema after every migration (from the catalog; the schema's
-- name, `weir` by default, left out). Regenerate with
-- UPDATE_SCHEMA=1 npx vitest run packages/postgres/test/schema.test.ts
-- Released migrations are never edited (add one); their SHA-256:
--   0001_events_and_indexes.sql 3b64773e94edd469767eed72d85bd1a5fd5fbd9c00b68c7bbb37bd39ffc0a607
--   0002_writes.sql 5c872f877d5c2da094d5812bae9fe529bcb3cb95cf06796906d709925c1f19b0

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
  materialization_data_version text,
  blocked_by text[],
  input_versions text,
  location text,
  ended_at bigint,
  PRIMARY KEY (asset_key, partition)
);

CREATE TABLE automation_state (
  kind text NOT NULL,
  name text NOT NULL,
  event_id bigint NOT NULL,
  PRIMARY KEY (kind, name)
);

CREATE TABLE backfills (
  backfill_id text NOT NULL,
  status text NOT NULL,
  requested_at bigint NOT NULL,
  finished_at bigint,
  requested_id bigint NOT NULL,
  finished_id bigint,
  PRIMARY KEY (backfill_id)
);

CREATE TABLE check_latest (
  asset_key text NOT NULL,
  partition text NOT NULL,
  check_name text NOT NULL,
  event_id bigint NOT NULL,
  materialization_id bigint NOT NULL,
  passed boolean NOT NULL,
  PRIMARY KEY (asset_key, partition, check_name)
);

CREATE TABLE dynamic_partitions (
  name text NOT NULL,
  key text NOT NULL,
  added_id bigint NOT NULL,
  position integer NOT NULL,
  PRIMARY KEY (name, key)
);

CREATE TABLE events (
  id bigint NOT NULL,
  type text NOT NULL,
  run_id text,
  asset_key text,
  partition text,
  timestamp bigint NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (id)
);

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

CREATE TABLE roles (
  role text NOT NULL,
  holder_id text NOT NULL,
  holder text NOT NULL,
  heartbeat_at bigint NOT NULL,
  PRIMARY KEY (role)
);

CREATE TABLE runs (
  run_id text NOT NULL,
  status text NOT NULL,
  started_at bigint NOT NULL,
  finished_at bigint,
  started_id bigint NOT NULL,
  finished_id bigint,
  backfill_id text,
  host text,
  pid bigint,
  pid_start bigint,
  thread_id bigint,
  PRIMARY KEY (run_id)
);

CREATE TABLE weir_schema (
  version integer NOT NULL,
  name text NOT NULL,
  applied_at bigint NOT NULL,
  PRIMARY KEY (version)
);

CREATE INDEX asset_state_by_update ON asset_state USING btree (asset_key, updated_id);

CREATE INDEX asset_state_unpartitioned ON asset_state USING btree (asset_key) WHERE (partition = ''::text);

CREATE INDEX backfills_by_request ON backfills USING btree (requested_at, requested_id);

CREATE INDEX dynamic_partitions_in_order ON dynamic_partitions USING btree (name, added_id, "position");

CREATE INDEX events_by_asset ON events USING btree (asset_key, type, id) WHERE (asset_key IS NOT NULL);

CREATE INDEX events_by_run ON events USING btree (run_id, id) WHERE (run_id IS NOT NULL);

CREATE INDEX events_by_type ON events USING btree (type, id);

CREATE INDEX leases_by_pool ON leases USING btree (pool) WHERE (pool IS NOT NULL);

CREATE INDEX leases_by_run ON leases USING btree (run_id);

CREATE INDEX runs_by_backfill ON runs USING btree (backfill_id, started_at) WHERE (backfill_id IS NOT NULL);

CREATE INDEX runs_by_start ON runs USING btree (started_at, started_id);

CREATE VIEW lease_holders AS
 SELECT l.asset_key,
    l.partition,
    l.run_id,
    l.started_id,
    l.heartbeat_at,
    l.pool,
    l.slots,
    r.host,
    r.pid,
    r.pid_start,
    r.thread_id
   FROM (leases l
     LEFT JOIN runs r ON ((r.run_id = l.run_id)));

CREATE OR REPLACE FUNCTION weir_index(p_id bigint, e jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  k text := e->>'k';
  p text := e->>'p';
  v_mid bigint;
  v_bb text[];
  v_dv text;
BEGIN
  CASE e->>'t'
  WHEN 'asset:materialized' THEN
    DELETE FROM leases WHERE asset_key = k AND partition = p AND run_id = e->>'r';
    IF (e->>'blocked')::boolean THEN
      INSERT INTO asset_state AS s (asset_key, partition, materialization_id,
          materialization_summary, materialization_data_version, blocked_by, code_version,
          inputs_as_of, input_versions, location, ended_at, updated_id)
        VALUES (k, p, p_id, e->>'s', e->>'dv', ARRAY(SELECT jsonb_array_elements_text(e->'bb')),
          e->>'cv', (e->>'ia')::bigint, e->>'iv', e->>'loc', (e->>'end')::bigint, p_id)
      ON CONFLICT (asset_key, partition) DO UPDATE
      SET materialization_id = excluded.materialization_id,
          materialization_summary = excluded.materialization_summary,
          usable_summary = CASE WHEN s.usable_id IS NOT DISTINCT FROM s.materialization_id
            THEN s.materialization_summary ELSE s.usable_summary END,
          materialization_data_version = excluded.materialization_data_version,
          blocked_by = excluded.blocked_by, code_version = excluded.code_version,
          inputs_as_of = excluded.inputs_as_of, input_versions = excluded.input_versions,
          location = excluded.location, ended_at = excluded.ended_at,
          updated_id = excluded.updated_id;
    ELSE
      INSERT INTO asset_state AS s (asset_key, partition, materialization_id,
          materialization_summary, materialization_data_version, blocked_by, code_version,
          inputs_as_of, input_versions, location, ended_at, data_version, data_changed_id,
          usable_id, usable_summary, updated_id)
        VALUES (k, p, p_id, e->>'s', e->>'dv', NULL, e->>'cv', (e->>'ia')::bigint, e->>'iv',
          e->>'loc', (e->>'end')::bigint, e->>'dv', p_id, p_id, NULL, p_id)
      ON CONFLICT (asset_key, partition) DO UPDATE
      SET materialization_id = excluded.materialization_id,
          materialization_summary = excluded.materialization_summary,
          materialization_data_version = excluded.materialization_data_version,
          blocked_by = NULL, code_version = excluded.code_version,
          inputs_as_of = excluded.inputs_as_of, input_versions = excluded.input_versions,
          location = excluded.location, ended_at = excluded.ended_at,
          usable_id = excluded.usable_id, usable_summary = NULL,
          -- A data version equal to the current one keeps the id of the event that introduced it.
          data_changed_id = CASE WHEN s.data_version IS NOT DISTINCT FROM excluded.data_version
              AND s.data_changed_id IS NOT NULL THEN s.data_changed_id
            ELSE excluded.data_changed_id END,
          data_version = excluded.data_version, updated_id = excluded.updated_id;
    END IF;
  WHEN 'check:evaluated' THEN
    -- A result about an older materialization than the indexed one is history only.
    SELECT materialization_id INTO v_mid FROM check_latest
      WHERE asset_key = k AND partition = p AND check_name = e->>'cn';
    IF FOUND AND v_mid > (e->>'mid')::bigint THEN RETURN; END IF;
    INSERT INTO check_latest (asset_key, partition, check_name, event_id, materialization_id, passed)
      VALUES (k, p, e->>'cn', p_id, (e->>'mid')::bigint, (e->>'ok')::boolean)
    ON CONFLICT (asset_key, partition, check_name) DO UPDATE
    SET event_id = excluded.event_id, materialization_id = excluded.materialization_id,
        passed = excluded.passed;
    IF NOT (e->>'ok')::boolean THEN RETURN; END IF;
    -- A pass may clear every check that blocked the newest materialization: it becomes usable.
    SELECT materialization_id, blocked_by, materialization_data_version INTO v_mid, v_bb, v_dv
      FROM asset_state WHERE asset_key = k AND partition = p;
    IF NOT FOUND OR v_mid IS DISTINCT FROM (e->>'mid')::bigint THEN RETURN; END IF;
    IF EXISTS (
      SELECT 1 FROM unnest(coalesce(v_bb, '{}'::text[])) AS b(name)
      WHERE NOT EXISTS (
        SELECT 1 FROM check_latest c
        WHERE c.asset_key = k AND c.partition = p AND c.check_name = b.name
          AND c.materialization_id = v_mid AND c.passed)) THEN
      RETURN;
    END IF;
    UPDATE asset_state SET usable_id = materialization_id, usable_summary = NULL,
        data_changed_id = CASE WHEN data_version IS NOT DISTINCT FROM v_dv
            AND data_changed_id IS NOT NULL THEN data_changed_id ELSE materialization_id END,
        data_version = v_dv, updated_id = p_id
      WHERE asset_key = k AND partition = p AND materialization_id = v_mid
        AND usable_id IS DISTINCT FROM materialization_id;
  WHEN 'freshness:evaluated' THEN
    INSERT INTO asset_state (asset_key, partition, freshness_id, updated_id)
      VALUES (k, p, p_id, p_id)
    ON CONFLICT (asset_key, partition) DO UPDATE
    SET freshness_id = excluded.freshness_id, updated_id = excluded.updated_id;
  WHEN 'asset:observed' THEN
    INSERT INTO asset_state AS s (asset_key, partition, observation_id, data_version,
        data_changed_id, updated_id)
      VALUES (k, p, p_id, e->>'dv', p_id, p_id)
    ON CONFLICT (asset_key, partition) DO UPDATE
    SET observation_id = excluded.observation_id,
        data_changed_id = CASE WHEN s.data_version IS NOT DISTINCT FROM excluded.data_version
            AND s.data_changed_id IS NOT NULL THEN s.data_changed_id
          ELSE excluded.data_changed_id END,
        data_version = excluded.data_version, updated_id = excluded.updated_id;
  WHEN 'step:failed' THEN
    DELETE FROM leases WHERE asset_key = k AND partition = p AND run_id = e->>'r';
    INSERT INTO asset_state (asset_key, partition, failure_id, updated_id)
      VALUES (k, p, p_id, p_id)
    ON CONFLICT (asset_key, partition) DO UPDATE
    SET failure_id = excluded.failure_id, updated_id = excluded.updated_id;
  WHEN 'step:cancelled', 'step:skipped' THEN
    DELETE FROM leases WHERE asset_key = k AND partition = p AND run_id = e->>'r';
  WHEN 'step:started' THEN
    INSERT INTO leases (asset_key, partition, run_id, started_id, heartbeat_at, pool, slots)
      VALUES (k, p, e->>'r', p_id, (e->>'ts')::bigint, e->>'pool', (e->>'slots')::integer)
    ON CONFLICT (asset_key, partition) DO UPDATE
    SET run_id = excluded.run_id, started_id = excluded.started_id,
        heartbeat_at = excluded.heartbeat_at, pool = excluded.pool, slots = excluded.slots;
  WHEN 'run:started' THEN
    INSERT INTO runs (run_id, status, started_at, started_id, backfill_id, host, pid, pid_start,
        thread_id)
      VALUES (e->>'r', 'running', (e->>'ts')::bigint, p_id, e->>'bf', e->>'host',
        (e->>'pid')::bigint, (e->>'ps')::bigint, (e->>'th')::bigint)
    ON CONFLICT (run_id) DO UPDATE
    SET status = 'running', started_at = excluded.started_at, started_id = excluded.started_id,
        backfill_id = excluded.backfill_id, host = excluded.host, pid = excluded.pid,
        pid_start = excluded.pid_start, thread_id = excluded.thread_id;
  WHEN 'run:finished' THEN
    DELETE FROM leases WHERE run_id = e->>'r';
    UPDATE runs SET status = e->>'st', finished_at = (e->>'ts')::bigint, finished_id = p_id
      WHERE run_id = e->>'r';
  WHEN 'partitions:added' THEN
    -- Keys added together keep their order; a key listed twice counts at its first place,
    -- and a key already current keeps its place.
    INSERT INTO dynamic_partitions (name, key, added_id, position)
      SELECT e->>'name', x.key, p_id, min(x.position)::integer - 1
      FROM jsonb_array_elements_text(e->'keys') WITH ORDINALITY AS x(key, position)
      GROUP BY x.key
    ON CONFLICT (name, key) DO NOTHING;
  WHEN 'partitions:removed' THEN
    DELETE FROM dynamic_partitions
      WHERE name = e->>'name' AND key IN (SELECT jsonb_array_elements_text(e->'keys'));
  WHEN 'backfill:requested' THEN
    INSERT INTO backfills (backfill_id, status, requested_at, requested_id)
      VALUES (e->>'bf', 'running', (e->>'ts')::bigint, p_id)
    ON CONFLICT (backfill_id) DO UPDATE
    SET status = 'running', requested_at = excluded.requested_at,
        requested_id = excluded.requested_id, finished_at = NULL, finished_id = NULL;
  WHEN 'backfill:finished' THEN
    UPDATE backfills SET status = e->>'st', finished_at = (e->>'ts')::bigint, finished_id = p_id
      WHERE backfill_id = e->>'bf';
  WHEN 'sensor:ticked', 'schedule:ticked', 'automation:evaluated', 'automation:paused' THEN
    INSERT INTO automation_state (kind, name, event_id)
      VALUES (CASE e->>'t' WHEN 'sensor:ticked' THEN 'sensor' WHEN 'schedule:ticked' THEN 'schedule'
          WHEN 'automation:evaluated' THEN 'condition' ELSE 'paused' END,
        coalesce(e->>'name', k), p_id)
    ON CONFLICT (kind, name) DO UPDATE SET event_id = excluded.event_id;
  WHEN 'automation:resumed' THEN
    DELETE FROM automation_state WHERE kind = 'paused' AND name = e->>'name';
  ELSE
    -- Events that index nothing (step logs, retries, repairs, collected artefacts).
    NULL;
  END CASE;
END;
$function$;

CREATE OR REPLACE FUNCTION weir_insert(events jsonb, p_next bigint)
 RETURNS bigint
 LANGUAGE plpgsql
AS $function$
DECLARE
  e jsonb;
  v_id bigint := p_next;
BEGIN
  INSERT INTO events (id, type, run_id, asset_key, partition, timestamp, body)
    SELECT p_next + x.n - 1, x.e->>'t', x.e->>'r', x.e->>'k', x.e->>'p', (x.e->>'ts')::bigint,
      x.e->>'b'
    FROM jsonb_array_elements(events) WITH ORDINALITY AS x(e, n);
  FOR e IN SELECT jsonb_array_elements(events) LOOP
    PERFORM weir_index(v_id, e);
    v_id := v_id + 1;
  END LOOP;
  RETURN v_id;
END;
$function$;

CREATE OR REPLACE FUNCTION weir_lease(p_key text, p_partition text)
 RETURNS jsonb
 LANGUAGE sql
AS $function$
  SELECT to_jsonb(h) FROM lease_holders h WHERE h.asset_key = p_key AND h.partition = p_partition
$function$;

CREATE OR REPLACE FUNCTION weir_op(op jsonb, p_next bigint, OUT result jsonb, OUT next_id bigint)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_lost jsonb;
  v_role roles%ROWTYPE;
BEGIN
  next_id := p_next;
  CASE op->>'op'
  WHEN 'append' THEN
    result := jsonb_build_object('first', p_next);
    next_id := weir_insert(op->'events', p_next);
  WHEN 'while' THEN
    IF EXISTS (SELECT 1 FROM runs WHERE run_id = op->>'run' AND status = 'running') THEN
      result := jsonb_build_object('first', p_next);
      next_id := weir_insert(op->'events', p_next);
    ELSE
      result := jsonb_build_object('skipped', true);
    END IF;
  WHEN 'holding' THEN
    SELECT jsonb_agg(jsonb_build_object('assetKey', x.l->>0, 'partition', x.l->>1,
        'holder', weir_lease(x.l->>0, x.l->>1)) ORDER BY x.n) INTO v_lost
      FROM jsonb_array_elements(op->'leases') WITH ORDINALITY AS x(l, n)
      WHERE NOT EXISTS (SELECT 1 FROM leases h
        WHERE h.asset_key = x.l->>0 AND h.partition = x.l->>1 AND h.run_id = op->>'run');
    IF v_lost IS NOT NULL THEN
      result := jsonb_build_object('lost', v_lost);
    ELSE
      result := jsonb_build_object('first', p_next);
      next_id := weir_insert(op->'events', p_next);
    END IF;
  WHEN 'start' THEN
    SELECT s.result, s.next_id INTO result, next_id FROM weir_start(op, p_next) s;
  WHEN 'claim' THEN
    SELECT * INTO v_role FROM roles WHERE role = op->>'role';
    IF FOUND AND v_role.holder_id <> op->>'id'
        AND v_role.holder_id IS DISTINCT FROM op->>'takeOver' THEN
      result := jsonb_build_object('held', false, 'holder', v_role.holder,
        'heartbeatAt', v_role.heartbeat_at);
    ELSE
      INSERT INTO roles (role, holder_id, holder, heartbeat_at)
        VALUES (op->>'role', op->>'id', op->>'holder', (op->>'at')::bigint)
      ON CONFLICT (role) DO UPDATE SET holder_id = excluded.holder_id,
        holder = excluded.holder, heartbeat_at = excluded.heartbeat_at;
      result := jsonb_build_object('held', true);
    END IF;
  WHEN 'release' THEN
    DELETE FROM roles WHERE role = op->>'role' AND holder_id = op->>'id';
    result := '{}';
  END CASE;
END;
$function$;

CREATE OR REPLACE FUNCTION weir_reindex(events jsonb)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  e jsonb;
BEGIN
  FOR e IN SELECT jsonb_array_elements(events) LOOP
    PERFORM weir_index((e->>'id')::bigint, e);
  END LOOP;
END;
$function$;

CREATE OR REPLACE FUNCTION weir_start(op jsonb, p_next bigint, OUT result jsonb, OUT next_id bigint)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_run text := op->>'run';
  v_taken jsonb := '[]';
  v_taking jsonb := '[]';
  v_current jsonb := '[]';
  v_take jsonb;
  v_index bigint;
  v_lease jsonb;
  v_refusal jsonb;
  v_used bigint;
BEGIN
  next_id := p_next;
  FOR v_take, v_index IN SELECT x.t, x.n FROM jsonb_array_elements(op->'take') WITH ORDINALITY AS x(t, n)
  LOOP
    v_lease := weir_lease(v_take->>'k', v_take->>'p');
    IF v_lease IS NULL OR v_lease->>'run_id' IS DISTINCT FROM v_take->>'run'
        OR (v_lease->>'started_id')::bigint IS DISTINCT FROM (v_take->>'startedId')::bigint THEN
      CONTINUE;
    END IF;
    v_current := v_current || jsonb_build_array(jsonb_build_array(v_take->>'k', v_take->>'p'));
    v_taken := v_taken || to_jsonb(v_index - 1);
    v_taking := v_taking || (v_take->'events');
  END LOOP;
  SELECT jsonb_agg(weir_lease(l.asset_key, l.partition)) INTO v_refusal
    FROM leases l JOIN jsonb_array_elements(op->'starting') s
      ON l.asset_key = s->>0 AND l.partition = s->>1
    WHERE l.run_id IS DISTINCT FROM v_run
      AND NOT v_current @> jsonb_build_array(jsonb_build_array(l.asset_key, l.partition));
  IF v_refusal IS NOT NULL THEN
    result := jsonb_build_object('status', 'held', 'leases', v_refusal);
    RETURN;
  END IF;
  SELECT jsonb_agg(jsonb_build_array(x.e->>0, x.e->>1, coalesce(s.materialization_id, 0))
      ORDER BY x.n) INTO v_refusal
    FROM jsonb_array_elements(op->'expected') WITH ORDINALITY AS x(e, n)
    LEFT JOIN asset_state s ON s.asset_key = x.e->>0 AND s.partition = x.e->>1
    WHERE coalesce(s.materialization_id, 0) <> (x.e->>2)::bigint;
  IF v_refusal IS NOT NULL THEN
    result := jsonb_build_object('status', 'moved', 'partitions', v_refusal);
    RETURN;
  END IF;
  IF op->'pool' IS NOT NULL AND jsonb_typeof(op->'pool') = 'object' THEN
    SELECT coalesce(jsonb_agg(to_jsonb(h)), '[]'), coalesce(sum(h.slots), 0)
      INTO v_refusal, v_used
      FROM lease_holders h
      WHERE h.pool = op->'pool'->>'name' AND h.slots > 0
        AND NOT v_current @> jsonb_build_array(jsonb_build_array(h.asset_key, h.partition))
        AND (h.asset_key, h.partition) NOT IN (
          SELECT s->>0, s->>1 FROM jsonb_array_elements(op->'starting') s);
    IF v_used + (op->'pool'->>'slots')::bigint > (op->'pool'->>'limit')::bigint THEN
      result := jsonb_build_object('status', 'pool-full', 'used', v_used, 'holders', v_refusal);
      RETURN;
    END IF;
  END IF;
  next_id := weir_insert(v_taking || (op->'events'), p_next);
  result := jsonb_build_object('status', 'started', 'first', p_next, 'taken', v_taken);
END;
$function$;

CREATE OR REPLACE FUNCTION weir_write(ops jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
  op jsonb;
  v_results jsonb := '[]';
  v_result jsonb;
  v_first bigint;
  v_next bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(1464158546, hashtext(current_schema()));
  -- Under the lock, after every commit before ours: ids continue the log.
  SELECT coalesce(max(id), 0) + 1 INTO v_first FROM events;
  v_next := v_first;
  IF jsonb_array_length(ops) = 1 THEN
    SELECT o.result, o.next_id INTO v_result, v_next FROM weir_op(ops->0, v_next) o;
    v_results := jsonb_build_array(v_result);
  ELSE
    FOR op IN SELECT jsonb_array_elements(ops) LOOP
      BEGIN
        SELECT o.result, o.next_id INTO v_result, v_next FROM weir_op(op, v_next) o;
      EXCEPTION WHEN OTHERS THEN
        -- Rolled back to before this write; v_next is still what it was before it.
        v_result := jsonb_build_object('error', SQLERRM, 'code', SQLSTATE);
      END;
      v_results := v_results || jsonb_build_array(v_result);
    END LOOP;
  END IF;
  IF v_next > v_first THEN
    -- Delivered at commit, in commit order: the newest id and the log's schema.
    PERFORM pg_notify('weir_events', (v_next - 1)::text || ' ' || current_schema());
  END IF;
  RETURN v_results;
END;
$function$;
