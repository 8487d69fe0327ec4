/**
 * @module execution/step
 * The in-process executor: runs one unit of a run in this process (load inputs, call
 * `materialize` with retries, store the artefact, evaluate checks), then records the
 * materialization with its provenance.
 */
import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { decodeValue, encodeValue, type StoredArtefact } from '../artefacts/index.js';
import type {
  AssetDefinition,
  Metadata,
  PartitionInfo,
  PartitionRangeInfo,
  PreviousMaterialization,
} from '../definitions/index.js';
import {
  dynamicNameProblem,
  jsonProblem,
  partitionInfoAt,
  partitionKeyProblem,
  retryDelay,
  unitLabel,
} from '../definitions/index.js';
import { EnvironmentError, UserCodeError } from '../errors.js';
import type { AssetNode } from '../graph/index.js';
import { importerMapped, packageNotFound } from '../source-stacks.js';
import type { CheckRecord, Materialization, StoredEvent, WeirEvent } from '../storage/index.js';
import { WEIR_VERSION } from '../version.js';
import { codePartsOf, codeVersionOf } from '../versioning/index.js';
import { blockingFailures, checkHistory, evaluateChecks } from './_checks.js';
import { diskFull, RunStopped, toErrorInfo } from './_errors.js';
import { gatherInputs, partitionProvenance } from './_inputs.js';
import { previousOf } from './_previous.js';
import type { RunContext } from './_run-context.js';
import { StepLog } from './_step-log.js';
import type { StepUnit } from './_units.js';
import { loadValue } from './_values.js';
import type { Executor, StepOutcome } from './executor.js';

const HOST = hostname();

/** One partition's output of an attempt (the only one when unpartitioned). */
interface Output {
  partition: string;
  materialization: Materialization;
  storedValue: () => Promise<unknown>;
}

/** Runs each unit in this process, with the run's resources and signal. */
export const inProcessExecutor: Executor = {
  name: 'in-process',
  execute: (unit, run) => runUnit(run, unit),
};

/**
 * Runs a claimed unit here, from attempt `firstAttempt` (whose `step:started` is recorded
 * already) to its outcome: what every executor does in the process that runs the step.
 */
export function runUnit(run: RunContext, unit: StepUnit, firstAttempt = 1): Promise<StepOutcome> {
  return runStep(run, run.graph.node(unit.key), unit, firstAttempt);
}

async function runStep(
  run: RunContext,
  node: AssetNode,
  unit: StepUnit,
  firstAttempt: number,
): Promise<StepOutcome> {
  const definition = node.definition as AssetDefinition;
  const key = node.key;
  const policy = definition.retry;
  const [first] = unit.keys as [string];
  for (let attempt = firstAttempt; ; attempt++) {
    if (run.signal.aborted) return { status: 'cancelled' };
    // The first attempt's step:started was recorded when the unit was claimed.
    if (attempt > firstAttempt) {
      await run.record(run.startedEvents(unit, attempt));
    }
    const log = new StepLog(run, key, first);
    try {
      const { outputs, dynamic } = await attemptOnce(run, node, definition, unit, attempt, log);
      if (run.signal.aborted) return await cancelled(log);
      const checked: Array<{ output: Output; checks: CheckRecord[] }> = [];
      let blocked: { names: string[]; reason: string } | undefined;
      for (const output of outputs) {
        const checks =
          definition.checks.length === 0
            ? []
            : await evaluateChecks(definition.checks, await output.storedValue(), {
                assetKey: key,
                partition: unit.partitions === undefined ? undefined : output.partition,
                history: await checkHistory(
                  run.eventLog,
                  key,
                  { partition: output.partition, partitioned: unit.partitions !== undefined },
                  definition.checks,
                ),
              });
        const failed = blockingFailures(checks);
        if (failed !== undefined) {
          output.materialization.blockedBy = failed.names;
          blocked ??= {
            names: failed.names,
            reason:
              unit.partitions === undefined
                ? failed.reason
                : `${output.partition}: ${failed.reason}`,
          };
        }
        checked.push({ output, checks });
      }
      // Checks take time: a run cancelled meanwhile must not gain a materialization after it ended.
      if (run.signal.aborted) return await cancelled(log);
      await log.close();
      const recorded = await run.recordHolding(unit, [
        ...dynamic.map((change) => ({ ...change, runId: run.runId, timestamp: Date.now() })),
        ...outputs.map(
          (output): WeirEvent => ({
            type: 'asset:materialized',
            ...run.stepFields(key, output.partition),
            materialization: output.materialization,
          }),
        ),
      ]);
      if (!Array.isArray(recorded)) return { status: 'cancelled', reason: recorded.lost };
      const events = recorded.filter(
        (event): event is StoredEvent<'asset:materialized'> => event.type === 'asset:materialized',
      );
      // Separate from the materializations' transaction (they need their ids); `blockedBy`
      // above already makes the outcome durable if the process dies in between.
      await run.record(
        checked.flatMap(({ output, checks }, i) =>
          checks.map((check) => ({
            type: 'check:evaluated' as const,
            ...run.stepFields(key, output.partition),
            materializationId: events[i]!.id,
            dataVersion: output.materialization.dataVersion,
            check,
          })),
        ),
      );
      if (blocked === undefined) return { status: 'materialized', events };
      return {
        status: 'blocked',
        usable: events.filter((event) => event.materialization.blockedBy === undefined),
        blocked: events
          .filter((e) => e.materialization.blockedBy !== undefined)
          .map((e) => e.partition),
        reason: blocked.reason,
        checks: blocked.names,
      };
    } catch (thrown) {
      await log.close().catch(() => {});
      if (thrown instanceof RunStopped) throw thrown;
      if (run.signal.aborted) return { status: 'cancelled' };
      const error = asStepError(thrown, unit.label);
      const info = toErrorInfo(error);
      if (attempt < policy.maxAttempts && !(error instanceof EnvironmentError)) {
        const delayMs = retryDelay(policy, attempt);
        await run.record(
          run.unitEvents(unit, (fields) => ({
            type: 'step:retrying',
            ...fields,
            attempt,
            delayMs,
            error: info,
          })),
        );
        if (!(await sleep(delayMs, run.signal))) return { status: 'cancelled' };
        continue;
      }
      await run.record(
        run.unitEvents(unit, (fields) => ({
          type: 'step:failed',
          ...fields,
          attempt,
          error: info,
        })),
      );
      return { status: 'failed', error };
    }
  }
}

type DynamicChange = {
  type: 'partitions:added' | 'partitions:removed';
  name: string;
  keys: string[];
};

async function attemptOnce(
  run: RunContext,
  node: AssetNode,
  definition: AssetDefinition,
  unit: StepUnit,
  attempt: number,
  log: StepLog,
): Promise<{ outputs: Output[]; dynamic: DynamicChange[] }> {
  const startedAt = Date.now();
  const { values: inputs, provenance } = await gatherInputs(run, node, unit);
  const range = definition.backfillPolicy === 'single-run';

  const metadata: Record<string, Metadata[string]> = {};
  let dataVersion: string | undefined;
  const dynamic: DynamicChange[] = [];
  const editDynamic = (type: DynamicChange['type']) => (name: string, keys: readonly string[]) => {
    const nameProblem = dynamicNameProblem(name);
    if (nameProblem !== undefined) throw new TypeError(`invalid ${nameProblem}`);
    for (const key of keys) {
      const problem = partitionKeyProblem(key);
      if (problem !== undefined) throw new TypeError(`dynamic partitions '${name}': ${problem}`);
    }
    dynamic.push({ type, name, keys: [...keys] });
  };
  const outputPath = definition.io === 'files' ? await run.artefacts.tempPath(node.key) : undefined;
  const ctx = {
    key: node.key,
    runId: run.runId,
    attempt,
    resources: await run.resources.valuesFor(definition.resources),
    log: log.logger,
    signal: run.signal,
    outputPath,
    partition: range ? undefined : partitionInfo(unit),
    codeVersion: codeVersionOf(definition),
    previous: <T>() => {
      if (range) throw new TypeError('ctx.previous() is not available to single-run steps');
      return previousOf(run, node, unit, log.logger) as Promise<
        PreviousMaterialization<T> | undefined
      >;
    },
    ...(range ? { partitions: rangeInfo(unit) } : {}),
    dynamicPartitions: {
      add: editDynamic('partitions:added'),
      remove: editDynamic('partitions:removed'),
    },
    addMetadata(entries: Metadata) {
      const problem = jsonProblem(entries);
      if (problem !== undefined)
        throw new TypeError(`ctx.addMetadata(): metadata that is not JSON: ${problem}`);
      Object.assign(metadata, entries);
    },
    setDataVersion(version: string) {
      if (typeof version !== 'string' || version === '')
        throw new TypeError('setDataVersion() needs a non-empty string');
      if (range) throw new TypeError('setDataVersion() is not available to single-run steps');
      dataVersion = version;
    },
  };

  const stored: Array<{ partition: string; artefact: StoredArtefact; encoded?: Uint8Array }> = [];
  try {
    const value = await definition.materialize(ctx, inputs);
    if (run.signal.aborted) throw new Error('cancelled');
    if (outputPath !== undefined) {
      if (!(await exists(outputPath))) {
        throw new UserCodeError(
          'E_USER_CODE',
          `asset '${node.key}' has io 'files' but wrote nothing at ctx.outputPath`,
          {
            hint: 'write a file or a directory at exactly ctx.outputPath',
          },
        );
      }
      const artefact = await run.artefacts.putPath(outputPath, { label: unit.label });
      stored.push({ partition: unit.keys[0]!, artefact });
    } else {
      const perPartition = range
        ? valuesByPartition(value, unit)
        : [[unit.keys[0]!, value] as const];
      for (const [partition, one] of perPartition) {
        const encoded = encodeValue(definition.io as 'json' | 'bytes', one, unit.label);
        const label = unitLabel(node.key, [partition]);
        stored.push({
          partition,
          artefact: await run.artefacts.putBytes(encoded, { label }),
          encoded,
        });
      }
    }
  } catch (error) {
    // The partial output goes first: a full disk needs the space to record the failure.
    if (outputPath !== undefined) await run.artefacts.discard(outputPath);
    throw diskFull(error, unit.label, outputPath);
  }

  const endedAt = Date.now();
  const perPartition = range
    ? await Promise.all(
        [...unit.partitions!.indices()].map((i) => partitionProvenance(run, node, unit, i)),
      )
    : [];
  const codeParts = codePartsOf(definition);
  const outputs = stored.map(({ partition, artefact, encoded }, i): Output => {
    const materialization: Materialization = {
      dataVersion: dataVersion ?? artefact.contentHash,
      codeVersion: codeVersionOf(definition),
      ...(codeParts === undefined ? {} : { codeParts: { ...codeParts } }),
      inputs: range ? perPartition[i]! : provenance,
      configHash: run.configHash(node),
      artefact: { format: definition.io, ...artefact },
      startedAt,
      endedAt,
      host: HOST,
      weirVersion: WEIR_VERSION,
      metadata,
    };
    // What consumers will read: decoded from the stored bytes, or the stored path.
    const storedValue = async () =>
      encoded !== undefined
        ? decodeValue(definition.io as 'json' | 'bytes', encoded)
        : loadValue(run.artefacts, { materialization });
    return { partition, materialization, storedValue };
  });
  return { outputs, dynamic };
}

/** `ctx.partition` of a one-partition unit. */
function partitionInfo(unit: StepUnit): PartitionInfo | undefined {
  if (unit.partitions === undefined || unit.space === undefined) return undefined;
  const [index] = unit.partitions.indices();
  return partitionInfoAt(unit.space, index!);
}

/** `ctx.partitions` of a single-run unit. */
function rangeInfo(unit: StepUnit): PartitionRangeInfo {
  const ranges = unit.partitions!.ranges();
  const first = unit.space!.windowAt(ranges[0]![0]);
  const last = unit.space!.windowAt(ranges[ranges.length - 1]![1] - 1);
  return first === undefined || last === undefined
    ? { keys: unit.keys }
    : { keys: unit.keys, start: new Date(first.start), end: new Date(last.end) };
}

/** A single-run step's return value, as one value per partition of the unit. */
function valuesByPartition(value: unknown, unit: StepUnit): Array<readonly [string, unknown]> {
  const get: ((key: string) => unknown) | undefined =
    value instanceof Map
      ? (key) => value.get(key)
      : typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (key) => (value as Record<string, unknown>)[key]
        : undefined;
  if (get === undefined) {
    throw new UserCodeError(
      'E_USER_CODE',
      `asset '${unit.key}' is single-run: materialize must return a Map or object from partition key to value`,
    );
  }
  const wanted = new Set(unit.keys);
  const extra = (value instanceof Map ? [...value.keys()] : Object.keys(value as object)).filter(
    (key) => !wanted.has(key),
  );
  const absent = unit.keys.filter((key) => get(key) === undefined);
  if (absent.length > 0 || extra.length > 0) {
    throw new UserCodeError(
      'E_USER_CODE',
      `asset '${unit.key}' returned ${absent.length > 0 ? `no value for partition${absent.length === 1 ? '' : 's'} ${list(absent)}` : `values for partitions it was not asked for: ${list(extra)}`}`,
      { hint: 'return exactly one value per key of ctx.partitions.keys' },
    );
  }
  return unit.keys.map((key) => [key, get(key)] as const);
}

function list(keys: readonly string[]): string {
  return keys.length <= 3 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')} … (${keys.length})`;
}

function asStepError(thrown: unknown, label: string): Error {
  if (thrown instanceof UserCodeError || thrown instanceof EnvironmentError) return thrown;
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
    // A dynamic import() in the step: name the user's file, not its compiled copy.
    const name = packageNotFound(error)?.name;
    return new UserCodeError(
      'E_USER_CODE',
      `asset '${label}' failed: ${importerMapped(error.message)}`,
      {
        cause: error,
        hint:
          name === undefined
            ? 'check the path of the import'
            : `install it where the project's package.json is: npm install ${name}`,
      },
    );
  }
  return new UserCodeError('E_USER_CODE', `asset '${label}' failed: ${error.message}`, {
    cause: error,
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** A cancelled attempt keeps the log lines it wrote. */
async function cancelled(log: StepLog): Promise<StepOutcome> {
  await log.close();
  return { status: 'cancelled' };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
