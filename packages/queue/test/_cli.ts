/**
 * The `weir` command as a child process, for the CLI tests of the queue and the bench: `weir
 * worker` and `weir materialize --executor queue` against one PostgreSQL instance, with
 * `@weir/queue` loaded from the project's folder as a user's project loads it (its dist/,
 * bundled here from the sources first, so the tests never run a stale build).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type TestProject, writeProject } from './_project.js';

const here = () => process.env.WEIR_QUEUE_TEST_DIR ?? fileURLToPath(new URL('.', import.meta.url));
const WEIR = () => join(here(), '..', '..', 'weir', 'bin', 'weir.js');

let built: Promise<void> | undefined;

/** Bundles packages/queue/src into dist/index.js (what `@weir/queue` resolves to), once. */
export function buildQueue(): Promise<void> {
  built ??= build({
    absWorkingDir: join(here(), '..'),
    entryPoints: { index: 'src/index.ts' },
    outdir: 'dist',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
  }).then(() => undefined);
  return built;
}

/** The queue tests' project (see _project.ts), as `weir.config.mjs` in `dir`. */
export function writeCliProject(
  dir: string,
  shape: { partitions: number; sleepMs: number; automation?: boolean },
): TestProject {
  const files = writeProject(dir, shape);
  const file = join(dir, 'weir.config.mjs');
  renameSync(files.file, file);
  return { ...files, file };
}

export interface WeirProcess {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once a line of stdout or stderr matches. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  signal(name: NodeJS.Signals): void;
}

/** Starts `weir ...args` in `cwd` with the instance variables of `env`. */
export function weir(
  args: readonly string[],
  cwd: string,
  env: Record<string, string | undefined>,
): WeirProcess {
  const child = spawn(process.execPath, [WEIR(), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const found = `${out}\n${err}`.split('\n').find((line) => waiter.pattern.test(line));
      if (found !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(found);
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    check();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    check();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    signal: (name) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(name);
    },
    line(pattern, timeoutMs = 20_000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `weir ${args.join(' ')}: no line ${pattern} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        check();
        void exited.then(() => {
          setTimeout(() => {
            if (waiters.some((w) => w.pattern === pattern)) {
              clearTimeout(timer);
              reject(
                new Error(
                  `weir ${args.join(' ')} exited before a line ${pattern}\nstdout:\n${out}\nstderr:\n${err}`,
                ),
              );
            }
          }, 50);
        });
      });
    },
  };
}
