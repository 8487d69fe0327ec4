/**
 * The process entry of the `weir` command: wires Ctrl-C to cancellation (a second Ctrl-C
 * exits at once: the event log stays consistent, each event being atomic), moves into the
 * project folder once it is found (so `readFile('data/x.csv')` in user code means the
 * project's file, wherever `weir` was started), and sets the exit code.
 */
import { main } from './main.js';

// Stacks from user code point at the user's own files, not at the bundle in .weir/cache.
process.setSourceMapsEnabled(true);

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts === 1) {
    process.stderr.write(
      '\ncancelling: steps in flight are recorded as cancelled (Ctrl-C again to exit now)\n',
    );
    controller.abort();
  } else {
    process.exit(130);
  }
});
process.on('SIGTERM', () => controller.abort());

const code = await main(process.argv.slice(2), {
  signal: controller.signal,
  cwd: process.cwd(),
  onProjectFound: (root) => process.chdir(root),
});
process.exit(code);
