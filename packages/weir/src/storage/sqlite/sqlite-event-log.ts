import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EnvironmentError } from '../../errors.js';
import type { AssetRecord, EventLog, EventQuery, RunRecord } from '../event-log.js';
import type { RunStatus, StoredEvent, WeirEvent } from '../events.js';
import { MIGRATIONS } from './_migrations.js';

type Row = { id: number; body: string };
type LatestRow = {
  asset_key: string;
  partition: string;
  m_id: number | null;
  m_body: string | null;
  o_id: number | null;
  o_body: string | null;
  f_id: number | null;
  f_body: string | null;
};
type RunRow = {
  run_id: string;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  s_id: number;
  s_body: string;
  f_id: number | null;
  f_body: string | null;
};

export interface SqliteEventLogOptions {
  /**
   * `normal` (default) survives a killed process; `full` also survives power loss, at the
   * cost of an fsync per transaction.
   */
  durability?: 'normal' | 'full';
}

/** The embedded event log: one SQLite file in WAL mode. */
export class SqliteEventLog implements EventLog {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly insertEvent: Database.Statement;
  private readonly indexMaterialization: Database.Statement;
  private readonly indexObservation: Database.Statement;
  private readonly indexFailure: Database.Statement;
  private readonly startRun: Database.Statement;
  private readonly finishRun: Database.Statement;
  private readonly appendAll: (events: readonly WeirEvent[]) => StoredEvent[];

  constructor(path: string, options: SqliteEventLogOptions = {}) {
    this.path = path;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
      this.db.pragma('busy_timeout = 10000');
      migrate(this.db, path);
    } catch (error) {
      if (error instanceof EnvironmentError) throw error;
      throw new EnvironmentError(
        'E_STORAGE',
        `cannot open the event log at ${path}: ${(error as Error).message}`,
        {
          cause: error,
          hint: 'if the file is corrupt, move it aside; Weir then starts a new log (artefacts stay in place)',
        },
      );
    }
    const db = this.db;
    this.insertEvent = db.prepare(
      'INSERT INTO events (type, run_id, asset_key, partition, timestamp, body) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const upsert = (column: string) =>
      db.prepare(
        `INSERT INTO asset_latest (asset_key, partition, ${column}) VALUES (?, ?, ?)
         ON CONFLICT (asset_key, partition) DO UPDATE SET ${column} = excluded.${column}`,
      );
    this.indexMaterialization = upsert('materialization_id');
    this.indexObservation = upsert('observation_id');
    this.indexFailure = upsert('failure_id');
    this.startRun = db.prepare(
      `INSERT INTO runs (run_id, status, started_at, started_id) VALUES (?, 'running', ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET status = 'running', started_at = excluded.started_at, started_id = excluded.started_id`,
    );
    this.finishRun = db.prepare(
      'UPDATE runs SET status = ?, finished_at = ?, finished_id = ? WHERE run_id = ?',
    );
    this.appendAll = db.transaction((events: readonly WeirEvent[]) =>
      events.map((event) => this.insert(event)),
    );
  }

  private insert(event: WeirEvent): StoredEvent {
    const assetKey = 'assetKey' in event ? event.assetKey : null;
    const partition = 'partition' in event ? event.partition : null;
    const runId = 'runId' in event && event.runId !== undefined ? event.runId : null;
    const result = this.insertEvent.run(
      event.type,
      runId,
      assetKey,
      partition,
      event.timestamp,
      JSON.stringify(event),
    );
    const id = Number(result.lastInsertRowid);
    this.index({ ...event, id } as StoredEvent);
    return { ...event, id } as StoredEvent;
  }

  private index(event: StoredEvent): void {
    switch (event.type) {
      case 'asset:materialized':
        this.indexMaterialization.run(event.assetKey, event.partition, event.id);
        break;
      case 'asset:observed':
        this.indexObservation.run(event.assetKey, event.partition, event.id);
        break;
      case 'step:failed':
        this.indexFailure.run(event.assetKey, event.partition, event.id);
        break;
      case 'run:started':
        this.startRun.run(event.runId, event.timestamp, event.id);
        break;
      case 'run:finished':
        this.finishRun.run(event.status, event.timestamp, event.id, event.runId);
        break;
    }
  }

  async append(events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    return this.appendSync(events);
  }

  /** Synchronous append, for callers on this process's hot path. */
  appendSync(events: readonly WeirEvent[]): StoredEvent[] {
    if (events.length === 0) return [];
    return this.appendAll(events);
  }

  async latest(assetKeys?: readonly string[]): Promise<AssetRecord[]> {
    const select = `
      SELECT l.asset_key, l.partition,
             m.id AS m_id, m.body AS m_body, o.id AS o_id, o.body AS o_body, f.id AS f_id, f.body AS f_body
      FROM asset_latest l
      LEFT JOIN events m ON m.id = l.materialization_id
      LEFT JOIN events o ON o.id = l.observation_id
      LEFT JOIN events f ON f.id = l.failure_id`;
    const rows = (
      assetKeys === undefined
        ? this.db.prepare(select).all()
        : this.db
            .prepare(`${select} WHERE l.asset_key IN (SELECT value FROM json_each(?))`)
            .all(JSON.stringify(assetKeys))
    ) as LatestRow[];
    return rows.map((row) => {
      const record: AssetRecord = { assetKey: row.asset_key, partition: row.partition };
      if (row.m_body !== null)
        record.materialization = parse(row.m_id!, row.m_body) as StoredEvent<'asset:materialized'>;
      if (row.o_body !== null)
        record.observation = parse(row.o_id!, row.o_body) as StoredEvent<'asset:observed'>;
      if (row.f_body !== null)
        record.failure = parse(row.f_id!, row.f_body) as StoredEvent<'step:failed'>;
      return record;
    });
  }

  async event(id: number): Promise<StoredEvent | undefined> {
    const row = this.db.prepare('SELECT id, body FROM events WHERE id = ?').get(id) as
      | Row
      | undefined;
    return row === undefined ? undefined : parse(row.id, row.body);
  }

  async events(query: EventQuery = {}): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.afterId !== undefined) {
      where.push(query.descending ? 'id < ?' : 'id > ?');
      params.push(query.afterId);
    }
    if (query.runId !== undefined) {
      where.push('run_id = ?');
      params.push(query.runId);
    }
    if (query.assetKey !== undefined) {
      where.push('asset_key = ?');
      params.push(query.assetKey);
    }
    if (query.types !== undefined && query.types.length > 0) {
      where.push(`type IN (${query.types.map(() => '?').join(', ')})`);
      params.push(...query.types);
    }
    const sql =
      `SELECT id, body FROM events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ` ORDER BY id ${query.descending ? 'DESC' : 'ASC'}${query.limit !== undefined ? ' LIMIT ?' : ''}`;
    if (query.limit !== undefined) params.push(query.limit);
    const rows = this.db.prepare(sql).all(...params) as Row[];
    return rows.map((row) => parse(row.id, row.body));
  }

  async runs(options: { limit?: number; status?: RunStatus } = {}): Promise<RunRecord[]> {
    const rows = this.db
      .prepare(
        `${RUN_SELECT} ${options.status ? 'WHERE r.status = ?' : ''} ORDER BY r.started_at DESC, r.started_id DESC LIMIT ?`,
      )
      .all(...(options.status ? [options.status] : []), options.limit ?? 50) as RunRow[];
    return rows.map(toRunRecord);
  }

  async run(runId: string): Promise<RunRecord | undefined> {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.run_id = ?`).get(runId) as
      | RunRow
      | undefined;
    return row === undefined ? undefined : toRunRecord(row);
  }

  async rebuildIndexes(): Promise<void> {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM asset_latest; DELETE FROM runs;');
      // Pages, not one cursor: SQLite cannot write while a statement is still reading.
      const page = this.db.prepare(
        'SELECT id, body FROM events WHERE id > ? ORDER BY id LIMIT 10000',
      );
      for (
        let rows = page.all(0) as Row[];
        rows.length > 0;
        rows = page.all(rows[rows.length - 1]!.id) as Row[]
      ) {
        for (const row of rows) this.index(parse(row.id, row.body));
      }
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

const RUN_SELECT = `
  SELECT r.run_id, r.status, r.started_at, r.finished_at, s.id AS s_id, s.body AS s_body, f.id AS f_id, f.body AS f_body
  FROM runs r JOIN events s ON s.id = r.started_id LEFT JOIN events f ON f.id = r.finished_id`;

function toRunRecord(row: RunRow): RunRecord {
  const record: RunRecord = {
    runId: row.run_id,
    status: row.status,
    startedAt: row.started_at,
    started: parse(row.s_id, row.s_body) as StoredEvent<'run:started'>,
  };
  if (row.finished_at !== null) record.finishedAt = row.finished_at;
  if (row.f_body !== null)
    record.finished = parse(row.f_id!, row.f_body) as StoredEvent<'run:finished'>;
  return record;
}

function parse(id: number, body: string): StoredEvent {
  return { ...(JSON.parse(body) as WeirEvent), id } as StoredEvent;
}

function migrate(db: Database.Database, path: string): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS weir_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const current =
    (db.prepare('SELECT MAX(version) AS v FROM weir_schema').get() as { v: number | null }).v ?? 0;
  const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  if (current > newest) {
    throw new EnvironmentError(
      'E_STORAGE',
      `the event log at ${path} has schema version ${current}, newer than this Weir understands (${newest})`,
      { hint: 'upgrade Weir to the version that wrote this log' },
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      // Inserting the row first makes a concurrent migrator fail on the primary key.
      db.prepare('INSERT INTO weir_schema (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
      db.exec(migration.sql);
    })();
  }
}
