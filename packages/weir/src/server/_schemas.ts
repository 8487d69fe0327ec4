/**
 * @module server/_schemas
 * The shapes the API takes and gives, as zod schemas: requests are validated with them and
 * the OpenAPI document (/api/openapi.json) is generated from them.
 */
import { z } from '@hono/zod-openapi';
import type { StoredEvent } from '../storage/index.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'E_UNKNOWN_ASSET' }),
      message: z.string().openapi({ example: "no asset 'hydrolgy/raw' in the project" }),
      hint: z.string().optional().openapi({ example: "did you mean 'hydrology/raw'?" }),
    }),
  })
  .openapi('Error');

export const errorResponses = {
  400: {
    description: 'The request is malformed',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  401: {
    description: 'No token, or a wrong one',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  404: { description: 'No such thing', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const StatusSchema = z.enum(['fresh', 'stale', 'missing', 'failed']);

export const PartitionCountsSchema = z
  .object({ fresh: z.number(), stale: z.number(), missing: z.number(), failed: z.number() })
  .openapi('PartitionCounts');

export const GraphNodeSchema = z
  .object({
    key: z.string(),
    kind: z.enum(['asset', 'source']),
    group: z.string().nullable(),
    /** The code location that runs it; null: the project's own. */
    location: z.string().nullable(),
    status: StatusSchema,
    /** One line: why it is not fresh, or "up to date". */
    reason: z.string(),
    materializedAt: z.number().nullable(),
    checks: z.enum(['failing', 'warning']).nullable(),
    overdue: z.boolean(),
    running: z.boolean(),
    partitions: PartitionCountsSchema.nullable(),
  })
  .openapi('GraphNode');

export const GraphSchema = z
  .object({
    /** Changes when the project's assets or edges change (the layout is cached by it). */
    version: z.string(),
    /** The newest event the states reflect. */
    eventId: z.number(),
    nodes: z.array(GraphNodeSchema),
    /** [upstream index, downstream index] into `nodes`. */
    edges: z.array(z.tuple([z.number(), z.number()])),
  })
  .openapi('Graph');

export const LayoutSchema = z
  .object({
    version: z.string(),
    width: z.number(),
    height: z.number(),
    /** x, y, width, height of each node, in the order of the graph's nodes. */
    nodes: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])),
    /** Groups drawn as clusters: name and bounding box. */
    groups: z.array(
      z.object({
        name: z.string(),
        x: z.number(),
        y: z.number(),
        width: z.number(),
        height: z.number(),
      }),
    ),
  })
  .openapi('Layout');

/** A stored event, as the log holds it (see the event types in docs/api.md). */
export const EventSchema = z
  .looseObject({ id: z.number(), type: z.string(), timestamp: z.number() })
  .openapi('Event');

export const RunSchema = z
  .object({
    runId: z.string(),
    status: z.enum(['running', 'success', 'failed', 'cancelled', 'crashed']),
    startedAt: z.number(),
    finishedAt: z.number().nullable(),
    durationMs: z.number().nullable(),
    selection: z.string(),
    steps: z.array(z.string()),
    trigger: z
      .object({
        kind: z.enum(['sensor', 'schedule', 'condition', 'api']),
        name: z.string(),
        reason: z.string(),
      })
      .nullable(),
    backfillId: z.string().nullable(),
    host: z.string(),
    pid: z.number(),
    summary: z.record(z.string(), z.array(z.string())).nullable(),
    reason: z.string().nullable(),
  })
  .openapi('Run');

export type GraphBody = z.infer<typeof GraphSchema>;
export type GraphNodeBody = z.infer<typeof GraphNodeSchema>;
export type LayoutBody = z.infer<typeof LayoutSchema>;
export type RunBody = z.infer<typeof RunSchema>;
export type EventBody = z.infer<typeof EventSchema>;

/** Stored events as the API sends them (as stored: JSON objects). */
export const eventBodies = (events: readonly StoredEvent[]): EventBody[] =>
  events as unknown as EventBody[];
