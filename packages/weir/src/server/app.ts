/**
 * @module server/app
 * The HTTP application: the API under /api (JSON, validated by zod schemas that also make
 * the OpenAPI document at /api/openapi.json), /metrics, the project's apps under /apps/NAME/,
 * and the web UI. Every request passes
 * the same gate first: security headers, the Host check, the token (and its role), and for
 * calls that change something, a JSON content type and a same-origin Origin, so a page on
 * another site can neither read nor act through a browser.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { WEIR_VERSION } from '../version.js';
import type { Access } from './_access.js';
import { APPS_PATH, appRoutes } from './_apps.js';
import type { App, AppEnv, ServerContext } from './_context.js';
import { errorBody, respondToError } from './_errors.js';
import type { Metrics } from './_metrics.js';
import { assetRoutes } from './_routes-assets.js';
import { automationRoutes } from './_routes-automation.js';
import { graphRoutes } from './_routes-graph.js';
import { runRoutes } from './_routes-runs.js';
import { staticFiles } from './_static.js';

export interface AppOptions {
  access: Access;
  metrics: Metrics;
  /** The built UI's folder. */
  uiRoot: string;
  /** Where server-side failures are logged. */
  log: (line: string) => void;
}

/** Enough for a launch naming 100,000 partition keys. */
const MAX_BODY_BYTES = 8_000_000;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

export function createApp(context: ServerContext, options: AppOptions): App {
  const { access } = options;
  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const problems = result.error.issues
        .map(
          (issue) =>
            `${issue.path.length > 0 ? issue.path.join('.') : 'request'}: ${issue.message}`,
        )
        .join('; ');
      return c.json(errorBody('E_BAD_REQUEST', problems), 400);
    },
  });

  app.use('*', async (c, next) => {
    if (!access.hostAllowed(c.req.header('Host'))) {
      return c.json(errorBody('E_FORBIDDEN', 'this server answers only to localhost'), 403);
    }
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
  });

  const gate = createMiddleware<AppEnv>(async (c, next) => {
    const authorization = c.req.header('Authorization');
    const role = access.roleOf(authorization);
    if (role === undefined) {
      c.header('WWW-Authenticate', 'Bearer realm="weir"');
      return c.json(
        authorization === undefined
          ? errorBody(
              'E_UNAUTHORIZED',
              'this server needs a token: send Authorization: Bearer <token>',
              'in the UI, paste your token when asked (or open /#token=<token>); ask the server’s operator for one',
            )
          : errorBody(
              'E_UNAUTHORIZED',
              'this token is not one this server knows',
              'check it for a typo, or ask the server’s operator for a current one',
            ),
        401,
      );
    }
    c.set('role', role);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      // Every call that changes something is an operator's: refused before its body is read.
      if (role !== 'operator') {
        return c.json(
          errorBody('E_FORBIDDEN', 'this needs an operator token; yours is a viewer token'),
          403,
        );
      }
      const type = c.req.header('Content-Type') ?? '';
      if (!/^application\/json\b/i.test(type)) {
        return c.json(
          errorBody(
            'E_BAD_REQUEST',
            'calls that change something must send Content-Type: application/json',
          ),
          415,
        );
      }
      const origin = c.req.header('Origin');
      if (origin !== undefined && hostOf(origin) !== c.req.header('Host')) {
        return c.json(errorBody('E_FORBIDDEN', `requests from ${origin} are not accepted`), 403);
      }
    }
    await next();
  });
  app.use('/api/*', gate);
  app.use('/metrics', gate);
  app.use(APPS_PATH, gate);
  app.use(`${APPS_PATH}/*`, gate);
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      c.json(
        errorBody(
          'E_TOO_LARGE',
          `a request body may hold at most ${MAX_BODY_BYTES / 1_000_000} MB`,
        ),
        413,
      ),
  });
  app.use('/api/*', limit);
  app.use(`${APPS_PATH}/*`, limit);

  app.onError((error, c) => respondToError(error, c, options.log));
  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json(
          errorBody(
            'E_NOT_FOUND',
            `no endpoint ${c.req.method} ${c.req.path}`,
            'the endpoints are listed at /api/openapi.json',
          ),
          404,
        )
      : c.text('not found', 404),
  );

  app.get('/api/health', (c) => c.json({ ok: true, version: WEIR_VERSION, role: c.get('role') }));
  graphRoutes(app, context);
  assetRoutes(app, context);
  runRoutes(app, context);
  automationRoutes(app, context);
  appRoutes(app, context, options.log);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Weir',
      version: WEIR_VERSION,
      description: 'The HTTP API of a Weir instance (docs/api.md).',
    },
    security: [{ bearer: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
  });
  app.get('/metrics', async (c) =>
    c.body(await options.metrics.registry.metrics(), 200, {
      'Content-Type': options.metrics.registry.contentType,
    }),
  );
  app.get('*', staticFiles(options.uiRoot));
  return app;
}

/** The host of an Origin header; undefined for `null` (an opaque origin) or a malformed one. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
