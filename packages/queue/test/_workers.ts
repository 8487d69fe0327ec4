/**
 * Worker processes for the tests and the bench: `_worker-process.ts` bundled once (weir,
 * pg, graphile-worker and esbuild stay imports, resolved from the workspace), started as
 * plain Node processes, each printing the steps it finished.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { WorkerStep } from '../src/index.js';
import type { WorkerProcessSettings } from './_worker-process.js';

// The bench bundles this file elsewhere: it names this folder through the environment.
const folder = () =>
  process.env.WEIR_QUEUE_TEST_DIR ?? fileURLToPath(new URL('.', import.meta.url));

let script: Promise<string> | undefined;

/** The worker script, bundled (once per process). */
export function workerScript(): Promise<string> {
  script ??= (async () => {
    const here = folder();
    const outDir = join(here, '..', '.test-projects', '.build');
    mkdirSync(outDir, { recursive: true });
    const outfile = join(outDir, `worker-${process.pid}.mjs`);
    await build({
      entryPoints: [join(here, '_worker-process.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: ['weir-source'],
      external: ['weir', 'pg', 'graphile-worker', 'esbuild'],
      loader: { '.sql': 'text' },
      logLevel: 'error',
    });
    return outfile;
  })();
  return script;
}

export interface WorkerProcess {
  id: string;
  process: ChildProcess;
  /** The steps it finished, as it reported them. */
  steps: WorkerStep[];
  /** SIGTERM, and wait for it to end. */
  stop(): Promise<void>;
  /** SIGKILL, and wait for it to end. */
  kill(): Promise<void>;
}

export async function startWorker(
  settings: Omit<WorkerProcessSettings, 'workerId' | 'concurrency' | 'tags'> &
    Partial<Pick<WorkerProcessSettings, 'concurrency' | 'tags'>> & { id: string },
): Promise<WorkerProcess> {
  const full: WorkerProcessSettings = {
    concurrency: 1,
    tags: [],
    ...settings,
    workerId: settings.id,
  };
  const child = spawn(process.execPath, [await workerScript(), JSON.stringify(full)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const steps: WorkerStep[] = [];
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('ready ')) resolve();
        else if (line.startsWith('{')) steps.push(JSON.parse(line) as WorkerStep);
        newline = buffer.indexOf('\n');
      }
    });
    child.once('exit', (code) => reject(new Error(`worker ${settings.id} exited with ${code}`)));
  });
  return {
    id: settings.id,
    process: child,
    steps,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await ended;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await ended;
    },
  };
}
