/**
 * @module execution/_sink-event-log
 * The event log a reproduction runs against: reads go to the instance's log, and everything
 * the step records (its start, log lines, materialization, check results) goes to a sink in
 * memory instead, with made-up negative ids, so re-running a step records nothing. Whatever
 * part of the executor writes (`record`, the step log's synchronous appends), it is caught.
 */
import { InvariantError } from '../errors.js';
import type {
  EventLog,
  EventQuery,
  HoldingResult,
  RoleClaim,
  StepStart,
  StepStartResult,
  StoredEvent,
  WeirEvent,
} from '../storage/index.js';

export class SinkEventLog implements EventLog {
  /** What the step recorded, in order. */
  readonly recorded: StoredEvent[] = [];

  constructor(private readonly real: EventLog) {}

  async append(events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    return this.appendSync(events);
  }

  appendSync(events: readonly WeirEvent[]): StoredEvent[] {
    const base = this.recorded.length;
    const stored = events.map((event, i) => ({ ...event, id: -(base + i + 1) }) as StoredEvent);
    this.recorded.push(...stored);
    return stored;
  }

  async appendWhileRunning(_runId: string, events: readonly WeirEvent[]): Promise<StoredEvent[]> {
    return this.appendSync(events);
  }

  async appendHolding(
    _runId: string,
    _leases: ReadonlyArray<{ assetKey: string; partition: string }>,
    events: readonly WeirEvent[],
  ): Promise<HoldingResult> {
    return { status: 'appended', events: this.appendSync(events) };
  }

  latest: EventLog['latest'] = (keys) => this.real.latest(keys);
  statusRows: EventLog['statusRows'] = (keys) => this.real.statusRows(keys);
  partitionStates: EventLog['partitionStates'] = (key, options) =>
    this.real.partitionStates(key, options);
  partitionRecords: EventLog['partitionRecords'] = (key, partitions) =>
    this.real.partitionRecords(key, partitions);
  dynamicPartitions: EventLog['dynamicPartitions'] = (name) => this.real.dynamicPartitions(name);
  backfills: EventLog['backfills'] = (options) => this.real.backfills(options);
  backfill: EventLog['backfill'] = (id) => this.real.backfill(id);
  event: EventLog['event'] = (id) => this.real.event(id);
  events = (query?: EventQuery) => this.real.events(query);
  runs: EventLog['runs'] = (options) => this.real.runs(options);
  run: EventLog['run'] = (id) => this.real.run(id);
  leases: EventLog['leases'] = (key, partitions) => this.real.leases(key, partitions);
  lastEventId: EventLog['lastEventId'] = () => this.real.lastEventId();
  automationRecords: EventLog['automationRecords'] = (options) =>
    this.real.automationRecords(options);

  async claimRole(): Promise<RoleClaim> {
    throw new InvariantError('a reproduction takes no roles: it runs outside any daemon');
  }

  async releaseRole(): Promise<void> {}

  async startSteps(_start: StepStart): Promise<StepStartResult> {
    throw new InvariantError('a reproduction takes no leases: it runs outside any run');
  }

  async renewLeases(): Promise<void> {}

  async rebuildIndexes(): Promise<void> {
    throw new InvariantError('a reproduction never rebuilds the indexes of the log it reads');
  }

  /** The real log belongs to the instance: closing the sink leaves it open. */
  async close(): Promise<void> {}
}
