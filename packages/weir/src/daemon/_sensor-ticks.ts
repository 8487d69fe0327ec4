/**
 * @module daemon/_sensor-ticks
 * The daemon's sensors over time: which are due (their interval since their last tick,
 * recorded or not), polling the due ones side by side without a pass waiting for a slow one,
 * each sensor's newest tick (the log's, or a newer one of this daemon's), and when a failing
 * spell starts (a failed tick after one that was not).
 */
import type { SensorDefinition } from '../definitions/index.js';
import type { AutomationRecords, SensorOutcome, StoredEvent } from '../storage/index.js';
import { type SensorTickContext, tickSensor } from './_sensors.js';

type Tick = StoredEvent<'sensor:ticked'>;

export interface SensorTicksOptions {
  sensors: readonly SensorDefinition[];
  /** What every tick is given, but its `previous` tick and its time. */
  context: Omit<SensorTickContext, 'previous' | 'now'>;
  /** Each tick as it ends (recorded, or with id 0 when it found nothing). */
  onTick: (tick: Tick) => void;
  /** A tick that failed after one that did not (or the sensor's first): a failing spell starts. */
  onFailing: (tick: Tick) => void;
  /** After each tick, whatever its end: the loop may have a pass to make. */
  onEnded: () => void;
  /** A tick that could not be recorded (the log failing), when no one awaits it. */
  onError: (message: string) => void;
}

export class SensorTicks {
  /** Sensors whose poll has not returned: not polled again until it does. */
  private readonly polling = new Set<string>();
  /** When each sensor last ticked, recorded or not, for its next due time. */
  private readonly tickedAt = new Map<string, number>();
  /** This daemon's newest recorded tick of each sensor (newer than the records read, maybe). */
  private readonly recorded = new Map<string, Tick>();
  /** Each sensor's last outcome, recorded or not. */
  private readonly lastOutcome = new Map<string, SensorOutcome>();
  private readonly ticking = new Set<Promise<unknown>>();

  constructor(private readonly options: SensorTicksOptions) {}

  /** Starts the due sensors' ticks; the promise resolves when they have all been recorded. */
  start(records: AutomationRecords, now: number, awaited: boolean): Promise<Tick[]> {
    const newest = (name: string) => {
      const logged = records.sensors.get(name);
      const mine = this.recorded.get(name);
      return mine !== undefined && (logged === undefined || mine.id > logged.id) ? mine : logged;
    };
    for (const sensor of this.options.sensors) {
      // A tick this daemon made but did not record (it found nothing) is newer than the log's.
      const event = newest(sensor.name);
      const mine = this.tickedAt.get(sensor.name);
      if (event !== undefined && (mine === undefined || event.timestamp > mine)) {
        this.tickedAt.set(sensor.name, event.timestamp);
      }
    }
    const due = this.options.sensors.filter((sensor) => {
      if (records.paused.has(sensor.name) || this.polling.has(sensor.name)) return false;
      const last = this.tickedAt.get(sensor.name);
      return last === undefined || now - last >= sensor.intervalMs;
    });
    // Sensors run side by side: one slow sensor does not hold the others back.
    const ticks = Promise.all(
      due.map(async (sensor) => {
        this.polling.add(sensor.name);
        try {
          const event = await tickSensor(sensor, {
            ...this.options.context,
            previous: newest(sensor.name),
            now,
          });
          if (event === undefined) return undefined; // stopped before it answered
          const before = this.lastOutcome.get(sensor.name) ?? newest(sensor.name)?.outcome;
          this.lastOutcome.set(sensor.name, event.outcome);
          if (isFailure(event.outcome) && (before === undefined || !isFailure(before))) {
            this.options.onFailing(event);
          }
          if (event.id > 0) this.recorded.set(sensor.name, event);
          this.tickedAt.set(sensor.name, event.timestamp);
          this.options.onTick(event);
          return event;
        } finally {
          this.polling.delete(sensor.name);
          this.options.onEnded();
        }
      }),
    );
    const tracked: Promise<unknown> = ticks
      .catch((error: unknown) => {
        if (!awaited) this.options.onError((error as Error).message);
      })
      .finally(() => this.ticking.delete(tracked));
    this.ticking.add(tracked);
    return ticks.then((events) => events.filter((e) => e !== undefined));
  }

  /** The earliest time a sensor is due after `now` (one being polled is due when it ends). */
  nextDue(now: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const sensor of this.options.sensors) {
      if (this.polling.has(sensor.name)) continue;
      next = Math.min(next, (this.tickedAt.get(sensor.name) ?? now) + sensor.intervalMs);
    }
    return next;
  }

  /** Resolves when every tick started has ended. */
  async idle(): Promise<void> {
    while (this.ticking.size > 0) await Promise.allSettled(this.ticking);
  }
}

const isFailure = (outcome: SensorOutcome) => outcome === 'failed' || outcome === 'timed-out';
