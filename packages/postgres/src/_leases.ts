/**
 * @module postgres/_leases
 * Leases in the PostgreSQL log: starting steps (weir_write checks and takes their leases, and
 * the pool's slots, in one transaction), appending while holding leases, and reading and
 * renewing them. The rules run on the server (migrations/0002_writes.sql).
 */
import {
  type HoldingResult,
  type Lease,
  type LeaseRow,
  leaseOf,
  poolStarts,
  type StepStart,
  type StepStartResult,
  type WeirEvent,
} from 'weir';
import type { Query } from './_query.js';
import { bodyOf, eventRecords, storedFrom } from './_records.js';
import type { Write } from './_writer.js';

export async function startSteps(write: Write, start: StepStart): Promise<StepStartResult> {
  const unit = start.pool === undefined ? [...start.events] : poolStarts(start.events, start.pool);
  const runId = unit.find((event) => event.type === 'step:started')?.runId;
  const starting = unit.flatMap((event) =>
    event.type === 'step:started' ? [[event.assetKey, event.partition]] : [],
  );
  const takeOver = start.takeOver ?? [];
  const takeBodies = takeOver.map((take) => take.events.map(bodyOf));
  const unitBodies = unit.map(bodyOf);
  const result = await write({
    op: 'start',
    run: runId ?? null,
    starting,
    expected: start.expected.map((e) => [e.assetKey, e.partition, e.materializationId]),
    take: takeOver.map((take, i) => ({
      k: take.lease.assetKey,
      p: take.lease.partition,
      run: take.lease.runId,
      startedId: take.lease.startedId,
      events: eventRecords(take.events, takeBodies[i]!),
    })),
    pool: start.pool ?? null,
    events: eventRecords(unit, unitBodies),
  });
  switch (result.status) {
    case 'held':
      return { status: 'held', leases: (result.leases as LeaseRow[]).map(leaseOf) };
    case 'moved':
      return {
        status: 'moved',
        partitions: (result.partitions as Array<[string, string, number]>).map(
          ([assetKey, partition, materializationId]) => ({
            assetKey,
            partition,
            materializationId,
          }),
        ),
      };
    case 'pool-full':
      return {
        status: 'pool-full',
        pool: start.pool!.name,
        used: result.used as number,
        limit: start.pool!.limit,
        holders: (result.holders as LeaseRow[]).map(leaseOf),
      };
  }
  const appended: WeirEvent[] = [];
  for (const i of result.taken as number[]) appended.push(...takeOver[i]!.events);
  appended.push(...unit);
  return { status: 'started', events: storedFrom(appended, result.first as number) };
}

export async function appendHolding(
  write: Write,
  runId: string,
  leases: ReadonlyArray<{ assetKey: string; partition: string }>,
  events: readonly WeirEvent[],
): Promise<HoldingResult> {
  const bodies = events.map(bodyOf);
  const result = await write({
    op: 'holding',
    run: runId,
    leases: leases.map((l) => [l.assetKey, l.partition]),
    events: eventRecords(events, bodies),
  });
  if (result.lost !== undefined) {
    const lost = result.lost as Array<{
      assetKey: string;
      partition: string;
      holder: LeaseRow | null;
    }>;
    return {
      status: 'lost',
      lost: lost.map((l) => ({
        assetKey: l.assetKey,
        partition: l.partition,
        holder: l.holder === null ? undefined : leaseOf(l.holder),
      })),
    };
  }
  return { status: 'appended', events: storedFrom(events, result.first as number) };
}

export async function readLeases(
  query: Query,
  assetKey: string,
  partitions: readonly string[],
): Promise<Lease[]> {
  if (partitions.length === 0) return [];
  const { rows } = await query<LeaseRow>(
    'SELECT * FROM lease_holders WHERE asset_key = $1 AND partition = ANY($2::text[])',
    [assetKey, partitions],
  );
  return rows.map(leaseOf);
}

export async function renewLeases(query: Query, runId: string, at: number): Promise<void> {
  await query('UPDATE leases SET heartbeat_at = $2 WHERE run_id = $1', [runId, at]);
}
