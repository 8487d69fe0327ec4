/**
 * @module execution/_step-log
 * A step's `ctx.log`, durable as it is written: entries are recorded as `step:log` events in
 * small groups (every FLUSH_MS or FLUSH_ENTRIES), synchronously when the event log can, so
 * that `weir logs RUN --follow` shows them while the step runs and they survive a step that
 * blocks the event loop and is then stopped, a crash or a cancel (all but the last FLUSH_MS).
 */
import type { StepLogger } from '../definitions/index.js';
import type { StoredEvent, WeirEvent } from '../storage/index.js';
import type { RunContext } from './_run-context.js';
import { bufferedLogger, type LogEntry } from './_step-logger.js';

const FLUSH_MS = 20;
const FLUSH_ENTRIES = 1_000;

export class StepLog {
  readonly logger: StepLogger;
  private buffer: WeirEvent[] = [];
  private lastFlush = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<unknown> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly run: RunContext,
    private readonly key: string,
    private readonly partition: string,
  ) {
    this.logger = bufferedLogger((entry) => this.write(entry));
  }

  /** Records what is buffered and waits for every write; throws the first write that failed. */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private write(entry: LogEntry): void {
    this.run.onLog(this.key, entry);
    this.buffer.push({
      type: 'step:log',
      ...this.run.stepFields(this.key, this.partition),
      timestamp: entry.timestamp,
      level: entry.level,
      message: entry.message,
      ...(entry.fields === undefined ? {} : { fields: entry.fields }),
    });
    if (Date.now() - this.lastFlush >= FLUSH_MS || this.buffer.length >= FLUSH_ENTRIES) {
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
    }
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = Date.now();
    if (this.buffer.length === 0) return;
    const events = this.buffer;
    this.buffer = [];
    const { eventLog } = this.run;
    // Synchronous where the log can: a step that never yields still gets its lines recorded.
    if (eventLog.appendSync !== undefined) {
      try {
        this.run.emit(eventLog.appendSync(events));
      } catch (error) {
        this.failure ??= error;
      }
      return;
    }
    this.writing = this.writing
      .then(() => eventLog.append(events))
      .then(
        (stored: StoredEvent[]) => this.run.emit(stored),
        (error: unknown) => {
          this.failure ??= error;
        },
      );
  }
}
