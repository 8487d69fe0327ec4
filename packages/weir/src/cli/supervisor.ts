/**
 * @module cli/supervisor
 * Runs a command that executes steps in a worker thread, so that this thread stays free to
 * act on Ctrl-C, SIGTERM and a backfill's cancellation even while a step blocks the worker's
 * event loop: it asks the worker to cancel, and if the run has not ended within GRACE_MS,
 * stops the worker and records the run (its steps in flight) as cancelled itself. Exit 130.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { InstanceConfig } from '../instance/index.js';
import { sourceMapped } from '../source-stacks.js';
import type { WorkerData, WorkerMessage } from './worker-protocol.js';

/** Commands whose steps run user code, so they run in a worker. */
export const SUPERVISED = new Set(['materialize', 'backfill', 'daemon', 'dev']);

/** How long a cancelled run may take to end by itself before its thread is stopped. */
const GRACE_MS = 1_500;
/**
 * How long stopping the worker may take. A thread blocked in a native call (a synchronous
 * child process: `execSync`) stops only when the call returns: past this, the step's child
 * processes are sent SIGTERM (as Ctrl-C in a terminal signals them), and past it again the
 * run is recorded as cancelled and the process ends without waiting for the thread.
 */
const TERMINATE_MS = 500;
/** How often the leases of the worker's runs are renewed (as the run itself does). */
const HEARTBEAT_MS = 10_000;
/** How often a running backfill is looked up for a cancellation from another process. */
const BACKFILL_POLL_MS = 500;

export async function supervise(
  argv: readonly string[],
  workerUrl: URL,
  cwd: string,
): Promise<number> {
  const data: WorkerData = {
    argv: [...argv],
    cwd,
    stdoutTty: Boolean(process.stdout.isTTY),
    stderrTty: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns ?? 100,
  };
  const worker = new Worker(workerUrl, { workerData: data });
  const runs = new Map<string, InstanceConfig>();
  let code: number | undefined;
  let stopping: Promise<void> | undefined;
  let poll: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const stop = (why: string) => {
    stopping ??= (async () => {
      const terminated = worker.terminate().then(() => true);
      const within = (ms: number) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), ms);
        });
        return Promise.race([terminated, late]).finally(() => clearTimeout(timer));
      };
      let stopped = await within(TERMINATE_MS);
      if (!stopped) {
        for (const pid of childProcesses()) {
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            // Gone meanwhile.
          }
        }
        stopped = await within(TERMINATE_MS);
      }
      for (const [runId, instance] of runs) await cancelRun(instance, runId, why);
      code = 130;
      if (!stopped) {
        // Node joins worker threads on exit, and this one is stuck in a native call.
        process.stderr.write('cancelling: a step is blocked in a call that does not return\n');
        process.kill(process.pid, 'SIGKILL');
      }
    })();
    return stopping;
  };
  let interrupts = 0;
  let grace: NodeJS.Timeout | undefined;
  const cancel = (signal: string) => {
    interrupts += 1;
    if (interrupts > 1) {
      void stop(`${signal} again: stopped at once`);
      return;
    }
    // A daemon between runs has nothing in flight: it just stops.
    const what =
      runs.size > 0 ? 'cancelling: steps in flight are recorded as cancelled' : 'stopping';
    process.stderr.write(`\n${what} (Ctrl-C again to stop now)\n`);
    worker.postMessage({ type: 'abort' });
    grace = setTimeout(() => {
      if (runs.size > 0)
        process.stderr.write('cancelling: a step did not stop in time; stopping it\n');
      void stop(`${signal}: a step did not stop within ${GRACE_MS / 1000} s, so it was stopped`);
    }, GRACE_MS);
  };
  const onSigint = () => cancel('Ctrl-C');
  const onSigterm = () => cancel('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'run-started') {
      runs.set(message.runId, message.instance);
      // Renewed from this thread too, which a step that blocks the worker's cannot stop.
      heartbeat ??= setInterval(() => {
        for (const [runId, instance] of runs) void renewLeases(instance, runId);
      }, HEARTBEAT_MS);
    } else if (message.type === 'run-ended') runs.delete(message.runId);
    else if (message.type === 'exit') code = message.code;
    else if (message.type === 'backfill') {
      poll ??= setInterval(() => {
        void isCancelled(message.instance, message.backfillId).then((cancelled) => {
          if (cancelled && interrupts === 0) cancel('backfill --cancel');
        });
      }, BACKFILL_POLL_MS);
    }
  });
  const exitCode = await new Promise<number>((resolve) => {
    worker.on('error', (error) => {
      process.stderr.write(
        `internal error: ${error.stack ? sourceMapped(error.stack) : error.message}\n`,
      );
      resolve(1);
    });
    worker.on('exit', (exit) => resolve(code ?? exit));
  });
  await stopping;
  clearTimeout(grace);
  clearInterval(poll);
  clearInterval(heartbeat);
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  // An event log on a server keeps connections open: this process would not end.
  if (instanceAccess !== undefined) await (await instanceAccess).closeEventLogs();
  return code ?? exitCode;
}

/** The child processes of every thread of this process, where the system lists them (Linux). */
function childProcesses(): number[] {
  const tasks = `/proc/${process.pid}/task`;
  try {
    return readdirSync(tasks).flatMap((task) =>
      readFileSync(`${tasks}/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** The supervisor's access to the instance (see _close-run.ts), loaded only when needed. */
let instanceAccess: Promise<typeof import('./_close-run.js')> | undefined;
function access(): Promise<typeof import('./_close-run.js')> {
  instanceAccess ??= import('./_close-run.js');
  return instanceAccess;
}

/** Records a run the worker could not close as cancelled. */
async function cancelRun(instance: InstanceConfig, runId: string, reason: string): Promise<void> {
  const { closeRunOf } = await access();
  try {
    await closeRunOf(instance, runId, reason);
  } catch (error) {
    process.stderr.write(
      `weir: could not record run ${runId} as cancelled: ${(error as Error).message}\n`,
    );
  }
}

async function renewLeases(instance: InstanceConfig, runId: string): Promise<void> {
  const { renewLeasesOf } = await access();
  await renewLeasesOf(instance, runId).catch(() => {});
}

async function isCancelled(instance: InstanceConfig, backfillId: string): Promise<boolean> {
  const { backfillCancelled } = await access();
  return backfillCancelled(instance, backfillId).catch(() => false);
}
