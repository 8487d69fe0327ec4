/**
 * @module execution/_errors
 * Errors as the event log records them, and the error that stops a run from outside its
 * steps.
 */
import { EnvironmentError, WeirError } from '../errors.js';
import { sourceMapped } from '../source-stacks.js';
import type { ErrorInfo } from '../storage/index.js';

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const info: ErrorInfo = { name: error.name, message: error.message };
    // A wrapped user error keeps the stack that points into the user's code; a fault of the
    // environment (a full disk, a corrupt input) says all in its message: no stack.
    const stack = error.cause instanceof Error ? error.cause.stack : error.stack;
    if (stack !== undefined && !(error instanceof EnvironmentError))
      info.stack = sourceMapped(stack);
    if (error instanceof WeirError) {
      info.code = error.code;
      if (error.hint) info.hint = error.hint;
    }
    return info;
  }
  return { name: 'Error', message: String(error) };
}

/**
 * A step's error caused by a full disk, restated: the cause, what was being written and
 * where, instead of a stack. `outputPath` is where a `files` step writes its artefact.
 */
export function diskFull(error: unknown, label: string, outputPath?: string): unknown {
  const system = error as NodeJS.ErrnoException | undefined;
  if (system?.code !== 'ENOSPC' && system?.code !== 'EDQUOT') return error;
  const path = system.path ?? outputPath;
  const artefact = outputPath !== undefined && (path === undefined || path.startsWith(outputPath));
  const where = path === undefined ? '' : ` (${path})`;
  return new EnvironmentError(
    'E_NO_SPACE',
    artefact
      ? `no space left on device writing ${label}'s artefact${where}`
      : `no space left on device: ${label} failed writing${where}`,
    {
      cause: error,
      hint: 'free some space (weir gc removes artefacts nothing needs), or move the instance to a larger disk',
    },
  );
}

/**
 * The run cannot go on, for a reason outside any step: the event log refused a write, or a
 * listener of the run's events threw. A step that meets it does not fail: the run stops.
 */
export class RunStopped extends Error {
  override readonly name = 'RunStopped';
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}
