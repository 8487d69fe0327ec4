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
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonValue, Metadata, PartitionInfo, StepLogger } from 'weir';
import { clientDir } from './_client.js';
import { writeContextFile } from './_context-file.js';
import { exitFailure } from './_failure.js';
import { launch, scriptEnv } from './_launch.js';
import { onMessage, outputOf, type Reports } from './_messages.js';
import {
  checkInterpreter,
  checkScript,
  codeVersionOf,
  type Settings,
  scriptPath,
  validate,
} from './_settings.js';
import { forgetReported, keepReported } from './reported-check.js';

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
   * A hash of what makes the script's results: its bytes, the protocol version, and the
   * `args`, `env` and `params` it is given, for `asset({ codeVersion })`, so that editing the
   * script makes the asset stale (Weir's derived code version sees the TypeScript, not the
   * Python). Not the interpreter's path: another venv with the same Python is not a change of
   * code. Read when accessed; a missing script hashes as missing.
   */
  readonly codeVersion: string;
}

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
    const contextPath = await writeContextFile(temp, ctx, settings.params, inputs, outputPath);
    const reports: Reports = {
      output: undefined,
      checks: new Map(),
      error: undefined,
    };
    const exit = await launch(
      settings,
      script,
      ctx,
      scriptEnv(settings, client, contextPath),
      (message) => onMessage(message, reports, ctx, label),
    );

    if (exit.broken !== undefined) throw exit.broken;
    if (exit.aborted) throw new Error('cancelled');
    const failure = exitFailure(exit, reports.error, settings);
    if (failure !== undefined) throw failure;
    const value = await outputOf(reports.output, ctx, outputPath, label);
    keepReported(ctx.key, partition, reports.checks);
    return value as T;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
