/**
 * An example project copied into a scratch folder inside the workspace (so `import 'weir'`
 * resolves), its inputs set up by its own `bin/setup.mjs`, and `weir` run there as a user
 * would. Shared by the examples' CLI tests.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const WEIR = fileURLToPath(new URL('../../bin/weir.js', import.meta.url));

/** The shared data folder: beside the clone, or $WEIR_SHARED_DATA. */
export const SHARED_DATA =
  process.env.WEIR_SHARED_DATA ??
  fileURLToPath(new URL('../../../../../shared/data', import.meta.url));

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExampleProject {
  /** A fresh copy of the example with its inputs in place (no instance yet). */
  copy(): string;
  /** `weir ARGS` in `dir`. */
  weir(dir: string, ...args: string[]): Result;
  /** `node SCRIPT ARGS` in `dir` (a script of the copy's `bin/`). */
  node(dir: string, script: string, ...args: string[]): Result;
  /** `weir serve` on a free port in `dir`; resolves with its URL once it listens. */
  serve(dir: string, ...args: string[]): Promise<{ url: string; server: ChildProcess }>;
}

/** The example at `folder` (a URL of its directory), copying `parts` of it. */
export function exampleProject(folder: URL, parts: readonly string[]): ExampleProject {
  const example = fileURLToPath(folder);
  const scratch = join(example, '.test-projects');
  const made: string[] = [];
  afterAll(() => {
    // A daemon a test stopped may still be finishing a write: retry a folder that refills.
    for (const dir of made)
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });
  return {
    copy() {
      const dir = join(scratch, `p-${process.pid}-${made.length}`);
      made.push(dir);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      for (const part of parts) cpSync(join(example, part), join(dir, part), { recursive: true });
      const setup = run(dir, join(dir, 'bin', 'setup.mjs'), [], { WEIR_SHARED_DATA: SHARED_DATA });
      if (setup.code !== 0) throw new Error(`setup failed: ${setup.stderr}`);
      return dir;
    },
    weir: (dir, ...args) => run(dir, WEIR, args),
    node: (dir, script, ...args) => run(dir, join(dir, script), args),
    serve: (dir, ...args) => serve(dir, args),
  };
}

function run(
  dir: string,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Result {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd: dir,
    encoding: 'utf8',
    // `weir value` of a large artefact prints megabytes.
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function serve(dir: string, args: string[]): Promise<{ url: string; server: ChildProcess }> {
  const server = spawn(process.execPath, [WEIR, 'serve', '--port', '0', ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`weir serve did not start: ${out}`)), 30_000);
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const found = /on (http:\/\/\S+)/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!.replace(/\/$/, ''));
      }
    });
    server.on('exit', (code) => reject(new Error(`weir serve exited (${code}): ${out}`)));
  });
  return { url, server };
}
