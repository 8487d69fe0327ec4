/**
 * @module server/_static
 * The web UI: static files built by Vite into the package's `ui/` folder. Paths resolve
 * inside that folder only; any other path that is not a file is the single-page app's
 * index.html (its router reads the URL). Hashed files under `assets/` are cached for good.
 */
import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { Context } from 'hono';
import { weirPackagePath } from '../package-path.js';
import { isInside } from './_download.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** The folder the built UI is in (`ui/` beside the package's package.json). */
export function uiRoot(): string {
  return weirPackagePath('ui');
}

export function staticFiles(root: string) {
  const built = existsSync(join(root, 'index.html'));
  return async (c: Context): Promise<Response> => {
    // An unknown API path is a 404 the caller can read, not the app's page.
    if (c.req.path === '/api' || c.req.path.startsWith('/api/')) return c.notFound();
    if (!built) {
      return c.html(
        '<!doctype html><title>Weir</title><p>The web UI is not built. Run <code>npm run build -w packages/ui</code> (or reinstall the package); the API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>',
        503,
      );
    }
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return c.text('malformed path', 400);
    }
    const wanted = resolve(root, `.${path}`);
    const rel = relative(root, wanted);
    const safe = rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..';
    // Links are followed only to files inside the folder.
    const real = safe ? await realpath(wanted).catch(() => undefined) : undefined;
    if (real !== undefined && isInside(await realpath(root), real)) {
      const info = await stat(real).catch(() => undefined);
      if (info?.isFile()) {
        const hashed = rel.startsWith(`assets${sep}`);
        return c.body(await readFile(real), 200, {
          'Content-Type': TYPES[extname(real)] ?? 'application/octet-stream',
          'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      }
    }
    return c.body(await readFile(join(root, 'index.html')), 200, {
      'Content-Type': TYPES['.html']!,
      'Cache-Control': 'no-cache',
    });
  };
}
