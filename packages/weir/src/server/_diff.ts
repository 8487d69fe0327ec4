/**
 * @module server/_diff
 * What moved between two materializations of an asset: the answer to "why did this change?"
 * in parts a person can read — the data version, the code version (and which of its parts),
 * each input (from which version to which), the config, and the metadata (numbers with their
 * change, schema columns added, removed or retyped).
 */
import type { JsonValue } from '../definitions/index.js';
import type { MaterializationEvent } from '../storage/index.js';

export interface Change<T> {
  from: T | undefined;
  to: T | undefined;
}

export interface MaterializationDiff {
  from: number;
  to: number;
  dataVersion: Change<string> & { changed: boolean };
  codeVersion: Change<string> & { changed: boolean };
  /** Parts of a derived code version that were added, removed or changed (by name). */
  codeParts: Array<{ part: string } & Change<string>>;
  configChanged: boolean;
  /** Each upstream whose version moved, was added or was removed. */
  inputs: Array<{
    key: string;
    change: 'moved' | 'added' | 'removed';
    from: { dataVersion: string; eventId: number } | undefined;
    to: { dataVersion: string; eventId: number } | undefined;
  }>;
  /** Metadata entries that differ; `delta` for numbers. */
  metadata: Array<{
    name: string;
    from: JsonValue | undefined;
    to: JsonValue | undefined;
    delta?: number;
  }>;
  /** From `metadata.schema.columns` (as `schemaCheck` and `inferSchema` record it). */
  schema: {
    added: Array<{ column: string; type: string }>;
    removed: Array<{ column: string; type: string }>;
    retyped: Array<{ column: string; from: string; to: string }>;
  };
}

export function diffMaterializations(
  older: MaterializationEvent,
  newer: MaterializationEvent,
): MaterializationDiff {
  const a = older.materialization;
  const b = newer.materialization;
  return {
    from: older.id,
    to: newer.id,
    dataVersion: {
      from: a.dataVersion,
      to: b.dataVersion,
      changed: a.dataVersion !== b.dataVersion,
    },
    codeVersion: {
      from: a.codeVersion,
      to: b.codeVersion,
      changed: a.codeVersion !== b.codeVersion,
    },
    codeParts: changedEntries(a.codeParts ?? {}, b.codeParts ?? {}).map(([part, from, to]) => ({
      part,
      from,
      to,
    })),
    configChanged: a.configHash !== b.configHash,
    inputs: inputChanges(a.inputs, b.inputs),
    metadata: metadataChanges(a.metadata, b.metadata),
    schema: schemaChanges(columnsOf(a.metadata), columnsOf(b.metadata)),
  };
}

function changedEntries<T>(
  a: Readonly<Record<string, T>>,
  b: Readonly<Record<string, T>>,
  same: (x: T, y: T) => boolean = (x, y) => x === y,
): Array<[string, T | undefined, T | undefined]> {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return names.flatMap((name): Array<[string, T | undefined, T | undefined]> => {
    const from = Object.hasOwn(a, name) ? a[name] : undefined;
    const to = Object.hasOwn(b, name) ? b[name] : undefined;
    if (from !== undefined && to !== undefined && same(from, to)) return [];
    return [[name, from, to]];
  });
}

function inputChanges(
  a: MaterializationEvent['materialization']['inputs'],
  b: MaterializationEvent['materialization']['inputs'],
): MaterializationDiff['inputs'] {
  const brief = (input: (typeof a)[string] | undefined) =>
    input === undefined ? undefined : { dataVersion: input.dataVersion, eventId: input.eventId };
  return changedEntries(a, b, (x, y) => x.dataVersion === y.dataVersion).map(([key, from, to]) => ({
    key,
    change: from === undefined ? 'added' : to === undefined ? 'removed' : 'moved',
    from: brief(from),
    to: brief(to),
  }));
}

function metadataChanges(
  a: Readonly<Record<string, JsonValue>>,
  b: Readonly<Record<string, JsonValue>>,
): MaterializationDiff['metadata'] {
  const same = (x: JsonValue, y: JsonValue) => JSON.stringify(x) === JSON.stringify(y);
  return changedEntries(a, b, same)
    .filter(([name]) => name !== 'schema')
    .map(([name, from, to]) => ({
      name,
      from,
      to,
      ...(typeof from === 'number' && typeof to === 'number' ? { delta: to - from } : {}),
    }));
}

function columnsOf(metadata: Readonly<Record<string, JsonValue>>): Record<string, string> {
  const schema = metadata.schema;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return {};
  const columns = schema.columns;
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) return {};
  const result: Record<string, string> = {};
  for (const [name, type] of Object.entries(columns)) result[name] = columnType(type);
  return result;
}

/**
 * A column's type as recorded: `'string'` (inferSchema's form) or `{ type, nullable? }`
 * (schemaCheck's spec form), written as `string` or `string|null`.
 */
function columnType(spec: JsonValue): string {
  if (typeof spec === 'string') return spec;
  if (
    typeof spec === 'object' &&
    spec !== null &&
    !Array.isArray(spec) &&
    typeof spec.type === 'string'
  ) {
    return spec.nullable === true ? `${spec.type}|null` : spec.type;
  }
  return JSON.stringify(spec);
}

function schemaChanges(
  a: Record<string, string>,
  b: Record<string, string>,
): MaterializationDiff['schema'] {
  const schema: MaterializationDiff['schema'] = { added: [], removed: [], retyped: [] };
  for (const [column, from, to] of changedEntries(a, b)) {
    if (from === undefined) schema.added.push({ column, type: to! });
    else if (to === undefined) schema.removed.push({ column, type: from });
    else schema.retyped.push({ column, from, to });
  }
  return schema;
}
