/**
 * @module definitions/derived-code
 * The code an asset's functions reach, as the project loader found it: set on a definition
 * (a hidden, symbol-keyed property) and read when its code version is derived.
 */

/** The parts of an asset's code, each with a hash (or a package's version), by name. */
export interface DerivedCode {
  /** The parts, or a function giving them when first asked for (recording a run, `why`). */
  readonly parts: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
  /**
   * The code version these parts give (`codeVersionFromParts`), when the loader knows it
   * already (from its cache of an unchanged build): then nothing is hashed for status.
   */
  readonly version?: string;
}

const DERIVED_CODE = Symbol.for('weir.derivedCode');

/** Records what the loader found an asset's `materialize` and checks reach. */
export function setDerivedCode(definition: object, code: DerivedCode): void {
  Object.defineProperty(definition, DERIVED_CODE, {
    value: code,
    enumerable: false,
    configurable: true,
    writable: false,
  });
}

/** What the loader found, or undefined for a definition not loaded by it. */
export function derivedCodeOf(definition: object): DerivedCode | undefined {
  const found: unknown = Reflect.get(definition, DERIVED_CODE);
  return typeof found === 'object' && found !== null && 'parts' in found
    ? (found as DerivedCode)
    : undefined;
}
