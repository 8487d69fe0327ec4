/**
 * @module cli/progress
 * Run progress: on a TTY a live status line under the finished steps; otherwise plain
 * log lines, one per step outcome, for CI logs and files.
 */
import type { LogEntry } from '../execution/index.js';
import type { StoredEvent } from '../storage/index.js';
import { formatDuration, type Output, paint, stepError } from './format.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Progress {
  private total = 0;
  private done = 0;
  private failed = 0;
  private readonly running = new Map<string, number>();
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;

  constructor(
    private readonly output: Output,
    private readonly verbose: boolean,
  ) {}

  onEvent = (event: StoredEvent): void => {
    switch (event.type) {
      case 'run:started':
        this.total = event.steps.length;
        this.line(
          `run ${event.runId}: ${event.steps.length} step${event.steps.length === 1 ? '' : 's'} to run`,
        );
        if (this.output.tty) this.timer = setInterval(() => this.draw(), 100).unref();
        break;
      case 'step:started':
        this.running.set(event.assetKey, event.timestamp);
        if (!this.output.tty && this.verbose)
          this.line(
            `started ${event.assetKey}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`,
          );
        break;
      case 'asset:materialized': {
        this.running.delete(event.assetKey);
        this.done++;
        const blockedBy = event.materialization.blockedBy ?? [];
        if (blockedBy.length > 0) {
          this.failed++;
          this.line(
            `${paint(this.output, 'red', '✗')} ${event.assetKey} recorded, but blocking check ${blockedBy.join(', ')} failed: not used downstream`,
          );
          break;
        }
        const took = event.materialization.endedAt - event.materialization.startedAt;
        this.line(
          `${paint(this.output, 'green', '✓')} ${event.assetKey} ${paint(this.output, 'gray', formatDuration(took))}`,
        );
        break;
      }
      case 'step:retrying':
        this.line(
          `${paint(this.output, 'yellow', '↻')} ${event.assetKey} attempt ${event.attempt} failed, retrying in ${formatDuration(event.delayMs)}: ${stepError(event.assetKey, event.error.message)}`,
        );
        break;
      case 'step:failed':
        this.running.delete(event.assetKey);
        this.done++;
        this.failed++;
        this.line(
          `${paint(this.output, 'red', '✗')} ${event.assetKey} failed: ${stepError(event.assetKey, event.error.message)}`,
        );
        break;
      case 'step:skipped':
        this.done++;
        this.line(`${paint(this.output, 'gray', '-')} ${event.assetKey} skipped: ${event.reason}`);
        break;
      case 'step:cancelled':
        this.running.delete(event.assetKey);
        this.line(`${paint(this.output, 'gray', '■')} ${event.assetKey} cancelled`);
        break;
    }
  };

  onLog = (assetKey: string, entry: LogEntry): void => {
    if (this.verbose || entry.level === 'warn' || entry.level === 'error') {
      this.line(
        paint(
          this.output,
          entry.level === 'error' ? 'red' : entry.level === 'warn' ? 'yellow' : 'gray',
          `  [${assetKey}] ${entry.level}: ${entry.message}`,
        ),
      );
    }
  };

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
  }

  private line(text: string): void {
    this.clear();
    this.output.err(`${text}\n`);
    this.draw();
  }

  private clear(): void {
    if (this.drawn) this.output.err('\r\x1b[K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.output.tty || this.total === 0 || this.done >= this.total) return;
    this.clear();
    const names = [...this.running.keys()];
    const current =
      names.slice(0, 3).join(', ') + (names.length > 3 ? `, +${names.length - 3}` : '');
    const columns = process.stderr.columns ?? 100;
    const text = `${SPINNER[this.frame++ % SPINNER.length]} ${this.done}/${this.total} done · ${names.length} running${current ? ` (${current})` : ''}${this.failed ? ` · ${this.failed} failed` : ''}`;
    this.output.err(text.slice(0, columns - 1));
    this.drawn = true;
  }
}
