/**
 * @module server/_apps
 * The project's apps (`app()`), each mounted at `/apps/<name>/` behind the server's gate: the
 * app receives the request with its URL cut to its sub-path (and without the caller's token),
 * and a context that reads assets' current values. A value is decoded once per
 * materialization and shared between requests. An app that throws, or answers something that
 * is not a Response, is a 500 whose details (naming the app) go to the server's log only.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppAssetValue, AppContext, AppDefinition } from '../definitions/index.js';
import { currentValueSource, type Instance } from '../execution/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { App, AppEnv, ServerContext } from './_context.js';
import { errorBody } from './_errors.js';
import { errorResponses } from './_schemas.js';

/** Where apps are mounted. */
export const APPS_PATH = '/apps';

const AppSchema = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    /** Where it is served, with a trailing slash: `/apps/directory/`. */
    path: z.string(),
  })
  .openapi('App');

const list = createRoute({
  method: 'get',
  path: '/api/apps',
  summary: "The project's apps and where each is served",
  responses: {
    200: {
      description: 'Apps',
      content: { 'application/json': { schema: z.object({ apps: z.array(AppSchema) }) } },
    },
    401: errorResponses[401],
  },
});

export function appRoutes(app: App, context: ServerContext, log: (line: string) => void): void {
  const apps = new Map(context.project.apps.map((a) => [a.name, a]));
  app.openapi(list, (c) =>
    c.json(
      {
        apps: context.project.apps.map((a) => ({
          name: a.name,
          description: a.description ?? null,
          path: `${APPS_PATH}/${a.name}/`,
        })),
      },
      200,
    ),
  );
  const values = new AppValues(context.graph, context.instance);
  const handle = (c: Context<AppEnv>) => serveApp(c, apps, values, log);
  app.all(APPS_PATH, handle);
  app.all(`${APPS_PATH}/*`, handle);
}

async function serveApp(
  c: Context<AppEnv>,
  apps: ReadonlyMap<string, AppDefinition>,
  values: AppValues,
  log: (line: string) => void,
): Promise<Response> {
  // The URL as parsed (dot segments already resolved), its path still percent-encoded.
  const url = new URL(c.req.url);
  const rest = url.pathname.slice(APPS_PATH.length + 1);
  const slash = rest.indexOf('/');
  const name = slash < 0 ? rest : rest.slice(0, slash);
  const definition = apps.get(name);
  if (definition === undefined) {
    return c.json(
      errorBody(
        'E_NOT_FOUND',
        name === '' ? 'no app named in the path' : `no app '${safeText(name)}' in the project`,
        apps.size === 0
          ? 'the project declares no apps (defineProject({ apps: [app({ … })] }))'
          : `the apps are listed at /api/apps: ${[...apps.keys()].join(', ')}`,
      ),
      404,
    );
  }
  const basePath = `${APPS_PATH}/${name}`;
  if (slash < 0) {
    // `/apps/name` → `/apps/name/`, so links relative to the app's root resolve inside it.
    return c.redirect(`${basePath}/${url.search}`, 308);
  }
  const subPath = rest.slice(slash);
  if (leavesItsFolder(subPath)) {
    return c.json(errorBody('E_BAD_REQUEST', 'the path has a segment that is . or ..'), 400);
  }
  const target = new URL(url);
  target.pathname = subPath;
  target.hash = '';
  const headers = new Headers(c.req.raw.headers);
  // The caller's token is the server's business: the app gets the role it grants.
  headers.delete('Authorization');
  const method = c.req.method;
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (method !== 'GET' && method !== 'HEAD' && c.req.raw.body !== null) {
    init.body = c.req.raw.body;
    init.duplex = 'half';
  }
  const request = new Request(target, init);
  const ctx: AppContext = {
    name,
    basePath,
    role: c.get('role'),
    value: ((asset: string | { key: string }, options?: { partition?: string }) =>
      values.read(
        typeof asset === 'string' ? asset : asset.key,
        options?.partition,
      )) as AppContext['value'],
    log: (line) => log(`app '${name}': ${line}`),
  };
  const where = `${method} ${basePath}${subPath}`;
  let response: unknown;
  try {
    response = await definition.fetch(request, ctx);
  } catch (error) {
    log(`app '${name}' failed on ${where}: ${(error as Error)?.stack ?? String(error)}`);
    return appFailed(c, name);
  }
  if (!isResponse(response)) {
    log(
      `app '${name}' failed on ${where}: its fetch returned ${describe(response)}, not a Response`,
    );
    return appFailed(c, name);
  }
  // A copy with headers of its own: a Response.redirect()'s or a fetch()'s cannot be changed,
  // and the server adds its security headers to what the app did not set itself.
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
}

function appFailed(c: Context<AppEnv>, name: string): Response {
  return c.json(
    errorBody(
      'E_APP',
      `the app '${name}' failed on this request`,
      'the server log has the details',
    ),
    500,
  );
}

/** Whether a percent-encoded path has a segment that decodes to `.` or `..` (or holds one). */
function leavesItsFolder(path: string): boolean {
  for (const segment of path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      continue; // malformed escapes are the app's to refuse
    }
    if (decoded.includes('\0')) return true;
    if (decoded.split(/[\\/]/).some((part) => part === '.' || part === '..')) return true;
  }
  return false;
}

function isResponse(value: unknown): value is Response {
  if (value instanceof Response) return true;
  const v = value as Partial<Response> | null | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.status === 'number' &&
    typeof v.headers?.get === 'function' &&
    'body' in v
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}

/** A name as shown in a message: printable, short. */
function safeText(text: string): string {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // keep it encoded
  }
  const printable = decoded.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 60 ? `${printable.slice(0, 60)}…` : printable;
}

interface Cached {
  materializationId: number;
  value: Promise<AppAssetValue<unknown>>;
}

/** The newest values apps read, by asset and partition, decoded once per materialization. */
class AppValues {
  static readonly MAX_ENTRIES = 32;
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly graph: AssetGraph,
    private readonly instance: Instance,
  ) {}

  async read(key: string, partition: string | undefined): Promise<AppAssetValue<unknown>> {
    const source = await currentValueSource(this.graph, {
      instance: this.instance,
      key,
      ...(partition === undefined ? {} : { partition }),
    });
    const id = `${source.key}\0${source.partition}`;
    const cached = this.cache.get(id);
    if (cached?.materializationId === source.materializationId) {
      // Most recently used last, so the oldest is evicted first.
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached.value;
    }
    const value = source.load().then(
      (loaded): AppAssetValue<unknown> => ({
        key: loaded.key,
        partition: loaded.partition,
        format: loaded.format,
        value: loaded.value,
        dataVersion: loaded.dataVersion,
        codeVersion: loaded.codeVersion,
        materializationId: loaded.materializationId,
        materializedAt: loaded.materializedAt,
      }),
    );
    const entry: Cached = { materializationId: source.materializationId, value };
    this.cache.delete(id);
    this.cache.set(id, entry);
    if (this.cache.size > AppValues.MAX_ENTRIES) {
      this.cache.delete(this.cache.keys().next().value!);
    }
    value.catch(() => {
      if (this.cache.get(id) === entry) this.cache.delete(id);
    });
    return value;
  }
}
