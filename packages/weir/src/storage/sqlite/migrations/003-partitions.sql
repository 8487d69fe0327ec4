
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
    