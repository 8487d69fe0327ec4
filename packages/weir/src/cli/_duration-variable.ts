/**
 * @module cli/_duration-variable
 * A duration set in the environment (`WEIR_WORKER_TTL_MS`, `WEIR_QUEUE_WARN_MS`,
 * `WEIR_LOCATION_TIMEOUT_MS`): whole milliseconds, at least 100, or a usage error naming it.
 */
import { EnvironmentError } from '../errors.js';

/** A whole number of milliseconds from the environment, or undefined when unset. */
export function durationVariable(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 100) {
    throw new EnvironmentError(
      'E_USAGE',
      `${name}='${text}': expected a whole number of milliseconds, at least 100`,
    );
  }
  return value;
}
