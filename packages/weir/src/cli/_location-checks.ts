/**
 * @module cli/_location-checks
 * `weir check` on located assets: their checks are evaluated where their code is, in a
 * process of their location (cli/check-process.ts) that opens the command's instance, as a
 * located step's process does.
 */
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import {
  type AssetCheckResult,
  CHILD_SETUP_VARIABLE,
  type ChildSetup,
  type LocatedChecks,
  type PartitionRequest,
  unevaluatedChecks,
} from '../execution/index.js';
import type { InstanceConfig } from '../instance/index.js';
import { weirPackagePath } from '../package-path.js';
import type { LoadedProject } from './load-project.js';

/** What a check process is asked (its command line, JSON: no secret in it). */
export interface CheckRequest {
  keys: readonly string[];
  partitions?: PartitionRequest;
  now?: number;
}

/** What a check process answers over its IPC channel. */
export type FromCheckProcess =
  | { type: 'results'; results: AssetCheckResult[] }
  | { type: 'failed'; code?: string; message: string; hint?: string };

/** Evaluates located assets' checks in a process of their location, per `checkAssets` call. */
export function locatedChecks(
  loaded: LoadedProject,
  config: InstanceConfig,
  cwd: string,
): LocatedChecks {
  return async (location, keys, request) => {
    const problem = loaded.locations?.problems.find((p) => p.location === location)?.problem;
    if (problem !== undefined) {
      return keys.map((key) =>
        unevaluated(
          key,
          'E_PROJECT_LOAD',
          `its code location '${location}' did not load: ${problem}`,
        ),
      );
    }
    const setup: ChildSetup = {
      project: resolve(loaded.root, loaded.project.locations[location]!),
      cwd,
      ...(config.embedded ? { instanceDir: config.dir } : { instanceConfig: config }),
    };
    const answer = await runCheckProcess(setup, { keys, ...request });
    if (answer.type === 'results') return answer.results;
    return keys.map((key) =>
      unevaluated(
        key,
        answer.code ?? 'E_PROJECT_LOAD',
        `its checks could not be evaluated in code location '${location}': ${answer.message}`,
        answer.hint,
      ),
    );
  };
}

function runCheckProcess(setup: ChildSetup, request: CheckRequest): Promise<FromCheckProcess> {
  return new Promise((settle) => {
    let answer: FromCheckProcess | undefined;
    const child = fork(entry(), [JSON.stringify(request)], {
      cwd: setup.cwd,
      env: { ...process.env, [CHILD_SETUP_VARIABLE]: JSON.stringify(setup) },
      // What the location's code prints goes to stderr: stdout is the command's (--json).
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('message', (message: FromCheckProcess) => {
      answer ??= message;
    });
    child.on('error', (error) => {
      answer ??= { type: 'failed', message: error.message };
    });
    child.on('close', (code, signal) =>
      settle(answer ?? { type: 'failed', message: endedEarly(code, signal) }),
    );
  });
}

function endedEarly(code: number | null, signal: NodeJS.Signals | null): string {
  // Node's exit code for a top-level await that nothing will settle.
  if (code === 13) return 'a check waits on a promise that never settles, so its process stopped';
  return `its process ended (${signal ?? `exit code ${code}`}) before answering; the results of assets it had finished checking are recorded (weir history KEY --checks)`;
}

function unevaluated(key: string, code: string, message: string, hint?: string): AssetCheckResult {
  return unevaluatedChecks(key, { code, message, ...(hint === undefined ? {} : { hint }) });
}

/** The process's script: `dist/check-process.js` of the weir package this module belongs to. */
function entry(): string {
  return weirPackagePath('dist', 'check-process.js');
}
