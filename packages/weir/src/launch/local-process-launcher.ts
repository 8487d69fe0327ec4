/**
 * @module launch/local-process-launcher
 * A launcher that runs the worker as a child process of this one, on this machine: the
 * command without a shell, the request's environment over this process's (unless told not
 * to), in its own process group so that stopping it stops whatever it started too. Like a Job
 * and its launcher, the worker does not end when this process does: it holds its steps' leases
 * and ends by itself, or through `stop()`. Compute requests are not enforced here (the machine
 * is what it is); a timeout is.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { EnvironmentError } from '../errors.js';
import { LastLines, readLines } from './_output-lines.js';
import type {
  LaunchExit,
  Launcher,
  LaunchHandle,
  LaunchOutcome,
  LaunchRequest,
} from './launcher.js';

export type LaunchOutputStream = 'stdout' | 'stderr';

export interface LocalProcessLauncherOptions {
  /** Working directory of the workers (default: this process's). */
  cwd?: string;
  /** Start from this process's environment, the request's on top (default true). */
  inheritEnv?: boolean;
  /**
   * Where the workers' output goes: `inherit` (this process's stdout and stderr, the
   * default), `ignore`, or a function called with each line.
   */
  output?:
    | 'inherit'
    | 'ignore'
    | ((line: string, stream: LaunchOutputStream, request: LaunchRequest) => void);
  /** How long `stop()` (or a timeout) waits after SIGTERM before SIGKILL (default 10 s). */
  stopGraceMs?: number;
}

/** How long to wait for a child's output to close once it has exited (a grandchild may hold it). */
const CLOSE_AFTER_EXIT_MS = 2000;

/**
 * Runs each launch as a child process.
 *
 * @example
 * const launcher = localProcessLauncher({ cwd: projectDir });
 * const handle = await launcher.launch(
 *   launchRequest({ workerTags: ['highmem'], command: ['npx', 'weir', 'worker', '--tags', 'highmem'] }),
 * );
 * process.on('SIGTERM', () => void handle.stop());
 */
export function localProcessLauncher(options: LocalProcessLauncherOptions = {}): Launcher {
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  if (!Number.isInteger(stopGraceMs) || stopGraceMs < 0) {
    throw new EnvironmentError(
      'E_USAGE',
      `stopGraceMs must be a whole number ≥ 0, got ${stopGraceMs}`,
    );
  }
  return {
    kind: 'local-process',
    launch: (request) => launchProcess(request, options, stopGraceMs),
  };
}

async function launchProcess(
  request: LaunchRequest,
  options: LocalProcessLauncherOptions,
  stopGraceMs: number,
): Promise<LaunchHandle> {
  const [program, ...args] = request.command;
  const output = options.output ?? 'inherit';
  const piped = typeof output === 'function';
  const env = {
    ...(options.inheritEnv === false ? {} : process.env),
    ...request.env,
    WEIR_LAUNCH_ID: request.id,
  };
  const child = spawn(program!, args, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', piped ? 'pipe' : output, piped ? 'pipe' : output],
    detached: true,
  });
  await started(child, request, options.cwd);
  const stderrTail = new LastLines(3);
  if (piped) {
    readLines(child.stdout!, (line) => output(line, 'stdout', request));
    readLines(child.stderr!, (line) => {
      stderrTail.push(line);
      output(line, 'stderr', request);
    });
  }
  return new ProcessHandle(request, child, stopGraceMs, stderrTail);
}

/** Resolves once the process has started; rejects with what to fix when it could not. */
function started(
  child: ChildProcess,
  request: LaunchRequest,
  cwd: string | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => {
      child.removeAllListeners('error');
      resolve();
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      const program = request.command[0];
      const hint =
        error.code === 'ENOENT'
          ? `is '${program}' installed and on the PATH${cwd === undefined ? '' : `, and does ${cwd} exist`}?`
          : error.code === 'EACCES'
            ? `is '${program}' executable?`
            : 'check the command and the working directory';
      reject(
        new EnvironmentError(
          'E_LAUNCH',
          `could not start '${program}' for launch ${request.id}: ${error.message}`,
          {
            cause: error,
            hint,
          },
        ),
      );
    });
  });
}

class ProcessHandle implements LaunchHandle {
  readonly id: string;
  private readonly ended: Promise<LaunchExit>;
  private stopping: 'stopped' | 'timed-out' | undefined;
  private exited = false;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly deadline: NodeJS.Timeout | undefined;

  constructor(
    readonly request: LaunchRequest,
    private readonly child: ChildProcess,
    private readonly stopGraceMs: number,
    stderrTail: LastLines,
  ) {
    this.id = `local:${request.id}:${child.pid}`;
    this.ended = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        clearTimeout(this.killTimer);
        clearTimeout(this.deadline);
        const finish = () => resolve(this.exitOf(code, signal, stderrTail.text()));
        // Wait for the output to drain (its last lines explain a failure), but not for a
        // grandchild that keeps it open.
        const late = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish();
        }, CLOSE_AFTER_EXIT_MS);
        child.once('close', () => {
          clearTimeout(late);
          finish();
        });
      });
    });
    const timeoutMs = request.timeoutMs;
    this.deadline =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => this.terminate('timed-out'), timeoutMs);
  }

  wait(): Promise<LaunchExit> {
    return this.ended;
  }

  stop(): Promise<LaunchExit> {
    this.terminate('stopped');
    return this.ended;
  }

  private terminate(reason: 'stopped' | 'timed-out'): void {
    if (this.exited || this.stopping !== undefined) return;
    this.stopping = reason;
    this.signalGroup('SIGTERM');
    this.killTimer = setTimeout(() => this.signalGroup('SIGKILL'), this.stopGraceMs);
  }

  /** Signals the worker's process group (what it started too), or the worker alone if that fails. */
  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      this.child.kill(signal);
    }
  }

  private exitOf(code: number | null, signal: NodeJS.Signals | null, stderr: string): LaunchExit {
    const exitCode = code ?? undefined;
    const how = signal === null ? `exited with code ${code}` : `ended by ${signal}`;
    let outcome: LaunchOutcome;
    let message: string;
    if (this.stopping === 'timed-out') {
      outcome = 'timed-out';
      message = `stopped after its timeout of ${this.request.timeoutMs} ms (${how})`;
    } else if (this.stopping === 'stopped') {
      outcome = 'stopped';
      message = `stopped (${how})`;
    } else if (code === 0) {
      outcome = 'succeeded';
      message = how;
    } else {
      outcome = 'failed';
      message = stderr === '' ? how : `${how}: ${stderr}`;
    }
    return { outcome, exitCode, signal: signal ?? undefined, message };
  }
}
