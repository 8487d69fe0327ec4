/**
 * @module instance
 * Ready-made instances. `openInstance` is the embedded preset: SQLite in WAL mode and local
 * content-addressed files under one folder, steps run in this process. Other presets
 * (PostgreSQL, S3, workers) are configured here, one line each, over `createInstance`.
 */

export { checkEventLog, eventLogPath, recoverEventLog } from './doctor.js';
export { type EmbeddedInstance, type InstanceOptions, openInstance } from './embedded.js';
