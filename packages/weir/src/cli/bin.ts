/**
 * @module cli/bin
 * The process entry of the `weir` command. Commands that run steps run in a worker thread
 * under a supervisor (supervisor.ts), so Ctrl-C and SIGTERM stop them even while a step
 * blocks its event loop; the others run here, where Ctrl-C or SIGTERM cancels, and exits 130
 * if the command has not ended GRACE_MS later (user code such as an observe() may ignore the
 * cancellation); a second signal exits at once. The event log stays consistent, each event
 * being atomic. Sets the exit code.
 *
 * First it moves into the project folder (worker threads cannot change directory, so it is
 * done here, before anything runs): relative paths in user code such as `data/x.csv` name the
 * project's files wherever `weir` was started. Paths given on the command line still count
 * from where it was started (`cwd`).
 */
import { projectFolderOf } from './_find-project.js';
import { SUPERVISED, supervise } from './supervisor.js';

const argv = process.argv.slice(2);
const cwd = process.cwd();
const folder = projectFolderOf(argv, cwd);
if (folder !== undefined) process.chdir(folder);
const supervised = SUPERVISED.has(argv[0] ?? '') && process.env.WEIR_IN_PROCESS !== '1';
// A reader that stops early (`weir value KEY | head`) closes the pipe: a command that only
// reads ends quietly; one that runs steps goes on (its run is recorded) without its output.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  if (!supervised) process.exit(0);
});
if (supervised) {
  process.exitCode = await supervise(argv, new URL('./worker.js', import.meta.url), cwd);
} else {
  const GRACE_MS = 1_500;
  const controller = new AbortController();
  let interrupts = 0;
  const cancel = (signal: string) => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    if (signal === 'SIGINT') process.stderr.write('\ncancelling (Ctrl-C again to exit now)\n');
    controller.abort();
    setTimeout(() => process.exit(130), GRACE_MS).unref();
  };
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  // Nothing left to wait for while the command is still waiting: it waits on a promise that
  // nothing will settle (Node would exit 13 without a word).
  process.once('beforeExit', () => {
    process.stderr.write(
      'error: the command waits on a promise that never settles (an observe() or a resource that never resolves?), so it stopped\n',
    );
    process.exit(1);
  });
  const { main } = await import('./main.js');
  const code = await main(argv, { signal: controller.signal, cwd });
  // Into a pipe, output that did not fit its buffer is still queued: exiting now would cut
  // it off (`weir status | less` of thousands of assets). Timers left behind are not waited for.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });
}
