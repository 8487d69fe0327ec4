/**
 * @module storage
 * The event log: the interface, its events, and the embedded SQLite implementation.
 */
export * from './event-log.js';
export * from './events.js';
export { SqliteEventLog, type SqliteEventLogOptions } from './sqlite/sqlite-event-log.js';
