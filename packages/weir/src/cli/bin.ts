/**
 * @module cli/bin
 * The process entry of the `weir` command. Commands that run steps run in a worker thread
 * under a supervisor (supervisor.ts), so Ctrl-C and SIGTERM stop them even while a step
 * blocks its event loop; the others run here, where Ctrl-C cancels (a second exits at once:
 * the event log stays consistent, each event being atomic). Sets the exit code.
 */
import { SUPERVISED, supervise } from './supervisor.js';

// Stacks from user code point at the user's own files, not at the bundle in .weir/cache.
process.setSourceMapsEnabled(true);

const argv = process.argv.slice(2);
if (SUPERVISED.has(argv[0] ?? '') && process.env.WEIR_IN_PROCESS !== '1') {
  process.exitCode = await supervise(argv, new URL('./worker.js', import.meta.url));
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
  process.exit(await main(argv, { signal: controller.signal }));
}
