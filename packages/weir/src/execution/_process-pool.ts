/**
 * @module execution/_process-pool
 * A pool of long-lived child processes, each running one unit at a time: started when
 * needed (the first alone, so that it builds the project's compile cache for the others), up
 * to a limit, replaced when one dies. A unit on a process that dies ends with the reason. A
 * cancelled unit ends at once; its process is killed if it has not stopped within a grace
 * period. Idle processes do not keep the parent alive.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { EnvironmentError } from '../errors.js';
import type { ErrorInfo, StoredEvent } from '../storage/index.js';
import {
  CHILD_SETUP_VARIABLE,
  type ChildSetup,
  type FromChild,
  type ToChild,
} from './_child-protocol.js';
import { deathReason } from './_process-death.js';
import type { LogEntry } from './_step-logger.js';
import type { TicketOutcome, UnitTicket } from './unit-ticket.js';

/** How long a cancelled unit's process may take to stop before it is killed. */
const CANCEL_GRACE_MS = 1_000;
/** How long closing waits for a process to end by itself. */
const CLOSE_GRACE_MS = 2_000;
/** How much of a process's stderr is kept to say why it died. */
const STDERR_TAIL = 8_192;

export interface PoolOptions {
  /** The child's script. */
  entry: string;
  setup: ChildSetup;
  processes: number;
  maxOldSpaceMb?: number;
}

export type JobEnd =
  | { kind: 'outcome'; outcome: TicketOutcome }
  /** The process died while it ran the unit. */
  | { kind: 'died'; reason: string }
  /** No process could be started: loading the project failed there. */
  | { kind: 'start-failed'; error: ErrorInfo }
  | { kind: 'cancelled' };

export interface JobHooks {
  signal: AbortSignal;
  onEvent(event: StoredEvent): void;
  onLog(assetKey: string, entry: LogEntry): void;
}

interface Job {
  id: number;
  hooks: JobHooks;
  /** Settles the job once (a cancelled job settles before its process is done with it). */
  end(end: JobEnd): void;
  ended: boolean;
}

interface Child {
  process: ChildProcess;
  state: 'starting' | 'idle' | 'busy' | 'gone';
  job: Job | undefined;
  stderr: string;
  /** Resolves when it is ready (undefined) or could not start (why). */
  started: Promise<ErrorInfo | undefined>;
  /** Replies to `release` messages, by run id. */
  releases: Map<string, (errors: ErrorInfo[]) => void>;
  /** Resolves when the process has ended. */
  closed: Promise<void>;
}

export class ProcessPool {
  private readonly children: Child[] = [];
  private startFailure: ErrorInfo | undefined;
  private everReady = false;
  private closed = false;
  private nextJob = 1;
  private changed: () => void = () => {};
  private change = this.nextChange();

  constructor(private readonly options: PoolOptions) {}

  /** Runs `ticket` on a process of the pool, waiting for one to be free. */
  async run(ticket: UnitTicket, hooks: JobHooks): Promise<JobEnd> {
    const child = await this.acquire(hooks.signal);
    if (child === undefined) return { kind: 'cancelled' };
    if ('message' in child) return { kind: 'start-failed', error: child };
    return new Promise<JobEnd>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        this.send(child, { type: 'cancel', job: job.id });
        job.end({ kind: 'cancelled' });
        timer = setTimeout(() => {
          if (child.job === job) child.process.kill('SIGKILL');
        }, CANCEL_GRACE_MS);
        timer.unref();
      };
      const job: Job = {
        id: this.nextJob++,
        hooks,
        ended: false,
        end: (end) => {
          if (job.ended) return;
          job.ended = true;
          hooks.signal.removeEventListener('abort', onAbort);
          resolve(end);
        },
      };
      child.job = job;
      hooks.signal.addEventListener('abort', onAbort, { once: true });
      this.send(child, { type: 'run', job: job.id, ticket });
      if (hooks.signal.aborted) onAbort();
    });
  }

  /** Tells every process that run `runId` ended; returns what failed disposing of its resources. */
  async release(runId: string): Promise<ErrorInfo[]> {
    const replies = this.children
      .filter((child) => child.state === 'idle' || child.state === 'busy')
      .map(async (child) => {
        // Waiting for its reply keeps this process alive, as a unit it runs does.
        this.hold(child, true);
        const errors = await new Promise<ErrorInfo[]>((resolve) => {
          child.releases.set(runId, resolve);
          void child.closed.then(() => resolve([]));
          this.send(child, { type: 'release', runId });
        });
        if (child.state === 'idle') this.hold(child, false);
        return errors;
      });
    return (await Promise.all(replies)).flat();
  }

  /** Stops every process: asks each to close, and kills those that have not after a while. */
  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    await Promise.all(
      this.children.map(async (child) => {
        child.job?.end({ kind: 'cancelled' });
        this.send(child, { type: 'close' });
        const timer = setTimeout(() => child.process.kill('SIGKILL'), CLOSE_GRACE_MS);
        await child.closed;
        clearTimeout(timer);
      }),
    );
  }

  /** A free process (started if need be), why none can start, or undefined once cancelled. */
  private async acquire(signal: AbortSignal): Promise<Child | ErrorInfo | undefined> {
    for (;;) {
      if (signal.aborted || this.closed) return undefined;
      if (this.startFailure !== undefined) return this.startFailure;
      const idle = this.children.find((child) => child.state === 'idle');
      if (idle !== undefined) return this.take(idle);
      const live = this.children.filter((child) => child.state !== 'gone');
      const starting = live.some((child) => child.state === 'starting');
      if (live.length < this.options.processes && (this.everReady || !starting)) {
        const child = this.spawn();
        const failed = await child.started;
        if (failed !== undefined) return failed;
        if (child.state === 'idle') return this.take(child);
        continue;
      }
      const change = this.change;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        signal.addEventListener('abort', done, { once: true });
        void change.then(done);
      });
    }
  }

  private take(child: Child): Child {
    child.state = 'busy';
    this.hold(child, true);
    return child;
  }

  private spawn(): Child {
    const { entry, setup, maxOldSpaceMb } = this.options;
    if (!existsSync(entry)) {
      throw new EnvironmentError(
        'E_USAGE',
        `the child-process executor's script ${entry} does not exist: Weir is not built`,
        { hint: 'build it: npm run build (in the weir package)' },
      );
    }
    const process = fork(entry, [], {
      cwd: setup.cwd,
      // In the environment, not the command line, which any user of the host can read (the
      // setup may hold a database URL with its password); the child removes it at once.
      env: { ...globalThis.process.env, [CHILD_SETUP_VARIABLE]: JSON.stringify(setup) },
      // Not the parent's flags (a test runner's loaders, --inspect): a plain Node process.
      execArgv: maxOldSpaceMb === undefined ? [] : [`--max-old-space-size=${maxOldSpaceMb}`],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let ready: (problem: ErrorInfo | undefined) => void = () => {};
    let ended: () => void = () => {};
    const child: Child = {
      process,
      state: 'starting',
      job: undefined,
      stderr: '',
      started: new Promise((resolve) => {
        ready = resolve;
      }),
      releases: new Map(),
      closed: new Promise((resolve) => {
        ended = resolve;
      }),
    };
    this.children.push(child);
    // One decoder per child: a character split across two chunks stays whole.
    const decoder = new StringDecoder('utf8');
    process.stderr!.on('data', (chunk: Buffer) => {
      globalThis.process.stderr.write(chunk);
      child.stderr = (child.stderr + decoder.write(chunk)).slice(-STDERR_TAIL);
    });
    process.on('message', (message: FromChild) => this.onMessage(child, message, ready));
    process.on('error', () => {
      // A failed spawn or send: 'close' follows and says how it ended.
    });
    process.on('close', (code, signal) => {
      child.state = 'gone';
      this.children.splice(this.children.indexOf(child), 1);
      const reason = deathReason({
        code,
        signal,
        stderr: child.stderr,
        ...(maxOldSpaceMb === undefined ? {} : { maxOldSpaceMb }),
      });
      ready({ name: 'Error', message: `a child process ${reason} before it was ready` });
      child.job?.end({ kind: 'died', reason });
      child.job = undefined;
      ended();
      this.notify();
    });
    return child;
  }

  private onMessage(
    child: Child,
    message: FromChild,
    ready: (problem: ErrorInfo | undefined) => void,
  ): void {
    const job = child.job;
    switch (message.type) {
      case 'ready':
        child.state = 'idle';
        this.everReady = true;
        this.hold(child, false);
        ready(undefined);
        this.notify();
        return;
      case 'start-failed':
        this.startFailure ??= message.error;
        ready(message.error);
        this.notify();
        return;
      case 'events':
        if (job?.id === message.job && !job.ended) {
          for (const event of message.events) job.hooks.onEvent(event);
        }
        return;
      case 'log':
        if (job?.id === message.job && !job.ended) job.hooks.onLog(message.assetKey, message.entry);
        return;
      case 'done':
        if (job?.id !== message.job) return;
        child.job = undefined;
        child.state = 'idle';
        this.hold(child, false);
        job.end({ kind: 'outcome', outcome: message.outcome });
        this.notify();
        return;
      case 'released':
        child.releases.get(message.runId)?.(message.errors);
        child.releases.delete(message.runId);
        return;
    }
  }

  private send(child: Child, message: ToChild): void {
    if (child.state === 'gone' || !child.process.connected) return;
    child.process.send(message, (error) => {
      // A process that went away meanwhile: 'close' says how.
      void error;
    });
  }

  /** Whether the process keeps this one alive: while it starts or runs a unit, not when idle. */
  private hold(child: Child, held: boolean): void {
    const method = held ? 'ref' : 'unref';
    child.process[method]();
    child.process.channel?.[method]();
    const stderr = child.process.stderr as { ref?: () => void; unref?: () => void } | null;
    stderr?.[method]?.();
  }

  private notify(): void {
    const changed = this.changed;
    this.change = this.nextChange();
    changed();
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => {
      this.changed = resolve;
    });
  }
}
