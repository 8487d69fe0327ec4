/**
 * @module queue/_quiet-logger
 * graphile-worker's logger, silenced but for errors (the queue reports through the event log).
 */
import { Logger } from 'graphile-worker';

export function quietLogger(): Logger {
  return new Logger(() => (level, message) => {
    if (level === 'error') process.stderr.write(`graphile-worker: ${message}\n`);
  });
}
