/**
 * @module server/_routes-runs
 * Runs: the list, one run with its step timeline, its events (logs among them) page by page
 * and live as Server-Sent Events, and, for operators, launching and cancelling.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { EnvironmentError } from '../errors.js';
import { findRun, listRuns } from '../execution/index.js';
import type { RunRecord, WeirEventType } from '../storage/index.js';
import type { App, ServerContext } from './_context.js';
import { requireOperator } from './_guards.js';
import { streamRun } from './_run-stream.js';
import { runBody, stepBars } from './_run-view.js';
import { ErrorSchema, EventSchema, errorResponses, eventBodies, RunSchema } from './_schemas.js';

const RunIdParam = z.object({
  runId: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'runId', in: 'path' }, example: 'r-20261203-abc' }),
});

const StepSchema = z
  .object({
    assetKey: z.string(),
    partition: z.string(),
    status: z.enum(['running', 'materialized', 'failed', 'skipped', 'cancelled']),
    startedAt: z.number(),
    endedAt: z.number().nullable(),
    attempts: z.number(),
    message: z.string().nullable(),
    eventId: z.number().nullable(),
  })
  .openapi('Step');

const RUN_STATUSES = ['running', 'success', 'failed', 'cancelled', 'crashed'] as const;

/** A run with the partitions it asked for (the run page and list show them beside the selection). */
const RunWithPartitionsSchema = RunSchema.extend({
  partitions: z
    .object({
      from: z.string().optional(),
      to: z.string().optional(),
      keys: z.array(z.string()).optional(),
    })
    .nullable()
    .openapi({ description: 'partitions asked for; null: every stale one' }),
  units: z.number().nullable().openapi({ description: 'units of work planned' }),
}).openapi('RunWithPartitions');

const runWithPartitions = (run: RunRecord) => ({
  ...runBody(run),
  partitions: run.started.partitions ?? null,
  units: run.started.units ?? null,
});

const list = createRoute({
  method: 'get',
  path: '/api/runs',
  summary: 'Runs, newest first',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      status: z.enum(RUN_STATUSES).optional(),
    }),
  },
  responses: {
    200: {
      description: 'Runs',
      content: {
        'application/json': { schema: z.object({ runs: z.array(RunWithPartitionsSchema) }) },
      },
    },
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

const one = createRoute({
  method: 'get',
  path: '/api/runs/{runId}',
  summary: 'A run and its steps as a timeline',
  request: { params: RunIdParam },
  responses: {
    200: {
      description: 'The run',
      content: {
        'application/json': {
          schema: z.object({ run: RunWithPartitionsSchema, steps: z.array(StepSchema) }),
        },
      },
    },
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

const events = createRoute({
  method: 'get',
  path: '/api/runs/{runId}/events',
  summary: "A run's events (step logs among them), oldest first, a page at a time",
  request: {
    params: RunIdParam,
    query: z.object({
      after: z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .openapi({ description: 'only events after this id' }),
      limit: z.coerce.number().int().min(1).max(5000).default(1000),
      assetKey: z.string().optional(),
      logs: z
        .enum(['only', 'include'])
        .default('include')
        .openapi({ description: 'only: just step:log events' }),
    }),
  },
  responses: {
    200: {
      description: 'Events',
      content: {
        'application/json': {
          schema: z.object({ events: z.array(EventSchema), more: z.boolean() }),
        },
      },
    },
    400: errorResponses[400],
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

const stream = createRoute({
  method: 'get',
  path: '/api/runs/{runId}/stream',
  summary:
    "A run's events as Server-Sent Events, from `after` (or Last-Event-ID) until it finishes",
  request: {
    params: RunIdParam,
    query: z.object({ after: z.coerce.number().int().min(0).default(0) }),
  },
  responses: {
    200: {
      description:
        'event: weir, data: a JSON array of events; event: end when the run has finished',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    401: errorResponses[401],
    404: errorResponses[404],
  },
});

const LaunchSchema = z
  .object({
    selection: z.string().trim().min(1).max(10_000).openapi({
      example: 'hydrology/polished+',
      description: 'a selection expression; `*` is everything',
    }),
    partitions: z
      .object({
        keys: z.array(z.string()).max(100_000).optional(),
        from: z.string().optional(),
        to: z.string().optional(),
      })
      .strict()
      .optional(),
    force: z.boolean().default(false),
  })
  .strict()
  .openapi('LaunchRequest');

const launch = createRoute({
  method: 'post',
  path: '/api/runs',
  summary: 'Materialize a selection (operator)',
  request: { body: { content: { 'application/json': { schema: LaunchSchema } }, required: true } },
  responses: {
    201: {
      description: 'The run started',
      content: { 'application/json': { schema: z.object({ runId: z.string() }) } },
    },
    200: {
      description: 'Nothing was started (nothing to do)',
      content: {
        'application/json': {
          schema: z.object({
            runId: z.null(),
            status: z.string(),
            reasons: z.record(z.string(), z.string()),
          }),
        },
      },
    },
    400: errorResponses[400],
    401: errorResponses[401],
    403: {
      description: 'Not an operator, or a read-only instance',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
});

const cancel = createRoute({
  method: 'post',
  path: '/api/runs/{runId}/cancel',
  summary: 'Cancel a run launched by this server (operator)',
  request: { params: RunIdParam },
  responses: {
    202: {
      description: 'Cancelling',
      content: { 'application/json': { schema: z.object({ cancelling: z.literal(true) }) } },
    },
    401: errorResponses[401],
    403: {
      description: 'Not an operator',
      content: { 'application/json': { schema: ErrorSchema } },
    },
    404: errorResponses[404],
    409: {
      description: 'The run is not running, or runs in another process',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
});

export function runRoutes(app: App, context: ServerContext): void {
  const runOr404 = async (runId: string) => {
    const run = await findRun(context.instance, runId);
    if (run === undefined) {
      throw new EnvironmentError('E_NOT_FOUND', `no run '${runId}'`, {
        hint: 'list runs with GET /api/runs',
      });
    }
    return run;
  };

  app.openapi(list, async (c) => {
    const { limit, status } = c.req.valid('query');
    const runs = await listRuns(context.instance, {
      limit,
      ...(status === undefined ? {} : { status }),
    });
    return c.json({ runs: runs.map(runWithPartitions) }, 200);
  });

  app.openapi(one, async (c) => {
    const run = await runOr404(c.req.valid('param').runId);
    const steps = await context.instance.eventLog.events({ runId: run.runId, types: STEP_TYPES });
    return c.json({ run: runWithPartitions(run), steps: stepBars(steps) }, 200);
  });

  app.openapi(events, async (c) => {
    const { runId } = c.req.valid('param');
    const query = c.req.valid('query');
    await runOr404(runId);
    const page = await context.instance.eventLog.events({
      runId,
      afterId: query.after,
      limit: query.limit + 1,
      ...(query.assetKey === undefined ? {} : { assetKey: query.assetKey }),
      ...(query.logs === 'only' ? { types: ['step:log'] as WeirEventType[] } : {}),
    });
    return c.json(
      { events: eventBodies(page.slice(0, query.limit)), more: page.length > query.limit },
      200,
    );
  });

  app.openapi(stream, async (c) => {
    const { runId } = c.req.valid('param');
    const lastEventId = Number(c.req.header('Last-Event-ID'));
    const after =
      Number.isFinite(lastEventId) && lastEventId > 0 ? lastEventId : c.req.valid('query').after;
    await runOr404(runId);
    return streamSSE(c, (sse) => streamRun(sse, context, runId, after));
  });

  app.openapi(launch, async (c) => {
    requireOperator(c, context);
    const body = c.req.valid('json');
    const role = c.get('role');
    const answer = await context.launches.launch({
      selection: body.selection,
      ...(body.partitions === undefined ? {} : { partitions: body.partitions }),
      force: body.force,
      trigger: {
        kind: 'api',
        name: role,
        reason: `${body.force ? 'forced materialization of' : 'materialize'} ${body.selection}${partitionText(body.partitions)}`,
      },
    });
    if (answer.runId !== undefined) return c.json({ runId: answer.runId }, 201);
    return c.json({ runId: null, status: answer.status, reasons: answer.reasons }, 200);
  });

  app.openapi(cancel, async (c) => {
    requireOperator(c, context);
    const run = await runOr404(c.req.valid('param').runId);
    if (run.status !== 'running') {
      throw new EnvironmentError('E_CONFLICT', `run ${run.runId} is not running (${run.status})`);
    }
    if (!context.launches.cancel(run.runId)) {
      throw new EnvironmentError(
        'E_CONFLICT',
        `run ${run.runId} runs in another process (pid ${run.started.pid} on ${run.started.host}); this server can cancel only the runs it launched`,
        {
          hint:
            run.started.trigger?.kind === 'api'
              ? 'cancel it through the server that launched it (its UI or POST /api/runs/ID/cancel there)'
              : run.started.trigger === undefined
                ? 'stop it where it runs: Ctrl-C in the terminal of its weir command'
                : 'it was launched by a daemon: it stops when that daemon stops (Ctrl-C or SIGTERM to it)',
        },
      );
    }
    return c.json({ cancelling: true as const }, 202);
  });
}

const STEP_TYPES: WeirEventType[] = [
  'step:started',
  'asset:materialized',
  'step:failed',
  'step:skipped',
  'step:cancelled',
];

function partitionText(
  partitions:
    | { keys?: string[] | undefined; from?: string | undefined; to?: string | undefined }
    | undefined,
): string {
  if (partitions === undefined) return '';
  if (partitions.keys !== undefined) return ` [${partitions.keys.length} partitions]`;
  return ` [${partitions.from ?? '…'}..${partitions.to ?? '…'}]`;
}
