/**
 * @module definitions/_spec
 * Small checks shared by the automation definitions (sensors, schedules, source assets):
 * names, unknown options, positive durations.
 */
import { DefinitionError, didYouMean } from '../errors.js';
import { parseDuration } from './freshness.js';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Why `name` cannot name a sensor or schedule, or undefined. */
export function automationNameProblem(name: unknown): string | undefined {
  return typeof name === 'string' && NAME.test(name)
    ? undefined
    : `invalid name ${JSON.stringify(name)}: a name starts with a letter, digit or '_' and contains only letters, digits, '_', '.' and '-'`;
}

/** Throws a `DefinitionError` for a key of `spec` that is not an option. */
export function rejectUnknown(spec: object, known: readonly string[], owner: string): void {
  for (const key of Object.keys(spec)) {
    if (known.includes(key)) continue;
    throw new DefinitionError('E_DEFINITION', `${owner} has an unknown option '${key}'`, {
      hint: didYouMean(key, known) ?? `options are: ${known.join(', ')}`,
    });
  }
}

/** A duration written by a user, in ms, > 0; a `DefinitionError` naming `what` otherwise. */
export function positiveDuration(value: unknown, what: string): number {
  let ms: number;
  try {
    ms = parseDuration(value as string | number);
  } catch (error) {
    throw new DefinitionError('E_DEFINITION', `${what}: ${(error as Error).message}`);
  }
  if (ms <= 0) throw new DefinitionError('E_DEFINITION', `${what} must be longer than 0`);
  return ms;
}
