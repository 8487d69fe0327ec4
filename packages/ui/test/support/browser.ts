/**
 * The end-to-end harness: the UI built from its sources (rebuilt when a source is newer than
 * the build), a real Weir server on a temporary instance, and headless Debian chromium.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Instance, openInstance, type ProjectDefinition } from 'weir';
import { type RunningServer, startServer } from 'weir/server';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../../bench/_browser.js';

const UI = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = fileURLToPath(new URL('../../../weir/ui/index.html', import.meta.url));

export { CHROMIUM, CHROMIUM_ARGS } from '../../../../bench/_browser.js';

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let building: Promise<void> | undefined;

/** Builds the UI unless the build is newer than every source file (once per test file). */
export function ensureBuilt(): Promise<void> {
  building ??= buildIfStale();
  return building;
}

async function buildIfStale(): Promise<void> {
  const sources = Math.max(
    newestSource(join(UI, 'src')),
    statSync(join(UI, 'index.html')).mtimeMs,
    statSync(join(UI, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= sources) return;
  const { build } = await import('vite');
  // Vite makes a production build (React's, and its JSX runtime) only under NODE_ENV=production;
  // a test run has NODE_ENV=test.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: UI, logLevel: 'warn', configFile: join(UI, 'vite.config.ts') });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

export interface Stage {
  instance: Instance;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Errors the page threw or logged. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function stage(
  project: ProjectDefinition,
  options: {
    prepare?: (instance: Instance) => Promise<void>;
    viewport?: { width: number; height: number };
  } = {},
): Promise<Stage> {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'weir-ui-'));
  const instance = openInstance({ dir: join(dir, '.weir') });
  await options.prepare?.(instance);
  const server = await startServer({ project, instance, port: 0, pollMs: 20, log: () => {} });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1440, height: 900 },
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return {
    instance,
    server,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await server.close();
      await instance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
