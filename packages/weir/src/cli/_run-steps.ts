/**
 * @module cli/_run-steps
 * The steps of one run, read from its events (`weir runs RUN`): per asset partition, its
 * outcome, attempts, time, and which queue worker ran it (the `worker` its events carry; a
 * step the run's own process ran carries none). A step handed from a worker that died to
 * another names both, the one that recorded the outcome last.
 */
import type { StoredEvent } from '../storage/index.js';

export interface RunStep {
  assetKey: string;
  partition: string;
  status: 'running' | 'materialized' | 'failed' | 'skipped' | 'cancelled';
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  /** The queue worker that recorded its outcome (or its latest event); absent: the run's process. */
  worker?: string;
  /** Every worker that recorded events of it, in order, when more than one did (a hand-over). */
  workers?: string[];
}

const OUTCOME: Partial<Record<StoredEvent['type'], RunStep['status']>> = {
  'asset:materialized': 'materialized',
  'step:failed': 'failed',
  'step:skipped': 'skipped',
  'step:cancelled': 'cancelled',
};

/** The run's steps, in the order they started. */
export function runSteps(events: readonly StoredEvent[]): RunStep[] {
  const steps = new Map<string, RunStep & { seen: string[] }>();
  for (const event of events) {
    if (!('assetKey' in event) || !('partition' in event) || !event.type.startsWith('step:')) {
      if (event.type !== 'asset:materialized') continue;
    }
    const { assetKey, partition } = event as { assetKey: string; partition: string };
    const id = `${assetKey}\0${partition}`;
    let step = steps.get(id);
    if (step === undefined) {
      step = { assetKey, partition, status: 'running', attempts: 0, seen: [] };
      steps.set(id, step);
    }
    const worker = (event as { worker?: string }).worker;
    if (worker !== undefined) {
      if (step.seen.at(-1) !== worker) step.seen.push(worker);
      step.worker = worker;
    }
    if (event.type === 'step:started') {
      step.attempts = Math.max(step.attempts, event.attempt);
      step.startedAt ??= event.timestamp;
    }
    const outcome = OUTCOME[event.type];
    if (outcome !== undefined) {
      step.status = outcome;
      step.endedAt = event.timestamp;
    }
  }
  return [...steps.values()].map(({ seen, ...step }) =>
    new Set(seen).size > 1 ? { ...step, workers: seen } : step,
  );
}
