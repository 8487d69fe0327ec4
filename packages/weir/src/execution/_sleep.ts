/**
 * @module execution/_sleep
 * Waiting inside a run: a sleep that ends early when the run is cancelled, or when something
 * it waits for happens.
 */
import { setMaxListeners } from 'node:events';

/** Signals whose listener limit was lifted: many waiting steps listen to one run's signal. */
const lifted = new WeakSet<AbortSignal>();

/** Resolves after `ms`, when `signal` aborts, or when `wake` resolves, whichever is first. */
export function sleep(ms: number, signal: AbortSignal, wake?: Promise<void>): Promise<void> {
  if (!lifted.has(signal)) {
    setMaxListeners(0, signal);
    lifted.add(signal);
  }
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    if (wake !== undefined) void wake.then(done);
  });
}
