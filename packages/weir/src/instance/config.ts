/**
 * @module instance/config
 * An instance's configuration, resolved from where it can be said, most specific first: the
 * environment (`WEIR_DATABASE_URL`, `WEIR_ARTEFACTS`, `WEIR_S3_ENDPOINT` and the AWS
 * variables), a deployment's `weir.instance.ts`, the project's `instance` field; each setting
 * comes from the first that says it. The result is plain data (a supervising thread receives
 * it to renew leases), with where each part came from, for messages and `weir doctor`.
 */
import { basename, dirname, join, relative, resolve } from 'node:path';
import { sha256 } from '../hash.js';
import { parseArtefacts, parseDatabase } from './_locations.js';
import { type CheckedSettings, checkSettings } from './_settings-check.js';
import { checkVariableNames } from './_variables.js';

/** Where an instance's settings come from, before they are checked. */
export interface InstanceSources {
  /** The project file: relative paths start at its folder, and backends are resolved from it. */
  projectFile: string;
  /** The environment (`process.env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** A deployment's `weir.instance.ts`: its default export, unchecked. */
  file?: { path: string; settings: unknown };
  /** The project's `instance` field, unchecked. */
  project?: unknown;
}

export type Durability = 'normal' | 'full';

export type EventLogConfig =
  | { kind: 'sqlite'; path: string; durability?: Durability; from: string }
  | {
      kind: 'postgres';
      /** The connection string without Weir's own `schema` parameter. */
      url: string;
      schema: string;
      maxConnections?: number;
      durability?: Durability;
      from: string;
      /** For messages: the server and database (never the password). */
      host: string;
      port: number;
      database: string;
      user: string | undefined;
    };

export type ArtefactsConfig =
  | { kind: 'local'; path: string; from: string }
  | {
      kind: 's3';
      bucket: string;
      /** Empty, or ends with `/`. */
      prefix: string;
      endpoint?: string;
      /** Where the endpoint was said. */
      endpointFrom?: string;
      region?: string;
      forcePathStyle: boolean;
      directPut?: boolean;
      partSize?: number;
      /** The store's local folder (steps' outputs in flight, verified downloads). */
      cacheDir: string;
      from: string;
    };

/** A resolved, checked instance configuration. */
export interface InstanceConfig {
  projectFile: string;
  /** This machine's instance folder (absolute). */
  dir: string;
  eventLog: EventLogConfig;
  artefacts: ArtefactsConfig;
  /** Exactly the embedded preset: `<dir>/events.db` and `<dir>/artefacts`. */
  embedded: boolean;
}

/**
 * Checks every source and resolves the instance. Throws an `EnvironmentError` (`E_USAGE`)
 * naming the variable, file or field that is wrong and the form it expects.
 */
export function resolveInstanceConfig(sources: InstanceSources): InstanceConfig {
  const root = dirname(sources.projectFile);
  checkVariableNames(sources.env);
  // Most specific first; `field` names a setting in messages.
  const settings: Array<{ values: CheckedSettings; field: (key: string) => string }> = [];
  if (sources.file !== undefined) {
    const where = relativeName(sources.file.path, root);
    const { values } = checkSettings(sources.file.settings, where);
    settings.push({ values, field: (key) => `${where} ${key}` });
  }
  const where = `${basename(sources.projectFile)} instance`;
  const { values } = checkSettings(sources.project ?? {}, where);
  settings.push({ values, field: (key) => `${where}.${key}` });

  const pick = <K extends keyof CheckedSettings>(key: K) => {
    for (const source of settings) {
      const value = source.values[key];
      if (value !== undefined) return { value, from: source.field(key) };
    }
    return undefined;
  };
  const nested = <S extends 'postgres' | 's3', K extends keyof NonNullable<CheckedSettings[S]>>(
    section: S,
    key: K,
  ) => {
    for (const source of settings) {
      const value = (source.values[section] as NonNullable<CheckedSettings[S]> | undefined)?.[key];
      if (value !== undefined) return { value, from: source.field(`${section}.${String(key)}`) };
    }
    return undefined;
  };

  const dirSetting = pick('dir');
  const dir = resolve(root, dirSetting?.value ?? '.weir');

  const database = fromEnv(sources.env, 'WEIR_DATABASE_URL') ?? pick('database');
  const eventLog = parseDatabase(database, {
    root,
    dir,
    durability: pick('durability')?.value,
    schema: nested('postgres', 'schema')?.value,
    maxConnections: nested('postgres', 'maxConnections')?.value,
  });

  const artefactsSetting = fromEnv(sources.env, 'WEIR_ARTEFACTS') ?? pick('artefacts');
  const artefacts = parseArtefacts(artefactsSetting, {
    root,
    dir,
    env: sources.env,
    s3: {
      endpoint: nested('s3', 'endpoint'),
      region: nested('s3', 'region')?.value,
      forcePathStyle: nested('s3', 'forcePathStyle')?.value,
      directPut: nested('s3', 'directPut')?.value,
      partSize: nested('s3', 'partSize')?.value,
    },
  });

  const embedded =
    eventLog.kind === 'sqlite' &&
    eventLog.path === join(dir, 'events.db') &&
    artefacts.kind === 'local' &&
    artefacts.path === join(dir, 'artefacts');
  return {
    projectFile: sources.projectFile,
    dir,
    eventLog,
    artefacts,
    embedded,
  };
}

/** The event log as messages name it: a path, or the server without the password. */
export function eventLogLabel(config: EventLogConfig): string {
  if (config.kind === 'sqlite') return config.path;
  const user = config.user === undefined ? '' : `${config.user}@`;
  return `postgres://${user}${config.host}:${config.port}/${config.database} (schema ${config.schema})`;
}

/** The artefact store as messages name it. */
export function artefactsLabel(config: ArtefactsConfig): string {
  if (config.kind === 'local') return config.path;
  const at = config.endpoint === undefined ? '' : ` at ${config.endpoint}`;
  return `s3://${config.bucket}/${config.prefix}${at}`;
}

/** The instance in one phrase: its folder when embedded, else its log and its store. */
export function instanceLabel(config: InstanceConfig): string {
  return config.embedded
    ? config.dir
    : `${eventLogLabel(config.eventLog)} + ${artefactsLabel(config.artefacts)}`;
}

/** A short stable id of the event log, for this machine's caches of what it holds. */
export function eventLogId(config: EventLogConfig): string {
  return sha256(eventLogLabel(config)).slice(0, 12);
}

function fromEnv(
  env: InstanceSources['env'],
  name: string,
): { value: string; from: string } | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : { value, from: name };
}

function relativeName(path: string, root: string): string {
  const name = relative(root, path);
  return name === '' || name.startsWith('..') ? path : name;
}
