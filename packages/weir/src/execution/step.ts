/**
 * @module execution/step
 * Runs one asset step in this process: load inputs, call `materialize` with retries, store
 * the artefact, then record the materialization with its provenance.
 */
import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { decodeValue, encodeValue, type StoredArtefact } from '../artefacts/index.js';
import type {
  AssetDefinition,
  FileArtefact,
  Metadata,
  SourceObservation,
} from '../definitions/index.js';
import { retryDelay } from '../definitions/index.js';
import { EnvironmentError, UserCodeError } from '../errors.js';
import type { AssetNode } from '../graph/index.js';
import type {
  InputVersion,
  Materialization,
  MaterializationEvent,
  StoredEvent,
  WeirEvent,
} from '../storage/index.js';
import { NO_PARTITION } from '../storage/index.js';
import { WEIR_VERSION } from '../version.js';
import { codeVersionOf } from '../versioning/index.js';
import { blockingFailures, checkHistory, evaluateChecks } from './_checks.js';
import { toErrorInfo } from './_errors.js';
import type { RunContext } from './_run-context.js';
import { bufferedLogger, type LogEntry } from './_step-logger.js';
import { loadValue } from './_values.js';

export type StepOutcome =
  | { status: 'materialized'; event: StoredEvent<'asset:materialized'> }
  /** Recorded, but a blocking check failed: not used downstream. */
  | {
      status: 'blocked';
      event: StoredEvent<'asset:materialized'>;
      reason: string;
      checks: string[];
    }
  | { status: 'failed'; error: Error }
  | { status: 'cancelled' };

const HOST = hostname();

export async function runStep(run: RunContext, node: AssetNode): Promise<StepOutcome> {
  const definition = node.definition as AssetDefinition;
  const key = node.key;
  const policy = definition.retry;
  for (let attempt = 1; ; attempt++) {
    if (run.signal.aborted) return { status: 'cancelled' };
    await run.record([
      {
        type: 'step:started',
        ...run.stepFields(key),
        attempt,
      },
    ]);
    const logs: LogEntry[] = [];
    try {
      const { materialization, storedValue } = await attemptOnce(
        run,
        node,
        definition,
        attempt,
        logs,
      );
      if (run.signal.aborted) return { status: 'cancelled' };
      const checks =
        definition.checks.length === 0
          ? []
          : await evaluateChecks(definition.checks, await storedValue(), {
              assetKey: key,
              partition: undefined,
              history: await checkHistory(run.eventLog, key, NO_PARTITION, definition.checks),
            });
      const blocked = blockingFailures(checks);
      if (blocked !== undefined) materialization.blockedBy = blocked.names;
      // Checks take time: a run cancelled meanwhile must not gain a materialization after it ended.
      if (run.signal.aborted) return { status: 'cancelled' };
      const recorded = await run.record([
        ...logEvents(run, key, logs),
        {
          type: 'asset:materialized',
          ...run.stepFields(key),
          materialization,
        },
      ]);
      const event = recorded[recorded.length - 1] as StoredEvent<'asset:materialized'>;
      // Separate from the materialization's transaction (they need its id); `blockedBy` above
      // already makes the outcome durable if the process dies in between.
      await run.record(
        checks.map((check) => ({
          type: 'check:evaluated' as const,
          ...run.stepFields(key),
          materializationId: event.id,
          dataVersion: materialization.dataVersion,
          check,
        })),
      );
      return blocked === undefined
        ? { status: 'materialized', event }
        : { status: 'blocked', event, reason: blocked.reason, checks: blocked.names };
    } catch (thrown) {
      if (run.signal.aborted) return { status: 'cancelled' };
      const error = asStepError(thrown, key);
      const info = toErrorInfo(error);
      if (attempt < policy.maxAttempts && !(error instanceof EnvironmentError)) {
        const delayMs = retryDelay(policy, attempt);
        await run.record([
          ...logEvents(run, key, logs),
          {
            type: 'step:retrying',
            ...run.stepFields(key),
            attempt,
            delayMs,
            error: info,
          },
        ]);
        if (!(await sleep(delayMs, run.signal))) return { status: 'cancelled' };
        continue;
      }
      await run.record([
        ...logEvents(run, key, logs),
        {
          type: 'step:failed',
          ...run.stepFields(key),
          attempt,
          error: info,
        },
      ]);
      return { status: 'failed', error };
    }
  }
}

async function attemptOnce(
  run: RunContext,
  node: AssetNode,
  definition: AssetDefinition,
  attempt: number,
  logs: LogEntry[],
): Promise<{ materialization: Materialization; storedValue: () => Promise<unknown> }> {
  const startedAt = Date.now();
  const provenance: Record<string, InputVersion> = {};
  for (const parent of node.parents) provenance[parent] = run.versions.current(parent);
  const inputs: Record<string, unknown> = {};
  for (const [name, upstream] of node.inputs) inputs[name] = await loadInput(run, upstream);

  const metadata: Record<string, Metadata[string]> = {};
  let dataVersion: string | undefined;
  const outputPath = definition.io === 'files' ? await run.artefacts.tempPath(node.key) : undefined;
  const ctx = {
    key: node.key,
    runId: run.runId,
    attempt,
    resources: await run.resources.valuesFor(definition.resources),
    log: bufferedLogger((entry) => {
      logs.push(entry);
      run.onLog(node.key, entry);
    }),
    signal: run.signal,
    outputPath,
    addMetadata(entries: Metadata) {
      Object.assign(metadata, entries);
    },
    setDataVersion(version: string) {
      if (typeof version !== 'string' || version === '')
        throw new TypeError('setDataVersion() needs a non-empty string');
      dataVersion = version;
    },
  };

  let stored: StoredArtefact;
  let encoded: Uint8Array | undefined;
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
      stored = await run.artefacts.putPath(outputPath);
    } else {
      encoded = encodeValue(definition.io as 'json' | 'bytes', value, node.key);
      stored = await run.artefacts.putBytes(encoded);
    }
  } catch (error) {
    if (outputPath !== undefined) await run.artefacts.discard(outputPath);
    throw error;
  }

  const materialization: Materialization = {
    dataVersion: dataVersion ?? stored.contentHash,
    codeVersion: codeVersionOf(definition),
    inputs: provenance,
    configHash: run.configHash(node),
    artefact: { format: definition.io, ...stored },
    startedAt,
    endedAt: Date.now(),
    host: HOST,
    weirVersion: WEIR_VERSION,
    metadata,
  };
  // What consumers will read: decoded from the stored bytes, or the stored path.
  const storedValue = async () =>
    encoded !== undefined
      ? decodeValue(definition.io as 'json' | 'bytes', encoded)
      : loadValue(run.artefacts, { materialization });
  return { materialization, storedValue };
}

async function loadInput(run: RunContext, key: string): Promise<unknown> {
  const current = run.versions.event(key);
  if (current?.type === 'asset:observed') {
    const observation: SourceObservation = {
      dataVersion: current.observation.dataVersion,
      observedAt: new Date(current.timestamp).toISOString(),
      metadata: current.observation.metadata,
    };
    return observation;
  }
  if (current?.type !== 'asset:materialized') {
    throw new EnvironmentError('E_ARTEFACT', `input ${key} has no materialization to read`);
  }
  return loadValue(run.artefacts, current, (location) => run.readArtefact(location));
}

function logEvents(run: RunContext, key: string, logs: readonly LogEntry[]): WeirEvent[] {
  return logs.map((entry) => ({
    type: 'step:log',
    ...run.stepFields(key),
    timestamp: entry.timestamp,
    level: entry.level,
    message: entry.message,
    ...(entry.fields === undefined ? {} : { fields: entry.fields }),
  }));
}

function asStepError(thrown: unknown, key: string): Error {
  if (thrown instanceof UserCodeError || thrown instanceof EnvironmentError) return thrown;
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  return new UserCodeError('E_USER_CODE', `asset '${key}' failed: ${error.message}`, {
    cause: error,
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
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
