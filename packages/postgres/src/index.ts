/**
 * @module @weir/postgres
 * Weir's event log on PostgreSQL: `PostgresEventLog` implements weir's `EventLog` (and passes
 * its conformance suite) for instances whose processes and machines share one server.
 */
export type { ConnectionOptions } from './_connect.js';
export { PostgresEventLog, type PostgresEventLogOptions } from './postgres-event-log.js';
