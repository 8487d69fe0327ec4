/**
 * @module server/_routes-graph
 * GET /api/graph: every asset with its state and the edges between them, for the lineage
 * view. The body is built once per (event id, second) and answered with an ETag, so a page
 * polling it costs a 304 until something changed.
 */
import { createRoute } from '@hono/zod-openapi';
import type { AssetGraph } from '../graph/index.js';
import { sha256 } from '../hash.js';
import type { AssetState } from '../versioning/index.js';
import { summarize } from '../versioning/index.js';
import type { App, ServerContext } from './_context.js';
import type { LiveState } from './_live-state.js';
import { errorResponses, type GraphBody, type GraphNodeBody, GraphSchema } from './_schemas.js';

const route = createRoute({
  method: 'get',
  path: '/api/graph',
  summary: 'Every asset with its state, and the edges between them',
  responses: {
    200: { description: 'The graph', content: { 'application/json': { schema: GraphSchema } } },
    304: { description: 'Unchanged since the ETag given in If-None-Match' },
    401: errorResponses[401],
  },
});

/** Changes when assets, edges or groups change: the cache key of the layout. */
export function graphVersion(graph: AssetGraph): string {
  const parts = graph.keys.map((key) => {
    const node = graph.node(key);
    return `${key}\t${node.group ?? ''}\t${node.parents.join(',')}`;
  });
  return sha256(parts.join('\n')).slice(0, 16);
}

export function graphRoutes(app: App, context: ServerContext): void {
  const version = graphVersion(context.graph);
  const index = new Map(context.graph.keys.map((key, i) => [key, i]));
  const edges: Array<[number, number]> = context.graph.keys.flatMap((key) =>
    context.graph
      .node(key)
      .parents.map((parent): [number, number] => [index.get(parent)!, index.get(key)!]),
  );
  let cached: { tag: string; body: string } | undefined;

  app.openapi(route, async (c) => {
    const now = Date.now();
    const states = await context.live.status(now);
    const tag = `"${version}-${context.hub.lastEventId}-${Math.floor(now / 1000)}"`;
    if (cached?.tag !== tag) {
      const body: GraphBody = {
        version,
        eventId: context.hub.lastEventId,
        nodes: states.map((state) => nodeOf(state, context.graph, context.live)),
        edges,
      };
      cached = { tag, body: JSON.stringify(body) };
    }
    c.header('ETag', cached.tag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('If-None-Match') === cached.tag) return c.body(null, 304);
    return c.body(cached.body, 200, { 'Content-Type': 'application/json' }) as never;
  });
}

function nodeOf(state: AssetState, graph: AssetGraph, live: LiveState): GraphNodeBody {
  const node = graph.node(state.key);
  const blocked = state.causes.some(
    (cause) => cause.category === 'check' && cause.key === state.key,
  );
  const partitions = state.partitions;
  return {
    key: state.key,
    kind: state.kind,
    group: node.group ?? null,
    status: state.status,
    reason: summarize(state),
    materializedAt: live.lastMaterializedAt(state.key) ?? null,
    checks: blocked ? 'failing' : state.warnings.length > 0 ? 'warning' : null,
    overdue: state.freshness?.status === 'overdue',
    running: live.running(state.key),
    partitions:
      partitions === undefined
        ? null
        : {
            fresh: partitions.fresh.count,
            stale: partitions.stale.count,
            missing: partitions.missing.count,
            failed: partitions.failed.count,
          },
  };
}
