// Resolving a set of records from scratch: block, score each candidate pair once, keep the
// matches, cluster. The incremental resolver must always agree with this.
import { blockingKeys } from './blocking.js';
import { buildClusters, type ClusterLink, type ResolvedCluster } from './cluster.js';
import { type PreparedRecord, prepareRecord } from './features.js';
import { conflictTest, type ResolverOptions, resolveOptions } from './options.js';
import type { ResolvableRecord } from './record.js';
import { isMatch, scorePair } from './score.js';

export interface FullResolution {
  clusters: ResolvedCluster[];
  /** Distinct pairs compared (sharing at least one block within the cap). */
  candidatePairs: number;
  links: ClusterLink[];
}

/** Resolves `records` (ids unique; a later record with an id seen before replaces it). */
export function resolveAll(
  records: Iterable<ResolvableRecord>,
  options: ResolverOptions = {},
): FullResolution {
  const o = resolveOptions(options);
  const byId = new Map<string, PreparedRecord>();
  for (const r of records) byId.set(r.id, prepareRecord(r));
  const ids = [...byId.keys()].sort();
  const keysOf = ids.map((id) => blockingKeys(byId.get(id)!, o.blocking));
  const blocks = new Map<string, number[]>();
  keysOf.forEach((keys, i) => {
    for (const k of keys) {
      const list = blocks.get(k);
      if (list) list.push(i);
      else blocks.set(k, [i]);
    }
  });
  const seen = new Int32Array(ids.length).fill(-1);
  const links: ClusterLink[] = [];
  let candidatePairs = 0;
  for (let i = 0; i < ids.length; i++) {
    const a = byId.get(ids[i]!)!;
    for (const k of keysOf[i]!) {
      const block = blocks.get(k)!;
      if (block.length > o.blocking.maxBlockSize) continue;
      for (const j of block) {
        if (j <= i || seen[j] === i) continue;
        seen[j] = i;
        candidatePairs++;
        const b = byId.get(ids[j]!)!;
        if (!isMatch(a, b, o.weights, o.threshold)) continue;
        links.push({ a: ids[i]!, b: ids[j]!, ...scorePair(a, b, o.weights) });
      }
    }
  }
  return { clusters: buildClusters(byId, links, conflictTest(o)), candidatePairs, links };
}
