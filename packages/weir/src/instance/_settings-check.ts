/**
 * @module instance/_settings-check
 * Checks an instance settings object (`weir.instance.ts`'s default export, the project's
 * `instance` field) field by field: an unknown name with "did you mean", a value of the wrong
 * type or out of range, each naming where it was written and what is expected.
 */
import {
  INSTANCE_SETTING_KEYS,
  type InstanceSettings,
  type PostgresSettings,
  type S3Settings,
} from '../definitions/index.js';
import { didYouMean, EnvironmentError } from '../errors.js';

export type CheckedSettings = InstanceSettings;

const MiB = 1024 * 1024;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The settings in `value`, checked; `where` names its source in messages. */
export function checkSettings(
  value: unknown,
  where: string,
): { where: string; values: CheckedSettings } {
  const settings = object(value, where, INSTANCE_SETTING_KEYS.instance);
  const values: CheckedSettings = {};
  const dir = text(settings.dir, where, 'dir', 'a folder, relative to the project file');
  if (dir !== undefined) values.dir = dir;
  const database = text(
    settings.database,
    where,
    'database',
    'postgres://USER:PASSWORD@HOST:5432/DATABASE, sqlite:PATH or a path',
  );
  if (database !== undefined) values.database = database;
  const artefacts = text(
    settings.artefacts,
    where,
    'artefacts',
    's3://BUCKET/PREFIX or a local folder',
  );
  if (artefacts !== undefined) values.artefacts = artefacts;
  if (settings.durability !== undefined) {
    if (settings.durability !== 'normal' && settings.durability !== 'full') {
      throw invalid(where, 'durability', `'normal' or 'full'`, settings.durability);
    }
    values.durability = settings.durability;
  }
  if (settings.postgres !== undefined) values.postgres = postgres(settings.postgres, where);
  if (settings.s3 !== undefined) values.s3 = s3(settings.s3, where);
  return { where, values };
}

function postgres(value: unknown, where: string): PostgresSettings {
  const section = object(value, `${where} postgres`, INSTANCE_SETTING_KEYS.postgres);
  const out: PostgresSettings = {};
  if (section.schema !== undefined) {
    if (typeof section.schema !== 'string' || !SCHEMA_NAME.test(section.schema)) {
      throw invalid(
        where,
        'postgres.schema',
        'a schema name (letters, digits and _, not starting with a digit)',
        section.schema,
      );
    }
    out.schema = section.schema;
  }
  if (section.maxConnections !== undefined) {
    out.maxConnections = integer(section.maxConnections, where, 'postgres.maxConnections', 1, 1000);
  }
  return out;
}

function s3(value: unknown, where: string): S3Settings {
  const section = object(value, `${where} s3`, INSTANCE_SETTING_KEYS.s3);
  const out: S3Settings = {};
  const endpoint = text(section.endpoint, where, 's3.endpoint', 'http(s)://HOST:PORT');
  if (endpoint !== undefined) out.endpoint = endpoint;
  const region = text(section.region, where, 's3.region', 'a region name (eu-west-1)');
  if (region !== undefined) out.region = region;
  for (const key of ['forcePathStyle', 'directPut'] as const) {
    if (section[key] === undefined) continue;
    if (typeof section[key] !== 'boolean')
      throw invalid(where, `s3.${key}`, 'true or false', section[key]);
    out[key] = section[key];
  }
  if (section.partSize !== undefined) {
    out.partSize = integer(section.partSize, where, 's3.partSize', 5 * MiB, 5 * 1024 * MiB);
  }
  return out;
}

function object<K extends string>(
  value: unknown,
  where: string,
  keys: readonly K[],
): Partial<Record<K, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EnvironmentError(
      'E_USAGE',
      `${where} must be an object of settings, got ${shown(value)}`,
      {
        hint: `settings: ${keys.join(', ')} (docs/instance.md)`,
      },
    );
  }
  for (const key of Object.keys(value)) {
    if ((keys as readonly string[]).includes(key)) continue;
    throw new EnvironmentError('E_USAGE', `${where}: unknown setting '${key}'`, {
      hint: didYouMean(key, keys) ?? `settings: ${keys.join(', ')} (docs/instance.md)`,
    });
  }
  return value as Partial<Record<K, unknown>>;
}

function text(value: unknown, where: string, key: string, form: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw invalid(where, key, form, value);
  return value.trim();
}

function integer(value: unknown, where: string, key: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(where, key, `a whole number from ${min} to ${max}`, value);
  }
  return value;
}

function invalid(where: string, key: string, form: string, value: unknown): EnvironmentError {
  return new EnvironmentError('E_USAGE', `${where}: ${key} must be ${form}, got ${shown(value)}`);
}

function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
