/**
 * @module definitions/option-keys
 * The option names of an options type, listed once and checked by the compiler against the
 * type, so the names a validator accepts cannot drift from the type users write.
 */

/** Every key of `T`, and no other (the object literal must name each with `true`). */
export function optionKeys<T extends object>(keys: { readonly [K in keyof T]-?: true }): string[] {
  return Object.keys(keys);
}
