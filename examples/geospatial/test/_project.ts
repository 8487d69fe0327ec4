/**
 * The example copied into a scratch folder inside the workspace (so `import 'weir'` resolves),
 * its inputs set up from the shared data, and `weir` run there as a user would.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));
const WEIR = fileURLToPath(new URL('../../../packages/weir/bin/weir.js', import.meta.url));
const SCRATCH = join(EXAMPLE, '.test-projects');

/** The shared data folder (holding geospatial/): beside the clone, or $WEIR_SHARED_DATA. */
export const SHARED_DATA =
  process.env.WEIR_SHARED_DATA ??
  fileURLToPath(new URL('../../../../shared/data', import.meta.url));
export const noSharedData = !existsSync(join(SHARED_DATA, 'geospatial', 'elev.tif'));
export function sharedDataTitle(name: string): string {
  return noSharedData
    ? `${name} (skipped: real data not found at ${SHARED_DATA}/geospatial; set WEIR_SHARED_DATA)`
    : name;
}

const made: string[] = [];
afterAll(() => {
  // A daemon a test stopped may still be finishing a write: retry a folder that refills.
  for (const dir of made)
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/** A fresh copy of the example with its inputs in place (no instance yet). */
export function exampleCopy(): string {
  const dir = join(SCRATCH, `p-${process.pid}-${made.length}`);
  made.push(dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ['weir.config.ts', 'src', 'bin', 'package.json']) {
    cpSync(join(EXAMPLE, part), join(dir, part), { recursive: true });
  }
  const setup = run(dir, join(dir, 'bin', 'setup.mjs'), [], { WEIR_SHARED_DATA: SHARED_DATA });
  if (setup.code !== 0) throw new Error(`setup failed: ${setup.stderr}`);
  return dir;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** `weir ARGS` in `dir`. */
export function weir(dir: string, ...args: string[]): Result {
  return run(dir, WEIR, args);
}

function run(dir: string, script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `weir serve` on a free port in `dir`; resolves with its URL once it listens. */
export async function serve(dir: string): Promise<{ url: string; server: ChildProcess }> {
  const server = spawn(process.execPath, [WEIR, 'serve', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`weir serve did not start: ${out}`)), 30_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
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
