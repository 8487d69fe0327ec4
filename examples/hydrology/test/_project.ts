/**
 * The example project copied into a scratch folder inside the workspace (so `import 'weir'`
 * resolves), and `weir` run there as a user would.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));
const WEIR = fileURLToPath(new URL('../../../packages/weir/bin/weir.js', import.meta.url));
const SCRATCH = join(EXAMPLE, '.test-projects');
const made: string[] = [];
afterAll(() => {
  // A daemon a test stopped may still be finishing a write: retry a folder that refills.
  for (const dir of made)
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/** A fresh copy of the example (no inbox, no instance). */
export function exampleCopy(): string {
  const dir = join(SCRATCH, `p-${process.pid}-${made.length}`);
  made.push(dir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ['weir.config.ts', 'src', 'bin', 'data', 'ml', 'package.json']) {
    cpSync(join(EXAMPLE, part), join(dir, part), {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|\.weir)$/.test(source),
    });
  }
  return dir;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** `weir ARGS` in `dir`, with extra environment variables. */
export function weirWith(dir: string, env: Record<string, string>, ...args: string[]): Result {
  return run(dir, WEIR, args, env);
}

/** `weir ARGS` in `dir`. */
export function weir(dir: string, ...args: string[]): Result {
  return run(dir, WEIR, args);
}

/** `node bin/replay.mjs ARGS` in `dir`. */
export function replay(dir: string, ...args: string[]): Result {
  return run(dir, join(dir, 'bin', 'replay.mjs'), args);
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
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `weir ARGS` started in `dir` in the background (stop it with `kill()`). */
export function spawnWeir(dir: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [WEIR, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: 'ignore',
  });
}

/** Resolves once `condition` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`still waiting after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
