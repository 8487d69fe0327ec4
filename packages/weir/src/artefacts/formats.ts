/**
 * @module artefacts/formats
 * How a value becomes bytes and back, per `io` format. `files` artefacts are written by the
 * step itself and handed downstream as paths, so they have no codec here.
 */
import { UserCodeError } from '../errors.js';
import { findJsonProblem, type JsonProblem } from './_json-problems.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a `json` or `bytes` asset's returned value; throws a clear error for values that cannot be stored. */
export function encodeValue(
  format: 'json' | 'bytes',
  value: unknown,
  assetKey: string,
): Uint8Array {
  if (format === 'bytes') {
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    throw new UserCodeError(
      'E_USER_CODE',
      `asset '${assetKey}' has io 'bytes' but returned ${describe(value)}`,
      {
        hint: 'return a Uint8Array (a Buffer is one)',
      },
    );
  }
  if (value === undefined) {
    throw new UserCodeError('E_USER_CODE', `asset '${assetKey}' returned undefined`, {
      hint: "return a JSON value (null is fine), or use io: 'files' for a step that writes files",
    });
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const problem = findJsonProblem(value, true);
    if (problem !== undefined) throw unstorable(assetKey, problem, error);
    if (error instanceof RangeError && /Invalid string length/.test(error.message)) {
      throw new UserCodeError(
        'E_USER_CODE',
        `asset '${assetKey}' returned a value too large to store as JSON (its text would pass the longest string JavaScript can hold, about 512 MB)`,
        { cause: error, hint: "use io: 'bytes' or io: 'files' for data this large" },
      );
    }
    throw new UserCodeError(
      'E_USER_CODE',
      `asset '${assetKey}' returned a value that is not JSON: ${(error as Error).message}`,
      {
        cause: error,
        hint: "return plain data, or use io: 'bytes' or 'files' for other formats",
      },
    );
  }
  if (text === undefined) {
    throw new UserCodeError(
      'E_USER_CODE',
      `asset '${assetKey}' returned ${describe(value)}, which JSON cannot store`,
    );
  }
  // JSON.stringify accepted it, so the value has no cycles; look for what it stored lossily.
  const problem = findJsonProblem(value);
  if (problem !== undefined) throw unstorable(assetKey, problem);
  return encoder.encode(text);
}

/** A value JSON would store lossily (NaN as null, a Map as {}): refused, naming where. */
function unstorable(assetKey: string, problem: JsonProblem, cause?: unknown): UserCodeError {
  const where = problem.path === '' ? 'the value itself' : problem.path;
  return new UserCodeError(
    'E_USER_CODE',
    `asset '${assetKey}' returned a value JSON cannot store faithfully: ${where} is ${problem.what}`,
    { hint: problem.hint, ...(cause === undefined ? {} : { cause }) },
  );
}

export function decodeValue(format: 'json' | 'bytes', bytes: Uint8Array): unknown {
  return format === 'bytes' ? bytes : JSON.parse(decoder.decode(bytes));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return `a ${typeof value}`;
}
