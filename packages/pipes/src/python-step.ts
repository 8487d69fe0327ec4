/**
 * @module pipes/python-step
 * `pythonStep()`: an asset's `materialize` that runs a Python script through the weir_pipes
 * protocol. Weir writes the step's context (key, partition, run, code version, inputs, params,
 * where to write a file output) to a JSON file named by WEIR_PIPES_CONTEXT, launches the
 * interpreter in a process group of its own with the client on PYTHONPATH, and reads the
 * script's messages from file descriptor 3 as they come: logs go to the step's log at once,
 * metadata and the data version to the step, reported checks to `reportedCheck()`s, and the
 * output becomes the asset's value. The script's stdout and stderr go to the step's log too.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, readFileSync, statSync } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import {
  DefinitionError,
  EnvironmentError,
  type JsonValue,
  type Metadata,
  type PartitionInfo,
  type StepLogger,
} from 'weir';
import { CLIENT_FILE, clientDir } from './_client.js';
import {
  CONTEXT_ENV,
  type InputEntry,
  MESSAGES_ENV,
  MESSAGES_FD,
  type Message,
  type PipesContextFile,
  PROTOCOL,
  ProtocolError,
  parseMessage,
  preview,
  type ScriptError,
} from './_protocol.js';
import { type CheckResult, forgetReported, keepReported } from './reported-check.js';

export interface PythonStepOptions {
  /** The script: a path (relative to `cwd`, by default the project folder) or a file URL. */
  script: string | URL;
  /** The interpreter: a command on PATH or a path. Default `python3`. */
  python?: string;
  /** Arguments after the script's path (`sys.argv[1:]`). */
  args?: readonly string[];
  /** Added to the environment the script inherits from Weir's process. */
  env?: Readonly<Record<string, string>>;
  /** JSON the script reads as `ctx.params`. */
  params?: Readonly<Record<string, JsonValue>>;
  /** Where the script runs; default Weir's working directory (the project folder). */
  cwd?: string;
  /** Kill the script (its whole process group) after this long and fail the step. */
  timeoutMs?: number;
}

/**
 * What a Python step needs of its `ctx`: a subset of Weir's `AssetContext`, so the step fits
 * any asset's `materialize` (json, bytes or files; partitioned or not).
 */
export interface PythonStepContext {
  readonly key: string;
  readonly runId: string;
  readonly attempt: number;
  readonly codeVersion: string;
  readonly partition?: PartitionInfo | undefined;
  readonly log: StepLogger;
  readonly signal: AbortSignal;
  /** Set for `io: 'files'` assets: where the artefact must be written. */
  readonly outputPath?: string | undefined;
  addMetadata(entries: Metadata): void;
  setDataVersion(version: string): void;
}

/**
 * An asset's `materialize` that runs a Python script. `T` is what the script reports with
 * `ctx.report_output(value)` (JSON), or `Uint8Array` for a `bytes` asset whose script writes
 * its output file and calls `ctx.report_output_path()`.
 */
export interface PythonStep<T> {
  (ctx: PythonStepContext, inputs: Readonly<Record<string, unknown>>): Promise<T>;
  /** The script's path as given. */
  readonly script: string;
  /**
   * A hash of the script's bytes and of the step's options, for `asset({ codeVersion })`, so
   * that editing the script makes the asset stale (Weir's derived code version sees the
   * TypeScript, not the Python). Read when accessed; a missing script hashes as missing.
   */
  readonly codeVersion: string;
}

/** A failed script: its exit, and the Python traceback as the error's stack. */
export class PythonScriptError extends Error {
  override readonly name = 'PythonScriptError';
  readonly script: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The Python traceback, when the script printed or reported one. */
  readonly traceback: string | undefined;

  constructor(
    message: string,
    details: {
      script: string;
      exitCode?: number | null;
      signal?: NodeJS.Signals | null;
      traceback?: string;
    },
  ) {
    super(message);
    this.script = details.script;
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
    this.traceback = details.traceback;
    // The stack Weir records and `weir logs` prints: the Python one, not ours.
    this.stack = details.traceback ?? `${this.name}: ${message}`;
  }
}

/** SIGTERM first; the group gets SIGKILL if still there after this long. */
const KILL_GRACE_MS = 1_000;
/** Frames of the traceback the error message quotes, before the exception. */
const TRACEBACK_FRAMES = 2;
/** Lines of stderr the error message quotes when there is no traceback. */
const TRACEBACK_TAIL = 6;
/** Lines of stderr kept for an error message when the script reported no traceback. */
const STDERR_KEPT = 40;
/** A longer stdout/stderr line is cut in the step's log. */
const MAX_LOG_LINE = 8_192;

/**
 * A `materialize` function that runs a Python script as the asset's step.
 *
 * @example
 * const forecast = pythonStep({ script: 'ml/forecast.py', params: { horizon: 24 } });
 * const forecasts = asset({
 *   key: 'ml/forecasts',
 *   ins: { series },
 *   codeVersion: forecast.codeVersion,
 *   checks: [reportedCheck('finite_values')],
 *   materialize: forecast,
 * });
 */
export function pythonStep<T = JsonValue>(options: PythonStepOptions): PythonStep<T> {
  const settings = validate(options);
  const step = (ctx: PythonStepContext, inputs: Readonly<Record<string, unknown>>) =>
    runScript<T>(settings, ctx, inputs);
  Object.defineProperties(step, {
    script: { value: settings.label, enumerable: true },
    codeVersion: { get: () => codeVersionOf(settings), enumerable: true },
  });
  return step as PythonStep<T>;
}

interface Settings {
  /** The script as the user named it, for messages. */
  label: string;
  script: string | URL;
  python: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  params: Readonly<Record<string, JsonValue>>;
  cwd: string | undefined;
  timeoutMs: number | undefined;
}

function validate(options: PythonStepOptions): Settings {
  const owner = 'pythonStep()';
  if (typeof options !== 'object' || options === null) {
    throw new DefinitionError('E_DEFINITION', `${owner} needs options { script }`);
  }
  const { script } = options;
  if (!(script instanceof URL) && (typeof script !== 'string' || script === '')) {
    throw new DefinitionError('E_DEFINITION', `${owner} needs a script: a path or a file URL`);
  }
  if (script instanceof URL && script.protocol !== 'file:') {
    throw new DefinitionError('E_DEFINITION', `${owner} script ${script.href} is not a file URL`);
  }
  const label = script instanceof URL ? fileURLToPath(script) : script;
  const python = options.python ?? 'python3';
  if (typeof python !== 'string' || python === '') {
    throw new DefinitionError('E_DEFINITION', `${owner} python must be a command or a path`);
  }
  const args = options.args ?? [];
  if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string')) {
    throw new DefinitionError('E_DEFINITION', `${owner} args must be strings`);
  }
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new DefinitionError('E_DEFINITION', `${owner} timeoutMs must be a number > 0`);
  }
  const params = options.params ?? {};
  try {
    JSON.stringify(params);
  } catch (error) {
    throw new DefinitionError(
      'E_DEFINITION',
      `${owner} params are not JSON: ${(error as Error).message}`,
    );
  }
  return {
    label,
    script,
    python,
    args,
    env: options.env ?? {},
    params,
    cwd: options.cwd,
    timeoutMs,
  };
}

function scriptPath(settings: Settings): string {
  if (settings.script instanceof URL) return fileURLToPath(settings.script);
  return resolve(settings.cwd ?? process.cwd(), settings.script);
}

function codeVersionOf(settings: Settings): string {
  const hash = createHash('sha256');
  let script: string;
  try {
    script = createHash('sha256')
      .update(readFileSync(scriptPath(settings)))
      .digest('hex');
  } catch {
    script = `missing ${settings.label}`;
  }
  hash.update(
    JSON.stringify({
      protocol: PROTOCOL,
      script,
      python: settings.python,
      args: settings.args,
      env: settings.env,
      params: settings.params,
    }),
  );
  return `py-${hash.digest('hex').slice(0, 16)}`;
}

/** What the script reported, collected as its messages come. */
interface Reports {
  output: { value: JsonValue } | { path: string } | undefined;
  checks: Map<string, CheckResult>;
  error: ScriptError | undefined;
}

async function runScript<T>(
  settings: Settings,
  ctx: PythonStepContext,
  inputs: Readonly<Record<string, unknown>>,
): Promise<T> {
  const label = settings.label;
  const partition = ctx.partition?.key;
  forgetReported(ctx.key, partition);
  if (ctx.signal.aborted) throw new Error('cancelled');
  const script = scriptPath(settings);
  await checkScript(script, settings);
  await checkInterpreter(settings.python, label);
  const client = clientDir();

  const temp = await mkdtemp(join(tmpdir(), 'weir-pipes-'));
  try {
    const outputPath = ctx.outputPath ?? join(temp, 'output');
    const context: PipesContextFile = {
      protocol: PROTOCOL,
      asset_key: ctx.key,
      partition: partitionOf(ctx.partition),
      run_id: ctx.runId,
      attempt: ctx.attempt,
      code_version: ctx.codeVersion,
      inputs: await encodeInputs(inputs, join(temp, 'inputs')),
      params: { ...settings.params },
      output_path: outputPath,
    };
    const contextPath = join(temp, 'context.json');
    await writeFile(contextPath, JSON.stringify(context));

    const reports: Reports = {
      output: undefined,
      checks: new Map(),
      error: undefined,
    };
    const exit = await launch(
      settings,
      script,
      ctx,
      {
        ...process.env,
        ...settings.env,
        PYTHONPATH: [client, settings.env.PYTHONPATH ?? process.env.PYTHONPATH]
          .filter((part): part is string => part !== undefined && part !== '')
          .join(delimiter),
        PYTHONUNBUFFERED: settings.env.PYTHONUNBUFFERED ?? process.env.PYTHONUNBUFFERED ?? '1',
        [CONTEXT_ENV]: contextPath,
        [MESSAGES_ENV]: `fd:${MESSAGES_FD}`,
      },
      (message) => onMessage(message, reports, ctx, label),
    );

    if (exit.broken !== undefined) throw exit.broken;
    if (exit.aborted) throw new Error('cancelled');
    const tail = tracebackTail(reports.error, exit.stderr);
    if (exit.timedOut) {
      throw new PythonScriptError(
        `python script ${label} timed out after ${seconds(settings.timeoutMs!)}: its process group was killed`,
        { script: label, signal: exit.signal, ...withTraceback(tail) },
      );
    }
    if (exit.signal !== null) {
      throw new PythonScriptError(
        `python script ${label} was killed by ${exit.signal}${exit.signal === 'SIGKILL' ? ' (out of memory?)' : ''}${tail.quote}`,
        { script: label, signal: exit.signal, ...withTraceback(tail) },
      );
    }
    if (exit.code !== 0) {
      throw new PythonScriptError(
        `python script ${label} exited with code ${exit.code}${tail.quote}`,
        {
          script: label,
          exitCode: exit.code,
          ...withTraceback(tail),
        },
      );
    }
    if (reports.output === undefined) {
      throw new PythonScriptError(
        `python script ${label} exited with code 0 without reporting an output: call ctx.report_output(value)${ctx.outputPath === undefined ? '' : ', or write ctx.output_path and call ctx.report_output_path()'} inside "with weir_pipes.open() as ctx:"`,
        { script: label, exitCode: 0 },
      );
    }
    const value = await outputOf(reports.output, ctx, outputPath, label);
    keepReported(ctx.key, partition, reports.checks);
    return value as T;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

async function checkScript(script: string, settings: Settings): Promise<void> {
  const info = await stat(script).catch(() => undefined);
  if (info?.isFile()) return;
  throw new EnvironmentError(
    'E_NOT_FOUND',
    `python script ${settings.label} ${info === undefined ? 'not found' : 'is not a file'} (${script})`,
    {
      hint:
        settings.script instanceof URL || isAbsolute(settings.label)
          ? 'check the path given to pythonStep({ script })'
          : `a relative script path counts from ${settings.cwd ?? process.cwd()} (the project folder); or pass new URL('./script.py', import.meta.url)`,
    },
  );
}

/** A missing interpreter named by a path is found here; one named as a command, at spawn. */
async function checkInterpreter(python: string, label: string): Promise<void> {
  if (!python.includes('/')) return;
  const ok = await access(python, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!ok) throw missingInterpreter(python, label);
}

function missingInterpreter(python: string, label: string): EnvironmentError {
  return new EnvironmentError(
    'E_NOT_FOUND',
    `cannot run python script ${label}: the interpreter '${python}' was not found${python.includes('/') ? ' (or is not executable)' : ' on PATH'}`,
    {
      hint: "install Python 3 (Debian: apt-get install python3) or name the interpreter with pythonStep({ python: '/path/to/python3' })",
    },
  );
}

function partitionOf(partition: PartitionInfo | undefined): PipesContextFile['partition'] {
  if (partition === undefined) return null;
  return {
    key: partition.key,
    ...(partition.start === undefined ? {} : { start: partition.start.toISOString() }),
    ...(partition.end === undefined ? {} : { end: partition.end.toISOString() }),
    ...(partition.dimensions === undefined ? {} : { dimensions: { ...partition.dimensions } }),
  };
}

/** Each input as the script receives it; bytes inputs are written to files under `dir`. */
async function encodeInputs(
  inputs: Readonly<Record<string, unknown>>,
  dir: string,
): Promise<Record<string, InputEntry>> {
  let files = 0;
  const encode = async (value: unknown): Promise<InputEntry> => {
    if (value instanceof Uint8Array) {
      await mkdir(dir, { recursive: true });
      const path = join(dir, `input-${++files}`);
      await writeFile(path, value);
      return { kind: 'path', path, type: 'file' };
    }
    if (value instanceof Map) {
      const values: Record<string, InputEntry> = {};
      for (const [key, one] of value) values[String(key)] = await encode(one);
      return { kind: 'partitions', values };
    }
    const artefact = fileArtefact(value);
    if (artefact !== undefined) return { kind: 'path', ...artefact };
    // Written as JSON with the context (once: inputs can be large); a Date (a source's
    // observedAt) becomes its ISO string there, as JSON gives it downstream.
    return { kind: 'value', value: (value ?? null) as JsonValue };
  };
  const entries: Record<string, InputEntry> = {};
  for (const [name, value] of Object.entries(inputs)) entries[name] = await encode(value);
  return entries;
}

/** A `files` input (`{ path, type }` naming a stored file or folder), or undefined. */
function fileArtefact(value: unknown): { path: string; type: 'file' | 'directory' } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 2) return undefined;
  const { path, type } = value as { path?: unknown; type?: unknown };
  if (typeof path !== 'string' || !isAbsolute(path)) return undefined;
  if (type !== 'file' && type !== 'directory') return undefined;
  try {
    const info = statSync(path);
    return (type === 'file' ? info.isFile() : info.isDirectory()) ? { path, type } : undefined;
  } catch {
    return undefined;
  }
}

function onMessage(
  message: Message,
  reports: Reports,
  ctx: PythonStepContext,
  label: string,
): void {
  switch (message.type) {
    case 'opened':
      ctx.log.debug(
        `python script ${label} connected (python ${message.python}, pid ${message.pid})`,
      );
      return;
    case 'log':
      ctx.log[message.level](message.message, message.fields);
      return;
    case 'metadata':
      ctx.addMetadata(message.entries);
      return;
    case 'check': {
      const result: CheckResult = { passed: message.passed };
      if (message.message !== undefined) result.message = message.message;
      if (message.metadata !== undefined) result.metadata = message.metadata;
      reports.checks.set(message.name, result);
      ctx.log[message.passed ? 'info' : 'warn'](
        `check ${message.name} ${message.passed ? 'passed' : 'failed'}${message.message === undefined ? '' : `: ${message.message}`}`,
      );
      return;
    }
    case 'data_version':
      ctx.setDataVersion(message.version);
      return;
    case 'output':
      if (reports.output !== undefined) {
        throw new ProtocolError('a second output (an output is reported once)');
      }
      reports.output = 'path' in message ? { path: message.path } : { value: message.value };
      return;
    case 'closed':
      reports.error = message.error;
      return;
  }
}

async function outputOf(
  output: { value: JsonValue } | { path: string },
  ctx: PythonStepContext,
  outputPath: string,
  label: string,
): Promise<unknown> {
  if ('value' in output) {
    if (ctx.outputPath !== undefined) {
      throw new PythonScriptError(
        `python script ${label} reported a value, but asset '${ctx.key}' has io 'files': write the file or folder at ctx.output_path and call ctx.report_output_path()`,
        { script: label, exitCode: 0 },
      );
    }
    return output.value;
  }
  if (resolve(output.path) !== resolve(outputPath)) {
    throw new PythonScriptError(
      `python script ${label} reported the output path ${output.path}; the output must be written at ctx.output_path (${outputPath})`,
      { script: label, exitCode: 0 },
    );
  }
  // `files`: Weir stores what is at ctx.outputPath. Otherwise the file's bytes are the value.
  if (ctx.outputPath !== undefined) return undefined;
  return new Uint8Array(await readFile(outputPath));
}

interface Exit {
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
function launch(
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

function protocolFailure(error: unknown, label: string, lineNo: number): Error {
  if (error instanceof ProtocolError && error.version !== undefined) {
    return new EnvironmentError(
      'E_USER_CODE',
      `python script ${label} speaks weir_pipes protocol ${JSON.stringify(error.version)}; this @weir/pipes speaks ${PROTOCOL}`,
      {
        hint: `import the ${CLIENT_FILE} that @weir/pipes puts on PYTHONPATH (remove other copies from the script's folder and site-packages), or upgrade @weir/pipes`,
      },
    );
  }
  if (error instanceof ProtocolError) {
    return new PythonScriptError(
      `python script ${label} broke the weir_pipes protocol: message ${lineNo} on file descriptor ${MESSAGES_FD} is ${error.message}; the script was stopped (print() goes to the step's log through stdout; file descriptor ${MESSAGES_FD} is for weir_pipes only)`,
      { script: label },
    );
  }
  // onMessage refused a well-formed message (ctx.addMetadata, ctx.setDataVersion threw).
  return new PythonScriptError(
    `python script ${label}: message ${lineNo} was refused: ${(error as Error).message}`,
    { script: label },
  );
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

interface Tail {
  /** `:\n` and the quoted lines, or '' when there is nothing to quote. */
  quote: string;
  traceback: string | undefined;
}

/** The last lines of the Python traceback: reported by the client, else read from stderr. */
function tracebackTail(error: ScriptError | undefined, stderr: readonly string[]): Tail {
  let traceback: string | undefined;
  let body: string[];
  if (error !== undefined && error.traceback !== '') {
    traceback = error.traceback.trimEnd();
    body = traceback.split('\n');
  } else {
    const start = stderr.lastIndexOf('Traceback (most recent call last):');
    if (start >= 0) {
      body = stderr.slice(start);
      traceback = body.join('\n').trimEnd();
    } else {
      body = stderr.filter((line) => line.trim() !== '');
    }
  }
  // Python 3.11's ^^^ and ~~~ markers under a line say where in it; the message keeps the lines.
  const kept = body.filter(
    (line) => !line.startsWith('Traceback (most recent call last)') && !/^\s*[~^]+\s*$/.test(line),
  );
  const frames = kept.flatMap((line, i) => (line.startsWith('  File "') ? [i] : []));
  const quoted =
    frames.length === 0
      ? kept.slice(-TRACEBACK_TAIL)
      : kept.slice(frames[Math.max(0, frames.length - TRACEBACK_FRAMES)]);
  return { quote: quoted.length === 0 ? '' : `:\n${quoted.join('\n')}`, traceback };
}

function withTraceback(tail: Tail): { traceback?: string } {
  return tail.traceback === undefined ? {} : { traceback: tail.traceback };
}
