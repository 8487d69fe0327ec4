/**
 * What a value becomes after a JSON round trip: the type a `json` asset's downstream
 * receives. `Date` (anything with `toJSON`) becomes what `toJSON` returns, functions,
 * symbols and `undefined` properties disappear, `undefined` in arrays becomes `null`.
 * Plain data is left exactly as it is.
 */
export type Jsonified<T> = T extends { toJSON(): infer J }
  ? Jsonified<J>
  : T extends string | number | boolean | null
    ? T
    : T extends bigint | symbol | undefined | ((...args: never[]) => unknown)
      ? never
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
