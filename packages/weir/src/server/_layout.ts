/**
 * @module server/_layout
 * The lineage view's layout: a layered drawing, left to right, computed on the server once per
 * graph version. elkjs was measured first (docs/architecture.md): 10 s or more at 10,000
 * assets, several GB with clusters, and a stack overflow on Node's default stack; this one
 * takes tens of milliseconds.
 *
 * Columns are the longest path from a root, so every edge goes rightwards. Each group is a
 * cluster: a rectangle spanning its columns, as tall as its fullest column. Clusters are
 * packed into shelves (rows of clusters whose columns do not overlap), so an upstream group
 * and a downstream one share a shelf side by side. Within a cluster, each column's nodes are
 * ordered by a few barycenter sweeps (the mean row of their neighbours), which removes most
 * crossings at a cost linear in the edges.
 */
import type { AssetGraph } from '../graph/index.js';

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Between columns, and between rows. */
  gapX: number;
  gapY: number;
  /** Around a cluster's nodes (the top one holds its label). */
  padding: number;
  labelHeight: number;
  sweeps: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** x, y, width, height of each node, in the graph's key order. */
  nodes: Array<[number, number, number, number]>;
  groups: Array<{ name: string; x: number; y: number; width: number; height: number }>;
}

const DEFAULTS: LayoutOptions = {
  nodeWidth: 210,
  nodeHeight: 44,
  gapX: 56,
  gapY: 14,
  padding: 12,
  labelHeight: 22,
  sweeps: 6,
};

/** Nodes without a group share one cluster under this name (drawn without a frame). */
export const UNGROUPED = '';

export function layoutGraph(graph: AssetGraph, options: Partial<LayoutOptions> = {}): GraphLayout {
  const o = { ...DEFAULTS, ...options };
  const keys = graph.keys;
  const index = new Map(keys.map((key, i) => [key, i]));
  const parents = keys.map((key) => graph.node(key).parents.map((p) => index.get(p)!));
  const children = keys.map((key) => graph.node(key).children.map((c) => index.get(c)!));

  // Columns: the graph's keys are in topological order, so one pass gives the longest path.
  const column = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    let c = 0;
    for (const p of parents[i]!) c = Math.max(c, column[p]! + 1);
    column[i] = c;
  }

  // Clusters and, in each, its nodes by column.
  const clusters = new Map<
    string,
    { name: string; columns: Map<number, number[]>; first: number; last: number }
  >();
  keys.forEach((key, i) => {
    const name = graph.node(key).group ?? UNGROUPED;
    let cluster = clusters.get(name);
    if (cluster === undefined) {
      cluster = { name, columns: new Map(), first: column[i]!, last: column[i]! };
      clusters.set(name, cluster);
    }
    const list = cluster.columns.get(column[i]!) ?? [];
    list.push(i);
    cluster.columns.set(column[i]!, list);
    cluster.first = Math.min(cluster.first, column[i]!);
    cluster.last = Math.max(cluster.last, column[i]!);
  });

  // Rows within each cluster's column, improved by barycenter sweeps over the whole graph.
  const row = new Float64Array(keys.length);
  for (const cluster of clusters.values()) {
    for (const list of cluster.columns.values()) {
      list.forEach((n, r) => {
        row[n] = r;
      });
    }
  }
  const order = (list: number[], neighbours: number[][]) => {
    const score = new Map<number, number>();
    for (const n of list) {
      const near = neighbours[n]!;
      if (near.length === 0) score.set(n, row[n]!);
      else {
        let sum = 0;
        for (const m of near) sum += row[m]!;
        score.set(n, sum / near.length);
      }
    }
    list.sort((a, b) => score.get(a)! - score.get(b)! || a - b);
    list.forEach((n, r) => {
      row[n] = r;
    });
  };
  const sortedColumns = [...clusters.values()].flatMap((cluster) =>
    [...cluster.columns.entries()].map(([c, list]) => ({ c, list })),
  );
  sortedColumns.sort((a, b) => a.c - b.c);
  for (let sweep = 0; sweep < o.sweeps; sweep++) {
    const rightwards = sweep % 2 === 0;
    const sequence = rightwards ? sortedColumns : [...sortedColumns].reverse();
    for (const { list } of sequence) order(list, rightwards ? parents : children);
  }

  // Shelves: clusters sorted by first column, each put on the first shelf where it fits.
  const heightOf = (cluster: { columns: Map<number, number[]> }) => {
    let most = 0;
    for (const list of cluster.columns.values()) most = Math.max(most, list.length);
    return o.labelHeight + o.padding * 2 + most * o.nodeHeight + (most - 1) * o.gapY;
  };
  const shelves: Array<{ y: number; height: number; lastColumn: number }> = [];
  const placed = [...clusters.values()].sort(
    (a, b) => a.first - b.first || a.name.localeCompare(b.name),
  );
  const columnX = (c: number) => c * (o.nodeWidth + o.gapX + o.padding * 2);
  const nodes: GraphLayout['nodes'] = new Array(keys.length);
  const groups: GraphLayout['groups'] = [];
  let bottom = 0;
  let right = 0;
  for (const cluster of placed) {
    const height = heightOf(cluster);
    let shelf = shelves.find((s) => s.lastColumn < cluster.first && s.height >= height);
    if (shelf === undefined) {
      shelf = { y: bottom, height, lastColumn: -1 };
      shelves.push(shelf);
      bottom += height + o.gapY * 3;
    }
    shelf.lastColumn = cluster.last;
    const x = columnX(cluster.first);
    const width = columnX(cluster.last) - x + o.nodeWidth + o.padding * 2;
    groups.push({ name: cluster.name, x, y: shelf.y, width, height });
    right = Math.max(right, x + width);
    for (const [c, list] of cluster.columns) {
      for (const n of list) {
        const y = shelf.y + o.labelHeight + o.padding + row[n]! * (o.nodeHeight + o.gapY);
        nodes[n] = [columnX(c) + o.padding, y, o.nodeWidth, o.nodeHeight];
      }
    }
  }
  return {
    width: right,
    height: Math.max(0, bottom - o.gapY * 3),
    nodes,
    groups: groups.filter((g) => g.name !== UNGROUPED),
  };
}
