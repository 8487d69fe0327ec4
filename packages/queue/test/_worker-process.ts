/**
 * A queue worker as its own process, for the tests and the bench: argv[2] is its settings as
 * JSON. It loads the project file (bundled by esbuild first when it is TypeScript, as a
 * deployment's build would), opens the PostgreSQL event log and the shared artefact folder,
 * runs `runWorker`, prints `ready <id>` and one JSON line per finished step, and stops on
 * SIGTERM.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PostgresEventLog } from '@weir/postgres';
import { build } from 'esbuild';
import { createInstance, LocalArtefactStore, type ProjectDefinition } from 'weir';
import { runWorker } from '../src/index.js';

export interface WorkerProcessSettings {
  connectionString: string;
  artefacts: string;
  project: string;
  tags: string[];
  concurrency: number;
  workerId: string;
  workerTtlMs: number;
}

const settings = JSON.parse(process.argv[2]!) as WorkerProcessSettings;
let file = settings.project;
if (file.endsWith('.ts')) {
  const out = join(dirname(file), '.bundled', `${basename(file, '.ts')}-${process.pid}.mjs`);
  mkdirSync(dirname(out), { recursive: true });
  await build({
    entryPoints: [file],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    logLevel: 'error',
  });
  file = out;
}
const project = ((await import(pathToFileURL(file).href)) as { default: ProjectDefinition })
  .default;
const eventLog = await PostgresEventLog.open({ connectionString: settings.connectionString });
const instance = createInstance({
  eventLog,
  artefacts: new LocalArtefactStore(settings.artefacts),
});
const worker = await runWorker({
  connectionString: settings.connectionString,
  project,
  instance,
  tags: settings.tags,
  concurrency: settings.concurrency,
  workerId: settings.workerId,
  workerTtlMs: settings.workerTtlMs,
  pollIntervalMs: 500,
  onStep: (step) => process.stdout.write(`${JSON.stringify(step)}\n`),
});
process.on('SIGTERM', () => {
  void worker
    .stop()
    .then(() => instance.close())
    .finally(() => process.exit(0));
});
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
process.stdout.write(`ready ${worker.id}\n`);
