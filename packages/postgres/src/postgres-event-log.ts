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
import pg from 'pg';
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
  type MaterializationSummary,
  type PartitionStates,
  poolStarts,
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
import {
  type ConnectionOptions,
  connectError,
  describeTarget,
  isConnectionError,
  type Target,
  targetOf,
} from './_connect.js';
import { AppendListener } from './_listener.js';
import { migrate } from './_migrations.js';
import { bodyOf, parseEvent, readSummary, recordOf, summarize } from './_records.js';
import { type WriteOp, type WriteResult, Writer } from './_writer.js';

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

/** The advisory lock every write takes (classid WEIR, objid the schema's hash). */
const WRITE_LOCK = 1464158546;

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** bigint (ids, epoch ms) as numbers: every value Weir stores is below 2^53. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

type LeaseRow = {
  asset_key: string;
  partition: string;
  run_id: string;
  started_id: number;
  heartbeat_at: number;
  pool: string | null;
  slots: number | null;
  host: string | null;
  pid: number | null;
  pid_start: number | null;
  thread_id: number | null;
};

type RecordRow = {
  asset_key: string;
  partition: string;
  materialization_id: number | null;
  materialization_summary: string | null;
  m_body: string | null;
  usable_id: number | null;
  usable_summary: string | null;
  u_body: string | null;
  observation_id: number | null;
  o_body: string | null;
  failure_id: number | null;
  f_body: string | null;
  freshness_id: number | null;
  fr_body: string | null;
  data_changed_id: number | null;
  checks: Array<[number, string]> | null;
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

type BackfillRow = {
  backfill_id: string;
  status: BackfillStatus;
  requested_at: number;
  finished_at: number | null;
  r_id: number;
  r_body: string;
  f_id: number | null;
  f_body: string | null;
  run_ids: string[] | null;
};

const RECORD_SELECT = `
  SELECT s.asset_key, s.partition, s.materialization_id, s.materialization_summary, m.body AS m_body,
    s.usable_id, CASE WHEN s.usable_id IS NOT DISTINCT FROM s.materialization_id THEN NULL
      ELSE s.usable_summary END AS usable_summary, u.body AS u_body,
    s.observation_id, o.body AS o_body, s.failure_id, f.body AS f_body,
    s.freshness_id, fr.body AS fr_body, s.data_changed_id,
    (SELECT json_agg(json_build_array(e.id, e.body)) FROM check_latest c
       JOIN events e ON e.id = c.event_id
     WHERE c.asset_key = s.asset_key AND c.partition = s.partition) AS checks
  FROM asset_state s
  LEFT JOIN events m ON s.materialization_summary IS NULL AND m.id = s.materialization_id
  LEFT JOIN events u ON s.usable_id IS DISTINCT FROM s.materialization_id
    AND s.usable_summary IS NULL AND u.id = s.usable_id
  LEFT JOIN events o ON o.id = s.observation_id
  LEFT JOIN events f ON f.id = s.failure_id
  LEFT JOIN events fr ON fr.id = s.freshness_id`;

const RUN_SELECT = `
  SELECT r.run_id, r.status, r.started_at, r.finished_at, s.id AS s_id, s.body AS s_body,
    f.id AS f_id, f.body AS f_body
  FROM runs r JOIN events s ON s.id = r.started_id LEFT JOIN events f ON f.id = r.finished_id`;

const BACKFILL_SELECT = `
  SELECT b.backfill_id, b.status, b.requested_at, b.finished_at, r.id AS r_id, r.body AS r_body,
    f.id AS f_id, f.body AS f_body,
    (SELECT json_agg(x.run_id ORDER BY x.started_at DESC, x.started_id DESC) FROM runs x
     WHERE x.backfill_id = b.backfill_id) AS run_ids
  FROM backfills b JOIN events r ON r.id = b.requested_id LEFT JOIN events f ON f.id = b.finished_id`;

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
    const schema = options.schema ?? 'weir';
    if (!SCHEMA_NAME.test(schema)) {
      throw new EnvironmentError(
        'E_USAGE',
        `'${schema}' cannot name the event log's schema: use letters, digits and _ (at most 63, not starting with a digit)`,
      );
    }
    // Set on each connection as it opens (not as startup `options`, which a connection
    // string's own `options` would replace).
    const session = `SET search_path TO ${schema}${options.durability === 'normal' ? '; SET synchronous_commit TO off' : ''}`;
    const config: pg.ClientConfig = {
      ...(options.connectionString === undefined
        ? {}
        : { connectionString: options.connectionString }),
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.user === undefined ? {} : { user: options.user }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.database === undefined ? {} : { database: options.database }),
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: options.applicationName ?? 'weir',
      types: TYPES,
    };
    const client = new pg.Client(config);
    const target = targetOf(client);
    // A client that fails after connecting (the server going away) must not crash the process.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query(session);
      const { rows } = await client.query<{ version: string }>(
        "SELECT current_setting('server_version_num') AS version",
      );
      if (Number(rows[0]?.version) < 120000) {
        throw new EnvironmentError(
          'E_STORAGE',
          `the PostgreSQL server at ${describeTarget(target)} is version ${rows[0]?.version}; Weir's event log needs PostgreSQL 12 or newer`,
          { hint: 'upgrade the server, or point WEIR_DATABASE_URL at a newer one' },
        );
      }
      await migrate(client, schema, describeTarget(target));
    } catch (error) {
      await client.end().catch(() => {});
      throw connectError(error, target);
    }
    await client.end();
    const pool = new pg.Pool({
      ...config,
      max: options.maxConnections ?? 4,
      // Before the connection is used; a failure fails what it was opened for.
      onConnect: async (connection) => {
        await connection.query(session);
      },
    });
    // An idle connection the server closed: the next query opens another.
    pool.on('error', () => {});
    return new PostgresEventLog(pool, config, schema, target);
  }

  async append(events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const bodies = events.map(bodyOf);
    const result = await this.write({ op: 'append', events: records(events, bodies) });
    return storedFrom(events, result.first as number);
  }

  async appendWhileRunning(runId: string, events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    const bodies = events.map(bodyOf);
    const result = await this.write({
      op: 'while',
      run: runId,
      events: records(events, bodies),
    });
    if (result.skipped === true) return [];
    return storedFrom(events, result.first as number);
  }

  async appendHolding(
    runId: string,
    leases: ReadonlyArray<{ assetKey: string; partition: string }>,
    events: readonly WeirEvent[],
  ): Promise<HoldingResult> {
    const bodies = events.map(bodyOf);
    const result = await this.write({
      op: 'holding',
      run: runId,
      leases: leases.map((l) => [l.assetKey, l.partition]),
      events: records(events, bodies),
    });
    if (result.lost !== undefined) {
      const lost = result.lost as Array<{
        assetKey: string;
        partition: string;
        holder: LeaseRow | null;
      }>;
      return {
        status: 'lost',
        lost: lost.map((l) => ({
          assetKey: l.assetKey,
          partition: l.partition,
          holder: l.holder === null ? undefined : toLease(l.holder),
        })),
      };
    }
    return { status: 'appended', events: storedFrom(events, result.first as number) };
  }

  async startSteps(start: StepStart): Promise<StepStartResult> {
    const unit =
      start.pool === undefined ? [...start.events] : poolStarts(start.events, start.pool);
    const runId = unit.find((event) => event.type === 'step:started')?.runId;
    const starting = unit.flatMap((event) =>
      event.type === 'step:started' ? [[event.assetKey, event.partition]] : [],
    );
    const takeOver = start.takeOver ?? [];
    const takeBodies = takeOver.map((take) => take.events.map(bodyOf));
    const unitBodies = unit.map(bodyOf);
    const result = await this.write({
      op: 'start',
      run: runId ?? null,
      starting,
      expected: start.expected.map((e) => [e.assetKey, e.partition, e.materializationId]),
      take: takeOver.map((take, i) => ({
        k: take.lease.assetKey,
        p: take.lease.partition,
        run: take.lease.runId,
        startedId: take.lease.startedId,
        events: records(take.events, takeBodies[i]!),
      })),
      pool: start.pool ?? null,
      events: records(unit, unitBodies),
    });
    switch (result.status) {
      case 'held':
        return { status: 'held', leases: (result.leases as LeaseRow[]).map(toLease) };
      case 'moved':
        return {
          status: 'moved',
          partitions: (result.partitions as Array<[string, string, number]>).map(
            ([assetKey, partition, materializationId]) => ({
              assetKey,
              partition,
              materializationId,
            }),
          ),
        };
      case 'pool-full':
        return {
          status: 'pool-full',
          pool: start.pool!.name,
          used: result.used as number,
          limit: start.pool!.limit,
          holders: (result.holders as LeaseRow[]).map(toLease),
        };
    }
    const appended: WeirEvent[] = [];
    for (const i of result.taken as number[]) appended.push(...takeOver[i]!.events);
    appended.push(...unit);
    return { status: 'started', events: storedFrom(appended, result.first as number) };
  }

  async leases(assetKey: string, partitions: readonly string[]): Promise<Lease[]> {
    if (partitions.length === 0) return [];
    const { rows } = await this.query<LeaseRow>(
      'SELECT * FROM lease_holders WHERE asset_key = $1 AND partition = ANY($2::text[])',
      [assetKey, partitions],
    );
    return rows.map(toLease);
  }

  async renewLeases(runId: string, at: number): Promise<void> {
    await this.query('UPDATE leases SET heartbeat_at = $2 WHERE run_id = $1', [runId, at]);
  }

  async lastEventId(): Promise<number> {
    const { rows } = await this.query<{ id: number }>(
      'SELECT coalesce(max(id), 0)::bigint AS id FROM events',
    );
    return rows[0]!.id;
  }

  async automationRecords(options: { conditions?: boolean } = {}): Promise<AutomationRecords> {
    const { rows } = await this.query<{ kind: string; name: string; id: number; body: string }>(
      `SELECT a.kind, a.name, e.id, e.body FROM automation_state a JOIN events e ON e.id = a.event_id
       WHERE $1 OR a.kind <> 'condition'`,
      [options.conditions ?? true],
    );
    const records: AutomationRecords = {
      sensors: new Map(),
      schedules: new Map(),
      conditions: new Map(),
      paused: new Set(),
    };
    for (const row of rows) {
      if (row.kind === 'paused') {
        records.paused.add(row.name);
        continue;
      }
      const event = parseEvent(row.id, row.body);
      if (event.type === 'sensor:ticked') records.sensors.set(row.name, event);
      else if (event.type === 'schedule:ticked') records.schedules.set(row.name, event);
      else if (event.type === 'automation:evaluated') records.conditions.set(row.name, event);
    }
    return records;
  }

  async claimRole(
    role: string,
    holder: RoleHolder,
    at: number,
    options: { takeOver?: string } = {},
  ): Promise<RoleClaim> {
    const result = await this.write({
      op: 'claim',
      role,
      id: holder.id,
      holder: JSON.stringify(holder),
      at,
      takeOver: options.takeOver ?? null,
    });
    if (result.held === true) return { held: true };
    return {
      held: false,
      holder: JSON.parse(result.holder as string) as RoleHolder,
      heartbeatAt: result.heartbeatAt as number,
    };
  }

  async releaseRole(role: string, holderId: string): Promise<void> {
    await this.write({ op: 'release', role, id: holderId });
  }

  async latest(assetKeys?: readonly string[]): Promise<AssetRecord[]> {
    return assetKeys === undefined
      ? this.records("s.partition = ''", [])
      : this.records("s.partition = '' AND s.asset_key = ANY($1::text[])", [assetKeys]);
  }

  async statusRows(assetKeys?: readonly string[]): Promise<StatusRow[]> {
    const { rows } = await this.query<{
      asset_key: string;
      materialization_id: number | null;
      usable_id: number | null;
      observation_id: number | null;
      failure_id: number | null;
      data_version: string | null;
      code_version: string | null;
      input_versions: string | null;
      location: string | null;
      ended_at: number | null;
      failing: boolean;
    }>(
      `SELECT s.asset_key, s.materialization_id, s.usable_id, s.observation_id, s.failure_id,
         s.materialization_data_version AS data_version, s.code_version, s.input_versions,
         s.location, s.ended_at,
         EXISTS (SELECT 1 FROM check_latest c WHERE c.asset_key = s.asset_key
           AND c.partition = '' AND NOT c.passed AND c.materialization_id = s.materialization_id)
           AS failing
       FROM asset_state s
       WHERE s.partition = ''${assetKeys === undefined ? '' : ' AND s.asset_key = ANY($1::text[])'}`,
      assetKeys === undefined ? [] : [assetKeys],
    );
    return rows.map((row) => ({
      assetKey: row.asset_key,
      materializationId: row.materialization_id ?? 0,
      usableId: row.usable_id ?? 0,
      observationId: row.observation_id ?? 0,
      failureId: row.failure_id ?? 0,
      dataVersion: row.data_version ?? undefined,
      codeVersion: row.code_version ?? undefined,
      inputVersions:
        row.input_versions === null ? undefined : (JSON.parse(row.input_versions) as string),
      location: row.location ?? undefined,
      endedAt: row.ended_at ?? 0,
      failingCheck: row.failing,
    }));
  }

  async partitionStates(
    assetKey: string,
    options: { updatedAfter?: number } = {},
  ): Promise<PartitionStates> {
    const after = options.updatedAfter;
    const { rows } = await this.query<{
      n: number;
      keys: string[] | null;
      materialized: string | null;
      usable: string | null;
      changed: string | null;
      as_of: string | null;
      failed: string | null;
      codes: string[] | null;
      through: number;
    }>(
      // One row of columns: making 100,000 row objects costs more than the query.
      `SELECT count(*)::integer AS n, json_agg(partition) AS keys,
         string_agg(coalesce(materialization_id, 0)::text, ',') AS materialized,
         string_agg(coalesce(usable_id, 0)::text, ',') AS usable,
         string_agg(coalesce(data_changed_id, 0)::text, ',') AS changed,
         string_agg(coalesce(inputs_as_of, 0)::text, ',') AS as_of,
         string_agg(coalesce(failure_id, 0)::text, ',') AS failed,
         json_agg(coalesce(code_version, '')) AS codes,
         (SELECT coalesce(max(updated_id), 0) FROM asset_state
          WHERE asset_key = $1 AND partition <> '')::bigint AS through
       FROM asset_state
       WHERE asset_key = $1 AND partition <> ''${after === undefined ? '' : ' AND updated_id > $2'}`,
      after === undefined ? [assetKey] : [assetKey, after],
    );
    const row = rows[0]!;
    const n = row.n;
    const versions = row.codes ?? [];
    const codeVersion = new Uint32Array(n);
    const codeVersions: string[] = [];
    const interned = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const code = versions[i]!;
      let index = interned.get(code);
      if (index === undefined) {
        index = codeVersions.push(code) - 1;
        interned.set(code, index);
      }
      codeVersion[i] = index;
    }
    return {
      partitions: row.keys ?? [],
      materializationId: readIds(row.materialized, n),
      usableId: readIds(row.usable, n),
      dataChangedId: readIds(row.changed, n),
      inputsAsOf: readIds(row.as_of, n),
      failureId: readIds(row.failed, n),
      codeVersion,
      codeVersions,
      throughId: row.through,
    };
  }

  async partitionRecords(assetKey: string, partitions: readonly string[]): Promise<AssetRecord[]> {
    if (partitions.length === 0) return [];
    return this.records('s.asset_key = $1 AND s.partition = ANY($2::text[])', [
      assetKey,
      partitions,
    ]);
  }

  async dynamicPartitions(name: string): Promise<string[]> {
    const { rows } = await this.query<{ key: string }>(
      'SELECT key FROM dynamic_partitions WHERE name = $1 ORDER BY added_id, position',
      [name],
    );
    return rows.map((row) => row.key);
  }

  async backfills(
    options: { limit?: number; status?: BackfillStatus } = {},
  ): Promise<BackfillRecord[]> {
    const { rows } = await this.query<BackfillRow>(
      `${BACKFILL_SELECT} WHERE $1::text IS NULL OR b.status = $1
       ORDER BY b.requested_at DESC, b.requested_id DESC LIMIT $2`,
      [options.status ?? null, options.limit ?? 50],
    );
    return rows.map(toBackfillRecord);
  }

  async backfill(backfillId: string): Promise<BackfillRecord | undefined> {
    const { rows } = await this.query<BackfillRow>(`${BACKFILL_SELECT} WHERE b.backfill_id = $1`, [
      backfillId,
    ]);
    return rows[0] === undefined ? undefined : toBackfillRecord(rows[0]);
  }

  async event(id: number): Promise<StoredEvent | undefined> {
    const { rows } = await this.query<{ id: number; body: string }>(
      'SELECT id, body FROM events WHERE id = $1',
      [id],
    );
    return rows[0] === undefined ? undefined : parseEvent(rows[0].id, rows[0].body);
  }

  async eventTimes(ids: readonly number[]): Promise<Map<number, number>> {
    const times = new Map<number, number>();
    if (ids.length === 0) return times;
    const { rows } = await this.query<{ id: number; timestamp: number }>(
      'SELECT id, timestamp FROM events WHERE id = ANY($1::bigint[])',
      [ids],
    );
    for (const row of rows) times.set(row.id, row.timestamp);
    return times;
  }

  async events(query: EventQuery = {}): Promise<StoredEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.afterId !== undefined)
      where.push(`id ${query.descending ? '<' : '>'} ${param(query.afterId)}`);
    if (query.runId !== undefined) where.push(`run_id = ${param(query.runId)}`);
    if (query.assetKey !== undefined) where.push(`asset_key = ${param(query.assetKey)}`);
    if (query.types !== undefined && query.types.length > 0)
      where.push(`type = ANY(${param(query.types)}::text[])`);
    const sql =
      `SELECT id, body FROM events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ` ORDER BY id ${query.descending ? 'DESC' : 'ASC'}` +
      (query.limit !== undefined ? ` LIMIT ${param(query.limit)}` : '');
    const { rows } = await this.query<{ id: number; body: string }>(sql, params);
    return rows.map((row) => parseEvent(row.id, row.body));
  }

  async runs(options: { limit?: number; status?: RunStatus } = {}): Promise<RunRecord[]> {
    const { rows } = await this.query<RunRow>(
      `${RUN_SELECT} WHERE $1::text IS NULL OR r.status = $1
       ORDER BY r.started_at DESC, r.started_id DESC LIMIT $2`,
      [options.status ?? null, options.limit ?? 50],
    );
    return rows.map(toRunRecord);
  }

  async run(runId: string): Promise<RunRecord | undefined> {
    const { rows } = await this.query<RunRow>(`${RUN_SELECT} WHERE r.run_id = $1`, [runId]);
    return rows[0] === undefined ? undefined : toRunRecord(rows[0]);
  }

  /**
   * Rebuilds every index from the events, in one transaction under the write lock: other
   * processes' writes wait, and readers see the old indexes until it commits.
   */
  async rebuildIndexes(): Promise<void> {
    await this.writer.idle();
    const client = await this.connection();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [
        WRITE_LOCK,
      ]);
      await client.query(
        `DELETE FROM asset_state; DELETE FROM check_latest; DELETE FROM runs;
         DELETE FROM dynamic_partitions; DELETE FROM backfills; DELETE FROM leases;
         DELETE FROM automation_state`,
      );
      for (let afterId = 0; ; ) {
        const { rows } = await client.query<{ id: number; body: string }>(
          'SELECT id, body FROM events WHERE id > $1 ORDER BY id LIMIT 5000',
          [afterId],
        );
        if (rows.length === 0) break;
        const replay = rows.map((row) => {
          const record = recordOf(parseEvent(row.id, row.body), undefined);
          record.id = row.id;
          return record;
        });
        await client.query('SELECT weir_reindex($1::jsonb)', [JSON.stringify(replay)]);
        afterId = rows[rows.length - 1]!.id;
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
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
  async waitForEvents(
    afterId: number,
    options: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    let wake: (() => void) | undefined;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const stop = await this.onAppend((id) => {
      if (id > afterId) wake!();
    });
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(wake!, options.timeoutMs);
    const abort = () => wake!();
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      // Subscribed first, then read: an append between the two is not missed.
      const now = await this.lastEventId();
      if (now > afterId || options.signal?.aborted) return now;
      await woken;
      return await this.lastEventId();
    } finally {
      stop();
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * The events appended from now on (or after `afterId`), in order, in batches as they are
   * committed, until `signal` aborts: weir's `watchEvents` (execution/watch.ts), woken by
   * NOTIFY instead of polling `lastEventId()`. Without a notification it looks anyway every
   * `recheckMs` (default 30 s), so a lost one delays events, never loses them.
   */
  async *watchEvents(options: {
    signal: AbortSignal;
    afterId?: number;
    filter?: Pick<EventQuery, 'types' | 'runId' | 'assetKey'>;
    recheckMs?: number;
  }): AsyncGenerator<StoredEvent[]> {
    const page = 1_000;
    let afterId = options.afterId ?? (await this.lastEventId());
    while (!options.signal.aborted) {
      const last = await this.waitForEvents(afterId, {
        signal: options.signal,
        timeoutMs: options.recheckMs ?? 30_000,
      });
      // Up to the newest id as read now: what is appended meanwhile is for the next round.
      while (afterId < last && !options.signal.aborted) {
        const events = await this.events({ ...options.filter, afterId, limit: page });
        const seen = events.filter((event) => event.id <= last);
        if (seen.length > 0) yield seen;
        afterId = events.length < page ? last : events[events.length - 1]!.id;
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.idle();
    await this.listener.close();
    await this.pool.end();
  }

  /** Reads the index records of the asset_state rows (`s`) that `where` selects. */
  private async records(where: string, params: unknown[]): Promise<AssetRecord[]> {
    const { rows } = await this.query<RecordRow>(`${RECORD_SELECT} WHERE ${where}`, params);
    return rows.map(toAssetRecord);
  }

  private async write(op: WriteOp): Promise<WriteResult> {
    if (this.closed) throw closedLog(this.server);
    return this.writer.submit(op);
  }

  private async query<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    if (this.closed) throw closedLog(this.server);
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw this.restate(error);
    }
  }

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

function records(events: readonly WeirEvent[], bodies: readonly string[]) {
  return events.map((event, i) => recordOf(event, bodies[i]!));
}

/** The events as stored: each with its id, from `first` on, in order. */
function storedFrom(events: readonly WeirEvent[], first: number): StoredEvent[] {
  return events.map((event, i) => {
    // Object.assign, not `{ ...event, id }`: V8 adds a property after a spread on a slow path.
    const stored = Object.assign({}, event) as StoredEvent;
    stored.id = first + i;
    return stored;
  });
}

/** `n` non-negative integers written by string_agg: decimal, comma-separated. */
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

function toLease(row: LeaseRow): Lease {
  return {
    assetKey: row.asset_key,
    partition: row.partition,
    runId: row.run_id,
    host: row.host ?? '',
    pid: row.pid ?? 0,
    ...(row.pid_start === null ? {} : { pidStart: row.pid_start }),
    ...(row.thread_id === null ? {} : { threadId: row.thread_id }),
    startedId: row.started_id,
    heartbeatAt: row.heartbeat_at,
    ...(row.pool === null ? {} : { pool: { name: row.pool, slots: row.slots ?? 0 } }),
  };
}

function toAssetRecord(row: RecordRow): AssetRecord {
  const { asset_key: assetKey, partition } = row;
  const summaryOf = (id: number, kept: string | null, body: string | null) =>
    readSummary(
      kept ?? summarize(parseEvent(id, body!) as StoredEvent<'asset:materialized'>),
      id,
      assetKey,
      partition,
    );
  const record: AssetRecord = { assetKey, partition, checks: {} };
  let newest: MaterializationSummary | undefined;
  if (row.materialization_id !== null) {
    newest = summaryOf(row.materialization_id, row.materialization_summary, row.m_body);
    record.materialization = newest;
  }
  if (row.usable_id !== null) {
    record.usable =
      row.usable_id === row.materialization_id
        ? newest
        : summaryOf(row.usable_id, row.usable_summary, row.u_body);
  }
  if (row.observation_id !== null)
    record.observation = parseEvent(
      row.observation_id,
      row.o_body!,
    ) as StoredEvent<'asset:observed'>;
  if (row.failure_id !== null)
    record.failure = parseEvent(row.failure_id, row.f_body!) as StoredEvent<'step:failed'>;
  if (row.freshness_id !== null)
    record.freshness = parseEvent(
      row.freshness_id,
      row.fr_body!,
    ) as StoredEvent<'freshness:evaluated'>;
  if (row.data_changed_id !== null) record.dataChangedId = row.data_changed_id;
  for (const [id, body] of row.checks ?? []) {
    const check = parseEvent(id, body) as StoredEvent<'check:evaluated'>;
    record.checks[check.check.name] = check;
  }
  return record;
}

function toRunRecord(row: RunRow): RunRecord {
  const record: RunRecord = {
    runId: row.run_id,
    status: row.status,
    startedAt: row.started_at,
    started: parseEvent(row.s_id, row.s_body) as StoredEvent<'run:started'>,
  };
  if (row.finished_at !== null) record.finishedAt = row.finished_at;
  if (row.f_body !== null)
    record.finished = parseEvent(row.f_id!, row.f_body) as StoredEvent<'run:finished'>;
  return record;
}

function toBackfillRecord(row: BackfillRow): BackfillRecord {
  const record: BackfillRecord = {
    backfillId: row.backfill_id,
    status: row.status,
    requestedAt: row.requested_at,
    requested: parseEvent(row.r_id, row.r_body) as StoredEvent<'backfill:requested'>,
    runIds: row.run_ids ?? [],
  };
  if (row.finished_at !== null) record.finishedAt = row.finished_at;
  if (row.f_body !== null)
    record.finished = parseEvent(row.f_id!, row.f_body) as StoredEvent<'backfill:finished'>;
  return record;
}
