/**
 * @module queue/_notifications
 * One connection that LISTENs on a channel and hands each payload to whoever waits for it.
 * A lost connection is reopened on the next wait; waiters re-read what they wait for on a
 * timer too, so a notification lost meanwhile only delays them.
 */
import pg from 'pg';

export class Notifications {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly waiters = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly onAny?: (payload: string) => void,
  ) {}

  /** Listens (connecting if need be); resolves once LISTEN is in place. */
  async listen(): Promise<void> {
    if (this.closed) return;
    this.connecting ??= this.connect();
    try {
      await this.connecting;
    } catch (error) {
      this.connecting = undefined;
      throw error;
    }
  }

  /** Resolves when `payload` is notified, `timeoutMs` passed or `signal` aborted. */
  async wait(payload: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.listen().catch(() => {});
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(payload) ?? new Set<() => void>();
      this.waiters.set(payload, set);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(payload);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
      if (signal?.aborted) done();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    for (const set of this.waiters.values()) for (const done of [...set]) done();
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client(this.config);
    client.on('error', () => {
      // Reopened on the next wait; waiters' timers cover what is missed.
      if (this.client === client) this.client = undefined;
      this.connecting = undefined;
      void client.end().catch(() => {});
    });
    client.on('notification', (message) => {
      if (message.channel !== this.channel) return;
      const payload = message.payload ?? '';
      this.onAny?.(payload);
      for (const done of [...(this.waiters.get(payload) ?? [])]) done();
    });
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    if (this.closed) {
      await client.end();
      throw new Error('closed');
    }
    this.client = client;
    return client;
  }
}
