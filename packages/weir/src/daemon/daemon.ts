/**
 * @module daemon/daemon
 * The daemon: keeps every obligation of a project met without a person. Each pass, if this
 * process holds the instance's daemon role (_role.ts), it polls the sensors and observes the
 * sources that are due, handles due schedule ticks, evaluates the assets' automation
 * conditions when the log has changed, records freshness on a clock and notifies failures
 * and violations; runs it launches go through its run queue (_launcher.ts). Between passes
 * it waits for the next due time or for a new event in the log (another process's
 * materialization wakes it within `pollMs`), not for a fixed tick.
 *
 * `pass()` is one pass at the daemon's clock, for tests with an injected clock; `run()`
 * loops until its signal aborts.
 */
import { nextScheduleTick, type ProjectDefinition } from '../definitions/index.js';
import { EnvironmentError } from '../errors.js';
import {
  clockedKeys,
  graphOf,
  type Instance,
  type LogEntry,
  observeSources,
  ResourcePool,
  recordObservations,
  touchedAfter,
} from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { AutomationRecords, RoleHolder, StoredEvent } from '../storage/index.js';
import { Causes } from './_causes.js';
import { evaluateConditions, stateOf } from './_conditions.js';
import { type LaunchEnd, Launcher, type RunOrder } from './_launcher.js';
import { Obligations, type Sent } from './_obligations.js';
import { resumeOrders } from './_resume.js';
import { DaemonRole } from './_role.js';
import { tickSchedule } from './_schedules.js';
import { SensorTicks } from './_sensor-ticks.js';

/** How long a stopping daemon waits for notifications still being sent. */
const NOTIFY_ON_STOP_MS = 3_000;

/**
 * Conditions that depend on time (a cron tick, an overdue policy, the newest time window) are
 * evaluated at least this often, whether the log changed or not.
 */
const CLOCKED_EVERY_MS = 10_000;

/** How often the daemon closes runs whose process died. */
const RECOVER_EVERY_MS = 5_000;
/** How long a daemon whose pass failed (disk full, a locked or broken log) waits before the next. */
const AFTER_ERROR_MS = 1_000;
/** How often a standing-by daemon looks whether the role is free. */
const STANDBY_EVERY_MS = 2_000;

export interface DaemonOptions {
  instance: Instance;
  /** How notifications name the instance (its folder, usually). */
  instanceName?: string;
  /** The daemon's clock (epoch ms); tests inject one. Default `Date.now`. */
  now?: () => number;
  /** Abort to stop: no new runs start, runs in flight are cancelled. */
  signal?: AbortSignal;
  /** Runs at once (default 4); more wait in the queue. */
  maxRuns?: number;
  /** How often another process's events are looked for (default 20 ms). */
  pollMs?: number;
  /** Freshness is recorded this often (default 30 s). */
  freshnessEveryMs?: number;
  /** A daemon role not renewed for this long is taken over (default 15 s). */
  staleMs?: number;
  onActivity?: (activity: DaemonActivity) => void;
}

export type DaemonActivity =
  | { type: 'standing'; leader: boolean; holder?: RoleHolder; tookOver?: RoleHolder }
  | { type: 'sensor'; event: StoredEvent<'sensor:ticked'> }
  | { type: 'schedule'; event: StoredEvent<'schedule:ticked'> }
  | { type: 'requested'; event: StoredEvent<'automation:evaluated'> }
  | { type: 'observed'; event: StoredEvent<'asset:observed'> }
  | { type: 'observe-failed'; assetKey: string; partition: string; error: string }
  | { type: 'freshness'; event: StoredEvent<'freshness:evaluated'> }
  | { type: 'run-started'; runId: string; order: RunOrder }
  | { type: 'run-ended'; end: LaunchEnd; order: RunOrder }
  | { type: 'notified'; sent: Sent }
  | { type: 'log'; name: string; entry: LogEntry }
  | { type: 'error'; message: string };

/** What one pass did. */
export interface PassReport {
  leader: boolean;
  sensors: StoredEvent<'sensor:ticked'>[];
  schedules: StoredEvent<'schedule:ticked'>[];
  evaluations: StoredEvent<'automation:evaluated'>[];
  observed: StoredEvent<'asset:observed'>[];
  freshness: StoredEvent<'freshness:evaluated'>[];
}

export class Daemon {
  readonly graph: AssetGraph;
  private readonly now: () => number;
  private readonly signal: AbortSignal;
  private readonly role: DaemonRole;
  private readonly launcher: Launcher;
  private readonly resources: ResourcePool;
  private readonly memory = new Map<
    string,
    { memory: unknown; recordedAt: number; recordedState?: string | undefined }
  >();
  private readonly observedAt = new Map<string, number>();
  /** Interrupted runs already resumed (or found resumed) by this daemon. */
  private readonly resumed = new Set<string>();
  private readonly sensors: SensorTicks;
  /** How the causes of data changes read in explanations: runs it launched, observations its sensors made. */
  private readonly causes = new Causes();
  private readonly startedAt: number;
  private obligations: Obligations | undefined;
  private evaluatedThrough = -1;
  /** Assets whose conditions depend on time, evaluated at least every CLOCKED_EVERY_MS. */
  private readonly clocked: ReadonlySet<string>;
  /** Sources observed on a cadence (`observeEvery`), with it. */
  private readonly cadences: ReadonlyMap<string, number>;
  private clockedAt = Number.NEGATIVE_INFINITY;
  /** Memory was (re)loaded from the log: the next evaluation covers every asset. */
  private memoryFresh = false;
  private memoryLoaded = false;
  private freshnessAt = Number.NEGATIVE_INFINITY;
  private recoveredAt = Number.NEGATIVE_INFINITY;
  /** How long the last pass's evaluation took (0: none): the loop rests as long after it. */
  private evaluationMs = 0;
  /** Undefined until the first claim, so the first standing (leader or not) is reported. */
  private leader: boolean | undefined;
  private wake: (() => void) | undefined;
  /** Set when a sensor tick ends: the next pass is due at once (the sensor may be due again). */
  private poked = false;

  constructor(
    private readonly project: ProjectDefinition,
    private readonly options: DaemonOptions,
  ) {
    const maxRuns = options.maxRuns ?? 4;
    if (!Number.isInteger(maxRuns) || maxRuns < 1) {
      throw new EnvironmentError('E_USAGE', `maxRuns must be a whole number ≥ 1, got ${maxRuns}`);
    }
    this.graph = graphOf(project);
    this.clocked = clockedKeys(this.graph, this.graph.keys);
    this.cadences = new Map(
      this.graph.keys.flatMap((key) => {
        const definition = this.graph.node(key).definition;
        return definition.kind === 'source' && definition.observeEveryMs !== undefined
          ? [[key, definition.observeEveryMs] as const]
          : [];
      }),
    );
    this.now = options.now ?? Date.now;
    this.signal = options.signal ?? new AbortController().signal;
    this.startedAt = this.now();
    this.role = new DaemonRole(options.instance.eventLog, options.staleMs ?? 15_000);
    this.resources = new ResourcePool(this.graph.resources, this.signal);
    this.launcher = new Launcher({
      graph: this.graph,
      instance: options.instance,
      maxRuns,
      signal: this.signal,
      onRunStarted: (runId, order) => {
        this.causes.run(runId, order.trigger);
        this.emit({ type: 'run-started', runId, order });
      },
      onRunEnded: (end, order) => {
        this.emit({ type: 'run-ended', end, order });
        this.wake?.();
      },
    });
    this.sensors = new SensorTicks({
      sensors: project.sensors,
      context: {
        graph: this.graph,
        instance: options.instance,
        resources: this.resources,
        launcher: this.launcher,
        signal: this.signal,
        onLog: (name, entry) => this.emit({ type: 'log', name, entry }),
      },
      onTick: (event) => {
        this.causes.observed(event);
        this.emit({ type: 'sensor', event });
      },
      onFailing: (event) => this.obligations?.sensorFailed(event),
      onEnded: () => {
        this.poked = true;
        this.wake?.();
      },
      onError: (message) => this.emit({ type: 'error', message }),
    });
  }

  /** One pass at the daemon's clock (see the module doc); it waits for the sensors it polls. */
  pass(): Promise<PassReport> {
    return this.passOnce(true);
  }

  /**
   * One pass. `run()` does not wait for the sensors (`awaitSensors` false): one slow to answer
   * (up to its timeout) would hold back the conditions and every other sensor; a tick that ends
   * is reported as activity and wakes the loop, as its events do.
   */
  private async passOnce(awaitSensors: boolean): Promise<PassReport> {
    const now = this.now();
    const report: PassReport = {
      leader: false,
      sensors: [],
      schedules: [],
      evaluations: [],
      observed: [],
      freshness: [],
    };
    if (!(await this.claim(now))) return report;
    report.leader = true;
    // Runs whose process died (a killed daemon's, a person's) are closed as crashed, which
    // frees their leases: until then their partitions would count as in progress.
    if (now - this.recoveredAt >= RECOVER_EVERY_MS) {
      this.recoveredAt = now;
      await this.options.instance.recover();
      for (const order of await resumeOrders(
        this.options.instance,
        this.graph,
        now,
        this.resumed,
      )) {
        this.launcher.launch(order);
      }
    }
    const { eventLog } = this.options.instance;
    // Condition memory is read once; afterwards this daemon keeps it (this.memory).
    const records = await eventLog.automationRecords({ conditions: !this.memoryLoaded });
    if (!this.memoryLoaded) {
      for (const [key, event] of records.conditions) {
        this.memory.set(key, {
          memory: event.memory,
          recordedAt: event.timestamp,
          recordedState: stateOf(event.memory),
        });
      }
      this.memoryLoaded = true;
      this.memoryFresh = true;
    }
    this.obligations ??= new Obligations(
      this.project,
      this.graph,
      this.options.instance,
      this.options.instanceName ?? 'weir',
      await eventLog.lastEventId(),
      (sent) => this.emit({ type: 'notified', sent }),
    );
    report.observed = await this.observeDue(now, records.paused);
    const ticks = this.sensors.start(records, now, awaitSensors);
    if (awaitSensors) report.sensors = await ticks;
    report.schedules = await this.tickSchedules(records, now);
    const through = await eventLog.lastEventId();
    this.evaluationMs = 0;
    const clockDue = now - this.clockedAt >= CLOCKED_EVERY_MS;
    if (through !== this.evaluatedThrough || clockDue) {
      const started = performance.now();
      const only = await this.affected(through, clockDue);
      if (clockDue) this.clockedAt = now;
      this.evaluatedThrough = through;
      report.evaluations = await evaluateConditions({
        graph: this.graph,
        instance: this.options.instance,
        launcher: this.launcher,
        records,
        memory: this.memory,
        now,
        triggerOf: (change) => this.causes.of(change),
        ...(only === undefined ? {} : { only }),
      });
      for (const event of report.evaluations)
        if (event.count > 0) this.emit({ type: 'requested', event });
      // What the evaluation recorded itself is no change to evaluate again.
      const after = await eventLog.lastEventId();
      if (after === through + report.evaluations.length) this.evaluatedThrough = after;
      this.evaluationMs = performance.now() - started;
    }
    if (now - this.freshnessAt >= (this.options.freshnessEveryMs ?? 30_000)) {
      this.freshnessAt = now;
      report.freshness = await this.obligations.checkFreshness(now);
      for (const event of report.freshness) this.emit({ type: 'freshness', event });
    }
    await this.obligations.followFailures();
    return report;
  }

  /**
   * The assets a change after the last evaluation reached, and (when `clockDue`) those whose
   * conditions depend on time; undefined (all) at this daemon's first evaluation, when its
   * memory was just loaded, or after too many events.
   */
  private async affected(through: number, clockDue: boolean): Promise<Set<string> | undefined> {
    if (this.evaluatedThrough < 0 || this.memoryFresh) {
      this.memoryFresh = false;
      return undefined;
    }
    const { eventLog } = this.options.instance;
    const touched =
      through === this.evaluatedThrough
        ? new Set<string>()
        : await touchedAfter(eventLog, this.graph, this.evaluatedThrough);
    if (touched === undefined) return undefined;
    if (clockDue) for (const key of this.clocked) touched.add(key);
    return touched;
  }

  /** Runs passes until the signal aborts, then waits for its runs to end and gives up the role. */
  async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 20;
    const { eventLog } = this.options.instance;
    while (!this.signal.aborted) {
      this.poked = false;
      let failed = false;
      try {
        await this.passOnce(false);
      } catch (error) {
        failed = true;
        this.emit({ type: 'error', message: (error as Error).message });
      }
      // Until the next due time, or an event the last evaluation did not see (compared with
      // what it read, not with the log after the pass: one appended meanwhile counts). A
      // daemon standing by has nothing due, and one whose pass failed does not retry at once
      // (either would otherwise spin, claiming the role as fast as the log allows). An
      // evaluation is followed by as long a rest, so a large graph whose runs append events
      // all the time costs the daemon at most half of one core.
      const now = this.now();
      const until = failed
        ? now + AFTER_ERROR_MS
        : this.leader
          ? Math.min(this.nextDue(), now + 1_000)
          : now + STANDBY_EVERY_MS;
      const rested = performance.now() + this.evaluationMs;
      while (!this.signal.aborted && !this.poked && this.now() < until) {
        if (this.leader && performance.now() >= rested && eventLog.waitForEvents !== undefined) {
          // A log that announces appends (PostgreSQL's NOTIFY) wakes the daemon: no polling.
          const last = await this.waitForEvents(Math.min(until - this.now(), 1_000));
          if (last !== this.evaluatedThrough) break;
          continue;
        }
        await this.sleep(pollMs);
        if (performance.now() < rested) continue;
        if (this.leader && (await eventLog.lastEventId()) !== this.evaluatedThrough) break;
      }
    }
    await this.sensors.idle();
    await this.launcher.idle();
    await this.obligations?.idle(NOTIFY_ON_STOP_MS);
    await this.resources.disposeAll();
    await this.role.release();
  }

  /** Resolves when runs launched so far have ended and notifications are sent. */
  async idle(): Promise<void> {
    await this.sensors.idle();
    await this.launcher.idle();
    await this.obligations?.idle();
  }

  /** Asset partitions the daemon's queued and running runs will materialize. */
  inProgress(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.launcher.inProgress();
  }

  private async claim(now: number): Promise<boolean> {
    const standing = await this.role.claim(now);
    if (standing.leader !== this.leader) {
      this.emit(
        standing.leader
          ? {
              type: 'standing',
              leader: true,
              ...(standing.tookOver ? { tookOver: standing.tookOver } : {}),
            }
          : { type: 'standing', leader: false, holder: standing.holder },
      );
    }
    this.leader = standing.leader;
    if (!standing.leader) {
      // Another daemon evaluates meanwhile: its memory is the one to start from later.
      this.memoryLoaded = false;
      this.memory.clear();
    }
    return standing.leader;
  }

  private async tickSchedules(
    records: AutomationRecords,
    now: number,
  ): Promise<StoredEvent<'schedule:ticked'>[]> {
    const ticked: StoredEvent<'schedule:ticked'>[] = [];
    for (const schedule of this.project.schedules) {
      if (records.paused.has(schedule.name)) continue;
      const events = await tickSchedule(schedule, {
        graph: this.graph,
        eventLog: this.options.instance.eventLog,
        launcher: this.launcher,
        previous: records.schedules.get(schedule.name),
        now,
        since: this.startedAt,
      });
      for (const event of events) this.emit({ type: 'schedule', event });
      ticked.push(...events);
    }
    return ticked;
  }

  /** Observes the source assets whose `observeEvery` is due, recording new versions. */
  private async observeDue(
    now: number,
    paused: ReadonlySet<string>,
  ): Promise<StoredEvent<'asset:observed'>[]> {
    const due = [...this.cadences]
      .filter(([key, everyMs]) => {
        if (paused.has(key)) return false;
        return now - (this.observedAt.get(key) ?? Number.NEGATIVE_INFINITY) >= everyMs;
      })
      .map(([key]) => key);
    if (due.length === 0) return [];
    for (const key of due) this.observedAt.set(key, now);
    const { eventLog } = this.options.instance;
    const found = await observeSources(this.graph, due, eventLog, {
      resources: this.resources,
      signal: this.signal,
      now,
      onLog: (name, entry) => this.emit({ type: 'log', name, entry }),
    });
    for (const failure of found.failures) {
      this.emit({
        type: 'observe-failed',
        assetKey: failure.key,
        partition: failure.partition,
        error: failure.error.message,
      });
    }
    const recorded = await recordObservations(eventLog, found);
    for (const event of recorded) this.emit({ type: 'observed', event });
    return recorded;
  }

  /** The earliest time something is due: a sensor, an observation, a schedule tick, freshness. */
  private nextDue(): number {
    const now = this.now();
    let next = Number.isFinite(this.freshnessAt)
      ? this.freshnessAt + (this.options.freshnessEveryMs ?? 30_000)
      : now;
    if (this.clocked.size > 0) next = Math.min(next, this.clockedAt + CLOCKED_EVERY_MS);
    next = Math.min(next, this.sensors.nextDue(now));
    for (const [key, everyMs] of this.cadences) {
      next = Math.min(next, (this.observedAt.get(key) ?? now) + everyMs);
    }
    for (const schedule of this.project.schedules) {
      const tick = nextScheduleTick(schedule, new Date(now));
      if (tick !== undefined) next = Math.min(next, tick.getTime());
    }
    return Math.max(next, now);
  }

  /** `waitForEvents` of the log after what was evaluated, for at most `ms`; a poke ends it. */
  private async waitForEvents(ms: number): Promise<number> {
    const { eventLog } = this.options.instance;
    const poked = new AbortController();
    this.wake = () => poked.abort();
    try {
      return await eventLog.waitForEvents!(this.evaluatedThrough, {
        timeoutMs: Math.max(0, ms),
        signal: AbortSignal.any([this.signal, poked.signal]),
      });
    } finally {
      this.wake = undefined;
    }
  }

  private sleep(ms: number): Promise<void> {
    const { signal } = this;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  private emit(activity: DaemonActivity): void {
    try {
      this.options.onActivity?.(activity);
    } catch {
      // A display that throws must not stop the daemon.
    }
  }
}
