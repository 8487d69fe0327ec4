/**
 * @module cli/progress
 * Run progress: on a TTY a live status line under the finished steps; otherwise plain
 * log lines, one per step outcome, for CI logs and files. A run over thousands of
 * partitions prints the first few partitions' outcomes of each kind, then counts.
 */
import type { LogEntry } from '../execution/index.js';
import type { StoredEvent } from '../storage/index.js';
import { partitionLabel } from './_partitions.js';
import { formatDuration, type Output, paint, stepError } from './format.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Partition outcomes of each kind printed one per line before only counting (not with --verbose). */
const PARTITION_LINES = { materialized: 20, failed: 20, skipped: 5, cancelled: 5 };
type PartitionOutcome = keyof typeof PARTITION_LINES;
/** Without a TTY, how often a run past those lines prints its counts. */
const COUNT_EVERY_MS = 5_000;
/** Without a terminal, a quiet stretch this long prints which steps are still running. */
const QUIET_MS = 15_000;

export interface ProgressOptions {
  /** Whether an asset is partitioned: a run of one has more units than steps. */
  partitioned?: (key: string) => boolean;
  /** Steps go to a queue: a started step may still wait there for a worker. */
  queued?: boolean;
}

export class Progress {
  private total = 0;
  /** The run being shown (a backfill shows several, one after the other). */
  private runId: string | undefined;
  /** A run with partitioned steps: how many units it has is not known up front. */
  private open = false;
  private done = 0;
  private failed = 0;
  private readonly running = new Map<string, number>();
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastLineAt = Date.now();
  private drawn = false;
  private readonly printed: Record<PartitionOutcome, number> = {
    materialized: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
  };
  /** Partition outcomes not printed, per kind and asset. */
  private readonly unprinted = new Map<PartitionOutcome, Map<string, number>>();
  private lastCount = 0;

  constructor(
    private readonly output: Output,
    private readonly verbose: boolean,
    private readonly options: ProgressOptions = {},
  ) {}

  onEvent = (event: StoredEvent): void => {
    // Another run's events (a dead run's step, closed when this run takes its lease over).
    if (this.runId !== undefined && 'runId' in event && event.runId !== this.runId) return;
    switch (event.type) {
      case 'run:started': {
        this.runId = event.runId;
        this.total = event.units ?? event.steps.length;
        const partitioned = event.steps.filter((key) => this.options.partitioned?.(key));
        // Logs written before runs counted their units: the total is not known then.
        this.open = partitioned.length > 0 && event.units === undefined;
        const what =
          partitioned.length > 0 && event.units !== undefined
            ? `${event.units} unit${event.units === 1 ? '' : 's'} of ${event.steps.length} step${event.steps.length === 1 ? '' : 's'}`
            : `${event.steps.length} step${event.steps.length === 1 ? '' : 's'}`;
        this.line(
          `run ${event.runId}${event.backfillId ? ` (backfill ${event.backfillId})` : ''}: ${what} to run${partitioned.length > 0 ? ` (${partitioned.join(', ')} by partition)` : ''}`,
        );
        this.timer = this.output.tty
          ? setInterval(() => this.draw(), 100).unref()
          : setInterval(() => this.heartbeat(), 1_000).unref();
        break;
      }
      case 'step:started': {
        const label = partitionLabel(event.assetKey, event.partition);
        this.running.set(label, event.timestamp);
        if (event.tookOver !== undefined) {
          this.line(
            `${paint(this.output, 'yellow', '↷')} ${label}: taking over from run ${event.tookOver.runId} (${event.tookOver.reason})`,
          );
        }
        if (!this.output.tty && this.verbose)
          this.line(`started ${label}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`);
        break;
      }
      case 'asset:materialized': {
        const label = partitionLabel(event.assetKey, event.partition);
        this.running.delete(label);
        this.done++;
        const blockedBy = event.materialization.blockedBy ?? [];
        if (blockedBy.length > 0) {
          this.failed++;
          this.outcome(
            event,
            'failed',
            `${paint(this.output, 'red', '✗')} ${label} recorded, but blocking check ${blockedBy.join(', ')} failed: not used downstream`,
          );
          break;
        }
        const took = event.materialization.endedAt - event.materialization.startedAt;
        this.outcome(
          event,
          'materialized',
          `${paint(this.output, 'green', '✓')} ${label} ${paint(this.output, 'gray', formatDuration(took))}`,
        );
        break;
      }
      case 'step:retrying': {
        const label = partitionLabel(event.assetKey, event.partition);
        this.line(
          `${paint(this.output, 'yellow', '↻')} ${label} attempt ${event.attempt} failed, retrying in ${formatDuration(event.delayMs)}: ${stepError(label, event.error.message)}`,
        );
        break;
      }
      case 'step:failed': {
        const label = partitionLabel(event.assetKey, event.partition);
        this.running.delete(label);
        this.done++;
        this.failed++;
        this.outcome(
          event,
          'failed',
          `${paint(this.output, 'red', '✗')} ${label} failed: ${stepError(label, event.error.message)}${event.error.hint ? `\n    ${paint(this.output, 'gray', 'hint')}: ${event.error.hint}` : ''}`,
        );
        break;
      }
      case 'step:skipped':
        this.done++;
        this.outcome(
          event,
          'skipped',
          `${paint(this.output, 'gray', '-')} ${partitionLabel(event.assetKey, event.partition)} skipped: ${event.reason}`,
        );
        break;
      case 'step:cancelled': {
        const label = partitionLabel(event.assetKey, event.partition);
        this.running.delete(label);
        this.outcome(event, 'cancelled', `${paint(this.output, 'gray', '■')} ${label} cancelled`);
        break;
      }
    }
  };

  /** Prints a step's outcome; past the first few of a kind, a partition's is only counted. */
  private outcome(
    event: { assetKey: string; partition: string },
    kind: PartitionOutcome,
    text: string,
  ): void {
    if (event.partition === '' || this.verbose || this.printed[kind] < PARTITION_LINES[kind]) {
      if (event.partition !== '') this.printed[kind]++;
      this.line(text);
      return;
    }
    const byAsset = this.unprinted.get(kind) ?? new Map<string, number>();
    this.unprinted.set(kind, byAsset);
    byAsset.set(event.assetKey, (byAsset.get(event.assetKey) ?? 0) + 1);
    if (this.output.tty) return;
    const now = Date.now();
    if (this.lastCount === 0) this.lastCount = now;
    if (now - this.lastCount >= COUNT_EVERY_MS) {
      this.lastCount = now;
      this.line(
        paint(
          this.output,
          'gray',
          `… ${this.done} done${this.failed ? `, ${this.failed} failed` : ''}, ${this.running.size} running`,
        ),
      );
    }
  }

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
    const verbs: Record<PartitionOutcome, string> = {
      materialized: `${paint(this.output, 'green', '✓')} and`,
      failed: `${paint(this.output, 'red', '✗')} and`,
      skipped: `${paint(this.output, 'gray', '-')} and`,
      cancelled: `${paint(this.output, 'gray', '■')} and`,
    };
    for (const [kind, byAsset] of this.unprinted) {
      const total = [...byAsset.values()].reduce((a, b) => a + b, 0);
      const assets = [...byAsset].map(([key, n]) => `${key} ${n}`).join(', ');
      this.output.err(
        `${verbs[kind]} ${total} more partition${total === 1 ? '' : 's'} ${kind === 'failed' ? 'failed' : kind} (${assets})\n`,
      );
    }
    this.unprinted.clear();
  }

  private line(text: string): void {
    this.clear();
    this.output.err(`${text}\n`);
    this.lastLineAt = Date.now();
    this.draw();
  }

  /** In a log (no terminal): after a quiet stretch, which steps run and for how long. */
  private heartbeat(): void {
    const now = Date.now();
    if (this.running.size === 0 || now - this.lastLineAt < QUIET_MS) return;
    const steps = [...this.running].map(
      ([label, since]) => `${label} (${formatDuration(now - since)})`,
    );
    const shown = steps.slice(0, 3).join(', ') + (steps.length > 3 ? `, +${steps.length - 3}` : '');
    const state = this.options.queued ? 'queued or running' : 'still running';
    this.line(paint(this.output, 'gray', `… ${this.done} done, ${state}: ${shown}`));
  }

  private clear(): void {
    if (this.drawn) this.output.err('\r\x1b[K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.output.tty || this.total === 0 || (!this.open && this.done >= this.total)) return;
    this.clear();
    const names = [...this.running.keys()];
    const current =
      names.slice(0, 3).join(', ') + (names.length > 3 ? `, +${names.length - 3}` : '');
    const columns = this.output.columns ?? 100;
    const done = this.open ? `${this.done}` : `${this.done}/${this.total}`;
    const text = `${SPINNER[this.frame++ % SPINNER.length]} ${done} done · ${names.length} ${this.options.queued ? 'queued or running' : 'running'}${current ? ` (${current})` : ''}${this.failed ? ` · ${this.failed} failed` : ''}`;
    this.output.err(text.slice(0, columns - 1));
    this.drawn = true;
  }
}
