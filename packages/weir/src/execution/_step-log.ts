/**
 * @module execution/_step-log
 * A step's `ctx.log`, durable as it is written, so that `weir logs RUN --follow` shows it
 * while the step runs and it survives a crash, a cancel, or a step that blocks the event loop
 * and is then stopped. Where the event log can append synchronously, each line is recorded at
 * once (about 40 µs a line), up to LINES_PER_SECOND lines a second; past that rate, lines are
 * recorded in groups of GROUP lines, or FLUSH_MS apart (a few µs a line), so a step logging
 * in a tight loop loses at most its last GROUP lines if it then blocks for good or crashes.
 * Without synchronous appends, lines go in groups as the step yields.
 */
import type { StepLogger } from '../definitions/index.js';
import type { StoredEvent, WeirEvent } from '../storage/index.js';
import type { RunContext } from './_run-context.js';
import { bufferedLogger, type LogEntry } from './_step-logger.js';

const LINES_PER_SECOND = 1_000;
const GROUP = 64;
const FLUSH_MS = 1;

export class StepLog {
  readonly logger: StepLogger;
  private buffer: WeirEvent[] = [];
  private secondStart = 0;
  private linesThisSecond = 0;
  private lastFlush = 0;
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
    if (now - this.secondStart >= 1_000) {
      this.secondStart = now;
      this.linesThisSecond = 0;
    }
    this.linesThisSecond++;
    const eager = this.run.eventLog.appendSync !== undefined;
    const due =
      this.linesThisSecond <= LINES_PER_SECOND ||
      this.buffer.length >= GROUP ||
      now - this.lastFlush >= FLUSH_MS;
    if ((eager && due) || this.buffer.length >= 16 * GROUP) {
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
