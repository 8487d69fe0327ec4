// The index's tables. `services` holds each record whole (for `get`) with its summary;
// `text` is the FTS5 table over the weighted columns (rowid = services.rowid); `terms` the
// taxonomy codes for filters and facets; `points` the locations. (An R*Tree of the points was
// measured and dropped: the distance test runs on the matches in memory, see catalog.ts.)
import { TEXT_COLUMNS } from './document.js';

export const SCHEMA_VERSION = '3';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS services (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  agency TEXT NOT NULL,
  record_id TEXT NOT NULL,
  cluster_id TEXT,
  searchable INTEGER NOT NULL,
  summary TEXT NOT NULL,
  source TEXT NOT NULL,
  entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS services_agency ON services (agency);
CREATE TABLE IF NOT EXISTS terms (
  code TEXT NOT NULL,
  service INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (code, service)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS terms_service ON terms (service);
CREATE TABLE IF NOT EXISTS points (
  rowid INTEGER PRIMARY KEY,
  service INTEGER NOT NULL,
  latitude REAL NOT NULL,
  longitude REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS points_service ON points (service);
CREATE VIRTUAL TABLE IF NOT EXISTS text USING fts5 (
  ${TEXT_COLUMNS.join(', ')},
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab (text, 'row');
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '${SCHEMA_VERSION}');
`;
