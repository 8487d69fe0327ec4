/**
 * An in-memory EventLog: a test double and reference model of the EventLog contract, written
 * from the interface docs in src/storage/event-log.ts alone. It is for tests, not production:
 * nothing is durable, nothing is shared between processes, and every read scans and copies.
 *
 * Connections share one MemoryEventStore; `new MemoryEventLog(store)` is another connection.
 * Appends run synchronously, so they are atomic and their ids are in commit order.
 */
import type {
  AssetRecord,
  AutomationRecords,
  BackfillRecord,
  EventLog,
  EventQuery,
  HoldingResult,
  Lease,
  MaterializationSummary,
  PartitionStates,
  RoleClaim,
  RoleHolder,
  RunRecord,
  StatusRow,
  StepStart,
  StepStartResult,
} from '../../src/storage/event-log.js';
import type {
  BackfillStatus,
  CheckEvent,
  MaterializationEvent,
  RunStatus,
  StoredEvent,
  WeirEvent,
} from '../../src/storage/events.js';
import { statusRowOf } from '../../src/storage/status-row.js';

const DEFAULT_LIMIT = 50;

/** The index state of one asset partition, by event id (0: none). */
interface Row {
  assetKey: string;
  partition: string;
  materializationId: number;
  usableId: number;
  observationId: number;
  failureId: number;
  freshnessId: number;
  /** The current data version and the event that last changed it. */
  dataVersion?: string;
  dataChangedId: number;
  inputsAsOf: number;
  codeVersion: string;
  updatedId: number;
}

interface RunRow {
  startedId: number;
  startedAt: number;
  status: RunStatus;
  backfillId?: string;
  finishedId?: number;
  finishedAt?: number;
}

interface BackfillRow {
  requestedId: number;
  requestedAt: number;
  status: BackfillStatus;
  finishedId?: number;
  finishedAt?: number;
}

/** Everything derived from the events: rebuilt by replaying them. */
class Index {
  /** Asset key → partition → row. */
  readonly rows = new Map<string, Map<string, Row>>();
  /** `assetKey\0partition` → check name → indexed check event id. */
  readonly checks = new Map<string, Map<string, number>>();
  readonly runs = new Map<string, RunRow>();
  readonly backfills = new Map<string, BackfillRow>();
  /** Name → current keys, in the order they were added (a Map keeps insertion order). */
  readonly dynamic = new Map<string, Map<string, true>>();
  /** `assetKey\0partition` → the lease on it. */
  readonly leases = new Map<
    string,
    {
      runId: string;
      startedId: number;
      heartbeatAt: number;
      pool?: { name: string; slots: number };
    }
  >();
  /** `kind\0name` (kind: sensor, schedule, condition, paused) → the newest such event's id. */
  readonly automation = new Map<string, number>();
}

/** The storage: the events as JSON, by id (ids are 1, 2, 3, …), and their index. */
export class MemoryEventStore {
  readonly bodies: string[] = [];
  index = new Index();
  /** Role → holder and heartbeat: liveness, outside the index (a rebuild keeps it). */
  readonly roles = new Map<string, { holder: RoleHolder; heartbeatAt: number }>();

  get lastId(): number {
    return this.bodies.length;
  }

  read(id: number): StoredEvent | undefined {
    const body = this.bodies[id - 1];
    if (body === undefined) return undefined;
    return { ...(JSON.parse(body) as WeirEvent), id } as StoredEvent;
  }
}

/** One connection to a MemoryEventStore. */
export class MemoryEventLog implements EventLog {
  private open = true;

  constructor(readonly store: MemoryEventStore = new MemoryEventStore()) {}

  async append(events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    return this.appendSync(events);
  }

  appendSync(events: readonly WeirEvent[]): StoredEvent[] {
    const store = this.connected();
    // Serialize first: if any event cannot be stored, nothing is.
    const bodies = events.map((event) => JSON.stringify(event));
    const first = store.lastId + 1;
    store.bodies.push(...bodies);
    for (let i = 0; i < bodies.length; i++) indexEvent(store, store.read(first + i)!);
    return events.map((event, i) => ({ ...event, id: first + i }) as StoredEvent);
  }

  async latest(assetKeys?: readonly string[]): Promise<AssetRecord[]> {
    const store = this.connected();
    const wanted = assetKeys === undefined ? undefined : new Set(assetKeys);
    const records: AssetRecord[] = [];
    for (const [assetKey, partitions] of store.index.rows) {
      const row = partitions.get('');
      if (row !== undefined && (wanted === undefined || wanted.has(assetKey)))
        records.push(toRecord(store, row));
    }
    return records;
  }

  async statusRows(assetKeys?: readonly string[]): Promise<StatusRow[]> {
    return (await this.latest(assetKeys)).map(statusRowOf);
  }

  async partitionStates(
    assetKey: string,
    options: { updatedAfter?: number } = {},
  ): Promise<PartitionStates> {
    const store = this.connected();
    const rows = [...(store.index.rows.get(assetKey)?.values() ?? [])].filter(
      (row) => row.partition !== '',
    );
    const after = options.updatedAfter;
    const throughId = Math.max(0, ...rows.map((row) => row.updatedId));
    return toColumns(
      after === undefined ? rows : rows.filter((row) => row.updatedId > after),
      throughId,
    );
  }

  async partitionRecords(assetKey: string, partitions: readonly string[]): Promise<AssetRecord[]> {
    const store = this.connected();
    const rows = store.index.rows.get(assetKey);
    const records: AssetRecord[] = [];
    for (const partition of new Set(partitions)) {
      const row = rows?.get(partition);
      if (row !== undefined) records.push(toRecord(store, row));
    }
    return records;
  }

  async dynamicPartitions(name: string): Promise<string[]> {
    return [...(this.connected().index.dynamic.get(name)?.keys() ?? [])];
  }

  async backfills(
    options: { limit?: number; status?: BackfillStatus } = {},
  ): Promise<BackfillRecord[]> {
    const store = this.connected();
    return [...store.index.backfills.entries()]
      .filter(([, row]) => options.status === undefined || row.status === options.status)
      .sort(([, x], [, y]) => y.requestedAt - x.requestedAt || y.requestedId - x.requestedId)
      .slice(0, options.limit ?? DEFAULT_LIMIT)
      .map(([backfillId, row]) => toBackfillRecord(store, backfillId, row));
  }

  async backfill(backfillId: string): Promise<BackfillRecord | undefined> {
    const store = this.connected();
    const row = store.index.backfills.get(backfillId);
    return row === undefined ? undefined : toBackfillRecord(store, backfillId, row);
  }

  async event(id: number): Promise<StoredEvent | undefined> {
    const store = this.connected();
    return Number.isInteger(id) ? store.read(id) : undefined;
  }

  async events(query: EventQuery = {}): Promise<StoredEvent[]> {
    const store = this.connected();
    const found: StoredEvent[] = [];
    const ids = Array.from({ length: store.lastId }, (_, i) => i + 1);
    if (query.descending) ids.reverse();
    for (const id of ids) {
      if (query.limit !== undefined && found.length >= query.limit) break;
      const event = store.read(id)!;
      if (matches(event, query)) found.push(event);
    }
    return found;
  }

  async runs(options: { limit?: number; status?: RunStatus } = {}): Promise<RunRecord[]> {
    const store = this.connected();
    return newestRuns(
      store,
      ([, row]) => options.status === undefined || row.status === options.status,
    )
      .slice(0, options.limit ?? DEFAULT_LIMIT)
      .map(([runId, row]) => toRunRecord(store, runId, row));
  }

  async run(runId: string): Promise<RunRecord | undefined> {
    const store = this.connected();
    const row = store.index.runs.get(runId);
    return row === undefined ? undefined : toRunRecord(store, runId, row);
  }

  async appendHolding(
    runId: string,
    leases: ReadonlyArray<{ assetKey: string; partition: string }>,
    events: readonly WeirEvent[],
  ): Promise<HoldingResult> {
    const store = this.connected();
    const lost = leases.flatMap(({ assetKey, partition }) => {
      const holder = leaseOf(store, assetKey, partition);
      return holder?.runId === runId ? [] : [{ assetKey, partition, holder }];
    });
    if (lost.length > 0) return { status: 'lost', lost };
    return { status: 'appended', events: this.appendSync(events) };
  }

  async appendWhileRunning(runId: string, events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    return this.connected().index.runs.get(runId)?.status === 'running'
      ? this.appendSync(events)
      : [];
  }

  async startSteps(start: StepStart): Promise<StepStartResult> {
    const store = this.connected();
    const runId = start.events.find((e) => e.type === 'step:started')?.runId;
    // Take-overs apply only to a lease that is still exactly the one judged dead.
    const applying = (start.takeOver ?? []).filter(({ lease }) => {
      const now = store.index.leases.get(`${lease.assetKey}\0${lease.partition}`);
      return now?.runId === lease.runId && now.startedId === lease.startedId;
    });
    const replaced = new Set(applying.map(({ lease }) => `${lease.assetKey}\0${lease.partition}`));
    const held: Lease[] = [];
    for (const event of start.events) {
      if (event.type !== 'step:started') continue;
      const key = `${event.assetKey}\0${event.partition}`;
      const lease = leaseOf(store, event.assetKey, event.partition);
      replaced.add(key);
      if (lease === undefined || lease.runId === runId) continue;
      if (!applying.some((dead) => `${dead.lease.assetKey}\0${dead.lease.partition}` === key)) {
        held.push(lease);
      }
    }
    if (held.length > 0) return { status: 'held', leases: held };
    const moved = start.expected.flatMap(({ assetKey, partition, materializationId }) => {
      const now = store.index.rows.get(assetKey)?.get(partition)?.materializationId ?? 0;
      return now === materializationId ? [] : [{ assetKey, partition, materializationId: now }];
    });
    if (moved.length > 0) return { status: 'moved', partitions: moved };
    const taking = applying.flatMap((dead) => dead.events);
    const { pool } = start;
    if (pool === undefined) {
      return { status: 'started', events: await this.append([...taking, ...start.events]) };
    }
    const holders: Lease[] = [];
    for (const [key, lease] of store.index.leases) {
      if (replaced.has(key) || lease.pool?.name !== pool.name || lease.pool.slots <= 0) continue;
      const [assetKey, partition] = key.split('\0') as [string, string];
      holders.push(leaseOf(store, assetKey, partition)!);
    }
    const used = holders.reduce((sum, lease) => sum + (lease.pool?.slots ?? 0), 0);
    if (used + pool.slots > pool.limit) {
      return { status: 'pool-full', pool: pool.name, used, limit: pool.limit, holders };
    }
    // The first step:started carries the unit's slots, the others none.
    let slots = pool.slots;
    const events = start.events.map((event): WeirEvent => {
      if (event.type !== 'step:started') return event;
      const stamped: WeirEvent = { ...event, pool: { name: pool.name, slots } };
      slots = 0;
      return stamped;
    });
    return { status: 'started', events: await this.append([...taking, ...events]) };
  }

  async leases(assetKey: string, partitions: readonly string[]): Promise<Lease[]> {
    const store = this.connected();
    return [...new Set(partitions)].flatMap((p) => leaseOf(store, assetKey, p) ?? []);
  }

  async renewLeases(runId: string, at: number): Promise<void> {
    for (const lease of this.connected().index.leases.values()) {
      if (lease.runId === runId) lease.heartbeatAt = at;
    }
  }

  async lastEventId(): Promise<number> {
    return this.connected().lastId;
  }

  async automationRecords(options: { conditions?: boolean } = {}): Promise<AutomationRecords> {
    const store = this.connected();
    const records: AutomationRecords = {
      sensors: new Map(),
      schedules: new Map(),
      conditions: new Map(),
      paused: new Set(),
    };
    for (const [key, id] of store.index.automation) {
      const [kind, name] = key.split('\0') as [string, string];
      const event = store.read(id)!;
      if (kind === 'condition' && options.conditions === false) continue;
      if (kind === 'paused') records.paused.add(name);
      else if (event.type === 'sensor:ticked') records.sensors.set(name, event);
      else if (event.type === 'schedule:ticked') records.schedules.set(name, event);
      else if (event.type === 'automation:evaluated') records.conditions.set(name, event);
    }
    return records;
  }

  async claimRole(
    role: string,
    holder: RoleHolder,
    at: number,
    options: { takeOver?: string } = {},
  ): Promise<RoleClaim> {
    const roles = this.connected().roles;
    const current = roles.get(role);
    if (
      current !== undefined &&
      current.holder.id !== holder.id &&
      current.holder.id !== options.takeOver
    ) {
      return { held: false, holder: { ...current.holder }, heartbeatAt: current.heartbeatAt };
    }
    roles.set(role, { holder: { ...holder }, heartbeatAt: at });
    return { held: true };
  }

  async releaseRole(role: string, holderId: string): Promise<void> {
    const roles = this.connected().roles;
    if (roles.get(role)?.holder.id === holderId) roles.delete(role);
  }

  async rebuildIndexes(): Promise<void> {
    const store = this.connected();
    store.index = new Index();
    for (let id = 1; id <= store.lastId; id++) indexEvent(store, store.read(id)!);
  }

  async close(): Promise<void> {
    this.open = false;
  }

  private connected(): MemoryEventStore {
    if (!this.open) throw new Error('this MemoryEventLog connection is closed');
    return this.store;
  }
}

function matches(event: StoredEvent, query: EventQuery): boolean {
  const { afterId, runId, assetKey, types } = query;
  if (afterId !== undefined && (query.descending ? event.id >= afterId : event.id <= afterId))
    return false;
  if (runId !== undefined && !('runId' in event && event.runId === runId)) return false;
  if (assetKey !== undefined && !('assetKey' in event && event.assetKey === assetKey)) return false;
  return types === undefined || types.length === 0 || types.includes(event.type);
}

// ---- Writing the index: one function per kind of event --------------------------------

/** A lease as read, with its holder's host and pid from its run's `run:started`. */
function leaseOf(store: MemoryEventStore, assetKey: string, partition: string): Lease | undefined {
  const lease = store.index.leases.get(`${assetKey}\0${partition}`);
  if (lease === undefined) return undefined;
  const run = store.index.runs.get(lease.runId);
  const started = run === undefined ? undefined : store.read(run.startedId);
  const holder = started?.type === 'run:started' ? started : undefined;
  return {
    assetKey,
    partition,
    ...lease,
    host: holder?.host ?? '',
    pid: holder?.pid ?? 0,
    ...(holder?.pidStart === undefined ? {} : { pidStart: holder.pidStart }),
    ...(holder?.threadId === undefined ? {} : { threadId: holder.threadId }),
  };
}

const OUTCOMES = new Set(['asset:materialized', 'step:failed', 'step:cancelled', 'step:skipped']);

/** Leases: taken by `step:started`, released by the same run's outcome or its end. */
function indexLease(index: Index, event: StoredEvent): void {
  if (event.type === 'step:started') {
    index.leases.set(`${event.assetKey}\0${event.partition}`, {
      runId: event.runId,
      startedId: event.id,
      heartbeatAt: event.timestamp,
      ...(event.pool === undefined ? {} : { pool: { ...event.pool } }),
    });
  } else if (event.type === 'run:finished') {
    for (const [key, lease] of index.leases)
      if (lease.runId === event.runId) index.leases.delete(key);
  } else if (OUTCOMES.has(event.type) && 'assetKey' in event && 'runId' in event) {
    const key = `${event.assetKey}\0${event.partition}`;
    if (index.leases.get(key)?.runId === event.runId) index.leases.delete(key);
  }
}

function indexEvent(store: MemoryEventStore, event: StoredEvent): void {
  const { index } = store;
  indexLease(index, event);
  switch (event.type) {
    case 'asset:materialized':
      indexMaterialization(rowOf(index, event.assetKey, event.partition), event);
      break;
    case 'check:evaluated':
      indexCheck(store, event);
      break;
    case 'asset:observed': {
      const row = rowOf(index, event.assetKey, event.partition);
      row.observationId = event.id;
      setDataVersion(row, event.observation.dataVersion, event.id);
      row.updatedId = event.id;
      break;
    }
    case 'step:failed':
      touch(rowOf(index, event.assetKey, event.partition), 'failureId', event.id);
      break;
    case 'freshness:evaluated':
      touch(rowOf(index, event.assetKey, event.partition), 'freshnessId', event.id);
      break;
    case 'run:started':
    case 'run:finished':
      indexRun(index, event);
      break;
    case 'partitions:added':
    case 'partitions:removed':
      indexDynamicPartitions(index, event);
      break;
    case 'backfill:requested':
    case 'backfill:finished':
      indexBackfill(index, event);
      break;
    case 'sensor:ticked':
      index.automation.set(`sensor\0${event.name}`, event.id);
      break;
    case 'schedule:ticked':
      index.automation.set(`schedule\0${event.name}`, event.id);
      break;
    case 'automation:evaluated':
      index.automation.set(`condition\0${event.assetKey}`, event.id);
      break;
    case 'automation:paused':
      index.automation.set(`paused\0${event.name}`, event.id);
      break;
    case 'automation:resumed':
      index.automation.delete(`paused\0${event.name}`);
      break;
  }
}

/** The value of `key` in `map`, made and stored first when missing. */
function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function rowOf(index: Index, assetKey: string, partition: string): Row {
  const partitions = getOrAdd(index.rows, assetKey, () => new Map<string, Row>());
  return getOrAdd(partitions, partition, () => ({
    assetKey,
    partition,
    materializationId: 0,
    usableId: 0,
    observationId: 0,
    failureId: 0,
    freshnessId: 0,
    dataChangedId: 0,
    inputsAsOf: 0,
    codeVersion: '',
    updatedId: 0,
  }));
}

function touch(row: Row, field: 'failureId' | 'freshnessId', id: number): void {
  row[field] = id;
  row.updatedId = id;
}

/** Sets the current data version; the change id moves only when the version differs. */
function setDataVersion(row: Row, dataVersion: string, carrierId: number): void {
  if (row.dataVersion !== dataVersion || row.dataChangedId === 0) row.dataChangedId = carrierId;
  row.dataVersion = dataVersion;
}

function indexMaterialization(row: Row, event: MaterializationEvent): void {
  const m = event.materialization;
  row.materializationId = event.id;
  row.codeVersion = m.codeVersion;
  row.inputsAsOf = Math.max(0, ...Object.values(m.inputs).map((input) => input.eventId));
  row.updatedId = event.id;
  if ((m.blockedBy ?? []).length === 0) {
    row.usableId = event.id;
    setDataVersion(row, m.dataVersion, event.id);
  }
}

function indexCheck(store: MemoryEventStore, event: CheckEvent): void {
  const key = `${event.assetKey}\0${event.partition}`;
  const checks = getOrAdd(store.index.checks, key, () => new Map<string, number>());
  const indexedId = checks.get(event.check.name);
  const indexed = indexedId === undefined ? undefined : (store.read(indexedId) as CheckEvent);
  // A late result about an older materialization than the indexed one is history only.
  if (indexed !== undefined && indexed.materializationId > event.materializationId) return;
  checks.set(event.check.name, event.id);
  if (event.check.passed) unblockIfCleared(store, checks, event);
}

/** Makes the newest materialization usable once every check that blocked it passes on it. */
function unblockIfCleared(store: MemoryEventStore, checks: Map<string, number>, event: CheckEvent) {
  const row = store.index.rows.get(event.assetKey)?.get(event.partition);
  if (row === undefined || row.materializationId !== event.materializationId) return;
  if (row.usableId === row.materializationId) return;
  const newest = store.read(row.materializationId) as MaterializationEvent;
  const cleared = (newest.materialization.blockedBy ?? []).every((name) => {
    const id = checks.get(name);
    const result = id === undefined ? undefined : (store.read(id) as CheckEvent);
    return result?.materializationId === newest.id && result.check.passed;
  });
  if (!cleared) return;
  row.usableId = newest.id;
  setDataVersion(row, newest.materialization.dataVersion, newest.id);
  row.updatedId = event.id;
}

function indexRun(index: Index, event: StoredEvent<'run:started' | 'run:finished'>): void {
  const previous = index.runs.get(event.runId);
  if (event.type === 'run:started') {
    const row: RunRow = {
      ...previous,
      startedId: event.id,
      startedAt: event.timestamp,
      status: 'running',
    };
    if (event.backfillId === undefined) delete row.backfillId;
    else row.backfillId = event.backfillId;
    index.runs.set(event.runId, row);
  } else if (previous !== undefined) {
    Object.assign(previous, {
      status: event.status,
      finishedId: event.id,
      finishedAt: event.timestamp,
    });
  }
}

function indexDynamicPartitions(
  index: Index,
  event: StoredEvent<'partitions:added' | 'partitions:removed'>,
): void {
  const keys = getOrAdd(index.dynamic, event.name, () => new Map<string, true>());
  for (const key of event.keys) {
    if (event.type === 'partitions:removed') keys.delete(key);
    else if (!keys.has(key)) keys.set(key, true);
  }
}

function indexBackfill(
  index: Index,
  event: StoredEvent<'backfill:requested' | 'backfill:finished'>,
): void {
  if (event.type === 'backfill:requested') {
    index.backfills.set(event.backfillId, {
      requestedId: event.id,
      requestedAt: event.timestamp,
      status: 'running',
    });
    return;
  }
  const row = index.backfills.get(event.backfillId);
  if (row !== undefined)
    Object.assign(row, { status: event.status, finishedId: event.id, finishedAt: event.timestamp });
}

// ---- Reading the index ----------------------------------------------------------------

function toRecord(store: MemoryEventStore, row: Row): AssetRecord {
  const record: AssetRecord = { assetKey: row.assetKey, partition: row.partition, checks: {} };
  const read = <T extends StoredEvent>(id: number) => store.read(id) as T;
  if (row.materializationId) record.materialization = summarize(read(row.materializationId));
  if (row.usableId) record.usable = summarize(read(row.usableId));
  if (row.observationId) record.observation = read(row.observationId);
  if (row.failureId) record.failure = read(row.failureId);
  if (row.freshnessId) record.freshness = read(row.freshnessId);
  if (row.dataChangedId) record.dataChangedId = row.dataChangedId;
  const checks = store.index.checks.get(`${row.assetKey}\0${row.partition}`);
  for (const [name, id] of checks ?? []) record.checks[name] = read<CheckEvent>(id);
  return record;
}

/** The summary the docs of MaterializationSummary list, field by field. */
function summarize(event: MaterializationEvent): MaterializationSummary {
  const { dataVersion, codeVersion, inputs, blockedBy, startedAt, endedAt, artefact } =
    event.materialization;
  const summarizedInputs: MaterializationSummary['materialization']['inputs'] = {};
  for (const [key, { dataVersion, eventId, partitionCount }] of Object.entries(inputs)) {
    summarizedInputs[key] =
      partitionCount === undefined
        ? { dataVersion, eventId }
        : { dataVersion, eventId, partitionCount };
  }
  const materialization: MaterializationSummary['materialization'] = {
    dataVersion,
    codeVersion,
    inputs: summarizedInputs,
    startedAt,
    endedAt,
    artefact: { format: artefact.format, location: artefact.location, type: artefact.type },
  };
  if (blockedBy !== undefined) materialization.blockedBy = blockedBy;
  const { id, type, runId, assetKey, partition, timestamp } = event;
  return { id, type, runId, assetKey, partition, timestamp, materialization };
}

function toColumns(rows: readonly Row[], throughId: number): PartitionStates {
  const codeVersions: string[] = [];
  const codeIndex = new Map<string, number>();
  const column = (field: keyof Row) => Float64Array.from(rows, (row) => row[field] as number);
  const codeVersion = Uint32Array.from(rows, (row) =>
    getOrAdd(codeIndex, row.codeVersion, () => codeVersions.push(row.codeVersion) - 1),
  );
  return {
    partitions: rows.map((row) => row.partition),
    materializationId: column('materializationId'),
    usableId: column('usableId'),
    dataChangedId: column('dataChangedId'),
    inputsAsOf: column('inputsAsOf'),
    failureId: column('failureId'),
    codeVersion,
    codeVersions,
    throughId,
  };
}

/** Runs passing `filter`, newest first: by start time, then by started event id. */
function newestRuns(
  store: MemoryEventStore,
  filter: (entry: [string, RunRow]) => boolean,
): Array<[string, RunRow]> {
  return [...store.index.runs.entries()]
    .filter(filter)
    .sort(([, x], [, y]) => y.startedAt - x.startedAt || y.startedId - x.startedId);
}

function toRunRecord(store: MemoryEventStore, runId: string, row: RunRow): RunRecord {
  const record: RunRecord = {
    runId,
    status: row.status,
    startedAt: row.startedAt,
    started: store.read(row.startedId) as StoredEvent<'run:started'>,
  };
  if (row.finishedAt !== undefined) record.finishedAt = row.finishedAt;
  if (row.finishedId !== undefined)
    record.finished = store.read(row.finishedId) as StoredEvent<'run:finished'>;
  return record;
}

function toBackfillRecord(
  store: MemoryEventStore,
  backfillId: string,
  row: BackfillRow,
): BackfillRecord {
  const record: BackfillRecord = {
    backfillId,
    status: row.status,
    requestedAt: row.requestedAt,
    requested: store.read(row.requestedId) as StoredEvent<'backfill:requested'>,
    runIds: newestRuns(store, ([, run]) => run.backfillId === backfillId).map(([runId]) => runId),
  };
  if (row.finishedAt !== undefined) record.finishedAt = row.finishedAt;
  if (row.finishedId !== undefined)
    record.finished = store.read(row.finishedId) as StoredEvent<'backfill:finished'>;
  return record;
}
