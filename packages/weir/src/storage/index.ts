/**
 * @module storage
 * The event log: the interface, its events, and the embedded SQLite implementation.
 */
export * from './backend-problem.js';
export * from './event-log.js';
export * from './events.js';
export * from './index-rows.js';
export * from './pool-starts.js';
export {
  checkLogFile,
  type LogHealth,
  type LostEvent,
  type RecoveryReport,
  recoverLogFile,
  runningRuns,
} from './sqlite/_recover.js';
export { SqliteEventLog, type SqliteEventLogOptions } from './sqlite/sqlite-event-log.js';
export * from './status-row.js';
