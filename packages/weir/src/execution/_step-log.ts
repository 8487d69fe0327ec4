/**
 * @module execution/_step-log
 * A step's `ctx.log`, durable as it is written, so that `weir logs RUN --follow` shows it
 * while the step runs and it survives a crash, a cancel, or a step that blocks the event loop
 * and is then stopped. Where the event log can append synchronously, each line is recorded at
 * once, up to WRITES_PER_WINDOW lines per FLUSH_MS; lines beyond that are recorded together
 * at the next line after the window (or by a timer): a fast logger loses at most one window
 * of lines to a crash. Without synchronous appends, lines go in groups as the step yields.
 */
import type { StepLogger } from '../definitions/index.js';
import type { StoredEvent, WeirEvent } from '../storage/index.js';
import type { RunContext } from './_run-context.js';
import { bufferedLogger, type LogEntry } from './_step-logger.js';

const FLUSH_MS = 20;
const WRITES_PER_WINDOW = 32;
const FLUSH_ENTRIES = 1_000;

export class StepLog {
  readonly logger: StepLogger;
  private buffer: WeirEvent[] = [];
  private windowStart = 0;
  private writesInWindow = 0;
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
    const now = Date.now();
    if (now - this.windowStart >= FLUSH_MS) {
      this.windowStart = now;
      this.writesInWindow = 0;
    }
    const eager = this.run.eventLog.appendSync !== undefined;
    if ((eager && this.writesInWindow < WRITES_PER_WINDOW) || this.buffer.length >= FLUSH_ENTRIES) {
      this.writesInWindow++;
      this.flush();
    } else {
      this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
    }
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
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
