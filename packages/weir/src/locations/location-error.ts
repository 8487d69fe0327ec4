/**
 * @module locations/location-error
 * A definition error one code location is to blame for (it reads a key no location defines,
 * declares an external asset otherwise than its owner, sizes a pool otherwise than another):
 * the project leaves that location out and keeps the others, as for one that did not load
 * (both, for two that define the same key: neither may decide which definition runs).
 */
import { DefinitionError, type WeirErrorCode } from '../errors.js';

export class LocationError extends DefinitionError {
  /** Other locations to blame with `location` (two that define the same key). */
  readonly others: readonly string[];

  constructor(
    readonly location: string,
    code: WeirErrorCode,
    message: string,
    options: { hint?: string; others?: readonly string[] } = {},
  ) {
    super(code, message, options.hint === undefined ? {} : { hint: options.hint });
    this.others = options.others ?? [];
  }
}
