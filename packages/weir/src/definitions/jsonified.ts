/**
 * @module definitions/jsonified
 * What a value becomes after a JSON round trip: the type a `json` asset's downstream
 * receives. `Date` (anything with `toJSON`) becomes what `toJSON` returns, functions,
 * symbols and `undefined` properties disappear, `undefined` in arrays becomes `null`.
 * Plain data is left exactly as it is. Values JSON would store lossily (a Map or Set as `{}`,
 * a typed array as an object of indices, a Promise as `{}`) are refused when the asset
 * returns them, at compile time where the type shows them (`JsonStorable`) and always at run
 * time; their type here is a marker no reader can use. A type that is JSON already (such as
 * a recursive JSON alias) is left as it is.
 */
import type { JsonValue } from './metadata.js';

export type Jsonified<T> = T extends JsonValue
  ? T
  : T extends { toJSON(): infer J }
    ? Jsonified<J>
    : T extends string | number | boolean | null
      ? T
      : T extends bigint | symbol | undefined | ((...args: never[]) => unknown)
        ? never
        : T extends NotJson
          ? NotStorableAsJson<NotJsonName<T>>
          : T extends readonly unknown[]
            ? { [I in keyof T]: JsonifiedElement<T[I]> }
            : T extends object
              ? { [K in keyof T as DroppedKey<T, K>]: Jsonified<T[K]> }
              : never;

/** In arrays, values JSON cannot hold become `null`. */
type JsonifiedElement<T> = T extends undefined | symbol | ((...args: never[]) => unknown)
  ? null
  : Jsonified<T>;

/** Keys whose value JSON drops (symbols, functions, always-undefined) are left out. */
type DroppedKey<T, K extends keyof T> = K extends symbol
  ? never
  : [T[K]] extends [undefined | symbol | ((...args: never[]) => unknown)]
    ? never
    : K;

/** Objects whose JSON form loses their content (see artefacts/_json-problems.ts). */
type NotJson =
  | ReadonlyMap<unknown, unknown>
  | ReadonlySet<unknown>
  | WeakMap<object, unknown>
  | WeakSet<object>
  | PromiseLike<unknown>
  | RegExp
  | Error
  | ArrayBuffer
  | ArrayBufferView;

type NotJsonName<T> =
  T extends ReadonlyMap<unknown, unknown>
    ? 'a Map (return Object.fromEntries(map))'
    : T extends ReadonlySet<unknown>
      ? 'a Set (return [...set])'
      : T extends PromiseLike<unknown>
        ? 'a Promise (await it)'
        : T extends ArrayBuffer | ArrayBufferView
          ? "binary data (use io: 'bytes', or Array.from)"
          : 'an object JSON stores as {}';

/** What a downstream receives where its upstream returned something a `json` asset refuses. */
export interface NotStorableAsJson<What extends string> {
  readonly 'weir: not storable as JSON': What;
}

/** How deep `JsonStorable` looks into a returned type (deeper values are checked at run time). */
type Depth = [0, 0, 0, 0, 0];

/** The first lossy part of `T` within `Depth` levels, as a message; never when there is none. */
type Refused<T, D extends unknown[] = []> = unknown extends T
  ? never
  : T extends JsonValue
    ? never
    : D['length'] extends Depth['length']
      ? never
      : T extends { toJSON(): unknown }
        ? never
        : T extends NotJson
          ? NotJsonName<T>
          : T extends readonly unknown[]
            ? Refused<T[number], [...D, 0]>
            : T extends object
              ? Refused<T[keyof T], [...D, 0]>
              : never;

/**
 * Added to a `json` asset's spec: when its return type `R` holds a Map, Set, Promise or binary
 * data, `materialize` does not compile, with a message saying what to return instead.
 */
export type JsonStorable<IO, R> = IO extends 'json'
  ? unknown extends R
    ? unknown
    : [Refused<Awaited<R>>] extends [never]
      ? unknown
      : { materialize: `a json asset cannot return ${Refused<Awaited<R>>}` }
  : unknown;
