/**
 * @module execution/unit-loss
 * Settling a unit whose runner is gone without saying how it ended (its process died, or
 * it could not run the unit): what the log says it recorded stands (a materialization that
 * made it before the process died is kept, never redone); otherwise its failure is recorded,
 * only while the run still holds its leases.
 */
import { toErrorInfo } from './_errors.js';
import type { RunContext } from './_run-context.js';
import type { StepUnit } from './_units.js';
import type { StepOutcome } from './executor.js';
import { errorFrom } from './unit-ticket.js';

/**
 * The outcome of `unit` of `run` after its runner vanished with `error` during `attempt`:
 * the one it recorded if it recorded one, else `error`, recorded as the unit's failure.
 */
export async function outcomeAfterLoss(
  run: RunContext,
  unit: StepUnit,
  error: Error,
  attempt = 1,
): Promise<StepOutcome> {
  const recorded = await endingsOf(run, unit);
  if (recorded !== undefined) return recorded;
  const failed = await run.recordHolding(
    unit,
    run.unitEvents(unit, (fields) => ({
      type: 'step:failed',
      ...fields,
      attempt,
      error: toErrorInfo(error),
    })),
  );
  if (!Array.isArray(failed)) return { status: 'cancelled', reason: failed.lost };
  return { status: 'failed', error };
}

/** How the unit ended as the run recorded it (a partition runs once in a run), if it did. */
async function endingsOf(run: RunContext, unit: StepUnit): Promise<StepOutcome | undefined> {
  const keys = new Set(unit.keys);
  const events = (
    await run.eventLog.events({
      runId: run.runId,
      assetKey: unit.key,
      types: ['asset:materialized', 'step:failed', 'step:cancelled'],
    })
  ).filter((event) => 'partition' in event && keys.has(event.partition));
  const materialized = events.filter((event) => event.type === 'asset:materialized');
  if (materialized.length === keys.size) {
    // Recorded in one transaction, with `blockedBy` on those a blocking check failed.
    const blocked = materialized.filter((e) => e.materialization.blockedBy?.length);
    if (blocked.length === 0) return { status: 'materialized', events: materialized };
    const checks = blocked[0]!.materialization.blockedBy!;
    return {
      status: 'blocked',
      usable: materialized.filter((e) => !e.materialization.blockedBy?.length),
      blocked: blocked.map((e) => e.partition),
      reason: `blocking check ${checks.join(', ')} failed`,
      checks,
    };
  }
  for (const event of events) {
    if (event.type === 'step:failed') return { status: 'failed', error: errorFrom(event.error) };
    if (event.type === 'step:cancelled') {
      return event.reason === undefined
        ? { status: 'cancelled' }
        : { status: 'cancelled', reason: event.reason };
    }
  }
  return undefined;
}
