/**
 * @module server/_hub
 * One watch of the event log for the whole server, fanned out to every listener (each page
 * streaming a run's logs, the graph's live updates, the metrics), so a hundred open pages cost
 * one indexed read per poll, not a hundred.
 */
import { type Instance, watchEvents } from '../execution/index.js';
import type { StoredEvent } from '../storage/index.js';

export type Listener = (events: readonly StoredEvent[]) => void;

export class EventHub {
  private readonly listeners = new Set<Listener>();
  private readonly stop = new AbortController();
  private newest = 0;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly instance: Instance,
    private readonly pollMs = 50,
  ) {}

  /** Starts following the log from its current end. */
  async start(): Promise<void> {
    this.newest = await this.instance.eventLog.lastEventId();
    this.loop = this.follow();
  }

  /** The newest event id seen. */
  get lastEventId(): number {
    return this.newest;
  }

  /** Calls `listener` with each batch of new events until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.loop;
  }

  private async follow(): Promise<void> {
    try {
      for await (const events of watchEvents(this.instance, {
        signal: this.stop.signal,
        afterId: this.newest,
        pollMs: this.pollMs,
      })) {
        this.newest = events[events.length - 1]!.id;
        for (const listener of this.listeners) listener(events);
      }
    } catch (error) {
      if (!this.stop.signal.aborted) throw error;
    }
  }
}
