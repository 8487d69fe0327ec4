/**
 * @module cli/bin
 * The process entry of the `weir` command. Commands that run steps run in a worker thread
 * under a supervisor (supervisor.ts), so Ctrl-C and SIGTERM stop them even while a step
 * blocks its event loop; the others run here, where Ctrl-C cancels (a second exits at once:
 * the event log stays consistent, each event being atomic). Sets the exit code.
 *
 * First it moves into the project folder (worker threads cannot change directory, so it is
 * done here, before anything runs): relative paths in user code such as `data/x.csv` name the
 * project's files wherever `weir` was started. Paths given on the command line still count
 * from where it was started (`cwd`).
 */
import { projectFolderOf } from './_find-project.js';
import { SUPERVISED, supervise } from './supervisor.js';

// Stacks from user code point at the user's own files, not at the bundle in .weir/cache.
process.setSourceMapsEnabled(true);

const argv = process.argv.slice(2);
const cwd = process.cwd();
const folder = projectFolderOf(argv, cwd);
if (folder !== undefined) process.chdir(folder);
if (SUPERVISED.has(argv[0] ?? '') && process.env.WEIR_IN_PROCESS !== '1') {
  process.exitCode = await supervise(argv, new URL('./worker.js', import.meta.url), cwd);
} else {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\ncancelling (Ctrl-C again to exit now)\n');
    controller.abort();
  });
  process.on('SIGTERM', () => controller.abort());
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
