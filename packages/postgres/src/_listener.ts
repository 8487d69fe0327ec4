/**
 * LISTEN/NOTIFY: every group of writes that appended events NOTIFYs `weir_events` with the
 * newest id and the log's schema when it commits (see weir_write). One connection per log
 * listens, from the first subscriber until the log closes, and hands each new id of this
 * log's schema to the subscribers. A dropped connection is opened again (with backoff), and
 * subscribers then hear the newest id, so they miss nothing that was appended meanwhile.
 */
import pg from 'pg';

export const CHANNEL = 'weir_events';

export class AppendListener {
  private readonly listeners = new Set<(lastEventId: number) => void>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private retryMs = 100;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly schema: string,
    private readonly lastEventId: () => Promise<number>,
    private readonly restate: (error: unknown) => unknown,
  ) {}

  /** Adds `listener`; resolves once the log listens (appends from then on are heard). */
  async subscribe(listener: (lastEventId: number) => void): Promise<() => void> {
    if (this.closed) throw new Error('the event log is closed');
    this.listeners.add(listener);
    try {
      await this.listen();
    } catch (error) {
      this.listeners.delete(listener);
      throw this.restate(error);
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  private listen(): Promise<void> {
    if (this.client !== undefined) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || message.payload === undefined) return;
      const space = message.payload.indexOf(' ');
      if (message.payload.slice(space + 1) !== this.schema) return;
      this.emit(Number(message.payload.slice(0, space)));
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => {});
      this.reconnectLater();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.retryMs = 100;
  }

  private reconnectLater(): void {
    if (this.closed || this.listeners.size === 0 || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.listen()
        .then(async () => {
          // What was appended while nobody listened.
          this.emit(await this.lastEventId());
        })
        .catch(() => {
          this.retryMs = Math.min(this.retryMs * 2, 5_000);
          this.reconnectLater();
        });
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private emit(lastEventId: number): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(lastEventId);
      } catch {
        // A listener's failure is its own; the others still hear of the append.
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
