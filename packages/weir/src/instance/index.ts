/**
 * @module instance
 * Ready-made instances. `openInstance` is the embedded preset: SQLite in WAL mode and local
 * content-addressed files under one folder, steps run in this process. An instance
 * configuration (`resolveInstanceConfig`: the environment, `weir.instance.ts`, the project's
 * `instance` field) selects PostgreSQL and S3 instead, opened by `openConfiguredInstance` with
 * the backends loaded from the project (docs/instance.md).
 */

export {
  asWeirError,
  loadQueue,
  type PostgresBackend,
  type QueueBackend,
  type QueueWorkerHandle,
  type S3Backend,
} from './_backends.js';
export { type BackendPackage, backendInstallHint } from './_install-hint.js';
export { INSTANCE_VARIABLES } from './_variables.js';
export {
  type ArtefactsConfig,
  artefactsLabel,
  type EventLogConfig,
  eventLogLabel,
  type InstanceConfig,
  type InstanceSources,
  instanceLabel,
  resolveInstanceConfig,
} from './config.js';
export {
  checkEventLog,
  checkLogAt,
  eventLogPath,
  type PartFailure,
  partFailure,
  recoverEventLog,
  recoverLogAt,
} from './doctor.js';
export { type EmbeddedInstance, type InstanceOptions, openInstance } from './embedded.js';
export {
  type ConfiguredInstance,
  type OpenConfiguredOptions,
  openConfiguredArtefacts,
  openConfiguredEventLog,
  openConfiguredInstance,
} from './open-configured.js';
