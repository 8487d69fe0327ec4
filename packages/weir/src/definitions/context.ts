import type { JsonValue, Metadata } from './metadata.js';
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

interface BaseContext<Res> {
  readonly key: string;
  readonly runId: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  readonly resources: ResourceValues<Res>;
  readonly log: StepLogger;
  /** Aborted when the run is cancelled (Ctrl-C): pass it to fetch() and long loops. */
  readonly signal: AbortSignal;
  /** Attach metadata (row counts, bounds, a preview) to this materialization. */
  addMetadata(entries: Metadata): void;
  /**
   * Use your own data version instead of the SHA-256 of the stored bytes, e.g. when the
   * bytes embed a timestamp but the content is logically the same.
   */
  setDataVersion(version: string): void;
}

/** What `materialize` receives as its first argument. */
export type AssetContext<
  Res = Record<never, never>,
  IO extends IoFormat = IoFormat,
> = BaseContext<Res> &
  (IO extends 'files'
    ? {
        /**
         * Where the step writes its artefact: a file or a directory at this path (it does not
         * exist yet; its parent does). Weir hashes it and moves it into the store.
         */
        readonly outputPath: string;
      }
    : Record<never, never>);
