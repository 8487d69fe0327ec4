
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
    