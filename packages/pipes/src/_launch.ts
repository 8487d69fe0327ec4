/**
 * @module pipes/_launch
 * Running the interpreter: the script's environment, its own process group, its stdout and
 * stderr to the step's log and its messages from file descriptor 3 line by line, and the
 * group killed on a timeout, on the step's signal, on a broken message and after the exit.
 */
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { protocolFailure } from './_failure.js';
import {
  CONTEXT_ENV,
  MESSAGES_ENV,
  MESSAGES_FD,
  type Message,
  ProtocolError,
  parseMessage,
  preview,
} from './_protocol.js';
import { missingInterpreter, type Settings } from './_settings.js';
import type { PythonStepContext } from './python-step.js';

/** SIGTERM first; the group gets SIGKILL if still there after this long. */
const KILL_GRACE_MS = 1_000;
/** Lines of stderr kept for an error message when the script reported no traceback. */
const STDERR_KEPT = 40;
/** A longer stdout/stderr line is cut in the step's log. */
const MAX_LOG_LINE = 8_192;

/**
 * The script's environment: Weir's, the step's `env`, the client on PYTHONPATH, unbuffered
 * output, faulthandler on, and where the context file and the message channel are.
 */
export function scriptEnv(
  settings: Settings,
  client: string,
  contextPath: string,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...settings.env,
    PYTHONPATH: [client, settings.env.PYTHONPATH ?? process.env.PYTHONPATH]
      .filter((part): part is string => part !== undefined && part !== '')
      .join(delimiter),
    PYTHONUNBUFFERED: settings.env.PYTHONUNBUFFERED ?? process.env.PYTHONUNBUFFERED ?? '1',
    // A crash in native code (SIGSEGV, SIGABRT…) prints the Python stack on stderr, so the
    // step's log says where; it costs nothing until then.
    PYTHONFAULTHANDLER: settings.env.PYTHONFAULTHANDLER ?? process.env.PYTHONFAULTHANDLER ?? '1',
    [CONTEXT_ENV]: contextPath,
    [MESSAGES_ENV]: `fd:${MESSAGES_FD}`,
  };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  /** The first message that broke the protocol (or was refused): the group was killed. */
  broken: Error | undefined;
  /** The last lines the script wrote to stderr. */
  stderr: string[];
}

/**
 * Runs the interpreter in its own process group and feeds each message to `onMessage` as
 * its line arrives. A message that breaks the protocol (or that `onMessage` refuses) kills
 * the group; so do a timeout and the step's signal. Resolves when the process has exited
 * and its output is read; what is left of its group then is killed too.
 */
export function launch(
  settings: Settings,
  script: string,
  ctx: PythonStepContext,
  env: NodeJS.ProcessEnv,
  onMessage: (message: Message) => void,
): Promise<Exit> {
  const label = settings.label;
  return new Promise<Exit>((resolvePromise, reject) => {
    const child = spawn(settings.python, [script, ...settings.args], {
      cwd: settings.cwd ?? process.cwd(),
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const stderr: string[] = [];
    let timedOut = false;
    let aborted = false;
    let broken: Error | undefined;
    let escalation: NodeJS.Timeout | undefined;
    const group = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const stop = () => {
      if (escalation !== undefined || exited !== undefined) return;
      group('SIGTERM');
      escalation = setTimeout(() => group('SIGKILL'), KILL_GRACE_MS);
    };
    const timer =
      settings.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, settings.timeoutMs);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    let count = 0;
    let unfinished: string | undefined;
    lines(child.stdio[MESSAGES_FD] as NodeJS.ReadableStream, (line, complete) => {
      count++;
      if (broken !== undefined) return;
      if (!complete) {
        // Cut short by a crash mid-write: the exit says what happened (see 'close').
        unfinished = line;
        return;
      }
      try {
        onMessage(parseMessage(line));
      } catch (error) {
        broken = protocolFailure(error, label, count);
        stop();
      }
    });
    lines(child.stdout!, (line) => ctx.log.info(cut(line)));
    lines(child.stderr!, (line) => {
      stderr.push(line);
      if (stderr.length > STDERR_KEPT) stderr.shift();
      ctx.log.warn(cut(line));
    });

    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const settle = () => {
      clearTimeout(timer);
      clearTimeout(escalation);
      ctx.signal.removeEventListener('abort', onAbort);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      settle();
      if (exited !== undefined) return;
      reject(
        error.code === 'ENOENT' || error.code === 'EACCES'
          ? missingInterpreter(settings.python, label)
          : error,
      );
    });
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      settle();
      // Nothing the script started outlives its step (unless it left the group on purpose).
      group('SIGKILL');
    });
    child.once('close', () => {
      if (exited === undefined) return;
      if (broken === undefined && unfinished !== undefined && exited.code === 0) {
        broken = protocolFailure(
          new ProtocolError(`cut short: ${preview(unfinished)} ends without a newline`),
          label,
          count,
        );
      }
      resolvePromise({ ...exited, timedOut, aborted, broken, stderr });
    });
  });
}

function cut(line: string): string {
  return line.length > MAX_LOG_LINE
    ? `${line.slice(0, MAX_LOG_LINE)}… (${line.length - MAX_LOG_LINE} more characters)`
    : line;
}

/** Calls `onLine` for each line of `stream`; a last line without a newline has `complete` false. */
function lines(
  stream: NodeJS.ReadableStream,
  onLine: (line: string, complete: boolean) => void,
): void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += decoder.write(chunk);
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line, true);
      newline = pending.indexOf('\n');
    }
  });
  stream.on('end', () => {
    pending += decoder.end();
    if (pending !== '') onLine(pending, false);
  });
}
