/**
 * @module definitions/instance-settings
 * What an instance is made of, as a project (`defineProject({ instance })`) or a deployment's
 * `weir.instance.ts` says it: where the event log and the artefacts live. Definitions never
 * name a server; only these settings (or the environment: `WEIR_DATABASE_URL`,
 * `WEIR_ARTEFACTS`) change between a laptop and a cluster. Checked and resolved by
 * `instance/` (docs/instance.md).
 */
import { optionKeys } from './option-keys.js';

/** Where a deployment keeps its event log and artefacts (relative paths are from the project file). */
export interface InstanceSettings {
  /**
   * This machine's instance folder: the embedded event log (`events.db`) and artefacts
   * (`artefacts/`) unless `database` or `artefacts` say otherwise, and local caches. Default
   * `.weir`.
   */
  dir?: string;
  /**
   * The event log: `postgres://user:password@host:5432/db` (or `postgresql://`; `?schema=NAME`
   * picks the schema, `weir` by default; needs `@weir/postgres` in the project), or
   * `sqlite:PATH` / a path to a SQLite file. Default `<dir>/events.db`.
   * `WEIR_DATABASE_URL` overrides it.
   */
  database?: string;
  /**
   * The artefact store: `s3://bucket/prefix` (needs `@weir/s3` in the project) or a local
   * folder. Default `<dir>/artefacts`. `WEIR_ARTEFACTS` overrides it.
   */
  artefacts?: string;
  /**
   * How durable a recorded event is: `full` survives power loss (an fsync, or PostgreSQL's
   * synchronous commit, per write), `normal` survives a killed process. Default: SQLite
   * `normal`, PostgreSQL `full`.
   */
  durability?: 'normal' | 'full';
  /** Settings of a PostgreSQL event log. */
  postgres?: PostgresSettings;
  /** Settings of an S3 artefact store. */
  s3?: S3Settings;
}

export interface PostgresSettings {
  /** The schema holding the log's tables (default `weir`); the URL's `?schema=` wins. */
  schema?: string;
  /** Pooled connections per process (default 4). */
  maxConnections?: number;
}

export interface S3Settings {
  /**
   * An S3-compatible server (`http://minio.internal:9000`); AWS S3 when omitted.
   * `WEIR_S3_ENDPOINT` (then `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`) overrides it.
   */
  endpoint?: string;
  /** The bucket's region; `AWS_REGION` (or `AWS_DEFAULT_REGION`) overrides it. */
  region?: string;
  /** Path-style requests (`endpoint/bucket/key`); default true with an endpoint, false without. */
  forcePathStyle?: boolean;
  /** Upload small artefacts straight to their address: only for servers whose PUT is atomic (AWS S3, MinIO). */
  directPut?: boolean;
  /** Artefacts larger than this many bytes are uploaded in parts of this size (min 5 MiB, default 16 MiB). */
  partSize?: number;
}

/** The names each settings object accepts (the compiler keeps them in step with the types). */
export const INSTANCE_SETTING_KEYS = {
  instance: optionKeys<InstanceSettings>({
    dir: true,
    database: true,
    artefacts: true,
    durability: true,
    postgres: true,
    s3: true,
  }),
  postgres: optionKeys<PostgresSettings>({ schema: true, maxConnections: true }),
  s3: optionKeys<S3Settings>({
    endpoint: true,
    region: true,
    forcePathStyle: true,
    directPut: true,
    partSize: true,
  }),
} as const;
