/**
 * @module server/_routes-assets
 * One asset: its definition and state with the reasons, its materializations with provenance,
 * the diff of any two, check results and numeric metadata over time, its partition map, and
 * its artefact (any recorded materialization's, with range requests).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { didYouMean, EnvironmentError } from '../errors.js';
import {
  assetHistory,
  explain,
  newestUsable,
  resolveSpaces,
  selectKeys,
} from '../execution/index.js';
import type { MaterializationEvent } from '../storage/index.js';
import { partitionCounts } from '../versioning/index.js';
import { definitionBody, partitionLetters, stateBody } from './_asset-view.js';
import type { App, ServerContext } from './_context.js';
import { diffMaterializations } from './_diff.js';
import { fileInside, fileResponse } from './_download.js';
import { ApiError } from './_errors.js';
import { EventSchema, errorResponses, eventBodies } from './_schemas.js';

const KeyParam = z.object({
  key: z
    .string()
    .min(1)
    .openapi({
      param: { name: 'key', in: 'path' },
      description: 'the asset key, URL-encoded (`/` as %2F)',
      example: 'hydrology%2Fpolished',
    }),
});

const json = (description: string, schema: z.ZodType) => ({
  200: { description, content: { 'application/json': { schema } } },
  ...errorResponses,
});

const AssetSchema = z
  .looseObject({
    definition: z.looseObject({ key: z.string() }),
    state: z.looseObject({ status: z.string() }),
  })
  .openapi('Asset');

const routes = {
  asset: createRoute({
    method: 'get',
    path: '/api/assets/{key}',
    summary: 'An asset: what it declares, its state and why (the causes `weir why` gives)',
    request: { params: KeyParam, query: z.object({ partition: z.string().optional() }) },
    responses: json('The asset', AssetSchema),
  }),
  materializations: createRoute({
    method: 'get',
    path: '/api/assets/{key}/materializations',
    summary: 'Materializations (observations, for a source), newest first, with their provenance',
    request: {
      params: KeyParam,
      query: z.object({
        before: z.coerce
          .number()
          .int()
          .min(1)
          .optional()
          .openapi({ description: 'only events older than this id (the next page)' }),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        partition: z.string().optional(),
      }),
    },
    responses: json('Newest first', z.object({ events: z.array(EventSchema), more: z.boolean() })),
  }),
  diff: createRoute({
    method: 'get',
    path: '/api/assets/{key}/diff',
    summary: 'What moved between two materializations: code, inputs, config, metadata, schema',
    request: {
      params: KeyParam,
      query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
    },
    responses: json(
      'The differences',
      z.looseObject({ from: z.number(), to: z.number() }).openapi('MaterializationDiff'),
    ),
  }),
  checks: createRoute({
    method: 'get',
    path: '/api/assets/{key}/checks',
    summary: 'Check results, newest first',
    request: {
      params: KeyParam,
      query: z.object({ limit: z.coerce.number().int().min(1).max(2000).default(200) }),
    },
    responses: json('Check results', z.object({ events: z.array(EventSchema) })),
  }),
  series: createRoute({
    method: 'get',
    path: '/api/assets/{key}/series',
    summary: 'Numeric metadata of recent materializations, oldest first, for plots',
    request: {
      params: KeyParam,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(5000).default(500),
        partition: z
          .string()
          .optional()
          .openapi({ description: 'of one partition (a partitioned asset mixes them otherwise)' }),
        by: z.enum(['materialization', 'partition']).default('materialization').openapi({
          description:
            "'partition' (time-window partitioned assets): one point per partition, its current value's metadata, at the window's start; the newest `limit` partitions",
        }),
      }),
    },
    responses: json(
      'One array per numeric metadata entry, aligned with `at`',
      z.object({
        at: z.array(z.number()),
        series: z.record(z.string(), z.array(z.number().nullable())),
      }),
    ),
  }),
  partitions: createRoute({
    method: 'get',
    path: '/api/assets/{key}/partitions',
    summary: 'The partition map: one letter per partition (f fresh, s stale, m missing, x failed)',
    request: {
      params: KeyParam,
      query: z.object({
        from: z.coerce
          .number()
          .int()
          .min(0)
          .optional()
          .openapi({ description: 'with `to`: the keys of partitions [from, to) (at most 5,000)' }),
        to: z.coerce.number().int().min(0).optional(),
      }),
    },
    responses: json(
      'The map',
      z.object({
        size: z.number(),
        letters: z.string(),
        counts: z.record(z.string(), z.number()),
        first: z.string().nullable(),
        last: z.string().nullable(),
        keys: z.array(z.string()).nullable(),
        backfills: z.array(z.looseObject({ backfillId: z.string(), status: z.string() })),
      }),
    ),
  }),
  artefact: createRoute({
    method: 'get',
    path: '/api/assets/{key}/artefact',
    summary: "Download a materialization's artefact (the current one by default); honours Range",
    request: {
      params: KeyParam,
      query: z.object({
        event: z.coerce
          .number()
          .int()
          .min(1)
          .optional()
          .openapi({ description: 'the materialization event id' }),
        partition: z
          .string()
          .optional()
          .openapi({ description: "a partition: its current materialization's artefact" }),
        file: z
          .string()
          .optional()
          .openapi({ description: 'a file inside a folder artefact, relative to it' }),
      }),
    },
    responses: {
      200: {
        description: 'The bytes',
        content: { 'application/octet-stream': { schema: z.string() } },
      },
      206: {
        description: 'The range asked for',
        content: { 'application/octet-stream': { schema: z.string() } },
      },
      416: { description: 'The range is past the end' },
      ...errorResponses,
    },
  }),
};

export function assetRoutes(app: App, context: ServerContext): void {
  const { graph, instance } = context;
  const knownKey = (key: string) => {
    if (!graph.has(key)) {
      throw new ApiError(
        404,
        'E_UNKNOWN_ASSET',
        `no asset '${key}' in the project`,
        didYouMean(key, graph.keys),
      );
    }
    return key;
  };
  const materializationOf = async (key: string, id: number): Promise<MaterializationEvent> => {
    const event = await instance.eventLog.event(id);
    if (event?.type !== 'asset:materialized' || event.assetKey !== key) {
      throw new ApiError(404, 'E_NOT_FOUND', `event ${id} is not a materialization of '${key}'`);
    }
    return event;
  };

  app.openapi(routes.asset, async (c) => {
    const key = knownKey(c.req.valid('param').key);
    const { partition } = c.req.valid('query');
    const report = await explain(graph, key, {
      instance,
      observe: false,
      ...(partition === undefined ? {} : { partition }),
    });
    return c.json(
      {
        definition: definitionBody(graph, key),
        state: stateBody(report),
        partition: report.partition ?? null,
      } as never,
      200,
    );
  });

  app.openapi(routes.materializations, async (c) => {
    const key = knownKey(c.req.valid('param').key);
    const { before, limit, partition } = c.req.valid('query');
    const found = await assetHistory(instance, key, {
      limit: limit + 1,
      ...(before === undefined ? {} : { before }),
      ...(partition === undefined ? {} : { partition }),
    });
    return c.json({ events: eventBodies(found.slice(0, limit)), more: found.length > limit }, 200);
  });

  app.openapi(routes.diff, async (c) => {
    const key = knownKey(c.req.valid('param').key);
    const { from, to } = c.req.valid('query');
    const [a, b] = await Promise.all([materializationOf(key, from), materializationOf(key, to)]);
    return c.json(diffMaterializations(a.id <= b.id ? a : b, a.id <= b.id ? b : a) as never, 200);
  });

  app.openapi(routes.checks, async (c) => {
    const key = knownKey(c.req.valid('param').key);
    const events = await instance.eventLog.events({
      assetKey: key,
      types: ['check:evaluated'],
      descending: true,
      limit: c.req.valid('query').limit,
    });
    return c.json({ events: eventBodies(events) }, 200);
  });

  /** Recent materializations (of one partition, or mixed), oldest first, at their times. */
  async function byMaterialization(key: string, limit: number, partition: string | undefined) {
    const events = (
      await assetHistory(instance, key, {
        limit,
        ...(partition === undefined ? {} : { partition }),
      })
    ).reverse();
    return { at: events.map((e) => e.timestamp), events };
  }

  /** The current value of each of the newest `limit` partitions, at its window's start. */
  async function byPartition(key: string, limit: number) {
    const space = (await resolveSpaces(graph, instance.eventLog, [key], Date.now())).get(key);
    if (space === undefined || space.definition?.kind !== 'time-window') {
      throw new EnvironmentError('E_USAGE', `asset '${key}' is not partitioned by time windows`, {
        hint: 'plot by materialization (by=materialization)',
      });
    }
    const indices = Array.from(
      { length: Math.min(limit, space.size) },
      (_, i) => space.size - Math.min(limit, space.size) + i,
    );
    const found = await newestUsable(
      instance,
      key,
      indices.map((i) => space.keyAt(i)),
      undefined,
    );
    const shown = indices.filter((i) => found.has(space.keyAt(i)));
    return {
      at: shown.map((i) => space.windowAt(i)!.start),
      events: shown.map((i) => found.get(space.keyAt(i))!),
    };
  }

  app.openapi(routes.series, async (c) => {
    const key = knownKey(c.req.valid('param').key);
    const { limit, partition, by } = c.req.valid('query');
    const { at: times, events } =
      by === 'partition'
        ? await byPartition(key, limit)
        : await byMaterialization(key, limit, partition);
    const at: number[] = [];
    const series: Record<string, Array<number | null>> = {};
    events.forEach((event, i) => {
      at.push(times[i]!);
      const metadata =
        event.type === 'asset:materialized'
          ? event.materialization.metadata
          : event.type === 'asset:observed'
            ? event.observation.metadata
            : {};
      for (const [name, value] of Object.entries(metadata)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        series[name] ??= new Array<number | null>(events.length).fill(null);
        series[name]![i] = value;
      }
    });
    return c.json({ at, series }, 200);
  });

  app.openapi(routes.partitions, async (c) => {
    const key = knownKey(c.req.valid('param').key);
    const { from, to } = c.req.valid('query');
    const states = await context.live.status();
    const partitioned = states.find((state) => state.key === key)?.partitions;
    if (from !== undefined && to !== undefined && to < from) {
      throw new ApiError(
        400,
        'E_BAD_REQUEST',
        `to (${to}) is before from (${from}): give the range [from, to)`,
      );
    }
    if (partitioned === undefined) {
      throw new ApiError(404, 'E_NOT_FOUND', `asset '${key}' is not partitioned`);
    }
    const { space } = partitioned;
    let keys: string[] | null = null;
    if (from !== undefined || to !== undefined) {
      const start = Math.min(from ?? 0, space.size);
      const end = Math.min(to ?? space.size, space.size, start + 5_000);
      keys = [];
      for (let i = start; i < end; i++) keys.push(space.keyAt(i));
    }
    const backfills = (await instance.eventLog.backfills({ limit: 50 })).filter((backfill) => {
      try {
        return selectKeys(graph, backfill.requested.request.selection).has(key);
      } catch {
        return false; // a selection the project no longer resolves
      }
    });
    return c.json(
      {
        size: space.size,
        letters: partitionLetters(partitioned),
        counts: partitionCounts(partitioned),
        first: space.size > 0 ? space.keyAt(0) : null,
        last: space.size > 0 ? space.keyAt(space.size - 1) : null,
        keys,
        backfills: backfills.map((b) => ({
          backfillId: b.backfillId,
          status: b.status,
          requestedAt: b.requestedAt,
          finishedAt: b.finishedAt ?? null,
          request: { ...b.requested.request },
          runIds: b.runIds,
        })),
      },
      200,
    );
  });

  const download = async (
    c: Parameters<Parameters<typeof app.openapi<typeof routes.artefact>>[1]>[0],
    head: boolean,
  ) => {
    const key = knownKey(c.req.valid('param').key);
    const query = c.req.valid('query');
    let event: MaterializationEvent;
    if (query.event !== undefined) event = await materializationOf(key, query.event);
    else {
      const partitioned = graph.node(key).partitions !== undefined;
      if (partitioned && query.partition === undefined) {
        throw new ApiError(
          400,
          'E_BAD_REQUEST',
          `'${key}' is partitioned: name a partition (?partition=KEY) or a materialization (?event=ID)`,
        );
      }
      const report = await explain(graph, key, {
        instance,
        observe: false,
        ...(partitioned ? { partition: query.partition! } : {}),
      });
      const current = partitioned ? report.partition?.current : report.current;
      if (current?.type !== 'asset:materialized') {
        const what = partitioned ? `${key}[${query.partition}]` : `'${key}'`;
        throw new ApiError(404, 'E_NOT_FOUND', `${what} has no materialization to download`);
      }
      event = current;
    }
    const { artefact } = event.materialization;
    let path: string;
    try {
      path = await instance.artefacts.localPath(artefact.location, {
        storedAt: event.materialization.endedAt,
      });
    } catch (error) {
      throw new EnvironmentError(
        'E_NOT_FOUND',
        `the artefact of '${key}' (event ${event.id}) cannot be served: ${(error as Error).message}`,
        {
          hint: 'check it with `weir verify`',
        },
      );
    }
    let name = `${key.replaceAll('/', '_')}${event.partition ? `_${event.partition}` : ''}`;
    if (artefact.type === 'directory') {
      if (query.file === undefined) {
        throw new ApiError(
          400,
          'E_USAGE',
          `the artefact of '${key}' is a folder: name a file in it with ?file=`,
        );
      }
      path = await fileInside(path, query.file);
      name = query.file.split('/').pop()!;
    } else if (query.file !== undefined) {
      throw new ApiError(400, 'E_USAGE', `the artefact of '${key}' is a single file: drop ?file=`);
    } else if (artefact.format === 'json') name += '.json';
    return fileResponse(path, {
      range: c.req.header('Range'),
      head,
      name,
      contentType:
        artefact.format === 'json' && artefact.type !== 'directory'
          ? 'application/json'
          : 'application/octet-stream',
    });
  };
  app.openapi(routes.artefact, (c) => download(c, c.req.method === 'HEAD') as never);
}
