/**
 * @module queue/_run-events
 * The events a run's workers record, read once for all its units in flight: one reader per
 * run waits for appends (woken by the log's NOTIFY), reads what is new in one query, and hands
 * each event to the watch of its unit (by asset and partition), which passes it on to the
 * run's listeners. A reader per unit (the first design) read the log once per unit per append:
 * with 8 units in flight, 8 queries for every event, which made the coordinator the queue's
 * bottleneck.
 */
import {
  type LogEntry,
  type RunContext,
  type StepUnit,
  type StoredEvent,
  waitForAppend,
} from 'weir';

/** The events of one unit: handed on in order, its own (recorded by this process) skipped. */
export class StepWatch {
  attempt = 1;
  private readonly skipped = new Set<number>();

  constructor(
    private readonly run: RunContext,
    private readonly unit: StepUnit,
    /** Only events after this id are the unit's (its first `step:started` was emitted here). */
    readonly fromId: number,
    private readonly reader: RunEvents,
  ) {}

  get keys(): readonly string[] {
    return this.unit.keys;
  }

  get assetKey(): string {
    return this.unit.key;
  }

  /** Events this process recorded itself (and emitted already). */
  skip(events: readonly StoredEvent[]): void {
    for (const event of events) this.skipped.add(event.id);
  }

  /** Reads what is new now (before an outcome is returned, so none of the unit's is lost). */
  flush(): Promise<void> {
    return this.reader.flush();
  }

  accept(event: StoredEvent): void {
    if (event.id <= this.fromId || this.skipped.has(event.id)) return;
    if (event.type === 'step:started') this.attempt = Math.max(this.attempt, event.attempt);
    if (event.type === 'step:log') {
      const entry: LogEntry = {
        level: event.level,
        message: event.message,
        timestamp: event.timestamp,
        ...(event.fields === undefined ? {} : { fields: event.fields }),
      };
      this.run.onLog(this.unit.key, entry);
    }
    this.run.emit([event]);
  }
}

/** One run's reader (see the module comment); it runs while the run has units in flight. */
export class RunEvents {
  private readonly watches = new Map<string, StepWatch>();
  private stop: AbortController | undefined;

  constructor(
    private readonly run: RunContext,
    private cursor: number,
    private readonly checkMs: number,
    private readonly onIdle: () => void,
  ) {}

  /** Starts handing `unit`'s events (after `fromId`) to a new watch, and returns it. */
  watch(unit: StepUnit, fromId: number): StepWatch {
    const watch = new StepWatch(this.run, unit, fromId, this);
    // Its events come after it is queued, which is after this: none has been read already.
    for (const partition of unit.keys) this.watches.set(idOf(unit.key, partition), watch);
    if (this.stop === undefined) {
      this.stop = new AbortController();
      void this.loop(AbortSignal.any([this.stop.signal, this.run.signal]));
    }
    return watch;
  }

  /** Stops handing events to `watch`; the reader stops when no unit is left. */
  unwatch(watch: StepWatch): void {
    for (const partition of watch.keys) {
      const id = idOf(watch.assetKey, partition);
      if (this.watches.get(id) === watch) this.watches.delete(id);
    }
    if (this.watches.size === 0) {
      this.stop?.abort();
      this.stop = undefined;
      this.onIdle();
    }
  }

  /**
   * Reads what is new now. Reads may overlap (a unit's last read does not wait for the
   * reader's): the one that gets an event first hands it on, in order; the others skip it.
   */
  async flush(): Promise<void> {
    const events = await this.run.eventLog.events({
      runId: this.run.runId,
      afterId: this.cursor,
    });
    for (const event of events) {
      if (event.id <= this.cursor) continue;
      this.cursor = event.id;
      if (!('assetKey' in event) || !('partition' in event)) continue;
      this.watches.get(idOf(event.assetKey, event.partition))?.accept(event);
    }
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await waitForAppend(this.run.eventLog, this.cursor, this.checkMs, signal, this.checkMs);
        if (!signal.aborted) await this.flush();
      } catch {
        // A failed read is read again at the next wake; each unit's own flush reports failures.
      }
    }
  }
}

function idOf(assetKey: string, partition: string): string {
  return `${assetKey}\0${partition}`;
}
