/**
 * @module artefacts/_json-problems
 * Finds the first part of a value that JSON would not store faithfully (a non-finite number,
 * a Map, a Set, a typed array, a Promise …): `JSON.stringify` silently turns those into
 * `null` or `{}`, so a `json` asset refuses them and names where they are.
 */

export interface JsonProblem {
  /** Where in the value, e.g. `rows[3].stageM` (`''` for the value itself). */
  path: string;
  /** What is there, e.g. `NaN`, `a Map`. */
  what: string;
  /** How to store it instead. */
  hint: string;
}

/**
 * How deep a stored value may nest. Every tool that reads it back recurses (JSON.stringify for
 * `weir value`, a reader's own code), and some run out of stack a few thousand levels down.
 */
export const MAX_JSON_DEPTH = 1_000;

const NUMBER_HINT =
  'JSON has no NaN or Infinity (JSON.stringify would store null): use null for a missing value, or a string';

/** Classes whose JSON form loses their content, with what to return instead. */
const LOSSY: ReadonlyArray<readonly [abstract new (...args: never[]) => object, string, string]> = [
  [Map, 'a Map', 'return Object.fromEntries(map) (or [...map] for non-string keys)'],
  [Set, 'a Set', 'return [...set]'],
  [WeakMap, 'a WeakMap', 'return plain data'],
  [WeakSet, 'a WeakSet', 'return plain data'],
  [Promise, 'a Promise', 'await it first'],
  [RegExp, 'a RegExp', 'return its source string'],
  [Error, 'an Error', 'return { message: error.message } or let the step throw'],
  [ArrayBuffer, 'an ArrayBuffer', "use io: 'bytes' for binary data"],
];

/**
 * The first part of `value` that JSON cannot store faithfully, or undefined when the JSON text
 * means exactly what was returned (up to what `Jsonified<T>` promises: `toJSON` applied,
 * functions, symbols and `undefined` properties dropped). `cyclic` guards against cycles for
 * values JSON.stringify has not already accepted.
 */
export function findJsonProblem(value: unknown, cyclic = false): JsonProblem | undefined {
  const ancestors = cyclic ? new Set<object>() : undefined;
  return visit(value, '', '', ancestors, 0);
}

function visit(
  value: unknown,
  key: string,
  path: string,
  ancestors: Set<object> | undefined,
  depth: number,
  /** False for what a toJSON returned: JSON.stringify calls it once, not on its result. */
  applyToJSON = true,
): JsonProblem | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { path, what: String(value), hint: NUMBER_HINT };
  }
  if (typeof value === 'bigint') {
    return { path, what: 'a bigint', hint: 'convert it with Number() or String()' };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) {
    return {
      path: path.length > 80 ? `${path.slice(0, 80)}…` : path,
      what: `nested more than ${MAX_JSON_DEPTH.toLocaleString('en')} levels deep`,
      hint: "flatten it (rows, or ids that refer to each other), or use io: 'bytes' with a format of your own",
    };
  }
  if (Array.isArray(value)) return visitChildren(value, path, ancestors, true, depth);
  if (value instanceof Date && Number.isNaN(value.getTime())) {
    return { path, what: 'an invalid Date', hint: 'JSON would store null: check the date' };
  }
  // JSON.stringify stores what toJSON gives, on a plain object as on a class instance.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (applyToJSON && typeof toJSON === 'function') {
    return visit(
      (toJSON as (key: string) => unknown).call(value, key),
      key,
      path,
      ancestors,
      depth,
      false,
    );
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    const lossy = lossyClass(value);
    if (lossy !== undefined) return { path, ...lossy };
  }
  return visitChildren(value as Record<string, unknown>, path, ancestors, false, depth);
}

function visitChildren(
  value: Record<string, unknown> | unknown[],
  path: string,
  ancestors: Set<object> | undefined,
  array: boolean,
  depth: number,
): JsonProblem | undefined {
  if (ancestors?.has(value)) {
    return { path, what: 'a circular reference', hint: 'return a tree, not a graph' };
  }
  ancestors?.add(value);
  let found: JsonProblem | undefined;
  if (array) {
    const items = value as unknown[];
    for (let i = 0; i < items.length && found === undefined; i++) {
      found = visit(items[i], String(i), `${path}[${i}]`, ancestors, depth + 1);
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      found = visit(record[key], key, join(path, key), ancestors, depth + 1);
      if (found !== undefined) break;
    }
  }
  ancestors?.delete(value);
  return found;
}

function lossyClass(value: object): Omit<JsonProblem, 'path'> | undefined {
  if (ArrayBuffer.isView(value)) {
    return {
      what: `a ${value.constructor.name}`,
      hint: "use Array.from(…) for numbers, or io: 'bytes' for binary data",
    };
  }
  for (const [kind, what, hint] of LOSSY) {
    if (value instanceof kind) return { what, hint };
  }
  return undefined;
}

function join(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}
