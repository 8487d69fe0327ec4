/**
 * @module execution/_claim
 * Claiming a unit before it runs, so each asset partition runs once at a time across
 * processes: its leases are taken with its first `step:started` (`EventLog.startSteps`). A
 * unit another live run holds waits for it; a unit another run finished since the plan is
 * planned again and runs only if it is still stale; a lease whose holder died is taken over,
 * and the take-over is recorded. Concurrent commands end as if they had run one after the
 * other. A unit of a pool takes its slots in the same call: when the pool is full it waits
 * (see `_pool-wait`), and holders of its slots that died are taken over like its own leases.
 */
import { hostname } from 'node:os';
import { type AssetDefinition, PartitionSet, unitLabel } from '../definitions/index.js';
import type { AssetRecord, Lease, WeirEvent } from '../storage/index.js';
import { codeVersionOf } from '../versioning/index.js';
import { inputExpectations, provenanceOf } from './_inputs.js';
import { replacedUpstream } from './_replaced-upstream.js';
import type { RunContext } from './_run-context.js';
import { sleep } from './_sleep.js';
import type { StepUnit } from './_units.js';
import type { VersionEvent } from './_version-book.js';
import { holderGone } from './recovery.js';

/** How often a run renews the leases it holds. */
export const HEARTBEAT_MS = 10_000;
/** A lease of another host not renewed for this long is dead (its host may be gone). */
export const LEASE_TTL_MS = 60_000;
/** How long a unit waiting for another run's lease sleeps between looks, at first and at most. */
const POLL_MS = [50, 1_000] as const;

const HOST = hostname();

export type Claim =
  /**
   * The unit's leases are the run's; its first `step:started` is recorded. A range unit some
   * of whose partitions another run did meanwhile is narrowed to the rest first (in place):
   * `concurrent` holds the versions that run recorded for the partitions left out.
   */
  | { status: 'claimed'; concurrent: VersionEvent[] }
  /** Another live run holds some of its partitions: wait, then claim again. */
  | { status: 'held'; leases: Lease[]; concurrent: VersionEvent[] }
  /** Its pool has too few free slots, all held by live runs: wait, then claim again. */
  | { status: 'pool-full'; holders: Lease[]; concurrent: VersionEvent[] }
  /** Another run materialized it since the plan, and it is not stale any more. */
  | { status: 'done-elsewhere'; events: VersionEvent[] }
  /** Its inputs disagree about an upstream another run replaced meanwhile: it must not run. */
  | { status: 'replaced-upstream'; reason: string; concurrent: VersionEvent[] };

/**
 * Takes `unit`'s leases with its first `step:started`, taking over dead holders, and
 * re-planning it when another run materialized it since the plan (a forced unit runs anyway).
 */
export async function claimUnit(run: RunContext, unit: StepUnit, force: boolean): Promise<Claim> {
  const node = run.graph.node(unit.key);
  const pool = run.poolOf(unit.key);
  /** Dead holders to take over, by asset partition: of the unit's own, or of its pool's slots. */
  const takeOver = new Map<string, { lease: Lease; events: WeirEvent[] }>();
  const judgeDead = (leases: readonly Lease[]) => {
    for (const lease of leases) {
      takeOver.set(`${lease.assetKey}\0${lease.partition}`, { lease, events: closingOf(lease) });
    }
  };
  const concurrent: VersionEvent[] = [];
  for (;;) {
    const replaced = await replacedUpstream(run, unit);
    if (replaced !== undefined)
      return { status: 'replaced-upstream', reason: replaced, concurrent };
    const tookOver = [...takeOver.values()].find(
      ({ lease }) => lease.assetKey === unit.key && unit.keys.includes(lease.partition),
    )?.lease;
    const result = await run.eventLog.startSteps({
      events: run.startedEvents(
        unit,
        1,
        tookOver === undefined
          ? {}
          : { tookOver: { runId: tookOver.runId, reason: deathOf(tookOver) } },
      ),
      expected: [
        ...unit.keys.map((partition) => ({
          assetKey: unit.key,
          partition,
          materializationId: run.basis.materializationId(unit.key, partition),
        })),
        // What it reads must not have been replaced since the run learnt it either.
        ...(await inputExpectations(run, node, unit)),
      ],
      takeOver: [...takeOver.values()],
      ...(pool === undefined ? {} : { pool }),
    });
    if (result.status === 'started') {
      run.emit(result.events);
      return { status: 'claimed', concurrent };
    }
    if (result.status === 'held') {
      const now = Date.now();
      const live = result.leases.filter((lease) => !isDead(lease, now));
      if (live.length > 0) return { status: 'held', leases: live, concurrent };
      judgeDead(result.leases);
      continue;
    }
    if (result.status === 'pool-full') {
      const now = Date.now();
      const dead = result.holders.filter((lease) => isDead(lease, now));
      if (dead.length === 0) return { status: 'pool-full', holders: result.holders, concurrent };
      judgeDead(dead);
      continue;
    }
    let replan = false;
    const inputs = new Map<string, string[]>();
    for (const moved of result.partitions) {
      if (moved.assetKey === unit.key) {
        run.basis.learn(moved.assetKey, moved.partition, moved.materializationId);
        replan = true;
      } else {
        inputs.set(moved.assetKey, [...(inputs.get(moved.assetKey) ?? []), moved.partition]);
      }
    }
    // Another run replaced an input: read (and check) the version that stands now.
    for (const [key, partitions] of inputs) await run.versions.refresh(key, partitions);
    if (force || !replan) continue;
    const done = await doneElsewhere(run, unit);
    if (done.size === unit.keys.length) {
      return { status: 'done-elsewhere', events: [...concurrent, ...done.values()] };
    }
    concurrent.push(...narrow(unit, done));
  }
}

/**
 * Narrows a range unit (`single-run`) to the span of its partitions not in `done`, so it does
 * not redo what another run did meanwhile; returns the versions of the partitions it left out.
 * A partition done elsewhere inside that span runs again (a range is one call).
 */
function narrow(unit: StepUnit, done: ReadonlyMap<string, VersionEvent>): VersionEvent[] {
  if (done.size === 0 || unit.partitions === undefined) return [];
  const indices = [...unit.partitions.indices()];
  const todo = indices.filter((_, i) => !done.has(unit.keys[i]!));
  const [first, last] = [todo[0]!, todo[todo.length - 1]!];
  const left: VersionEvent[] = [];
  const keys: string[] = [];
  for (const [i, index] of indices.entries()) {
    const key = unit.keys[i]!;
    if (index >= first && index <= last) keys.push(key);
    else left.push(done.get(key)!);
  }
  unit.partitions = PartitionSet.fromRanges(unit.partitions.size, [[first, last + 1]]);
  unit.keys = keys;
  unit.label = unitLabel(unit.key, keys);
  return left;
}

/**
 * Waits until none of `leases` is held by a live run any more (released, or its holder
 * died), or the run is cancelled.
 */
export async function waitForRelease(
  run: RunContext,
  unit: StepUnit,
  leases: readonly Lease[],
): Promise<void> {
  const watched = [...new Set(leases.map((lease) => lease.partition))];
  for (
    let delay: number = POLL_MS[0];
    !run.signal.aborted;
    delay = Math.min(2 * delay, POLL_MS[1])
  ) {
    await sleep(delay, run.signal);
    const now = Date.now();
    const held = await run.eventLog.leases(unit.key, watched);
    if (held.every((lease) => lease.runId === run.runId || isDead(lease, now))) return;
  }
}

/**
 * Whether a lease's holder is gone: on this host, its process (or thread) died (see
 * `holderGone`); on another host, it stopped renewing the lease.
 */
export function isDead(lease: Lease, now: number): boolean {
  if (lease.host === HOST) return holderGone(lease);
  return now - lease.heartbeatAt > LEASE_TTL_MS;
}

function deathOf(lease: Lease): string {
  return lease.host === HOST
    ? `its process (pid ${lease.pid} on ${lease.host}) died`
    : `it was not renewed for ${Math.round((Date.now() - lease.heartbeatAt) / 1000)} s (host ${lease.host})`;
}

/** The event that closes a dead holder's step: it failed, its process gone. */
function closingOf(lease: Lease): WeirEvent[] {
  return [
    {
      type: 'step:failed',
      runId: lease.runId,
      assetKey: lease.assetKey,
      partition: lease.partition,
      timestamp: Date.now(),
      attempt: 1,
      error: {
        name: 'ProcessDied',
        message: `the step's lease was taken over: ${deathOf(lease)} before the step finished`,
      },
    },
  ];
}

/**
 * The partitions of `unit` another run recorded meanwhile that are no longer stale, with
 * their usable versions: materialized, not failed since, not blocked, with the current code
 * version and from the inputs the unit would read now. All of them: the unit need not run.
 */
async function doneElsewhere(run: RunContext, unit: StepUnit): Promise<Map<string, VersionEvent>> {
  const { eventLog, graph } = run;
  const node = graph.node(unit.key);
  const records =
    unit.partitions === undefined
      ? await eventLog.latest([unit.key])
      : await eventLog.partitionRecords(unit.key, unit.keys);
  const byPartition = new Map(records.map((record) => [record.partition, record]));
  const code = codeVersionOf(node.definition as AssetDefinition);
  const indices = unit.partitions === undefined ? [] : [...unit.partitions.indices()];
  const done = new Map<string, VersionEvent>();
  for (const [i, partition] of unit.keys.entries()) {
    const record = byPartition.get(partition);
    if (!isCurrent(record, code)) continue;
    const set =
      unit.space === undefined ? undefined : PartitionSet.empty(unit.space.size).add(indices[i]!);
    const reads = await provenanceOf(run, node, unit, set);
    const read = record!.usable!.materialization.inputs;
    if (!node.parents.every((parent) => read[parent]?.dataVersion === reads[parent]!.dataVersion)) {
      continue;
    }
    done.set(partition, record!.usable!);
  }
  return done;
}

/** Materialized with `code`, usable, and not failed since. */
function isCurrent(record: AssetRecord | undefined, code: string): boolean {
  const newest = record?.materialization;
  if (newest === undefined || record?.usable?.id !== newest.id) return false;
  if (record.failure !== undefined && record.failure.id > newest.id) return false;
  return newest.materialization.codeVersion === code;
}
