/**
 * @module execution/_pool-wait
 * Waiting for a pool's slots: a unit its pool had no room for waits, without a concurrency
 * slot, until one of the leases holding the slots is released, changes hands or its holder
 * dies (then the unit claims again, taking dead holders over), until a unit of its own run
 * frees slots (`freed`), or until the run is cancelled.
 */
import type { Lease } from '../storage/index.js';
import { isDead } from './_claim.js';
import type { RunContext } from './_run-context.js';
import { sleep } from './_sleep.js';

/** How long a unit waiting for slots sleeps between looks, at first and at most. */
const POLL_MS = [20, 200] as const;

export async function waitForSlots(
  run: RunContext,
  holders: readonly Lease[],
  freed: Promise<void>,
): Promise<void> {
  const byAsset = new Map<string, Map<string, Lease>>();
  for (const lease of holders) {
    const partitions = byAsset.get(lease.assetKey) ?? new Map<string, Lease>();
    partitions.set(lease.partition, lease);
    byAsset.set(lease.assetKey, partitions);
  }
  let woken = false;
  void freed.then(() => {
    woken = true;
  });
  for (
    let delay: number = POLL_MS[0];
    !run.signal.aborted;
    delay = Math.min(2 * delay, POLL_MS[1])
  ) {
    await sleep(delay, run.signal, freed);
    if (woken || holders.length === 0) return;
    const now = Date.now();
    for (const [assetKey, partitions] of byAsset) {
      const current = await run.eventLog.leases(assetKey, [...partitions.keys()]);
      if (current.length < partitions.size) return;
      for (const lease of current) {
        if (lease.startedId !== partitions.get(lease.partition)?.startedId) return;
        if (isDead(lease, now)) return;
      }
    }
  }
}
