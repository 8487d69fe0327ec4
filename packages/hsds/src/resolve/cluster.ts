// Clusters as a user reads them: the records merged, where each came from, and the links that
// merged them with the evidence of each. Links are taken strongest first; a link that would put
// two records in one cluster while their own comparison has strong evidence against it (the
// `conflicts` test: other street, other suite, other name, far apart) is not taken, so one
// record without a suite cannot chain four suites of a building into one entity.
import type { SourceRef } from '../map/mapped.js';
import type { PreparedRecord } from './features.js';
import type { Evidence } from './score.js';
import { UnionFind } from './union-find.js';

export interface ClusterMember {
  id: string;
  name: string;
  source: SourceRef;
}

/** One matched pair (`a` < `b`): its score and what was compared. */
export interface ClusterLink {
  a: string;
  b: string;
  score: number;
  evidence: Evidence[];
}

/** Records resolved to one entity. `id` is the smallest member id. */
export interface ResolvedCluster {
  id: string;
  members: ClusterMember[];
  /** The links that joined the members, strongest first. */
  links: ClusterLink[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Links strongest first, ties in id order: the order clustering takes them in. */
export function linkOrder(x: ClusterLink, y: ClusterLink): number {
  return y.score - x.score || cmp(x.a, y.a) || cmp(x.b, y.b);
}

/**
 * Groups the records the links join, skipping links whose clusters hold a conflicting pair.
 * Members sorted by id, clusters by their id; the result depends only on the links and records.
 */
export function buildClusters(
  records: ReadonlyMap<string, PreparedRecord>,
  links: readonly ClusterLink[],
  conflicts: (a: PreparedRecord, b: PreparedRecord) => boolean = () => false,
): ResolvedCluster[] {
  const sets = new UnionFind();
  const members = new Map<string, string[]>();
  const taken: ClusterLink[] = [];
  for (const l of [...links].sort(linkOrder)) {
    const ra = sets.find(l.a);
    const rb = sets.find(l.b);
    if (ra === rb) {
      taken.push(l);
      continue;
    }
    const ma = members.get(ra) ?? [l.a];
    const mb = members.get(rb) ?? [l.b];
    if (ma.some((x) => mb.some((y) => conflicts(records.get(x)!, records.get(y)!)))) continue;
    sets.union(ra, rb);
    members.delete(ra);
    members.delete(rb);
    members.set(sets.find(ra), [...ma, ...mb]);
    taken.push(l);
  }
  const clusterOf = new Map<string, ResolvedCluster>();
  const clusters = sets.groups().map((ids) => {
    const cluster: ResolvedCluster = {
      id: ids[0]!,
      members: ids.map((id) => {
        const r = records.get(id)!.record;
        return { id, name: r.name, source: r.source };
      }),
      links: [],
    };
    for (const id of ids) clusterOf.set(id, cluster);
    return cluster;
  });
  for (const l of taken) clusterOf.get(l.a)!.links.push(l);
  return clusters;
}
