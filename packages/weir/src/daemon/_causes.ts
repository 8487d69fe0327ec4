/**
 * @module daemon/_causes
 * What caused a data change, as explanations name it: the trigger of a run the daemon
 * launched, or the sensor (and file) behind an observation it recorded. Kept in memory and
 * bounded; after a restart, older changes are explained without their cause.
 */
import type { RunTrigger, StoredEvent } from '../storage/index.js';

/** The causes the daemon knows of, bounded (the oldest forgotten first). */
export class Causes {
  static readonly MAX = 10_000;
  private readonly byRun = new Map<string, string>();
  private readonly byEvent = new Map<number, string>();

  run(runId: string, trigger: RunTrigger): void {
    const text =
      trigger.kind === 'condition'
        ? `requested by the automation of ${trigger.name}`
        : `triggered by ${trigger.reason}`;
    remember(this.byRun, runId, text);
  }

  observed(tick: StoredEvent<'sensor:ticked'>): void {
    for (const o of tick.observed ?? []) {
      const what = o.path ?? (o.partition === '' ? o.assetKey : `${o.assetKey}[${o.partition}]`);
      remember(this.byEvent, o.eventId, `by sensor ${tick.name} observing ${what}`);
    }
  }

  of(change: { eventId: number; runId?: string }): string | undefined {
    return change.runId === undefined
      ? this.byEvent.get(change.eventId)
      : this.byRun.get(change.runId);
  }
}

function remember<K>(map: Map<K, string>, key: K, text: string): void {
  map.set(key, text);
  if (map.size > Causes.MAX) map.delete(map.keys().next().value as K);
}
