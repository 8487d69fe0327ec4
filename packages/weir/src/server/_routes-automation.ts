/**
 * @module server/_routes-automation
 * Sensors, schedules, observed sources and asset conditions with their last tick, outcome and
 * next tick (the list `weir automation` prints), recent ticks of each, and pausing/resuming.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { automationEntries, checkAutomationName, setPaused } from '../daemon/index.js';
import type { App, ServerContext } from './_context.js';
import { requireOperator } from './_guards.js';
import { ErrorSchema, EventSchema, errorResponses, eventBodies } from './_schemas.js';

const EntrySchema = z
  .object({
    kind: z.enum(['sensor', 'schedule', 'condition', 'observe']),
    name: z.string(),
    paused: z.boolean(),
    lastAt: z.number().optional(),
    outcome: z.string().optional(),
    cursor: z.string().optional(),
    cursorLength: z.number().optional(),
    nextAt: z.number().optional(),
    detail: z.string(),
  })
  .openapi('AutomationEntry');

const NameParam = z.object({
  name: z
    .string()
    .min(1)
    .openapi({ param: { name: 'name', in: 'path' }, description: 'URL-encoded' }),
});

const list = createRoute({
  method: 'get',
  path: '/api/automation',
  summary: 'What the project automates, as it stands',
  responses: {
    200: {
      description: 'Entries',
      content: { 'application/json': { schema: z.object({ entries: z.array(EntrySchema) }) } },
    },
    401: errorResponses[401],
  },
});

const ticks = createRoute({
  method: 'get',
  path: '/api/automation/{name}/ticks',
  summary:
    "A sensor's or schedule's recent ticks, or an asset condition's evaluations, newest first",
  request: {
    params: NameParam,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
  },
  responses: {
    200: {
      description: 'Ticks',
      content: { 'application/json': { schema: z.object({ events: z.array(EventSchema) }) } },
    },
    ...errorResponses,
  },
});

const toggle = (action: 'pause' | 'resume') =>
  createRoute({
    method: 'post',
    path: `/api/automation/{name}/${action}`,
    summary: `${action === 'pause' ? 'Pause' : 'Resume'} a sensor, schedule, observed source or asset condition (operator)`,
    request: { params: NameParam },
    responses: {
      200: {
        description: 'Done (changed: false when it already was)',
        content: {
          'application/json': {
            schema: z.object({ name: z.string(), paused: z.boolean(), changed: z.boolean() }),
          },
        },
      },
      ...errorResponses,
      403: {
        description: 'Not an operator, or a read-only instance',
        content: { 'application/json': { schema: ErrorSchema } },
      },
    },
  });

export function automationRoutes(app: App, context: ServerContext): void {
  app.openapi(list, async (c) => {
    const records = await context.instance.eventLog.automationRecords();
    return c.json({ entries: automationEntries(context.project, records, Date.now()) }, 200);
  });

  app.openapi(ticks, async (c) => {
    const { name } = c.req.valid('param');
    const { limit } = c.req.valid('query');
    checkAutomationName(context.project, name);
    const { eventLog } = context.instance;
    // Ticks are found by name: sensors' and schedules' among their type, conditions' by asset.
    const isSensor = context.project.sensors.some((s) => s.name === name);
    const isSchedule = context.project.schedules.some((s) => s.name === name);
    const wanted = isSensor
      ? 'sensor:ticked'
      : isSchedule
        ? 'schedule:ticked'
        : 'automation:evaluated';
    const found = [];
    let afterId: number | undefined;
    while (found.length < limit) {
      const page = await eventLog.events({
        types: [wanted],
        descending: true,
        limit: 1000,
        ...(wanted === 'automation:evaluated' ? { assetKey: name } : {}),
        ...(afterId === undefined ? {} : { afterId }),
      });
      for (const event of page) {
        if (found.length < limit && ('name' in event ? event.name === name : true))
          found.push(event);
      }
      if (page.length < 1000) break;
      afterId = page[page.length - 1]!.id;
    }
    return c.json({ events: eventBodies(found) }, 200);
  });

  for (const action of ['pause', 'resume'] as const) {
    app.openapi(toggle(action), async (c) => {
      requireOperator(c, context);
      const { name } = c.req.valid('param');
      checkAutomationName(context.project, name);
      const changed = await setPaused(context.instance, name, action === 'pause');
      return c.json({ name, paused: action === 'pause', changed }, 200);
    });
  }
}
