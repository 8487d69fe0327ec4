/**
 * @module execution/unit-ticket
 * A claimed unit as plain JSON, so that another process (a child of this one, or a queue
 * worker on another machine) can run it: which run, asset and partitions, from which
 * attempt, with which code, at which time, and exactly which versions of its inputs the
 * claim was made against. Its outcome comes back as plain JSON too. Nothing in either
 * refers to memory of the process that claimed the unit.
 */
import type { AssetDefinition } from '../definitions/index.js';
import { EnvironmentError, UserCodeError, WeirError, type WeirErrorCode } from '../errors.js';
import type { ErrorInfo, LeaseHolder, StoredEvent } from '../storage/index.js';
import { codeVersionOf } from '../versioning/index.js';
import { mappedKeys } from './_inputs.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';
import type { StepOutcome } from './executor.js';

/** The version of the ticket's shape; a runner refuses a ticket of another. */
export const UNIT_TICKET_VERSION = 1;

/** A claimed unit, as JSON: everything a process that loaded the project needs to run it. */
export interface UnitTicket {
  v: typeof UNIT_TICKET_VERSION;
  runId: string;
  /** The process whose run holds the unit's leases (taken with its first `step:started`). */
  holder: LeaseHolder;
  assetKey: string;
  /** The unit's partition keys in order (`['']` when unpartitioned); a range for `single-run` assets. */
  partitions: string[];
  /** The attempt whose `step:started` is recorded; later attempts are recorded by the runner. */
  attempt: number;
  /** The asset's code version as the run planned it: a runner with other code refuses the unit. */
  codeVersion: string;
  /** The run's clock (epoch ms): time windows are resolved as of then. */
  now: number;
  /** Whether `ctx.previous()` gives the step its current materialization (not under --force). */
  previous: boolean;
  /**
   * The version event the claim was made against, of each upstream partition the unit reads
   * that has one, by upstream key then partition key (`''` when unpartitioned). A partition
   * the unit reads and that is not listed has no version.
   */
  reads: Record<string, Record<string, number>>;
}

/** How a ticket ended, as JSON (a `StepOutcome` with its error as recorded). */
export type TicketOutcome =
  | { status: 'materialized'; events: StoredEvent<'asset:materialized'>[] }
  | {
      status: 'blocked';
      usable: StoredEvent<'asset:materialized'>[];
      blocked: string[];
      reason: string;
      checks: string[];
    }
  /** The step failed; its `step:failed` is recorded. */
  | { status: 'failed'; error: ErrorInfo }
  | { status: 'cancelled'; reason?: string }
  /**
   * The runner could not run the unit and recorded nothing: it is not the lease holder's
   * instance, say. Whoever handed it the ticket settles the unit (see `outcomeAfterLoss`).
   */
  | { status: 'unrun'; error: ErrorInfo }
  /** The event log refused a write: the run cannot go on (as when it happens in-process). */
  | { status: 'stopped'; error: ErrorInfo };

/**
 * The ticket of `unit`, claimed by `run` (its leases taken with the `step:started` of
 * `attempt`): what the process that runs it needs, read from what the run knows now.
 */
export async function unitTicket(
  run: RunContext,
  unit: StepUnit,
  attempt = 1,
): Promise<UnitTicket> {
  const node = run.graph.node(unit.key);
  const reads: Record<string, Record<string, number>> = {};
  for (const parent of node.parents) {
    const keys = run.versions.isPartitioned(parent) ? mappedKeys(run, node, unit, parent) : [''];
    if (run.versions.isPartitioned(parent)) await run.versions.load(parent, keys);
    const ids: Record<string, number> = {};
    for (const key of keys) {
      const event = run.versions.event(parent, key);
      if (event !== undefined) ids[key] = event.id;
    }
    reads[parent] = ids;
  }
  return {
    v: UNIT_TICKET_VERSION,
    runId: run.runId,
    holder: { ...run.holder },
    assetKey: unit.key,
    partitions: [...unit.keys],
    attempt,
    codeVersion: codeVersionOf(node.definition as AssetDefinition),
    now: run.now,
    previous: run.previousAvailable,
    reads,
  };
}

/** A ticket's outcome as the scheduler takes it (`unrun` and `stopped` are not outcomes: see there). */
export function stepOutcomeOf(
  outcome: Exclude<TicketOutcome, { status: 'unrun' | 'stopped' }>,
): StepOutcome {
  if (outcome.status === 'failed') return { status: 'failed', error: errorFrom(outcome.error) };
  return outcome;
}

/** An error as recorded (`toErrorInfo`), back as an error of its kind, with its stack. */
export function errorFrom(info: ErrorInfo): Error {
  const code = info.code as WeirErrorCode | undefined;
  const options = info.hint === undefined ? {} : { hint: info.hint };
  const error =
    code === undefined
      ? new Error(info.message)
      : code === 'E_USER_CODE'
        ? new UserCodeError(code, info.message, options)
        : new EnvironmentError(code, info.message, options);
  if (!(error instanceof WeirError)) error.name = info.name;
  if (info.stack !== undefined) error.stack = info.stack;
  return error;
}
