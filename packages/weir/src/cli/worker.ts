/**
 * @module cli/worker
 * The worker thread that runs a supervised command (see supervisor.ts): `main()` with the
 * terminal's properties, cancelled when the supervisor says so, reporting its runs.
 */
import module from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { processOutput } from './format.js';
import { main } from './main.js';
import type { SupervisorMessage, WorkerData, WorkerMessage } from './worker-protocol.js';

// As bin/weir.js does for the main thread (Node 22.1+; not in Node 20's types).
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const data = workerData as WorkerData;
const port = parentPort!;
const send = (message: WorkerMessage) => port.postMessage(message);
const controller = new AbortController();
port.on('message', (message: SupervisorMessage) => {
  if (message.type === 'abort') controller.abort();
});

const code = await main(data.argv, {
  output: processOutput({ tty: data.stdoutTty, errTty: data.stderrTty, columns: data.columns }),
  signal: controller.signal,
  cwd: data.cwd,
  onActivity: (activity) => {
    if (activity.runStarted !== undefined)
      send({ type: 'run-started', runId: activity.runStarted, instance: activity.instance });
    if (activity.runEnded !== undefined) send({ type: 'run-ended', runId: activity.runEnded });
    if (activity.backfill !== undefined)
      send({ type: 'backfill', backfillId: activity.backfill, instance: activity.instance });
  },
});
send({ type: 'exit', code });
// Steps that ignored the cancellation may have left timers behind: they are not waited for.
process.exit(code);
