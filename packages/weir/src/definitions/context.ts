/**
 * @module definitions/context
 * What a step's `materialize` receives as `ctx`: its key, run, partition, resources, logger and
 * signal.
 */
import type { JsonValue, Metadata } from './metadata.js';
import type { PartitionsDefinition } from './partitions/index.js';
import type { ResourceDefinition } from './resource.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Logs written through `ctx.log` are stored with the step and shown by `weir logs RUN`. */
export interface StepLogger {
  debug(message: string, fields?: Record<string, JsonValue>): void;
  info(message: string, fields?: Record<string, JsonValue>): void;
  warn(message: string, fields?: Record<string, JsonValue>): void;
  error(message: string, fields?: Record<string, JsonValue>): void;
}

export type ResourceValues<Res> = {
  readonly [N in keyof Res]: Res[N] extends ResourceDefinition<string, infer T> ? T : never;
};

/** How an asset's value is stored: JSON (default), raw bytes, or files the step writes itself. */
export type IoFormat = 'json' | 'bytes' | 'files';

/** What a downstream asset receives for an upstream stored with `io: 'files'`. */
export interface FileArtefact {
  /** Absolute path of the stored file or directory. Read it; never modify it. */
  readonly path: string;
  readonly type: 'file' | 'directory';
}

/** The partition a step materializes: `ctx.partition`. */
export interface PartitionInfo {
  /** e.g. `2024-03-01`, `CA`, `2024-03-01|ATT-03`. */
  readonly key: string;
  /** Time windows (and the time dimension of multi partitions): the window `[start, end)`. */
  readonly start?: Date;
  readonly end?: Date;
  /** Multi partitions: the key of each dimension by name. */
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** The consecutive partitions a `single-run` step materializes: `ctx.partitions`. */
export interface PartitionRangeInfo {
  /** In partition order. */
  readonly keys: readonly string[];
  /** Time windows: from the start of the first window to the end of the last. */
  readonly start?: Date;
  readonly end?: Date;
}

/**
 * Dynamic partitions a step can change: add the stations or agencies it discovered; they
 * are recorded with the step's materialization.
 */
export interface DynamicPartitionsEditor {
  add(name: string, keys: readonly string[]): void;
  remove(name: string, keys: readonly string[]): void;
}

interface BaseContext<Res> {
  readonly key: string;
  readonly runId: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  readonly resources: ResourceValues<Res>;
  readonly log: StepLogger;
  /** Aborted when the run is cancelled (Ctrl-C): pass it to fetch() and long loops. */
  readonly signal: AbortSignal;
  /** Add or remove keys of dynamic partitions (recorded when this step succeeds). */
  readonly dynamicPartitions: DynamicPartitionsEditor;
  /** Attach metadata (row counts, bounds, a preview) to this materialization. */
  addMetadata(entries: Metadata): void;
  /**
   * Use your own data version instead of the SHA-256 of the stored bytes, e.g. when the
   * bytes embed a timestamp but the content is logically the same.
   */
  setDataVersion(version: string): void;
}

/** An asset partition's current materialization, as `ctx.previous()` gives it. */
export interface PreviousMaterialization<T = unknown> {
  /** The value downstream steps read: JSON, bytes, or a `FileArtefact` for `io: 'files'`. */
  readonly value: T;
  readonly dataVersion: string;
  readonly codeVersion: string;
  readonly materializedAt: Date;
  /** The data version of each input it read, by asset key. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** What `materialize` receives as its first argument. */
export type AssetContext<
  Res = Record<never, never>,
  IO extends IoFormat = IoFormat,
  P extends PartitionsDefinition | undefined = PartitionsDefinition | undefined,
> = BaseContext<Res> & {
  /** The partition this step materializes; undefined for an unpartitioned asset. */
  readonly partition: P extends PartitionsDefinition ? PartitionInfo : PartitionInfo | undefined;
  /**
   * This asset partition's current materialization (the newest that passed its blocking
   * checks), for incremental work: update it instead of rebuilding. Undefined on the first
   * run, when its artefact cannot be read (said in the step's log), and when `weir verify
   * --reproduce` re-runs the step, which therefore proves that the incremental result equals
   * a full rebuild. A `files` value is a path to read or copy, never to change.
   */
  previous<T = unknown>(): Promise<PreviousMaterialization<T> | undefined>;
  /**
   * This step's code version. An incremental step whose stored format or logic changed can
   * compare it with `previous.codeVersion` and rebuild instead of updating.
   */
  readonly codeVersion: string;
} & (IO extends 'files'
    ? {
        /**
         * Where the step writes its artefact: a file or a directory at this path (it does not
         * exist yet; its parent does). Weir hashes it and moves it into the store.
         */
        readonly outputPath: string;
      }
    : Record<never, never>);

/** What a `single-run` step receives as its first argument. */
export type RangeAssetContext<Res = Record<never, never>> = BaseContext<Res> & {
  readonly partitions: PartitionRangeInfo;
};
