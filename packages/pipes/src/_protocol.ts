/**
 * @module pipes/_protocol
 * The weir_pipes protocol, Weir's side: the context file it writes for the script and the
 * messages it reads back, one JSON object per line (see pipes/python/weir_pipes.py).
 */
import type { JsonValue, LogLevel, Metadata } from 'weir';

/** The protocol version both sides speak; each refuses another. */
export const PROTOCOL = 1;
export const CONTEXT_ENV = 'WEIR_PIPES_CONTEXT';
export const MESSAGES_ENV = 'WEIR_PIPES_MESSAGES';
/** The script's file descriptor for messages (stdin, stdout, stderr are 0 to 2). */
export const MESSAGES_FD = 3;

/** How an input travels: a JSON value, a path (files and bytes inputs), or one per partition. */
export type InputEntry =
  | { kind: 'value'; value: JsonValue }
  | { kind: 'path'; path: string; type: 'file' | 'directory' }
  | { kind: 'partitions'; values: Record<string, InputEntry> };

/** The context file's content. */
export interface PipesContextFile {
  protocol: number;
  asset_key: string;
  partition: {
    key: string;
    start?: string;
    end?: string;
    dimensions?: Record<string, string>;
  } | null;
  run_id: string;
  attempt: number;
  code_version: string;
  inputs: Record<string, InputEntry>;
  params: Record<string, JsonValue>;
  output_path: string;
}

export interface ScriptError {
  type: string;
  message: string;
  traceback: string;
}

export type Message =
  | { type: 'opened'; client: string; python: string; pid: number }
  | { type: 'log'; level: LogLevel; message: string; fields: Record<string, JsonValue> | undefined }
  | { type: 'metadata'; entries: Metadata }
  | {
      type: 'check';
      name: string;
      passed: boolean;
      message: string | undefined;
      metadata: Metadata | undefined;
    }
  | { type: 'data_version'; version: string }
  | { type: 'output'; value: JsonValue }
  | { type: 'output'; path: string }
  | { type: 'closed'; error: ScriptError | undefined };

/** A line that is not a message of this protocol: `version` when it is another version's. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    message: string,
    readonly version?: unknown,
  ) {
    super(message);
  }
}

const LEVELS: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);

type Fields = Record<string, unknown>;

/** One line of the messages channel, checked. */
export function parseMessage(line: string): Message {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new ProtocolError(`a line that is not JSON: ${preview(line)}`);
  }
  if (!isObject(parsed))
    throw new ProtocolError(`a line that is not a JSON object: ${preview(line)}`);
  if (!('weir_pipes' in parsed)) {
    throw new ProtocolError(`a JSON line without the weir_pipes version: ${preview(line)}`);
  }
  if (parsed.weir_pipes !== PROTOCOL) {
    throw new ProtocolError(
      `a message of weir_pipes protocol ${JSON.stringify(parsed.weir_pipes)}`,
      parsed.weir_pipes,
    );
  }
  const m = parsed;
  switch (m.type) {
    case 'opened':
      return {
        type: 'opened',
        client: text(m, 'client', 'opened'),
        python: text(m, 'python', 'opened'),
        pid: typeof m.pid === 'number' ? m.pid : 0,
      };
    case 'log': {
      const level = m.level;
      if (typeof level !== 'string' || !LEVELS.has(level)) {
        throw new ProtocolError(`a log message with level ${JSON.stringify(level)}`);
      }
      const fields = optionalObject(m, 'fields', 'log');
      return {
        type: 'log',
        level: level as LogLevel,
        message: text(m, 'message', 'log'),
        fields: fields === undefined || Object.keys(fields).length === 0 ? undefined : fields,
      };
    }
    case 'metadata': {
      const entries = optionalObject(m, 'entries', 'metadata');
      if (entries === undefined) throw new ProtocolError('a metadata message without entries');
      return { type: 'metadata', entries };
    }
    case 'check': {
      if (typeof m.passed !== 'boolean') {
        throw new ProtocolError('a check message without a boolean "passed"');
      }
      const message = m.message;
      if (message !== undefined && typeof message !== 'string') {
        throw new ProtocolError('a check message whose "message" is not a string');
      }
      return {
        type: 'check',
        name: text(m, 'name', 'check'),
        passed: m.passed,
        message,
        metadata: optionalObject(m, 'metadata', 'check'),
      };
    }
    case 'data_version':
      return { type: 'data_version', version: text(m, 'version', 'data_version') };
    case 'output':
      if ('path' in m) return { type: 'output', path: text(m, 'path', 'output') };
      if (!('value' in m)) throw new ProtocolError('an output message without a value or path');
      return { type: 'output', value: m.value as JsonValue };
    case 'closed': {
      const error = m.error;
      if (error === undefined || error === null) return { type: 'closed', error: undefined };
      if (!isObject(error))
        throw new ProtocolError('a closed message whose error is not an object');
      return {
        type: 'closed',
        error: {
          type: String(error.type ?? 'Exception'),
          message: String(error.message ?? ''),
          traceback: String(error.traceback ?? ''),
        },
      };
    }
    default:
      throw new ProtocolError(`a message of unknown type ${JSON.stringify(m.type)}`);
  }
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(m: Fields, field: string, type: string): string {
  const value = m[field];
  if (typeof value !== 'string' || value === '') {
    throw new ProtocolError(`a ${type} message without a string "${field}"`);
  }
  return value;
}

function optionalObject(
  m: Fields,
  field: string,
  type: string,
): Record<string, JsonValue> | undefined {
  const value = m[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    throw new ProtocolError(`a ${type} message whose "${field}" is not an object`);
  return value as Record<string, JsonValue>;
}

/** The start of a line, for an error message. */
export function preview(line: string): string {
  const flat = JSON.stringify(line.length > 80 ? `${line.slice(0, 77)}...` : line);
  return flat;
}
