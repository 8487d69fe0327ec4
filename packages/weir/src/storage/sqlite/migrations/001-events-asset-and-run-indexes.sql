
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
    