import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EnvironmentError } from '../../errors.js';
import type {
  AssetRecord,
  BackfillRecord,
  EventLog,
  EventQuery,
  MaterializationSummary,
  PartitionStates,
  RunRecord,
} from '../event-log.js';
import type { BackfillStatus, RunStatus, StoredEvent, WeirEvent } from '../events.js';
import { MIGRATIONS } from './_migrations.js';

type Row = { id: number; body: string };
/**
 * asset_key, partition, summary, usable_id, usable summary (when not the newest), observation,
 * failure and freshness ids, data_changed_id.
 */
type StateRow = [
  string,
  string,
  string | null,
  number | null,
  string | null,
  number | null,
  number | null,
  number | null,
  number | null,
];
/**
 * The partition rows of one asset as columns: their count, partition keys, the materialization,
 * usable, data changed, inputs-as-of and failure ids (comma-separated, 0 for null), the newest
 * updated_id, and code versions. Keys and code versions are joined by SEPARATOR or are JSON
 * arrays (see partitionStates).
 */
type PartitionColumns = [
  number,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
  string | null,
];
type BackfillRow = {
  backfill_id: string;
  status: BackfillStatus;
  requested_at: number;
  finished_at: number | null;
  r_id: number;
  r_body: string;
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
  private readonly indexUsableMaterialization: Database.Statement;
  private readonly indexBlockedMaterialization: Database.Statement;
  private readonly indexObservation: Database.Statement;
  private readonly indexFailure: Database.Statement;
  private readonly indexUsable: Database.Statement;
  private readonly indexFreshness: Database.Statement;
  private readonly indexCheck: Database.Statement;
  private readonly latestCheckOf: Database.Statement;
  private readonly latestMaterializationOf: Database.Statement;
  private readonly startRun: Database.Statement;
  private readonly finishRun: Database.Statement;
  private readonly addPartitions: Database.Statement;
  private readonly removePartitions: Database.Statement;
  private readonly requestBackfill: Database.Statement;
  private readonly finishBackfill: Database.Statement;
  private readonly partitionColumns = new Map<string, Database.Statement>();
  private readonly lastPartitionUpdate: Database.Statement;
  private readonly appendAll: (events: readonly WeirEvent[]) => StoredEvent[];

  constructor(path: string, options: SqliteEventLogOptions = {}) {
    this.path = path;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      // First, so that switching to WAL and migrating wait for another process instead of failing.
      this.db.pragma('busy_timeout = 10000');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
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
    // Every write of an asset_state row sets updated_id to the event's id (each event id is
    // passed twice: as the column's value and as updated_id).
    const upsert = (column: string) =>
      db.prepare(
        `INSERT INTO asset_state (asset_key, partition, ${column}, updated_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (asset_key, partition) DO UPDATE
         SET ${column} = excluded.${column}, updated_id = excluded.updated_id`,
      );
    // A data version equal to the current one keeps the id of the event that introduced it.
    const dataChanged = `data_changed_id = CASE
        WHEN data_version IS excluded.data_version AND data_changed_id IS NOT NULL THEN data_changed_id
        ELSE excluded.data_changed_id END,
      data_version = excluded.data_version`;
    // asset_key, partition, id, summary, code version, inputs as of, data version, id, id, summary, id.
    this.indexUsableMaterialization = db.prepare(
      `INSERT INTO asset_state (asset_key, partition, materialization_id, materialization_summary,
         code_version, inputs_as_of, data_version, data_changed_id, usable_id, usable_summary, updated_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (asset_key, partition) DO UPDATE
       SET materialization_id = excluded.materialization_id,
           materialization_summary = excluded.materialization_summary,
           code_version = excluded.code_version, inputs_as_of = excluded.inputs_as_of,
           usable_id = excluded.usable_id, usable_summary = excluded.usable_summary,
           ${dataChanged}, updated_id = excluded.updated_id`,
    );
    // asset_key, partition, id, summary, code version, inputs as of, id.
    this.indexBlockedMaterialization = db.prepare(
      `INSERT INTO asset_state (asset_key, partition, materialization_id, materialization_summary,
         code_version, inputs_as_of, updated_id)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (asset_key, partition) DO UPDATE
       SET materialization_id = excluded.materialization_id,
           materialization_summary = excluded.materialization_summary,
           code_version = excluded.code_version, inputs_as_of = excluded.inputs_as_of,
           updated_id = excluded.updated_id`,
    );
    // asset_key, partition, id, data version, id, id.
    this.indexObservation = db.prepare(
      `INSERT INTO asset_state (asset_key, partition, observation_id, data_version, data_changed_id, updated_id)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (asset_key, partition) DO UPDATE
       SET observation_id = excluded.observation_id, ${dataChanged}, updated_id = excluded.updated_id`,
    );
    this.indexFailure = upsert('failure_id');
    // data version (twice), updated id; asset_key, partition, materialization id.
    this.indexUsable = db.prepare(
      `UPDATE asset_state SET usable_id = materialization_id, usable_summary = materialization_summary,
         data_changed_id = CASE WHEN data_version IS ? AND data_changed_id IS NOT NULL
           THEN data_changed_id ELSE materialization_id END,
         data_version = ?, updated_id = ?
       WHERE asset_key = ? AND partition = ? AND materialization_id = ?
         AND usable_id IS NOT materialization_id`,
    );
    this.indexFreshness = upsert('freshness_id');
    this.indexCheck = db.prepare(
      `INSERT INTO check_latest (asset_key, partition, check_name, event_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (asset_key, partition, check_name) DO UPDATE SET event_id = excluded.event_id`,
    );
    this.latestCheckOf = db.prepare(
      `SELECT e.body FROM check_latest c JOIN events e ON e.id = c.event_id
       WHERE c.asset_key = ? AND c.partition = ? AND c.check_name = ?`,
    );
    this.latestMaterializationOf = db.prepare(
      `SELECT e.id, e.body FROM asset_state l JOIN events e ON e.id = l.materialization_id
       WHERE l.asset_key = ? AND l.partition = ?`,
    );
    this.startRun = db.prepare(
      `INSERT INTO runs (run_id, status, started_at, started_id, backfill_id) VALUES (?, 'running', ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET status = 'running', started_at = excluded.started_at,
         started_id = excluded.started_id, backfill_id = excluded.backfill_id`,
    );
    this.finishRun = db.prepare(
      'UPDATE runs SET status = ?, finished_at = ?, finished_id = ? WHERE run_id = ?',
    );
    // json_each's key of an array element is its index: keys added together keep their order.
    // A key added again keeps its first place.
    this.addPartitions = db.prepare(
      `INSERT OR IGNORE INTO dynamic_partitions (name, key, added_id, position)
       SELECT ?, value, ?, key FROM json_each(?)`,
    );
    this.removePartitions = db.prepare(
      'DELETE FROM dynamic_partitions WHERE name = ? AND key IN (SELECT value FROM json_each(?))',
    );
    this.requestBackfill = db.prepare(
      `INSERT INTO backfills (backfill_id, status, requested_at, requested_id) VALUES (?, 'running', ?, ?)
       ON CONFLICT (backfill_id) DO UPDATE SET status = 'running', requested_at = excluded.requested_at,
         requested_id = excluded.requested_id, finished_at = NULL, finished_id = NULL`,
    );
    this.finishBackfill = db.prepare(
      'UPDATE backfills SET status = ?, finished_at = ?, finished_id = ? WHERE backfill_id = ?',
    );
    this.lastPartitionUpdate = db
      .prepare(
        `SELECT updated_id FROM asset_state WHERE asset_key = ? AND partition <> ''
         ORDER BY updated_id DESC LIMIT 1`,
      )
      .pluck(true);
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
      case 'asset:materialized': {
        const { materialization: m, assetKey, partition, id } = event;
        const summary = summarize(event);
        let inputsAsOf = 0;
        for (const key in m.inputs) inputsAsOf = Math.max(inputsAsOf, m.inputs[key]!.eventId);
        if ((m.blockedBy ?? []).length === 0) {
          this.indexUsableMaterialization.run(
            assetKey,
            partition,
            id,
            summary,
            m.codeVersion,
            inputsAsOf,
            m.dataVersion,
            id,
            id,
            summary,
            id,
          );
        } else {
          this.indexBlockedMaterialization.run(
            assetKey,
            partition,
            id,
            summary,
            m.codeVersion,
            inputsAsOf,
            id,
          );
        }
        break;
      }
      case 'check:evaluated':
        if (this.isOlderCheck(event)) break;
        this.indexCheck.run(event.assetKey, event.partition, event.check.name, event.id);
        if (event.check.passed) this.unblockIfCleared(event);
        break;
      case 'freshness:evaluated':
        this.indexFreshness.run(event.assetKey, event.partition, event.id, event.id);
        break;
      case 'asset:observed':
        this.indexObservation.run(
          event.assetKey,
          event.partition,
          event.id,
          event.observation.dataVersion,
          event.id,
          event.id,
        );
        break;
      case 'step:failed':
        this.indexFailure.run(event.assetKey, event.partition, event.id, event.id);
        break;
      case 'run:started':
        this.startRun.run(event.runId, event.timestamp, event.id, event.backfillId ?? null);
        break;
      case 'run:finished':
        this.finishRun.run(event.status, event.timestamp, event.id, event.runId);
        break;
      case 'partitions:added':
        this.addPartitions.run(event.name, event.id, JSON.stringify(event.keys));
        break;
      case 'partitions:removed':
        this.removePartitions.run(event.name, JSON.stringify(event.keys));
        break;
      case 'backfill:requested':
        this.requestBackfill.run(event.backfillId, event.timestamp, event.id);
        break;
      case 'backfill:finished':
        this.finishBackfill.run(event.status, event.timestamp, event.id, event.backfillId);
        break;
    }
  }

  /** A result about an older materialization than the indexed one (a slow `weir check`) is history only. */
  private isOlderCheck(event: StoredEvent<'check:evaluated'>): boolean {
    const latest = this.latestCheckOf.get(event.assetKey, event.partition, event.check.name) as
      | { body: string }
      | undefined;
    if (latest === undefined) return false;
    return (
      (JSON.parse(latest.body) as StoredEvent<'check:evaluated'>).materializationId >
      event.materializationId
    );
  }

  /**
   * A re-evaluation that passes every blocking check the newest materialization had failed
   * makes it usable (the check, not the data, was wrong). A failing re-evaluation does not
   * revoke data already in use: status reports it, and rematerializing replaces it.
   */
  private unblockIfCleared(event: StoredEvent<'check:evaluated'>): void {
    const row = this.latestMaterializationOf.get(event.assetKey, event.partition) as
      | Row
      | undefined;
    if (row === undefined || row.id !== event.materializationId) return;
    const { materialization } = parse(row.id, row.body) as StoredEvent<'asset:materialized'>;
    const cleared = (materialization.blockedBy ?? []).every((name) => {
      const latest = this.latestCheckOf.get(event.assetKey, event.partition, name) as
        | { body: string }
        | undefined;
      if (latest === undefined) return false;
      const check = JSON.parse(latest.body) as StoredEvent<'check:evaluated'>;
      return check.materializationId === row.id && check.check.passed;
    });
    if (cleared) {
      const { dataVersion } = materialization;
      this.indexUsable.run(
        dataVersion,
        dataVersion,
        event.id,
        event.assetKey,
        event.partition,
        row.id,
      );
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
    if (assetKeys === undefined) {
      // Through the partial index of unpartitioned rows (there may be millions of partition
      // rows), then in rowid order: nearly as fast as scanning the table was without them.
      return this.records(
        "rowid IN (SELECT rowid FROM asset_state WHERE partition = '')",
        "c.partition = ''",
        [],
      );
    }
    const filter = (t: string) =>
      `${t}partition = '' AND ${t}asset_key IN (SELECT value FROM json_each(?))`;
    return this.records(filter(''), filter('c.'), [JSON.stringify(assetKeys)]);
  }

  async partitionRecords(assetKey: string, partitions: readonly string[]): Promise<AssetRecord[]> {
    if (partitions.length === 0) return [];
    const filter = (t: string) =>
      `${t}asset_key = ? AND ${t}partition IN (SELECT value FROM json_each(?))`;
    return this.records(filter(''), filter('c.'), [assetKey, JSON.stringify(partitions)]);
  }

  /**
   * The records of the asset_state rows `where` selects, with the checks `checkWhere` selects
   * from check_latest (`c`) for the same rows; both take `params`.
   */
  private records(where: string, checkWhere: string, params: readonly unknown[]): AssetRecord[] {
    // Raw rows of one rowid table; the few observation, failure and freshness events are
    // fetched by id afterwards rather than joined for every asset.
    const rows = this.db
      .prepare(
        `SELECT asset_key, partition, materialization_summary, usable_id,
                CASE WHEN usable_id IS materialization_id THEN NULL ELSE usable_summary END,
                observation_id, failure_id, freshness_id, data_changed_id
         FROM asset_state WHERE ${where}`,
      )
      .raw(true)
      .all(...params) as StateRow[];
    if (rows.length === 0) return [];
    const wanted: number[] = [];
    for (const row of rows)
      for (const id of [row[5], row[6], row[7]]) if (id !== null) wanted.push(id);
    const bodies = new Map<number, StoredEvent>();
    if (wanted.length > 0) {
      const found = this.db
        .prepare('SELECT id, body FROM events WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(wanted)) as Row[];
      for (const row of found) bodies.set(row.id, parse(row.id, row.body));
    }
    const records = new Map<string, AssetRecord>();
    for (const [
      assetKey,
      partition,
      latest,
      usableId,
      usable,
      observationId,
      failureId,
      freshnessId,
      dataChangedId,
    ] of rows) {
      const record: AssetRecord = { assetKey, partition, checks: {} };
      if (latest !== null) record.materialization = readSummary(latest, assetKey, partition);
      if (usableId !== null)
        record.usable =
          usable === null ? record.materialization : readSummary(usable, assetKey, partition);
      if (observationId !== null)
        record.observation = bodies.get(observationId) as StoredEvent<'asset:observed'>;
      if (failureId !== null) record.failure = bodies.get(failureId) as StoredEvent<'step:failed'>;
      if (freshnessId !== null)
        record.freshness = bodies.get(freshnessId) as StoredEvent<'freshness:evaluated'>;
      if (dataChangedId !== null) record.dataChangedId = dataChangedId;
      records.set(`${assetKey}\0${partition}`, record);
    }
    const checkRows = this.db
      .prepare(
        `SELECT c.asset_key, c.partition, e.id, e.body FROM check_latest c JOIN events e ON e.id = c.event_id
         WHERE ${checkWhere}`,
      )
      .all(...params) as Array<{ asset_key: string; partition: string; id: number; body: string }>;
    for (const row of checkRows) {
      const record = records.get(`${row.asset_key}\0${row.partition}`);
      const event = parse(row.id, row.body) as StoredEvent<'check:evaluated'>;
      if (record !== undefined) record.checks[event.check.name] = event;
    }
    return [...records.values()];
  }

  /**
   * One query over the covering index asset_state_by_update, aggregated into one row of
   * columns: better-sqlite3 spends about a microsecond making each row, which for 100,000
   * partitions cost more than the query, while a few long strings cost little to split.
   */
  async partitionStates(
    assetKey: string,
    options: { updatedAfter?: number } = {},
  ): Promise<PartitionStates> {
    const after = options.updatedAfter;
    const params = after === undefined ? [assetKey] : [assetKey, after];
    let [n, keys, materialized, usable, changed, asOf, failed, updatedId, codes] =
      this.partitionQuery(after !== undefined, false).get(...params) as PartitionColumns;
    let partitions = n === 0 ? [] : keys!.split(SEPARATOR);
    let versions = n === 0 ? [] : codes!.split(SEPARATOR);
    if (partitions.length !== n || versions.length !== n) {
      // A key or code version holds the separator: read those two columns as JSON instead.
      [n, keys, materialized, usable, changed, asOf, failed, updatedId, codes] =
        this.partitionQuery(after !== undefined, true).get(...params) as PartitionColumns;
      partitions = n === 0 ? [] : (JSON.parse(keys!) as string[]);
      versions = n === 0 ? [] : (JSON.parse(codes!) as string[]);
    }
    const codeVersion = new Uint32Array(n);
    const codeVersions: string[] = [];
    // Partitions of one asset share a few code versions: intern them, remembering the last.
    const interned = new Map<string, number>();
    let lastCode: string | undefined;
    let lastIndex = 0;
    for (let i = 0; i < n; i++) {
      const code = versions[i]!;
      if (code !== lastCode) {
        let index = interned.get(code);
        if (index === undefined) {
          index = codeVersions.push(code) - 1;
          interned.set(code, index);
        }
        lastCode = code;
        lastIndex = index;
      }
      codeVersion[i] = lastIndex;
    }
    let throughId = updatedId ?? 0;
    if (n === 0 && after !== undefined) {
      throughId = (this.lastPartitionUpdate.get(assetKey) as number | null | undefined) ?? 0;
    }
    return {
      partitions,
      materializationId: readIds(materialized, n),
      usableId: readIds(usable, n),
      dataChangedId: readIds(changed, n),
      inputsAsOf: readIds(asOf, n),
      failureId: readIds(failed, n),
      codeVersion,
      codeVersions,
      throughId,
    };
  }

  private partitionQuery(changedOnly: boolean, json: boolean): Database.Statement {
    const name = `${changedOnly}/${json}`;
    let statement = this.partitionColumns.get(name);
    if (statement === undefined) {
      const strings = (column: string) =>
        json ? `json_group_array(${column})` : `group_concat(${column}, '${SEPARATOR}')`;
      statement = this.db
        .prepare(
          `SELECT count(*), ${strings('partition')},
             group_concat(ifnull(materialization_id, 0)), group_concat(ifnull(usable_id, 0)),
             group_concat(ifnull(data_changed_id, 0)), group_concat(ifnull(inputs_as_of, 0)),
             group_concat(ifnull(failure_id, 0)), max(updated_id),
             ${strings("ifnull(code_version, '')")}
           FROM asset_state
           WHERE asset_key = ?${changedOnly ? ' AND updated_id > ?' : ''} AND partition <> ''`,
        )
        .raw(true);
      this.partitionColumns.set(name, statement);
    }
    return statement;
  }

  async dynamicPartitions(name: string): Promise<string[]> {
    return this.db
      .prepare('SELECT key FROM dynamic_partitions WHERE name = ? ORDER BY added_id, position')
      .pluck(true)
      .all(name) as string[];
  }

  async backfills(
    options: { limit?: number; status?: BackfillStatus } = {},
  ): Promise<BackfillRecord[]> {
    const rows = this.db
      .prepare(
        `${BACKFILL_SELECT} ${options.status ? 'WHERE b.status = ?' : ''}
         ORDER BY b.requested_at DESC, b.requested_id DESC LIMIT ?`,
      )
      .all(...(options.status ? [options.status] : []), options.limit ?? 50) as BackfillRow[];
    return this.toBackfillRecords(rows);
  }

  async backfill(backfillId: string): Promise<BackfillRecord | undefined> {
    const row = this.db.prepare(`${BACKFILL_SELECT} WHERE b.backfill_id = ?`).get(backfillId) as
      | BackfillRow
      | undefined;
    return row === undefined ? undefined : this.toBackfillRecords([row])[0];
  }

  private toBackfillRecords(rows: readonly BackfillRow[]): BackfillRecord[] {
    if (rows.length === 0) return [];
    const runIds = new Map<string, string[]>(rows.map((row) => [row.backfill_id, []]));
    const runs = this.db
      .prepare(
        `SELECT backfill_id, run_id FROM runs WHERE backfill_id IN (SELECT value FROM json_each(?))
         ORDER BY started_at DESC, started_id DESC`,
      )
      .raw(true)
      .all(JSON.stringify([...runIds.keys()])) as Array<[string, string]>;
    for (const [backfillId, runId] of runs) runIds.get(backfillId)!.push(runId);
    return rows.map((row) => {
      const record: BackfillRecord = {
        backfillId: row.backfill_id,
        status: row.status,
        requestedAt: row.requested_at,
        requested: parse(row.r_id, row.r_body) as StoredEvent<'backfill:requested'>,
        runIds: runIds.get(row.backfill_id)!,
      };
      if (row.finished_at !== null) record.finishedAt = row.finished_at;
      if (row.f_body !== null)
        record.finished = parse(row.f_id!, row.f_body) as StoredEvent<'backfill:finished'>;
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
      this.db.exec(
        `DELETE FROM asset_state; DELETE FROM runs; DELETE FROM check_latest;
         DELETE FROM dynamic_partitions; DELETE FROM backfills;`,
      );
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

const BACKFILL_SELECT = `
  SELECT b.backfill_id, b.status, b.requested_at, b.finished_at, r.id AS r_id, r.body AS r_body, f.id AS f_id, f.body AS f_body
  FROM backfills b JOIN events r ON r.id = b.requested_id LEFT JOIN events f ON f.id = b.finished_id`;

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

/**
 * What the index keeps of a materialization event, as JSON: only what deciding state and
 * reading the artefact need (see MaterializationSummary); the key, partition and type are
 * columns of the row and are added back on read.
 */
function summarize(event: StoredEvent<'asset:materialized'>): string {
  const { dataVersion, codeVersion, inputs, blockedBy, startedAt, endedAt, artefact } =
    event.materialization;
  const versions: Record<string, { dataVersion: string; eventId: number }> = {};
  for (const key in inputs) {
    const { dataVersion, eventId } = inputs[key]!;
    versions[key] = { dataVersion, eventId };
  }
  return JSON.stringify({
    id: event.id,
    runId: event.runId,
    timestamp: event.timestamp,
    materialization: {
      dataVersion,
      codeVersion,
      inputs: versions,
      ...(blockedBy === undefined ? {} : { blockedBy }),
      startedAt,
      endedAt,
      artefact: { format: artefact.format, location: artefact.location, type: artefact.type },
    },
  });
}

/** Joins partition keys and code versions in partitionStates (if one holds it, JSON is used). */
const SEPARATOR = '\u0001';

/** `n` non-negative integers written by group_concat: decimal, comma-separated. */
function readIds(text: string | null, n: number): Float64Array {
  const ids = new Float64Array(n);
  if (text === null) return ids;
  let value = 0;
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      ids[k++] = value;
      value = 0;
    } else value = value * 10 + c - 48;
  }
  ids[k] = value;
  return ids;
}

function readSummary(json: string, assetKey: string, partition: string): MaterializationSummary {
  const summary = JSON.parse(json) as MaterializationSummary;
  summary.type = 'asset:materialized';
  summary.assetKey = assetKey;
  summary.partition = partition;
  return summary;
}

function parse(id: number, body: string): StoredEvent {
  // Assigning instead of spreading saves a copy per event: status parses thousands.
  const event = JSON.parse(body) as StoredEvent;
  event.id = id;
  return event;
}

function migrate(db: Database.Database, path: string): void {
  const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  // One immediate transaction: a second process opening the same new log waits here, then
  // finds the migrations applied, instead of racing to apply them too.
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS weir_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const current =
      (db.prepare('SELECT MAX(version) AS v FROM weir_schema').get() as { v: number | null }).v ??
      0;
    if (current > newest) {
      throw new EnvironmentError(
        'E_STORAGE',
        `the event log at ${path} has schema version ${current}, newer than this Weir understands (${newest})`,
        { hint: 'upgrade Weir to the version that wrote this log' },
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.prepare('INSERT INTO weir_schema (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
      db.exec(migration.sql);
    }
  }).immediate();
}
