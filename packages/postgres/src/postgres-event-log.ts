/**
 * @module postgres-event-log
 * Weir's event log on PostgreSQL: the EventLog contract of weir's storage/event-log.ts on a
 * server that many processes and machines share. Events and the index tables that summarise
 * them are written in one transaction; every write takes the log's advisory lock first, so
 * ids are drawn, and appends commit, in one order (the contract's ordering guarantee); the
 * index rules, startSteps and group commit run on the server (migrations/0002_writes.sql), one
 * round trip per group of writes. Appends NOTIFY, so a daemon or a UI can wait for new events
 * (`onAppend`, `waitForEvents`) instead of polling.
 */
import type pg from 'pg';
import {
  type AssetRecord,
  type AutomationRecords,
  type BackfillRecord,
  type BackfillStatus,
  EnvironmentError,
  type EventLog,
  type EventQuery,
  type HoldingResult,
  type Lease,
  type PartitionStates,
  type RoleClaim,
  type RoleHolder,
  type RunRecord,
  type RunStatus,
  type StatusRow,
  type StepStart,
  type StepStartResult,
  type StoredEvent,
  type WeirEvent,
} from 'weir';
import { latestRecords, partitionRecords } from './_asset-records.js';
import { claimRole, readAutomationRecords, releaseRole } from './_automation.js';
import {
  type ConnectionOptions,
  connectError,
  describeTarget,
  isConnectionError,
  type Target,
} from './_connect.js';
import { readEvent, readEvents, readEventTimes, readLastEventId } from './_events.js';
import { appendHolding, readLeases, renewLeases, startSteps } from './_leases.js';
import { AppendListener } from './_listener.js';
import { openPool } from './_open.js';
import { readPartitionStates } from './_partition-states.js';
import type { Query } from './_query.js';
import { rebuildIndexes } from './_rebuild.js';
import { bodyOf, eventRecords, storedFrom } from './_records.js';
import { readBackfill, readBackfills, readDynamicPartitions, readRun, readRuns } from './_runs.js';
import { readStatusRows } from './_status-rows.js';
import { waitForEvents, watchEvents } from './_watch.js';
import { type Write, Writer } from './_writer.js';

export interface PostgresEventLogOptions extends ConnectionOptions {
  /**
   * The schema holding the log's tables (default `weir`), created if missing. Several logs
   * (instances) can share a database in schemas of their own. Letters, digits and `_`.
   */
  schema?: string;
  /** Connections this log opens at most for reads and writes (default 4), besides one to listen. */
  maxConnections?: number;
  /**
   * `full` (default): a write returns once its commit is durable (the server's
   * synchronous_commit). `normal`: once committed but maybe not yet flushed (synchronous_commit
   * off for this log's connections): a crash of the server or its machine may lose the last
   * few hundred milliseconds of writes, never corrupt the log (like SQLite's `normal`).
   */
  durability?: 'normal' | 'full';
  /** Shown in pg_stat_activity (default `weir`). */
  applicationName?: string;
}

/** Weir's event log in a PostgreSQL database. Open it with `PostgresEventLog.open`. */
export class PostgresEventLog implements EventLog {
  /** The server, as `host:port`. */
  readonly server: string;
  readonly database: string;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly writer: Writer;
  private readonly listener: AppendListener;
  private readonly target: Target;
  private closed = false;

  private constructor(pool: pg.Pool, config: pg.ClientConfig, schema: string, target: Target) {
    this.pool = pool;
    this.schema = schema;
    this.target = target;
    this.server = describeTarget(target);
    this.database = target.database;
    const restate = (error: unknown) => this.restate(error);
    this.writer = new Writer(pool, restate);
    this.listener = new AppendListener(config, schema, () => this.lastEventId(), restate);
  }

  /**
   * Connects, creates or upgrades the log's schema (numbered migrations in one transaction
   * under an advisory lock: processes opening a new log at once apply them once), and returns
   * the log. An unreachable server, refused credentials or a missing database are an
   * `EnvironmentError` (`E_STORAGE`) that names the server and what to check.
   */
  static async open(options: PostgresEventLogOptions = {}): Promise<PostgresEventLog> {
    const { pool, config, schema, target } = await openPool(options);
    return new PostgresEventLog(pool, config, schema, target);
  }

  async append(events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const bodies = events.map(bodyOf);
    const result = await this.write({ op: 'append', events: eventRecords(events, bodies) });
    return storedFrom(events, result.first as number);
  }

  async appendWhileRunning(runId: string, events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    const bodies = events.map(bodyOf);
    const result = await this.write({
      op: 'while',
      run: runId,
      events: eventRecords(events, bodies),
    });
    if (result.skipped === true) return [];
    return storedFrom(events, result.first as number);
  }

  appendHolding(
    runId: string,
    leases: ReadonlyArray<{ assetKey: string; partition: string }>,
    events: readonly WeirEvent[],
  ): Promise<HoldingResult> {
    return appendHolding(this.write, runId, leases, events);
  }

  startSteps(start: StepStart): Promise<StepStartResult> {
    return startSteps(this.write, start);
  }

  leases(assetKey: string, partitions: readonly string[]): Promise<Lease[]> {
    return readLeases(this.query, assetKey, partitions);
  }

  renewLeases(runId: string, at: number): Promise<void> {
    return renewLeases(this.query, runId, at);
  }

  lastEventId(): Promise<number> {
    return readLastEventId(this.query);
  }

  automationRecords(options: { conditions?: boolean } = {}): Promise<AutomationRecords> {
    return readAutomationRecords(this.query, options);
  }

  claimRole(
    role: string,
    holder: RoleHolder,
    at: number,
    options: { takeOver?: string } = {},
  ): Promise<RoleClaim> {
    return claimRole(this.write, role, holder, at, options);
  }

  releaseRole(role: string, holderId: string): Promise<void> {
    return releaseRole(this.write, role, holderId);
  }

  latest(assetKeys?: readonly string[]): Promise<AssetRecord[]> {
    return latestRecords(this.query, assetKeys);
  }

  statusRows(assetKeys?: readonly string[]): Promise<StatusRow[]> {
    return readStatusRows(this.query, assetKeys);
  }

  partitionStates(
    assetKey: string,
    options: { updatedAfter?: number } = {},
  ): Promise<PartitionStates> {
    return readPartitionStates(this.query, assetKey, options);
  }

  partitionRecords(assetKey: string, partitions: readonly string[]): Promise<AssetRecord[]> {
    return partitionRecords(this.query, assetKey, partitions);
  }

  dynamicPartitions(name: string): Promise<string[]> {
    return readDynamicPartitions(this.query, name);
  }

  backfills(options: { limit?: number; status?: BackfillStatus } = {}): Promise<BackfillRecord[]> {
    return readBackfills(this.query, options);
  }

  backfill(backfillId: string): Promise<BackfillRecord | undefined> {
    return readBackfill(this.query, backfillId);
  }

  event(id: number): Promise<StoredEvent | undefined> {
    return readEvent(this.query, id);
  }

  eventTimes(ids: readonly number[]): Promise<Map<number, number>> {
    return readEventTimes(this.query, ids);
  }

  events(query: EventQuery = {}): Promise<StoredEvent[]> {
    return readEvents(this.query, query);
  }

  runs(options: { limit?: number; status?: RunStatus } = {}): Promise<RunRecord[]> {
    return readRuns(this.query, options);
  }

  run(runId: string): Promise<RunRecord | undefined> {
    return readRun(this.query, runId);
  }

  /**
   * Rebuilds every index from the events, in one transaction under the write lock: other
   * processes' writes wait, and readers see the old indexes until it commits.
   */
  async rebuildIndexes(): Promise<void> {
    await this.writer.idle();
    const client = await this.connection();
    try {
      await rebuildIndexes(client);
    } catch (error) {
      throw this.restate(error);
    } finally {
      client.release();
    }
  }

  /**
   * Calls `listener` with the newest event id after each commit that appended events to this
   * log, by any connection, process or machine (PostgreSQL's LISTEN/NOTIFY), so a daemon or a
   * UI waits for new events instead of polling `lastEventId()`. Resolves, once this log
   * listens, with a function that stops calling `listener`. Ids may arrive coalesced (one call
   * for several commits) and, after a lost connection is restored, once more with the newest
   * id: read `events({ afterId })` from the last id you handled.
   */
  async onAppend(listener: (lastEventId: number) => void): Promise<() => void> {
    return this.listener.subscribe(listener);
  }

  /**
   * Resolves with the newest event id once it is greater than `afterId` (at once if it
   * already is), or when `timeoutMs` passes or `signal` aborts (with the newest id then,
   * possibly still `afterId`). The wait is a LISTEN, not a poll.
   */
  waitForEvents(
    afterId: number,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    return waitForEvents(this, afterId, options);
  }

  /**
   * The events appended from now on (or after `afterId`), in order, in batches as they are
   * committed, until `signal` aborts: weir's `watchEvents` (execution/watch.ts), woken by
   * NOTIFY instead of polling `lastEventId()`. Without a notification it looks anyway every
   * `recheckMs` (default 30 s), so a lost one delays events, never loses them.
   */
  watchEvents(options: {
    signal: AbortSignal;
    afterId?: number;
    filter?: Pick<EventQuery, 'types' | 'runId' | 'assetKey'>;
    recheckMs?: number;
  }): AsyncGenerator<StoredEvent[]> {
    return watchEvents(this, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.idle();
    await this.listener.close();
    await this.pool.end();
  }

  private readonly write: Write = async (op) => {
    if (this.closed) throw closedLog(this.server);
    return this.writer.submit(op);
  };

  private readonly query: Query = async <R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ) => {
    if (this.closed) throw closedLog(this.server);
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw this.restate(error);
    }
  };

  private async connection(): Promise<pg.PoolClient> {
    if (this.closed) throw closedLog(this.server);
    try {
      return await this.pool.connect();
    } catch (error) {
      throw this.restate(error);
    }
  }

  /** A pg error as an EnvironmentError naming the server. */
  private restate(error: unknown): unknown {
    if (error instanceof EnvironmentError) return error;
    if (isConnectionError(error)) return connectError(error, this.target);
    return new EnvironmentError(
      'E_STORAGE',
      `the PostgreSQL event log at ${this.server} (database '${this.database}', schema ${this.schema}): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function closedLog(server: string): EnvironmentError {
  return new EnvironmentError('E_STORAGE', `the PostgreSQL event log at ${server} is closed`);
}
