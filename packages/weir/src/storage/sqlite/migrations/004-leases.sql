-- Leases: a step in flight holds its asset partition, so another process waits for it instead
-- of running it too. Index state like asset_state: a step:started takes the lease (replacing
-- any), the same run's outcome for that asset partition releases it, and the run's
-- run:finished releases all it holds. heartbeat_at is liveness (renewed while the run lives),
-- not history: a rebuild resets it to the step:started's timestamp.
CREATE TABLE leases (
  asset_key TEXT NOT NULL,
  partition TEXT NOT NULL,
  run_id TEXT NOT NULL,
  started_id INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  PRIMARY KEY (asset_key, partition)
) WITHOUT ROWID;
CREATE INDEX leases_by_run ON leases (run_id);

-- Steps in flight when this log was upgraded: the newest step:started of each asset partition
-- whose run has neither an outcome for it since nor finished since.
INSERT INTO leases (asset_key, partition, run_id, started_id, heartbeat_at)
SELECT s.asset_key, s.partition, s.run_id, s.id, s.timestamp
FROM events s
WHERE s.type = 'step:started'
  AND s.id = (SELECT max(x.id) FROM events x
              WHERE x.type = 'step:started' AND x.asset_key = s.asset_key AND x.partition = s.partition)
  AND NOT EXISTS (SELECT 1 FROM events o
                  WHERE o.run_id = s.run_id AND o.id > s.id
                    AND (o.type = 'run:finished'
                      OR (o.asset_key = s.asset_key AND o.partition = s.partition
                          AND o.type IN ('asset:materialized', 'step:failed', 'step:cancelled', 'step:skipped'))));
