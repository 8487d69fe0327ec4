/**
 * @module execution/_step-logger
 * `ctx.log`: a logger whose entries go to the event log and to whoever watches the run.
 */
import {
  type JsonValue,
  jsonProblem,
  type LogLevel,
  type StepLogger,
} from '../definitions/index.js';

export interface LogEntry {
  level: LogLevel;
  message: string;
  fields?: Record<string, JsonValue>;
  timestamp: number;
}

/** A logger that collects entries for the event log and hands each to `onEntry` as it comes. */
export function bufferedLogger(onEntry: (entry: LogEntry) => void): StepLogger {
  const log =
    (level: LogLevel) =>
    (message: string, fields?: Record<string, JsonValue>): void => {
      const entry: LogEntry = { level, message: String(message), timestamp: Date.now() };
      if (fields !== undefined) {
        const problem = jsonProblem(fields);
        if (problem !== undefined)
          throw new TypeError(`ctx.log.${level}(): fields that are not JSON: ${problem}`);
        entry.fields = fields;
      }
      onEntry(entry);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
