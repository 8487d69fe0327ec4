// The incremental resolver's clusters, kept between batches: a batch marks the records whose
// links it changed (and those it added or removed), and only the link components holding them
// are clustered again. Clustering is local to a component (its links in order, conflicts
// between its members), so the clusters are exactly those of clustering everything afresh.
import { buildClusters, type ClusterLink, type ResolvedCluster } from './cluster.js';
import type { PreparedRecord } from './features.js';
import type { PairScore } from './score.js';

/** What the cache reads of the resolver's state. */
export interface LinkGraph {
  ids(): Iterable<string>;
  prepared(id: string): PreparedRecord | undefined;
  neighbours(id: string): Iterable<[string, PairScore]>;
}

export class ClusterCache {
  private readonly dirty = new Set<string>();
  /** The cluster of each member id; undefined until the first full clustering. */
  private byMember: Map<string, ResolvedCluster> | undefined;
  private readonly byId = new Map<string, ResolvedCluster>();

  constructor(
    private readonly graph: LinkGraph,
    private readonly conflicts: (a: PreparedRecord, b: PreparedRecord) => boolean,
  ) {}

  /** Marks a record whose links, or whose presence, changed. */
  touch(id: string): void {
    if (this.byMember) this.dirty.add(id);
  }

  clusters(): ResolvedCluster[] {
    if (!this.byMember) {
      this.byMember = new Map();
      this.recluster(this.graph.ids());
    } else if (this.dirty.size) this.refresh(this.byMember);
    return [...this.byId.keys()].sort().map((id) => this.byId.get(id)!);
  }

  private refresh(byMember: Map<string, ResolvedCluster>): void {
    const seeds: string[] = [];
    for (const id of this.dirty) {
      if (this.graph.prepared(id)) seeds.push(id);
      for (const m of byMember.get(id)?.members ?? [])
        if (this.graph.prepared(m.id)) seeds.push(m.id);
    }
    const component = new Set(seeds);
    const queue = [...component];
    while (queue.length) {
      for (const [other] of this.graph.neighbours(queue.pop()!)) {
        if (!component.has(other)) {
          component.add(other);
          queue.push(other);
        }
      }
    }
    for (const id of [...this.dirty, ...component]) {
      const old = byMember.get(id);
      if (!old) continue;
      this.byId.delete(old.id);
      for (const m of old.members) byMember.delete(m.id);
    }
    this.dirty.clear();
    this.recluster(component);
  }

  /** Clusters the records of whole link components and files the result. */
  private recluster(ids: Iterable<string>): void {
    const prepared = new Map<string, PreparedRecord>();
    const links: ClusterLink[] = [];
    for (const a of ids) {
      prepared.set(a, this.graph.prepared(a)!);
      for (const [b, s] of this.graph.neighbours(a)) if (a < b) links.push({ a, b, ...s });
    }
    for (const c of buildClusters(prepared, links, this.conflicts)) {
      this.byId.set(c.id, c);
      for (const m of c.members) this.byMember!.set(m.id, c);
    }
  }
}
