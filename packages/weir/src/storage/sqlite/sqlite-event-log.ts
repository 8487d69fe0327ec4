/**
 * @module storage/sqlite/sqlite-event-log
 * The embedded event log: one SQLite file in WAL mode, with its index tables kept in the same
 * transactions as the events they summarise.
 */
import { rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { EnvironmentError } from '../../errors.js';
import type {
  AssetRecord,
  AutomationRecords,
  BackfillRecord,
  EventLog,
  EventQuery,
  HoldingResult,
  Lease,
  PartitionStates,
  RoleClaim,
  RoleHolder,
  RunRecord,
  StatusRow,
  StepStart,
  StepStartResult,
} from '../event-log.js';
import type { BackfillStatus, RunStatus, StoredEvent, WeirEvent } from '../events.js';
import { assetRecords } from './_asset-records.js';
import { AssetStateTable } from './_asset-state.js';
import { AutomationTable } from './_automation.js';
import { readOnlyLog, sqliteFault } from './_faults.js';
import { GroupCommit } from './_group-commit.js';
import { LeaseTable } from './_leases.js';
import { openDatabase } from './_open.js';
import { PartitionStateReader } from './_partition-states.js';
import {
  BACKFILL_SELECT,
  type BackfillRow,
  backfillRecords,
  parse,
  type Row,
  RUN_SELECT,
  type RunRow,
  toRunRecord,
} from './_rows.js';
import { RunTables } from './_run-tables.js';
import { readStatusRows } from './_status-rows.js';

export interface SqliteEventLogOptions {
  /**
   * `normal` (default) survives a killed process; `full` also survives power loss, at the
   * cost of an fsync per transaction.
   */
  durability?: 'normal' | 'full';
  /**
   * Open for reading only (an instance this process may not write): nothing is created or
   * migrated, and every append fails with `E_READ_ONLY`.
   */
  readOnly?: boolean;
}

/** The embedded event log: one SQLite file in WAL mode. */
export class SqliteEventLog implements EventLog {
  readonly path: string;
  readonly readOnly: boolean;
  private readonly db: Database.Database;
  private readonly snapshot: string | undefined;
  private readonly insertEvent: Database.Statement;
  private readonly lastId: Database.Statement;
  private readonly assetState: AssetStateTable;
  private readonly runTables: RunTables;
  private readonly partitionStateReader: PartitionStateReader;
  private readonly appendAll: (events: readonly WeirEvent[]) => StoredEvent[];
  private readonly leaseTable: LeaseTable;
  private readonly automation: AutomationTable;
  private readonly group: GroupCommit;
  private readonly startAll: (start: StepStart) => StepStartResult;
  private readonly appendWhile: (runId: string, events: readonly WeirEvent[]) => StoredEvent[];
  private readonly appendHeld: (
    runId: string,
    leases: ReadonlyArray<{ assetKey: string; partition: string }>,
    events: readonly WeirEvent[],
  ) => HoldingResult;

  constructor(path: string, options: SqliteEventLogOptions = {}) {
    this.path = path;
    this.readOnly = options.readOnly ?? false;
    try {
      const opened = openDatabase(path, options);
      this.db = opened.db;
      this.snapshot = opened.snapshot;
    } catch (error) {
      const fault = sqliteFault(error, path);
      if (fault instanceof EnvironmentError) throw fault;
      throw new EnvironmentError(
        'E_STORAGE',
        `cannot open the event log at ${path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const db = this.db;
    // A damaged schema shows when statements are prepared: say so as any read would.
    const prepare = (sql: string) => this.guard(() => db.prepare(sql));
    this.lastId = prepare('SELECT max(id) FROM events').pluck(true);
    this.insertEvent = prepare(
      `INSERT INTO events (type, run_id, asset_key, partition, timestamp, body)
       VALUES (@type, @runId, @assetKey, @partition, @timestamp, @body)`,
    );
    this.assetState = this.guard(() => new AssetStateTable(db));
    this.runTables = this.guard(() => new RunTables(db));
    this.partitionStateReader = this.guard(() => new PartitionStateReader(db));
    this.appendAll = db.transaction((events: readonly WeirEvent[]) =>
      events.map((event) => this.insert(event)),
    );
    this.leaseTable = this.guard(() => new LeaseTable(db));
    this.automation = this.guard(() => new AutomationTable(db));
    this.group = this.guard(() => new GroupCommit(db));
    const running = db
      .prepare("SELECT 1 FROM runs WHERE run_id = @runId AND status = 'running'")
      .pluck(true);
    // Run inside a group commit's transaction (see _group-commit.ts).
    this.appendWhile = (runId: string, events: readonly WeirEvent[]) =>
      running.get({ runId }) === undefined ? [] : events.map((event) => this.insert(event));
    this.appendHeld = (runId, leases, events): HoldingResult => {
      const lost = this.leaseTable.notHeldBy(runId, leases);
      if (lost.length > 0) return { status: 'lost', lost };
      return { status: 'appended', events: events.map((event) => this.insert(event)) };
    };
    this.startAll = (start: StepStart): StepStartResult => {
      const checked = this.leaseTable.check(start);
      if (!Array.isArray(checked)) return checked;
      return { status: 'started', events: checked.map((e) => this.insert(e)) };
    };
  }

  private insert(event: WeirEvent): StoredEvent {
    // Property reads rather than `in` checks: this runs for every event appended.
    const columns = event as { runId?: string; assetKey?: string; partition?: string };
    const result = this.insertEvent.run({
      type: event.type,
      runId: columns.runId ?? null,
      assetKey: columns.assetKey ?? null,
      partition: columns.partition ?? null,
      timestamp: event.timestamp,
      body: JSON.stringify(event),
    });
    // Object.assign, not `{ ...event, id }`: V8 adds a property after a spread on a slow path.
    const stored = Object.assign({}, event) as StoredEvent;
    stored.id = Number(result.lastInsertRowid);
    this.index(stored);
    return stored;
  }

  private index(event: StoredEvent): void {
    this.leaseTable.index(event);
    this.automation.index(event);
    this.assetState.index(event);
    this.runTables.index(event);
  }

  async append(events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    return this.faults(() => {
      if (events.length === 0) return [];
      if (this.readOnly) throw readOnlyLog(this.path);
      return this.group.submit(() => events.map((event) => this.insert(event)));
    });
  }

  /** Synchronous append, for callers that must record while their event loop is blocked. */
  appendSync(events: readonly WeirEvent[]): StoredEvent[] {
    return this.guard(() => {
      if (events.length === 0) return [];
      if (this.readOnly) throw readOnlyLog(this.path);
      this.group.flush();
      return this.appendAll(events);
    });
  }

  async appendWhileRunning(runId: string, events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    return this.faults(() => {
      return this.group.submit(() => this.appendWhile(runId, events));
    });
  }

  async appendHolding(
    runId: string,
    leases: ReadonlyArray<{ assetKey: string; partition: string }>,
    events: readonly WeirEvent[],
  ): Promise<HoldingResult> {
    return this.faults(() => this.group.submit(() => this.appendHeld(runId, leases, events)));
  }

  async startSteps(start: StepStart): Promise<StepStartResult> {
    return this.faults(() => {
      return this.group.submit(() => this.startAll(start));
    });
  }

  async leases(assetKey: string, partitions: readonly string[]): Promise<Lease[]> {
    return this.faults(() => {
      return this.leaseTable.leases(assetKey, partitions);
    });
  }

  async lastEventId(): Promise<number> {
    return this.faults(() => (this.lastId.get() as number | null) ?? 0);
  }

  async automationRecords(options: { conditions?: boolean } = {}): Promise<AutomationRecords> {
    return this.faults(() => this.automation.records(options.conditions ?? true));
  }

  async claimRole(
    role: string,
    holder: RoleHolder,
    at: number,
    options: { takeOver?: string } = {},
  ): Promise<RoleClaim> {
    return this.faults(() =>
      this.group.submit(() => this.automation.claimRole(role, holder, at, options.takeOver)),
    );
  }

  async releaseRole(role: string, holderId: string): Promise<void> {
    return this.faults(() => this.group.submit(() => this.automation.releaseRole(role, holderId)));
  }

  async renewLeases(runId: string, at: number): Promise<void> {
    return this.faults(() => {
      this.leaseTable.renewLeases(runId, at);
    });
  }

  async latest(assetKeys?: readonly string[]): Promise<AssetRecord[]> {
    return this.faults(() => assetRecords(this.db, ...unpartitioned(assetKeys)));
  }

  async statusRows(assetKeys?: readonly string[]): Promise<StatusRow[]> {
    return this.faults(() => readStatusRows(this.db, ...unpartitioned(assetKeys)));
  }

  async partitionRecords(assetKey: string, partitions: readonly string[]): Promise<AssetRecord[]> {
    return this.faults(() => {
      if (partitions.length === 0) return [];
      // Each key looked up in the unique index (a CROSS JOIN keeps SQLite from scanning all of
      // the asset's partitions through another index, which it prefers and which is O(all)).
      const rows = `rowid IN (SELECT s.rowid FROM json_each(@partitions) j CROSS JOIN asset_state s
        WHERE s.asset_key = @assetKey AND s.partition = j.value)`;
      const checks =
        'c.asset_key = @assetKey AND c.partition IN (SELECT value FROM json_each(@partitions))';
      return assetRecords(this.db, rows, checks, {
        assetKey,
        partitions: JSON.stringify(partitions),
      });
    });
  }

  /**
   * One query over the covering index asset_state_by_update, aggregated into one row of
   * columns (see PartitionStateReader).
   */
  async partitionStates(
    assetKey: string,
    options: { updatedAfter?: number } = {},
  ): Promise<PartitionStates> {
    return this.faults(() => {
      return this.partitionStateReader.read(assetKey, options.updatedAfter);
    });
  }

  async dynamicPartitions(name: string): Promise<string[]> {
    return this.faults(() => {
      return this.db
        .prepare(
          'SELECT key FROM dynamic_partitions WHERE name = @name ORDER BY added_id, position',
        )
        .pluck(true)
        .all({ name }) as string[];
    });
  }

  async backfills(
    options: { limit?: number; status?: BackfillStatus } = {},
  ): Promise<BackfillRecord[]> {
    return this.faults(() => {
      const rows = this.db
        .prepare(
          `${BACKFILL_SELECT} ${options.status ? 'WHERE b.status = @status' : ''}
           ORDER BY b.requested_at DESC, b.requested_id DESC LIMIT @limit`,
        )
        .all({ status: options.status, limit: options.limit ?? 50 }) as BackfillRow[];
      return backfillRecords(this.db, rows);
    });
  }

  async backfill(backfillId: string): Promise<BackfillRecord | undefined> {
    return this.faults(() => {
      const row = this.db
        .prepare(`${BACKFILL_SELECT} WHERE b.backfill_id = @backfillId`)
        .get({ backfillId }) as BackfillRow | undefined;
      return row === undefined ? undefined : backfillRecords(this.db, [row])[0];
    });
  }

  async event(id: number): Promise<StoredEvent | undefined> {
    return this.faults(() => {
      const row = this.db.prepare('SELECT id, body FROM events WHERE id = @id').get({ id }) as
        | Row
        | undefined;
      return row === undefined ? undefined : parse(row.id, row.body);
    });
  }

  async eventTimes(ids: readonly number[]): Promise<Map<number, number>> {
    return this.faults(() => {
      const times = new Map<number, number>();
      const select = this.db.prepare(
        'SELECT id, timestamp FROM events WHERE id IN (SELECT value FROM json_each(@ids))',
      );
      for (let at = 0; at < ids.length; at += 10_000) {
        const rows = select.raw().all({ ids: JSON.stringify(ids.slice(at, at + 10_000)) }) as Array<
          [number, number]
        >;
        for (const [id, timestamp] of rows) times.set(id, timestamp);
      }
      return times;
    });
  }

  async events(query: EventQuery = {}): Promise<StoredEvent[]> {
    return this.faults(() => {
      const where: string[] = [];
      const params: Record<string, unknown> = { ...query };
      if (query.afterId !== undefined)
        where.push(query.descending ? 'id < @afterId' : 'id > @afterId');
      if (query.runId !== undefined) where.push('run_id = @runId');
      if (query.assetKey !== undefined) where.push('asset_key = @assetKey');
      if (query.types !== undefined && query.types.length > 0) {
        where.push(`type IN (${query.types.map((_, i) => `@type${i}`).join(', ')})`);
        query.types.forEach((type, i) => {
          params[`type${i}`] = type;
        });
      }
      const sql =
        `SELECT id, body FROM events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
        ` ORDER BY id ${query.descending ? 'DESC' : 'ASC'}${query.limit !== undefined ? ' LIMIT @limit' : ''}`;
      const rows = this.db.prepare(sql).all(params) as Row[];
      return rows.map((row) => parse(row.id, row.body));
    });
  }

  async runs(options: { limit?: number; status?: RunStatus } = {}): Promise<RunRecord[]> {
    return this.faults(() => {
      const rows = this.db
        .prepare(
          `${RUN_SELECT} ${options.status ? 'WHERE r.status = @status' : ''} ORDER BY r.started_at DESC, r.started_id DESC LIMIT @limit`,
        )
        .all({ status: options.status, limit: options.limit ?? 50 }) as RunRow[];
      return rows.map(toRunRecord);
    });
  }

  async run(runId: string): Promise<RunRecord | undefined> {
    return this.faults(() => {
      const row = this.db.prepare(`${RUN_SELECT} WHERE r.run_id = @runId`).get({ runId }) as
        | RunRow
        | undefined;
      return row === undefined ? undefined : toRunRecord(row);
    });
  }

  /**
   * Rebuilds every index from the events. With `drop` (recovering a damaged log), an event
   * that cannot be indexed (its JSON parses, but is damaged inside) is deleted and named
   * instead of failing the rebuild.
   */
  async rebuildIndexes(options: { drop?: (id: number) => void } = {}): Promise<void> {
    const { drop } = options;
    const remove = this.db.prepare('DELETE FROM events WHERE id = @id');
    // Nested in the rebuild's transaction: a savepoint, so a failed event leaves no trace.
    const indexOne = this.db.transaction((row: Row) => this.index(parse(row.id, row.body)));
    return this.faults(() => {
      this.db.transaction(() => {
        this.db.exec(
          `DELETE FROM asset_state; DELETE FROM runs; DELETE FROM check_latest;
           DELETE FROM dynamic_partitions; DELETE FROM backfills; DELETE FROM leases;
           DELETE FROM automation_state;`,
        );
        // Pages, not one cursor: SQLite cannot write while a statement is still reading.
        const page = this.db.prepare(
          'SELECT id, body FROM events WHERE id > @afterId ORDER BY id LIMIT 10000',
        );
        for (
          let rows = page.all({ afterId: 0 }) as Row[];
          rows.length > 0;
          rows = page.all({ afterId: rows[rows.length - 1]!.id }) as Row[]
        ) {
          for (const row of rows) {
            if (drop === undefined) {
              this.index(parse(row.id, row.body));
              continue;
            }
            try {
              indexOne(row);
            } catch {
              remove.run({ id: row.id });
              drop(row.id);
            }
          }
        }
      })();
    });
  }

  /** `PRAGMA integrity_check`: `['ok']`, or what is damaged (at most `max` lines). */
  integrityCheck(max = 20): string[] {
    return this.guard(() =>
      (
        this.db.pragma(`integrity_check(${max})`, { simple: false }) as Array<{
          integrity_check: string;
        }>
      ).map((row) => row.integrity_check),
    );
  }

  async close(): Promise<void> {
    if (this.db.open) {
      this.group.flush();
      this.db.close();
    }
    if (this.snapshot !== undefined) rmSync(this.snapshot, { recursive: true, force: true });
  }

  /** Runs `work` with SQLite's errors restated as what happened to the log (see _faults.ts). */
  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw sqliteFault(error, this.path, this.db);
    }
  }

  /** `guard` for work that may finish later (a group commit). */
  private async faults<T>(work: () => T | Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw sqliteFault(error, this.path, this.db);
    }
  }
}

/** The where clauses and parameters of `assetRecords`/`statusRows` for unpartitioned assets. */
function unpartitioned(
  assetKeys: readonly string[] | undefined,
): [string, string, Record<string, unknown>] {
  if (assetKeys === undefined) {
    // Through the partial index of unpartitioned rows (there may be millions of partition
    // rows), then in rowid order: nearly as fast as scanning the table was without them.
    return [
      "rowid IN (SELECT rowid FROM asset_state WHERE partition = '')",
      "c.partition = ''",
      {},
    ];
  }
  const filter = (t: string) =>
    `${t}partition = '' AND ${t}asset_key IN (SELECT value FROM json_each(@assetKeys))`;
  return [filter(''), filter('c.'), { assetKeys: JSON.stringify(assetKeys) }];
}
