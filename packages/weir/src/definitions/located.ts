/**
 * @module definitions/located
 * Which code location an asset's code lives in, when the project that runs it has code
 * locations (see locations/): its steps and checks run in that location's processes, so
 * whatever would run its functions in this process asks first.
 */
const LOCATION = Symbol.for('weir.location');

/** Marks `definition` as the rebuilt copy of an asset of code location `location`. */
export function markLocated(definition: object, location: string): void {
  Object.defineProperty(definition, LOCATION, { value: location, enumerable: false });
}

/** The code location whose processes run `definition`, or undefined for this process's own. */
export function locatedIn(definition: object): string | undefined {
  const found: unknown = Reflect.get(definition, LOCATION);
  return typeof found === 'string' ? found : undefined;
}
