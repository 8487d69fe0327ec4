/**
 * @module definitions/notification
 * Notifications: how an on-call person hears that an obligation was missed (a failed step,
 * an overdue asset). Definitions only: the daemon sends them.
 */
import { DefinitionError, didYouMean } from '../errors.js';
import { optionKeys } from './option-keys.js';

/**
 * Run a command (`argv`, no shell; the event is passed as JSON on stdin and in
 * `WEIR_NOTIFICATION`), or POST the event as JSON to a URL with optional headers.
 */
export type Notification =
  | { readonly command: readonly string[] }
  | { readonly url: string; readonly headers?: Readonly<Record<string, string>> };

/** When to notify: one notification or several per occasion. */
export interface NotificationSpec {
  /** A step (or a source's observation) failed. */
  onFailure?: Notification | readonly Notification[];
  /** An asset's freshness policy is violated. */
  onOverdue?: Notification | readonly Notification[];
}

/** `NotificationSpec` as stored on definitions: always lists. */
export interface Notifications {
  readonly onFailure: readonly Notification[];
  readonly onOverdue: readonly Notification[];
}

const COMMAND_KEYS = optionKeys<Extract<Notification, { command: unknown }>>({ command: true });
const URL_KEYS = optionKeys<Extract<Notification, { url: string }>>({ url: true, headers: true });
const SPEC_KEYS = optionKeys<NotificationSpec>({ onFailure: true, onOverdue: true });

/**
 * Checks one occasion's notifications (`onFailure`, `onOverdue`), naming `owner` in errors.
 *
 * @example
 * validateNotifications({ url: 'https://hooks.example.org/weir' }, "asset 'gauges/peaks' onFailure");
 */
export function validateNotifications(value: unknown, owner: string): Notification[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry, i) => validateOne(entry, list.length > 1 ? `${owner}[${i}]` : owner));
}

/** Checks `{ onFailure?, onOverdue? }` as a project or an asset declares it. */
export function validateNotificationSpec(spec: unknown, owner: string): Notifications {
  if (spec === undefined) return { onFailure: [], onOverdue: [] };
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new DefinitionError('E_DEFINITION', `${owner} notifications must be an object`, {
      hint: "write { onFailure: { url: '…' }, onOverdue: { command: ['notify-send', 'weir'] } }",
    });
  }
  for (const key of Object.keys(spec)) unknownOption(key, SPEC_KEYS, `${owner} notifications`);
  const { onFailure, onOverdue } = spec as NotificationSpec;
  return {
    onFailure: validateNotifications(onFailure, `${owner} onFailure`),
    onOverdue: validateNotifications(onOverdue, `${owner} onOverdue`),
  };
}

function validateOne(entry: unknown, owner: string): Notification {
  const fail = (why: string): never => {
    throw new DefinitionError('E_DEFINITION', `${owner}: ${why}`, {
      hint: "write { command: ['notify-send', 'weir'] } or { url: 'https://…', headers: { … } }",
    });
  };
  if (typeof entry !== 'object' || entry === null) return fail('a notification is an object');
  const record = entry as Record<string, unknown>;
  if ('command' in record) {
    for (const key of Object.keys(record)) unknownOption(key, COMMAND_KEYS, owner);
    const command = record.command;
    if (
      !Array.isArray(command) ||
      command.length === 0 ||
      !command.every((part) => typeof part === 'string') ||
      command[0] === ''
    ) {
      return fail('command must be a non-empty array of strings, the program first');
    }
    return { command: [...(command as string[])] };
  }
  if ('url' in record) {
    for (const key of Object.keys(record)) unknownOption(key, URL_KEYS, owner);
    const url = record.url;
    if (typeof url !== 'string' || !/^https?:$/.test(safeProtocol(url))) {
      return fail(`url must be an http:// or https:// URL, got ${JSON.stringify(url)}`);
    }
    const headers = record.headers;
    if (headers === undefined) return { url };
    if (
      typeof headers !== 'object' ||
      headers === null ||
      Array.isArray(headers) ||
      !Object.values(headers).every((v) => typeof v === 'string')
    ) {
      return fail('headers must be an object of strings');
    }
    return { url, headers: { ...(headers as Record<string, string>) } };
  }
  return fail(
    `expected { command } or { url }, got keys ${Object.keys(record).join(', ') || '(none)'}`,
  );
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

function unknownOption(key: string, known: readonly string[], owner: string): void {
  if (known.includes(key)) return;
  throw new DefinitionError('E_DEFINITION', `${owner} has an unknown option '${key}'`, {
    hint: didYouMean(key, known) ?? `options are: ${known.join(', ')}`,
  });
}
