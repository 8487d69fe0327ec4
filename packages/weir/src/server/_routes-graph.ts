/**
 * @module server/_routes-graph
 * GET /api/graph: every asset with its state and the edges between them, for the lineage
 * view. The body is built once per (event id, second) and answered with an ETag, so a page
 * polling it costs a 304 until something changed.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { locatedIn } from '../definitions/index.js';
import { selectKeys } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import { sha256 } from '../hash.js';
import { type AssetState, partitionCounts, summarize } from '../versioning/index.js';
import type { App, ServerContext } from './_context.js';
import { errorBody } from './_errors.js';
import { type GraphLayout, layoutGraph } from './_layout.js';
import type { LiveState } from './_live-state.js';
import {
  errorResponses,
  type GraphBody,
  type GraphNodeBody,
  GraphSchema,
  LayoutSchema,
} from './_schemas.js';

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

const layoutRoute = createRoute({
  method: 'get',
  path: '/api/graph/layout',
  summary: "The lineage view's layout: node boxes and group clusters, in the graph's node order",
  request: {
    query: z.object({
      version: z.string().optional().openapi({
        description: 'the graph version it is for: answered only when current (else 409)',
      }),
    }),
  },
  responses: {
    200: { description: 'The layout', content: { 'application/json': { schema: LayoutSchema } } },
    304: { description: 'Unchanged since the ETag given in If-None-Match' },
    401: errorResponses[401],
    409: errorResponses[400],
  },
});

const selectRoute = createRoute({
  method: 'get',
  path: '/api/select',
  summary: 'The asset keys a selection expression names (docs/selection.md)',
  request: { query: z.object({ q: z.string().min(1).max(10_000) }) },
  responses: {
    200: {
      description: 'The keys, in the graph order',
      content: { 'application/json': { schema: z.object({ keys: z.array(z.string()) }) } },
    },
    400: errorResponses[400],
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
  let layout: { tag: string; body: string } | undefined;

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

  app.openapi(layoutRoute, (c) => {
    const wanted = c.req.valid('query').version;
    if (wanted !== undefined && wanted !== version) {
      return c.json(
        errorBody('E_CONFLICT', `the graph is at version ${version}, not ${wanted}: reload it`),
        409,
      );
    }
    // Computed on the first request, then kept: the project's graph does not change while serving.
    layout ??= {
      tag: `"layout-${version}"`,
      body: JSON.stringify(layoutBody(version, layoutGraph(context.graph))),
    };
    c.header('ETag', layout.tag);
    c.header('Cache-Control', 'private, max-age=31536000, immutable');
    if (c.req.header('If-None-Match') === layout.tag) return c.body(null, 304);
    return c.body(layout.body, 200, { 'Content-Type': 'application/json' }) as never;
  });

  app.openapi(selectRoute, (c) => {
    const selected = selectKeys(context.graph, c.req.valid('query').q);
    return c.json({ keys: context.graph.keys.filter((key) => selected.has(key)) }, 200);
  });
}

function layoutBody(version: string, layout: GraphLayout) {
  return { version, ...layout };
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
    location: locatedIn(node.definition) ?? null,
    status: state.status,
    reason: summarize(state),
    materializedAt: live.lastMaterializedAt(state.key) ?? null,
    checks: blocked ? 'failing' : state.warnings.length > 0 ? 'warning' : null,
    overdue: state.freshness?.status === 'overdue',
    running: live.running(state.key),
    partitions: partitions === undefined ? null : partitionCounts(partitions),
  };
}
