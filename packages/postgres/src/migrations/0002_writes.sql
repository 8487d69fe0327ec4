-- Writes run on the server, one round trip per group of writes: weir_write() takes the log's
-- advisory lock (so ids are drawn, and commits happen, in one order), then runs each write of
-- the group in its own subtransaction (one that fails, fails alone), and NOTIFYs the newest id.
--
-- An event reaches the server as a record the client made from it (see _records.ts): `t`
-- type, `r` run, `k` asset key, `p` partition, `ts` timestamp, `b` body (JSON text), and the
-- few fields its index rules need (a materialization's summary, data and code versions…), so
-- the server never parses a body.

-- The index rules of weir's event-log.ts, for one event (appended, or replayed by a rebuild).
CREATE FUNCTION weir_index(p_id bigint, e jsonb) RETURNS void LANGUAGE plpgsql AS $$
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
$$;

-- Appends the records `events` (ids from p_next on) and indexes each; returns the next id.
CREATE FUNCTION weir_insert(events jsonb, p_next bigint) RETURNS bigint LANGUAGE plpgsql AS $$
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
$$;

-- One lease with its holder, as JSON (the columns of lease_holders).
CREATE FUNCTION weir_lease(p_key text, p_partition text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT to_jsonb(h) FROM lease_holders h WHERE h.asset_key = p_key AND h.partition = p_partition
$$;

-- startSteps (see StepStart in weir's event-log.ts): the take-overs that still apply, then
-- held, moved and pool-full, in that order; the events appended when none refuses.
CREATE FUNCTION weir_start(op jsonb, p_next bigint, OUT result jsonb, OUT next_id bigint)
LANGUAGE plpgsql AS $$
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
$$;

-- One write of a group (see weir_write), its events' ids from p_next on: its result, and
-- the next id.
CREATE FUNCTION weir_op(op jsonb, p_next bigint, OUT result jsonb, OUT next_id bigint)
LANGUAGE plpgsql AS $$
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
$$;

-- A group of writes in one transaction, under the log's advisory lock; returns one result per
-- write. Writes: append, appendWhileRunning (`while`), appendHolding (`holding`), startSteps
-- (`start`), claimRole (`claim`), releaseRole (`release`). In a group of several, each runs in
-- a subtransaction of its own, and one that fails has `error` and `code` as its result and
-- changed nothing (its ids are drawn again by the next); a lone write that fails fails the
-- call (no subtransaction to pay for).
CREATE FUNCTION weir_write(ops jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
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
$$;

-- Replays events (records with their `id`) into the indexes: rebuildIndexes().
CREATE FUNCTION weir_reindex(events jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  e jsonb;
BEGIN
  FOR e IN SELECT jsonb_array_elements(events) LOOP
    PERFORM weir_index((e->>'id')::bigint, e);
  END LOOP;
END;
$$;
