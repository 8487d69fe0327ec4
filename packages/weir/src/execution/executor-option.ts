/**
 * @module execution/executor-option
 * An executor named in text (`weir materialize --executor processes:4`, a configuration
 * value): `in-process`, `processes` with an optional number of processes, or `queue` (steps
 * run by `weir worker` processes; built by the command, which loads `@weir/queue` from the
 * project: this layer cannot import it).
 */
import { EnvironmentError } from '../errors.js';
import { type ChildProcessExecutor, childProcessExecutor } from './child-process-executor.js';

export type ExecutorChoice =
  | { kind: 'in-process' }
  | { kind: 'processes'; processes?: number }
  | { kind: 'queue' };

/** Reads `in-process`, `processes`, `processes:N` or `queue`. */
export function parseExecutorChoice(text: string): ExecutorChoice {
  const value = text.trim();
  if (value === 'in-process') return { kind: 'in-process' };
  if (value === 'queue') return { kind: 'queue' };
  const match = /^processes(?::(\d+))?$/.exec(value);
  const count = match?.[1] === undefined ? undefined : Number(match[1]);
  if (match === null || (count !== undefined && (count < 1 || count > 1024))) {
    throw new EnvironmentError(
      'E_USAGE',
      `unknown executor '${text}': expected in-process, processes, or processes:N (N from 1 to 1024), or queue`,
      {
        hint: 'processes runs each step in a pool of child processes, one per core by default; queue hands each step to `weir worker` processes (PostgreSQL event log)',
      },
    );
  }
  return count === undefined ? { kind: 'processes' } : { kind: 'processes', processes: count };
}

export interface ExecutorPlace {
  /** The project file the processes load. */
  project: string;
  /** The embedded instance's folder. */
  instanceDir?: string;
  /** Each process's V8 heap limit in MB. */
  maxOldSpaceMb?: number;
}

/**
 * The executor `text` names for a project, or undefined for the instance's own (no text, or
 * `in-process`). The caller closes it.
 */
export function executorFromOption(
  text: string | undefined,
  place: ExecutorPlace,
): ChildProcessExecutor | undefined {
  const choice = text === undefined ? { kind: 'in-process' as const } : parseExecutorChoice(text);
  if (choice.kind === 'queue') {
    throw new EnvironmentError(
      'E_USAGE',
      'the queue executor is built by the weir command (it loads @weir/queue from the project)',
      { hint: 'in your own code, use queueExecutor from @weir/queue' },
    );
  }
  if (choice.kind === 'in-process') {
    if (place.maxOldSpaceMb !== undefined) {
      throw new EnvironmentError(
        'E_USAGE',
        'a heap limit applies to child processes: it needs --executor processes',
      );
    }
    return undefined;
  }
  return childProcessExecutor({
    project: place.project,
    ...(choice.processes === undefined ? {} : { processes: choice.processes }),
    ...(place.instanceDir === undefined ? {} : { instanceDir: place.instanceDir }),
    ...(place.maxOldSpaceMb === undefined ? {} : { maxOldSpaceMb: place.maxOldSpaceMb }),
  });
}
