/**
 * @module instance/open-configured
 * Opens the instance a configuration describes (see `config.ts`): the embedded preset when it
 * is exactly that, else an instance assembled from its event log (SQLite or PostgreSQL) and
 * its artefact store (local files or S3), the server backends loaded from the project.
 */
import { join } from 'node:path';
import { type ArtefactStore, LocalArtefactStore } from '../artefacts/index.js';
import { EnvironmentError } from '../errors.js';
import { createInstance, type Instance } from '../execution/index.js';
import type { EventLog } from '../storage/index.js';
import { asWeirError, loadPostgres, loadS3 } from './_backends.js';
import { allWritable, openSqliteLog } from './_local.js';
import { eventLogId, type InstanceConfig } from './config.js';
import { openInstance } from './embedded.js';

/** An opened configured instance; `dir` only for the embedded preset (its status read-ahead). */
export interface ConfiguredInstance extends Instance {
  readonly config: InstanceConfig;
  readonly dir?: string;
}

export interface OpenConfiguredOptions {
  /** Open for reading only; by default, exactly when this process cannot write the local parts. */
  readOnly?: boolean;
}

/** Opens the configured instance; a server it cannot reach fails with what to check. */
export async function openConfiguredInstance(
  config: InstanceConfig,
  options: OpenConfiguredOptions = {},
): Promise<ConfiguredInstance> {
  if (config.embedded) {
    const embedded = openInstance({
      dir: config.dir,
      ...(config.eventLog.durability === undefined
        ? {}
        : { durability: config.eventLog.durability }),
      ...(options.readOnly === undefined ? {} : { readOnly: options.readOnly }),
    });
    return { ...embedded, config };
  }
  const readOnly = options.readOnly ?? !allWritable(localPaths(config));
  const eventLog = await openConfiguredEventLog(config, { readOnly });
  let artefacts: ArtefactStore;
  try {
    artefacts = await openConfiguredArtefacts(config, readOnly);
  } catch (error) {
    await eventLog.close().catch(() => undefined);
    throw error;
  }
  const cacheDir = join(config.dir, 'cache', `log-${eventLogId(config.eventLog)}`);
  return { ...createInstance({ eventLog, artefacts, cacheDir, readOnly }), config };
}

/** Only the configured event log (what a supervising thread needs to renew leases). */
export async function openConfiguredEventLog(
  config: InstanceConfig,
  options: { readOnly?: boolean } = {},
): Promise<EventLog> {
  const log = config.eventLog;
  if (log.kind === 'sqlite') {
    return openSqliteLog(log.path, {
      readOnly: options.readOnly ?? !allWritable([log.path]),
      ...(log.durability === undefined ? {} : { durability: log.durability }),
    });
  }
  const { PostgresEventLog } = await loadPostgres(config.projectFile, log.from);
  try {
    return await PostgresEventLog.open({
      connectionString: log.url,
      schema: log.schema,
      ...(log.maxConnections === undefined ? {} : { maxConnections: log.maxConnections }),
      ...(log.durability === undefined ? {} : { durability: log.durability }),
    });
  } catch (error) {
    throw asWeirError(error);
  }
}

/** Only the configured artefact store (`weir doctor` checks it can be reached). */
export async function openConfiguredArtefacts(
  config: InstanceConfig,
  readOnly = false,
): Promise<ArtefactStore> {
  const store = config.artefacts;
  if (store.kind === 'local') return new LocalArtefactStore(store.path, { readOnly });
  const { S3ArtefactStore } = await loadS3(config.projectFile, store.from);
  try {
    return await S3ArtefactStore.open({
      bucket: store.bucket,
      prefix: store.prefix,
      cacheDir: store.cacheDir,
      clientConfig: {
        ...(store.endpoint === undefined ? {} : { endpoint: store.endpoint }),
        ...(store.region === undefined ? {} : { region: store.region }),
        forcePathStyle: store.forcePathStyle,
      },
      ...(store.directPut === undefined ? {} : { directPut: store.directPut }),
      ...(store.partSize === undefined ? {} : { partSize: store.partSize }),
    });
  } catch (error) {
    throw noRegion(error, store) ?? asWeirError(error);
  }
}

/** The AWS SDK's "Region is missing", said with where a region is set. */
function noRegion(
  error: unknown,
  store: Extract<InstanceConfig['artefacts'], { kind: 's3' }>,
): EnvironmentError | undefined {
  if (!/Region is missing/.test((error as Error)?.message ?? '')) return undefined;
  return new EnvironmentError(
    'E_ARTEFACT',
    `the S3 store s3://${store.bucket}/${store.prefix} (${store.from}) has no region`,
    {
      cause: error,
      hint: 'set AWS_REGION (or s3.region in weir.instance.ts); for an S3-compatible server, set WEIR_S3_ENDPOINT',
    },
  );
}

/** The local paths this process writes for the instance (the folder always: its caches). */
function localPaths(config: InstanceConfig): string[] {
  const paths = [config.dir];
  if (config.eventLog.kind === 'sqlite') paths.push(config.eventLog.path);
  if (config.artefacts.kind === 'local') paths.push(config.artefacts.path);
  return paths;
}
