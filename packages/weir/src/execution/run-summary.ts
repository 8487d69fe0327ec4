/**
 * @module execution/run-summary
 * A run's summary and its status, built from the outcomes of its units in the order they
 * settled: the one place that decides what a run reports.
 */
import { unitLabel } from '../definitions/index.js';
import type { RunStatus, RunSummary } from '../storage/index.js';
import type { VersionEvent } from './_version-book.js';
import type { StepOutcome } from './executor.js';

/** How a unit of a run ended: what its executor returned, or what the scheduler decided. */
export type UnitOutcome =
  | StepOutcome
  /** Planned because an upstream was; everything it reads came out as it last read it. */
  | { status: 'unchanged' }
  /** Not run: an upstream it reads failed or could not run. */
  | { status: 'skipped'; reason: string }
  /** Not run: another run (a concurrent command) materialized it first, from the same inputs. */
  | { status: 'concurrent'; events: VersionEvent[] };

/** One settled unit: the asset, its partition keys (`['']` when unpartitioned), its outcome. */
export interface SettledUnit {
  key: string;
  keys: readonly string[];
  outcome: UnitOutcome;
}

export interface RunReport {
  summary: RunSummary;
  /** Why each failed or skipped unit (by label) did not materialize. */
  reasons: Record<string, string>;
}

export function summarizeRun(settled: readonly SettledUnit[]): RunReport {
  const summary: RunSummary = {
    materialized: [],
    unchanged: [],
    failed: [],
    skipped: [],
    cancelled: [],
  };
  const reasons: Record<string, string> = {};
  for (const { key, keys, outcome } of settled) {
    const label = unitLabel(key, keys);
    switch (outcome.status) {
      case 'materialized':
        summary.materialized.push(label);
        break;
      case 'unchanged':
        summary.unchanged.push(label);
        break;
      case 'concurrent':
        summary.concurrent ??= [];
        summary.concurrent.push(label);
        break;
      case 'cancelled':
        summary.cancelled.push(label);
        if (outcome.reason !== undefined) reasons[label] = outcome.reason;
        break;
      case 'failed':
        summary.failed.push(label);
        reasons[label] = outcome.error.message;
        break;
      case 'skipped':
        summary.skipped.push(label);
        reasons[label] = outcome.reason;
        break;
      case 'blocked': {
        // A range unit can pass on some partitions: those count as materialized.
        const labelOf = (partition: string) => unitLabel(key, [partition]);
        for (const event of outcome.usable) summary.materialized.push(labelOf(event.partition));
        for (const partition of outcome.blocked) {
          summary.failed.push(labelOf(partition));
          // "P: blocking check …" names the partition whose check failed: its own label does.
          const own = `${partition}: `;
          reasons[labelOf(partition)] = outcome.reason.startsWith(own)
            ? outcome.reason.slice(own.length)
            : outcome.reason;
        }
        break;
      }
    }
  }
  return { summary, reasons };
}

/** A finished run's status: cancelled when aborted, failed when anything failed or was skipped. */
export function runStatus(
  summary: RunSummary,
  cancelled: boolean,
): Exclude<RunStatus, 'running' | 'crashed'> {
  if (cancelled) return 'cancelled';
  // A unit cancelled in a run that was not (its lease lost to another run) did not complete.
  const incomplete = summary.failed.length + summary.skipped.length + summary.cancelled.length;
  return incomplete > 0 ? 'failed' : 'success';
}
