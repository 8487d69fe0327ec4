/**
 * The graph as the canvas draws it: boxes from the server's layout, states from /api/graph,
 * adjacency for highlighting a node's upstream and downstream.
 */
import type { GraphBody, GraphNodeBody, LayoutBody } from '../api';

export interface Scene {
  nodes: GraphNodeBody[];
  boxes: LayoutBody['nodes'];
  groups: LayoutBody['groups'];
  edges: GraphBody['edges'];
  width: number;
  height: number;
  parents: number[][];
  children: number[][];
  indexOf: Map<string, number>;
}

export function buildScene(graph: GraphBody, layout: LayoutBody): Scene {
  const parents: number[][] = graph.nodes.map(() => []);
  const children: number[][] = graph.nodes.map(() => []);
  for (const [from, to] of graph.edges) {
    parents[to]!.push(from);
    children[from]!.push(to);
  }
  return {
    nodes: graph.nodes,
    boxes: layout.nodes,
    groups: layout.groups,
    edges: graph.edges,
    width: layout.width,
    height: layout.height,
    parents,
    children,
    indexOf: new Map(graph.nodes.map((node, i) => [node.key, i])),
  };
}

/** Every node reachable from `start` through `next` (start excluded). */
export function reach(start: number, next: number[][]): Set<number> {
  const seen = new Set<number>();
  const stack = [start];
  while (stack.length > 0) {
    for (const n of next[stack.pop()!]!) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return seen;
}

/**
 * The state a node is drawn in: running over everything; a failed blocking check ("failing")
 * over the failed status it causes, so it is told apart from a step that threw; overdue over
 * the rest.
 */
export function displayState(node: GraphNodeBody): string {
  if (node.running) return 'running';
  if (node.checks === 'failing') return 'failing';
  if (node.status === 'failed') return 'failed';
  if (node.overdue) return 'overdue';
  return node.status;
}

export const STATE_COLORS: Record<string, string> = {
  fresh: '#1f9d55',
  stale: '#d97706',
  missing: '#8a94a6',
  failed: '#dc2626',
  running: '#2563eb',
  overdue: '#9f1239',
  failing: '#c026d3',
};
