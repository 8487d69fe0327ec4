/**
 * @module daemon/notify
 * Sending one notification: run a command (no shell; the event as JSON on stdin and in
 * `WEIR_NOTIFICATION`) or POST the event as JSON to a URL, retrying URLs on network errors,
 * 5xx and 429. Never throws: a notification that cannot be sent must not stop the daemon, so
 * the outcome says what failed and how, for the log.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Notification } from '../definitions/index.js';

/** What happened, as a notification carries it (JSON on stdin, in the env, or as the POST body). */
export interface NotificationEvent {
  /** 'failure' (a step, an observation or a sensor failed), 'overdue' (freshness policy violated), 'recovered' (fresh again after overdue). */
  kind: 'failure' | 'overdue' | 'recovered';
  /** The asset; for a sensor's failure, absent (see `sensor`). */
  assetKey?: string;
  /** The sensor whose tick failed (a project's `onFailure` hears of it). */
  sensor?: string;
  /** Omitted for an unpartitioned asset. */
  partition?: string;
  runId?: string;
  /** One line a person reads, e.g. "gauges/peaks failed: division by zero". */
  message: string;
  /** ISO time. */
  at: string;
  /** The instance folder's path. */
  instance: string;
}

export interface SendOptions {
  /** Per attempt: a command is killed, a request abandoned, after this long. Default 10 000. */
  timeoutMs?: number;
  /** URLs only (a command may have side effects, so it runs once). Default 3. */
  attempts?: number;
  /** Aborts the attempt under way (a command is killed) and any retry still to come. */
  signal?: AbortSignal;
  /** Wait before the first retry, doubled before each next one. Default 500. */
  retryDelayMs?: number;
}

export type SendOutcome =
  | { ok: true; attempts: number }
  | { ok: false; attempts: number; error: string };

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_ATTEMPTS = 3;
const DEFAULT_RETRY_DELAY_MS = 500;
const STDERR_TAIL = 500;

interface Settings {
  timeoutMs: number;
  attempts: number;
  retryDelayMs: number;
  signal: AbortSignal | undefined;
}

/**
 * Sends `event` to `target`. Resolves with how it went; never rejects.
 *
 * @example
 * const outcome = await sendNotification({ url: 'https://hooks.example.org/weir' }, event);
 * if (!outcome.ok) log.warn(`notification not sent: ${outcome.error}`);
 */
export async function sendNotification(
  target: Notification,
  event: NotificationEvent,
  options: SendOptions = {},
): Promise<SendOutcome> {
  const settings: Settings = {
    timeoutMs: Math.max(0, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    attempts: Math.max(1, Math.floor(options.attempts ?? DEFAULT_ATTEMPTS)),
    retryDelayMs: Math.max(0, options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS),
    signal: options.signal,
  };
  try {
    const json = JSON.stringify(event);
    if ('command' in target) return await runCommand(target.command, json, settings);
    if ('url' in target) return await post(target.url, target.headers ?? {}, json, settings);
    return failed(0, 'a notification is { command } or { url }');
  } catch (error) {
    return failed(0, `could not send to ${describeTarget(target)}: ${messageOf(error)}`);
  }
}

/**
 * How a target is named in logs: the command's argv[0], or the URL without its query string or
 * user name and password (either may hold a token).
 *
 * @example
 * describeTarget({ url: 'https://user:secret@host/path?token=x' }); // 'https://host/path'
 */
export function describeTarget(target: Notification): string {
  if ('command' in target) return target.command[0] ?? '(empty command)';
  if (!('url' in target)) return '(unknown target)';
  const url = parseUrl(target.url);
  // Not the text itself: an unparsable URL may still hold a token.
  return url === undefined ? '(invalid URL)' : `${url.protocol}//${url.host}${url.pathname}`;
}

function failed(attempts: number, error: string): SendOutcome {
  return { ok: false, attempts, error };
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

// ---- commands ----

/** Runs the command once; exit code 0 is success. */
function runCommand(
  argv: readonly string[],
  json: string,
  settings: Settings,
): Promise<SendOutcome> {
  const [program, ...args] = argv;
  if (program === undefined || program === '') {
    return Promise.resolve(failed(0, 'command is empty'));
  }
  const name = `command ${program}`;
  if (settings.signal?.aborted) return Promise.resolve(failed(0, `${name} was aborted`));
  let child: ChildProcess;
  try {
    child = spawn(program, args, {
      shell: false,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, WEIR_NOTIFICATION: json },
    });
  } catch (error) {
    // Some failures (E2BIG: the event too long for one environment variable) throw here.
    return Promise.resolve(failed(1, spawnError(name, error as NodeJS.ErrnoException)));
  }
  return new Promise((resolve) => {
    let stderr = '';
    let done = false;
    const finish = (error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      settings.signal?.removeEventListener('abort', onAbort);
      resolve(error === undefined ? { ok: true, attempts: 1 } : failed(1, error));
    };
    // On timeout or abort, settle at once: a grandchild may hold stderr open long after.
    const stop = (why: string): void => {
      child.kill('SIGKILL');
      child.stderr?.destroy();
      finish(`${name} ${why}`);
    };
    const onAbort = (): void => stop('was aborted');
    const timer = setTimeout(
      () => stop(`timed out after ${seconds(settings.timeoutMs)}`),
      settings.timeoutMs,
    );
    settings.signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on('error', (error: NodeJS.ErrnoException) => finish(spawnError(name, error)));
    child.on('close', (code, signal) => finish(exitError(name, code, signal, stderr)));
    // A command that exits without reading its stdin closes the pipe: EPIPE is no failure.
    child.stdin?.on('error', () => {});
    child.stdin?.end(json);
  });
}

function spawnError(name: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `${name} not found`;
  if (error.code === 'EACCES') return `${name} is not executable`;
  if (error.code === 'E2BIG') {
    return `${name} could not run: the event is too long for WEIR_NOTIFICATION (E2BIG)`;
  }
  return `${name} could not run: ${error.message}`;
}

function exitError(
  name: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): string | undefined {
  if (code === 0) return undefined;
  const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `exited ${code}`;
  const tail = stderr.trim();
  return tail === '' ? `${name} ${how}` : `${name} ${how}: ${tail}`;
}

// ---- URLs ----

/** One attempt's failure: what to say, and whether another attempt may do better. */
interface Failure {
  phrase: string;
  retry: boolean;
}

async function post(
  text: string,
  userHeaders: Readonly<Record<string, string>>,
  body: string,
  settings: Settings,
): Promise<SendOutcome> {
  const url = parseUrl(text);
  const where = `POST ${describeTarget({ url: text })}`;
  if (url === undefined) return failed(0, `${where}: not a URL`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failed(0, `${where}: only http: and https: URLs are sent to, not ${url.protocol}`);
  }
  let headers: Headers;
  try {
    headers = requestHeaders(url, userHeaders);
  } catch (error) {
    return failed(0, `${where}: ${messageOf(error)}`);
  }
  for (let attempt = 1; ; attempt++) {
    const failure = await postOnce(url, headers, body, settings);
    if (failure === undefined) return { ok: true, attempts: attempt };
    if (!failure.retry || attempt >= settings.attempts) {
      return failed(attempt, `${where} ${withAttempts(failure.phrase, attempt)}`);
    }
    const delay = settings.retryDelayMs * 2 ** (attempt - 1);
    if (!(await pause(delay, settings.signal))) {
      return failed(attempt, `${where} ${withAttempts('was aborted', attempt)}`);
    }
  }
}

/**
 * JSON content type, then the user's headers (which may replace it). fetch refuses a URL with
 * a user name or password, so those become Basic authorization, as curl would send them.
 */
function requestHeaders(url: URL, userHeaders: Readonly<Record<string, string>>): Headers {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (url.username !== '' || url.password !== '') {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.set('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
    url.username = '';
    url.password = '';
  }
  for (const [name, value] of Object.entries(userHeaders)) {
    try {
      headers.set(name, value);
    } catch {
      // Not undici's message: it quotes the value, which may be a token.
      throw new Error(`header ${JSON.stringify(name)} has an invalid name or value`);
    }
  }
  return headers;
}

async function postOnce(
  url: URL,
  headers: Headers,
  body: string,
  settings: Settings,
): Promise<Failure | undefined> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = settings.signal ? AbortSignal.any([timeout, settings.signal]) : timeout;
  try {
    // Redirects are not followed: a 301/302 would turn the POST into a GET, and the user's
    // headers (tokens) would go to wherever the redirect points.
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal,
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (response.ok) return undefined;
    const status =
      `${response.status} ${response.statusText || STATUS_CODES[response.status] || ''}`.trim();
    return {
      phrase: `answered ${status}`,
      retry: response.status >= 500 || response.status === 429,
    };
  } catch (error) {
    if (settings.signal?.aborted) return { phrase: 'was aborted', retry: false };
    if (timeout.aborted)
      return { phrase: `timed out after ${seconds(settings.timeoutMs)}`, retry: true };
    return { phrase: `failed: ${networkError(error)}`, retry: true };
  }
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is its cause. */
function networkError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? cause.message : messageOf(error);
}

function withAttempts(phrase: string, attempts: number): string {
  if (attempts === 1) return phrase;
  // "timed out after 10 s after 3 attempts" would read as one span of time.
  return phrase.startsWith('timed out')
    ? `${phrase} (${attempts} attempts)`
    : `${phrase} after ${attempts} attempts`;
}

/** Waits `ms`; false if `signal` aborted first. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
}
