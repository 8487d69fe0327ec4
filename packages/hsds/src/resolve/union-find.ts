// Disjoint sets over string ids, with path halving and union by size.

export class UnionFind {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  /** The representative of `id`'s set (`id` itself when it was never joined). */
  find(id: string): string {
    let x = id;
    for (;;) {
      const p = this.parent.get(x);
      if (p === undefined || p === x) return x;
      const gp = this.parent.get(p) ?? p;
      this.parent.set(x, gp);
      x = gp;
    }
  }

  /** Joins the sets of `a` and `b`; returns false when they were already one. */
  union(a: string, b: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    const sa = this.size.get(ra) ?? 1;
    const sb = this.size.get(rb) ?? 1;
    const [big, small] = sa >= sb ? [ra, rb] : [rb, ra];
    this.parent.set(small, big);
    this.parent.set(big, big);
    this.size.set(big, sa + sb);
    return true;
  }

  /** The sets with more than one member, each sorted, in order of their first member. */
  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const id of this.parent.keys()) {
      const root = this.find(id);
      const list = byRoot.get(root);
      if (list) list.push(id);
      else byRoot.set(root, [id]);
    }
    return [...byRoot.values()]
      .filter((g) => g.length > 1)
      .map((g) => g.sort())
      .sort((x, y) => (x[0]! < y[0]! ? -1 : 1));
  }
}
