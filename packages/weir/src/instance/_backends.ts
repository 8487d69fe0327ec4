/**
 * @module instance/_backends
 * The server backends, loaded only when an instance is configured with them: `@weir/postgres`
 * (the event log), `@weir/s3` (the artefact store) and `@weir/queue` (the queue executor and
 * its workers) are the project's dependencies, not weir's (a lower layer never imports a
 * higher one), so they are resolved from the project's folder and imported at run time, and
 * typed here by the little weir uses of them.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtefactStore } from '../artefacts/index.js';
import type { ProjectDefinition } from '../definitions/index.js';
import { EnvironmentError, WeirError, type WeirErrorCode } from '../errors.js';
import type { Executor, Instance, TicketOutcome } from '../execution/index.js';
import type { EventLog } from '../storage/index.js';
import { backendInstallHint } from './_install-hint.js';

/** What weir passes to `PostgresEventLog.open` (a subset of its options). */
export interface PostgresLogOpenOptions {
  connectionString: string;
  schema: string;
  maxConnections?: number;
  durability?: 'normal' | 'full';
  applicationName?: string;
}

/** What weir uses of `@weir/postgres`. */
export interface PostgresBackend {
  PostgresEventLog: { open(options: PostgresLogOpenOptions): Promise<EventLog> };
}

/** What weir passes to `S3ArtefactStore.open` (a subset of its options). */
export interface S3StoreOpenOptions {
  bucket: string;
  prefix: string;
  cacheDir: string;
  clientConfig: { endpoint?: string; region?: string; forcePathStyle?: boolean };
  directPut?: boolean;
  partSize?: number;
}

/** What weir uses of `@weir/s3`. */
export interface S3Backend {
  S3ArtefactStore: { open(options: S3StoreOpenOptions): Promise<ArtefactStore> };
}

/** What weir passes to `queueExecutor` (a subset of its options). */
export interface QueueExecutorOpenOptions {
  connectionString: string;
  schema?: string;
  workerTtlMs?: number;
  onUnclaimed?: (step: {
    assetKey: string;
    partitions: string[];
    tags: string[];
    location?: string;
    task: string;
    waitedMs: number;
  }) => void;
  unclaimedAfterMs?: number;
}

/** What weir passes to `runWorker` (a subset of its options). */
export interface QueueWorkerOpenOptions {
  connectionString: string;
  project: ProjectDefinition;
  instance: Pick<Instance, 'eventLog' | 'artefacts'>;
  tags?: readonly string[];
  untagged?: boolean;
  /** The code location whose steps it takes (`project` is that location's). */
  location?: string;
  concurrency?: number;
  workerId?: string;
  schema?: string;
  workerTtlMs?: number;
  once?: boolean;
  onStep?: (step: {
    runId: string;
    assetKey: string;
    partitions: string[];
    status: TicketOutcome['status'];
    reason?: string;
    ms: number;
  }) => void;
}

/** A running queue worker, as weir drives it. */
export interface QueueWorkerHandle {
  readonly id: string;
  readonly tasks: readonly string[];
  readonly running: number;
  stop(options?: { graceMs?: number }): Promise<void>;
  readonly done: Promise<void>;
}

/** What weir uses of `@weir/queue`. */
export interface QueueBackend {
  queueExecutor(options: QueueExecutorOpenOptions): Executor & { close(): Promise<void> };
  runWorker(options: QueueWorkerOpenOptions): Promise<QueueWorkerHandle>;
}

interface BackendSpec {
  name: '@weir/postgres' | '@weir/s3' | '@weir/queue';
  /** The export weir calls (a function, or a class with a static `open`). */
  member: 'PostgresEventLog' | 'S3ArtefactStore' | 'runWorker';
  /** Whether `member` is a function itself, rather than a class with a static `open`. */
  callable?: boolean;
  /** What needs it, as the message says: `WEIR_DATABASE_URL is a PostgreSQL URL`. */
  needs: string;
  code: WeirErrorCode;
}

export function loadPostgres(projectFile: string, from: string): Promise<PostgresBackend> {
  return load<PostgresBackend>(projectFile, {
    name: '@weir/postgres',
    member: 'PostgresEventLog',
    needs: `${from} is a PostgreSQL URL`,
    code: 'E_STORAGE',
  });
}

export function loadS3(projectFile: string, from: string): Promise<S3Backend> {
  return load<S3Backend>(projectFile, {
    name: '@weir/s3',
    member: 'S3ArtefactStore',
    needs: `${from} is an S3 URL`,
    code: 'E_ARTEFACT',
  });
}

/** `@weir/queue`, for `needs` (`--executor queue needs it`, `weir worker runs steps from it`). */
export function loadQueue(projectFile: string, needs: string): Promise<QueueBackend> {
  return load<QueueBackend>(projectFile, {
    name: '@weir/queue',
    member: 'runWorker',
    callable: true,
    needs,
    code: 'E_USAGE',
  });
}

const loaded = new Map<string, Promise<unknown>>();

async function load<T>(projectFile: string, spec: BackendSpec): Promise<T> {
  const folder = dirname(projectFile);
  let path: string;
  try {
    // The CommonJS resolver follows the package's `exports` ("default" condition), from the
    // project's folder up, as an `import` in the project's own files would find it.
    path = createRequire(projectFile).resolve(spec.name);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    throw new EnvironmentError(
      spec.code,
      missing
        ? `${spec.needs}: install ${spec.name} in the project (it is looked up from ${folder}; weir itself does not depend on it)`
        : `${spec.needs}, but ${spec.name} cannot be resolved from ${folder}: ${(error as Error).message}`,
      { cause: error, hint: backendInstallHint(spec.name) },
    );
  }
  let module: unknown;
  try {
    if (!loaded.has(path)) loaded.set(path, import(pathToFileURL(path).href));
    module = await loaded.get(path);
  } catch (error) {
    loaded.delete(path);
    throw new EnvironmentError(
      spec.code,
      `${spec.needs}, but ${spec.name} (${path}) failed to load: ${(error as Error).message}`,
      { cause: error, hint: `reinstall it in the project: ${backendInstallHint(spec.name)}` },
    );
  }
  const member = (module as Record<string, { open?: unknown } | undefined>)[spec.member];
  const usable =
    spec.callable === true ? typeof member === 'function' : typeof member?.open === 'function';
  if (!usable) {
    throw new EnvironmentError(
      spec.code,
      `${spec.name} (${path}) has no ${spec.member}${spec.callable === true ? '' : '.open'}: it is not a version this weir can use`,
      {
        hint: `install the version of ${spec.name} that matches weir's: ${backendInstallHint(spec.name)}`,
      },
    );
  }
  return module as T;
}

/**
 * A backend's error as this weir's own: a backend bundled with another copy of weir throws
 * that copy's `EnvironmentError`, which `instanceof` here does not recognise, and the CLI
 * would call it a bug. Its code, message and hint are kept.
 */
export function asWeirError(error: unknown): unknown {
  if (error instanceof WeirError || typeof error !== 'object' || error === null) return error;
  const { code, message, hint } = error as { code?: unknown; message?: unknown; hint?: unknown };
  if (typeof code !== 'string' || !/^E_[A-Z_]+$/.test(code) || typeof message !== 'string') {
    return error;
  }
  return new EnvironmentError(code as WeirErrorCode, message, {
    cause: error,
    ...(typeof hint === 'string' ? { hint } : {}),
  });
}
