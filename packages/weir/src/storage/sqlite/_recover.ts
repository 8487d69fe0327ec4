/**
 * @module storage/sqlite/_recover
 * Checking an event log file and recovering what is readable from a damaged one: every event
 * SQLite can still read is copied, with its id, into a new log whose indexes are rebuilt from
 * those events; the damaged file is kept beside it, and the report says what was lost.
 */
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { EnvironmentError } from '../../errors.js';
import { logIsDirectory, sqliteCode, sqliteFault } from './_faults.js';
import { copyWithHeader, headerIsIntact } from './_header.js';
import { closeOpened, type OpenedDatabase, openFileReadOnly } from './_open.js';
import { SqliteEventLog } from './sqlite-event-log.js';

/** What `PRAGMA integrity_check` and a count of the events found. */
export interface LogHealth {
  path: string;
  healthy: boolean;
  /** What is damaged, as SQLite says it (empty when healthy). */
  problems: string[];
  /** Events that can be counted; undefined when even that fails. */
  events?: number;
}

/** An event recovery could not copy. */
export interface LostEvent {
  id: number;
  /** What the damaged file's indexes still know about it. */
  type?: string;
  assetKey?: string;
  runId?: string;
}

export interface RecoveryReport {
  /** The new log, now at the original path. */
  path: string;
  /** Where the damaged file (and its -wal) was kept. */
  keptAs: string;
  recovered: number;
  lost: LostEvent[];
  /**
   * Pages the file's header counts that the file no longer has (it was cut short): events
   * in them may be lost without anything left that names them.
   */
  missingPages?: number;
}

interface Row {
  id: number;
  type: string;
  run_id: string | null;
  asset_key: string | null;
  partition: string | null;
  timestamp: number;
  body: string;
}

const COLUMNS = 'id, type, run_id, asset_key, partition, timestamp, body';
const PAGE = 500;
/** How far past the last id known to exist recovery looks for more. */
const LOOK_AHEAD = 1000;

/** Checks the file at `path` without changing it. */
export function checkLogFile(path: string): LogHealth {
  const directory = logIsDirectory(path);
  if (directory !== undefined) throw directory;
  if (!headerIsIntact(path)) {
    return {
      path,
      healthy: false,
      problems: ["its header (the file's first 100 bytes) is damaged, so SQLite cannot open it"],
    };
  }
  let opened: OpenedDatabase;
  try {
    opened = openFileReadOnly(path);
  } catch (error) {
    if (error instanceof EnvironmentError) throw error;
    return { path, healthy: false, problems: [(error as Error).message] };
  }
  const { db } = opened;
  try {
    const problems = attempt(() =>
      (db.pragma('integrity_check(20)', { simple: false }) as Array<{ integrity_check: string }>)
        .map((row) => row.integrity_check)
        .filter((line) => line !== 'ok'),
    );
    const events = attempt(
      () => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n,
    );
    // Damage inside a value (a flipped byte in an event's JSON) passes SQLite's own checks.
    const values = Array.isArray(problems) ? attempt(() => damagedValues(db)) : [];
    const found = [
      ...(Array.isArray(problems) ? problems : [problems.error]),
      ...(Array.isArray(values) ? values : [values.error]),
    ];
    return {
      path,
      healthy: found.length === 0 && typeof events === 'number',
      problems: found,
      ...(typeof events === 'number' ? { events } : {}),
    };
  } finally {
    closeOpened(opened);
  }
}

/**
 * The runs the file at `path` records as still running, with their process, as far as it
 * can be read (a damaged file may not say: then none).
 */
export function runningRuns(
  path: string,
): Array<{ runId: string; host: string; pid: number; pidStart?: number }> {
  let opened: OpenedDatabase | undefined;
  try {
    opened = openFileReadOnly(path);
    const rows = opened.db
      .prepare(
        `SELECT r.run_id AS runId, json_extract(e.body, '$.host') AS host,
           json_extract(e.body, '$.pid') AS pid, json_extract(e.body, '$.pidStart') AS pidStart
         FROM runs r JOIN events e ON e.id = r.started_id WHERE r.status = 'running'`,
      )
      .all() as Array<{ runId: string; host: string; pid: number; pidStart: number | null }>;
    return rows.map(({ pidStart, ...run }) => (pidStart === null ? run : { ...run, pidStart }));
  } catch {
    return [];
  } finally {
    if (opened !== undefined) closeOpened(opened);
  }
}

/** Events whose body is not valid JSON (or not the event its row says), and index summaries that are not. */
function damagedValues(db: Database.Database): string[] {
  const events = db
    .prepare(
      `SELECT id FROM events
       WHERE CASE WHEN json_valid(body) THEN json_extract(body, '$.type') IS NOT type ELSE 1 END
       ORDER BY id LIMIT 20`,
    )
    .pluck(true)
    .all() as number[];
  const summaries = db
    .prepare(
      `SELECT asset_key || CASE partition WHEN '' THEN '' ELSE '[' || partition || ']' END
       FROM asset_state
       WHERE NOT json_valid(coalesce(materialization_summary, '{}'))
          OR NOT json_valid(coalesce(usable_summary, '{}'))
       LIMIT 20`,
    )
    .pluck(true)
    .all() as string[];
  return [
    ...events.map((id) => `event ${id}: its body is damaged (not the JSON of its event)`),
    ...summaries.map(
      (key) => `the index's summary of ${key} is damaged (an index: rebuilt from the events)`,
    ),
  ];
}

/**
 * Copies every readable event of the log at `path` into a new log (same ids), rebuilds its
 * indexes, and puts it in place of the damaged file, which is kept as `<path>.damaged-<stamp>`.
 * Other processes must not use the log meanwhile.
 */
export async function recoverLogFile(path: string, stamp: string): Promise<RecoveryReport> {
  const fresh = `${path}.recovering-${stamp}`;
  const keptAs = `${path}.damaged-${stamp}`;
  removeFiles(fresh);
  // Best effort: hold the write lock, so no weir process appends to the old file meanwhile;
  // released (every connection closed) before the files move.
  const lock = writeLock(path);
  let copied: { recovered: number; lost: LostEvent[] };
  try {
    copied = await copyInto(path, fresh);
  } catch (error) {
    throw unrecoverable(error, path);
  } finally {
    if (lock?.open) lock.close();
  }
  const missingPages = pagesCutOff(path);
  moveFiles(path, keptAs);
  moveFiles(fresh, path);
  return { path, keptAs, ...copied, ...(missingPages > 0 ? { missingPages } : {}) };
}

/**
 * Damage recovery could not read around (its schema, say): said as any read would, but with
 * what is left to do, not "run weir doctor --recover" again.
 */
function unrecoverable(error: unknown, path: string): unknown {
  const fault = sqliteFault(error, path);
  const lostSchema = sqliteCode(error) === 'SQLITE_ERROR' && /no such table/.test(String(error));
  if (!lostSchema && (fault as EnvironmentError | undefined)?.code !== 'E_STORAGE_CORRUPT') {
    return fault;
  }
  const what = lostSchema
    ? 'the part of the file that says where its tables are is gone'
    : (fault as Error).message
        .slice(`the event log ${path} is corrupt `.length)
        .replace(/^\((.*?)\)/, '$1');
  return new EnvironmentError(
    'E_STORAGE_CORRUPT',
    `the event log ${path} cannot be recovered: ${what}`,
    {
      cause: error,
      hint: `move it aside (mv ${path} ${path}.damaged) to start a new log, and keep the file: it still holds what could not be read; artefacts stay in place`,
    },
  );
}

/** How many pages the header of the SQLite file at `path` counts beyond its end (0 if unknown). */
function pagesCutOff(path: string): number {
  if (!headerIsIntact(path)) return 0;
  try {
    const header = Buffer.alloc(100);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
    const raw = header.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    // The header's page count is valid only while its change counter matches "valid for".
    if (pageSize < 512 || header.readUInt32BE(24) !== header.readUInt32BE(92)) return 0;
    const counted = header.readUInt32BE(28);
    return Math.max(0, counted - Math.floor(statSync(path).size / pageSize));
  } catch {
    return 0;
  }
}

/** Copies the readable events of `path` into a new log at `fresh` and indexes them. */
async function copyInto(
  path: string,
  fresh: string,
): Promise<{ recovered: number; lost: LostEvent[] }> {
  // A damaged header hides every page after it: read a copy with the header written again.
  const scratch = `${fresh}.header`;
  const readable =
    !headerIsIntact(path) && !opensAsIs(path) && copyWithHeader(path, scratch) ? scratch : path;
  let source: Database.Database;
  try {
    source = openSource(readable);
  } catch (error) {
    removeFiles(scratch);
    throw error;
  }
  try {
    await new SqliteEventLog(fresh).close();
    const target = new Database(fresh);
    let ids: { recovered: number; missing: number[] };
    try {
      ids = copyEvents(source, target);
    } finally {
      target.close();
    }
    // An event whose JSON parses but is damaged inside cannot be indexed: it is lost too.
    const dropped: number[] = [];
    const log = new SqliteEventLog(fresh);
    try {
      await log.rebuildIndexes({ drop: (id) => dropped.push(id) });
    } finally {
      await log.close();
    }
    const missing = [...ids.missing, ...dropped].sort((a, b) => a - b);
    return { recovered: ids.recovered - dropped.length, lost: describeLost(source, missing) };
  } catch (error) {
    removeFiles(fresh);
    throw error;
  } finally {
    source.close();
    removeFiles(scratch);
  }
}

function writeLock(path: string): Database.Database | undefined {
  try {
    const db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    return db;
  } catch {
    return undefined;
  }
}

/**
 * Whether SQLite reads the file at `path` despite its header: with a WAL beside it, the newest
 * copy of the first page (and of the header) may be there.
 */
function opensAsIs(path: string): boolean {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
      return true;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

function openSource(path: string): Database.Database {
  const directory = logIsDirectory(path);
  if (directory !== undefined) throw directory;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    // A truncated file (its header counts more pages than it has) is refused as malformed
    // before anything is read, unless the schema may be "written": read-only here, nothing
    // is, and every page that is still there can be read.
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    return db;
  } catch (error) {
    throw new EnvironmentError(
      'E_STORAGE_CORRUPT',
      `cannot open ${path} at all (${(error as Error).message}): no event can be read from it`,
      {
        cause: error,
        hint: `move it aside (mv ${path} ${path}.damaged) to start a new log; artefacts stay in place`,
      },
    );
  }
}

/** Copies every readable row; returns how many, and the ids in the range that could not be read. */
function copyEvents(
  source: Database.Database,
  target: Database.Database,
): { recovered: number; missing: number[] } {
  const insert = target.prepare(
    `INSERT INTO events (${COLUMNS}) VALUES (@id, @type, @run_id, @asset_key, @partition, @timestamp, @body)`,
  );
  const page = source.prepare(
    `SELECT ${COLUMNS} FROM events WHERE id > @after ORDER BY id LIMIT ${PAGE}`,
  );
  const one = source.prepare(`SELECT ${COLUMNS} FROM events WHERE id = @id`);
  const write = target.transaction((rows: Row[]) => {
    for (const row of rows) insert.run(row);
  });
  let known = highestKnownId(source);
  const missing: number[] = [];
  let recovered = 0;
  let last = 0;
  const keep = (rows: Row[]) => {
    const good = rows.filter(parses);
    for (const row of rows) if (!parses(row)) missing.push(row.id);
    write(good);
    recovered += good.length;
  };
  while (last < known + LOOK_AHEAD) {
    const rows = attempt(() => page.all({ after: last }) as Row[]);
    if (Array.isArray(rows)) {
      if (rows.length === 0 && last >= known) break;
      let previous = last;
      for (const row of rows) {
        for (let id = previous + 1; id < row.id; id++) missing.push(id);
        previous = row.id;
      }
      if (rows.length === 0) for (let id = last + 1; id <= known; id++) missing.push(id);
      keep(rows);
      last = rows.length === 0 ? known : previous;
      known = Math.max(known, last);
      continue;
    }
    // A damaged page: read the next ids one by one until a page reads again.
    const until = last + PAGE;
    for (let id = last + 1; id <= until; id++) {
      const row = attempt(() => one.get({ id }) as Row | undefined);
      if (row !== undefined && !('error' in row)) {
        keep([row]);
        known = Math.max(known, id);
      } else missing.push(id);
    }
    last = until;
  }
  return { recovered, missing: missing.filter((id) => id <= known) };
}

/** The largest event id any readable part of the file knows of. */
function highestKnownId(source: Database.Database): number {
  const queries = [
    'SELECT max(id) AS n FROM events',
    'SELECT max(id) AS n FROM events INDEXED BY events_by_run WHERE run_id IS NOT NULL',
    'SELECT max(id) AS n FROM events INDEXED BY events_by_asset WHERE asset_key IS NOT NULL',
    'SELECT max(max(started_id), max(coalesce(finished_id, 0))) AS n FROM runs',
    'SELECT max(updated_id) AS n FROM asset_state',
  ];
  let highest = 0;
  for (const sql of queries) {
    const found = attempt(() => (source.prepare(sql).get() as { n: number | null }).n ?? 0);
    if (typeof found === 'number') highest = Math.max(highest, found);
  }
  return highest;
}

/** What the damaged file's indexes still say about events whose rows are lost. */
function describeLost(source: Database.Database, ids: readonly number[]): LostEvent[] {
  const lost = new Map<number, LostEvent>(ids.map((id) => [id, { id }]));
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  attempt(() => {
    for (const row of source
      .prepare(
        `SELECT id, asset_key, type FROM events INDEXED BY events_by_asset
         WHERE asset_key IS NOT NULL AND id IN (SELECT value FROM json_each(@json))`,
      )
      .all({ json }) as Array<{ id: number; asset_key: string; type: string }>) {
      Object.assign(lost.get(row.id)!, { assetKey: row.asset_key, type: row.type });
    }
  });
  attempt(() => {
    for (const row of source
      .prepare(
        `SELECT id, run_id FROM events INDEXED BY events_by_run
         WHERE run_id IS NOT NULL AND id IN (SELECT value FROM json_each(@json))`,
      )
      .all({ json }) as Array<{ id: number; run_id: string }>) {
      lost.get(row.id)!.runId = row.run_id;
    }
  });
  return [...lost.values()];
}

function parses(row: Row): boolean {
  try {
    const body = JSON.parse(row.body) as { type?: unknown };
    return body.type === row.type;
  } catch {
    return false;
  }
}

/** Runs `read`; a SQLite error (a damaged page) becomes a value instead of a throw. */
function attempt<T>(read: () => T): T | { error: string } {
  try {
    return read();
  } catch (error) {
    if (sqliteCode(error) === undefined) throw error;
    return { error: (error as Error).message };
  }
}

function moveFiles(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(from + suffix)) renameSync(from + suffix, to + suffix);
  }
}

function removeFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}
