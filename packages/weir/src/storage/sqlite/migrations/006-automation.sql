-- Automation: the newest tick of each sensor and schedule, the newest evaluation of each
-- asset's condition, and what is paused. Index state like asset_state (rebuilt from events):
-- kind 'sensor' | 'schedule' | 'condition' | 'paused', the name (or asset key), the event.
CREATE TABLE automation_state (
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  PRIMARY KEY (kind, name)
) WITHOUT ROWID;

-- Roles: which process is this instance's daemon. Liveness, not history (no event; a
-- rebuild of the indexes leaves it alone). holder is a RoleHolder as JSON.
CREATE TABLE roles (
  role TEXT PRIMARY KEY,
  holder_id TEXT NOT NULL,
  holder TEXT NOT NULL,
  heartbeat_at INTEGER NOT NULL
) WITHOUT ROWID;
