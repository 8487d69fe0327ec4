/**
 * Strict inputs, cases found by trying to break them.
 */
import { describe, expect, it } from 'vitest';
import { encodeValue } from '../src/artefacts/index.js';
import { UserCodeError } from '../src/index.js';

describe('a json value whose toJSON gives something JSON cannot hold', () => {
  it('is refused on a plain object too, as on a class instance', () => {
    for (const value of [
      { reading: { toJSON: () => Number.NaN } },
      { reading: { toJSON: () => new Map([['a', 1]]) } },
    ]) {
      expect(() => encodeValue('json', value, 'k')).toThrow(UserCodeError);
    }
    // What toJSON gives that JSON holds is fine, as documented.
    expect(new TextDecoder().decode(encodeValue('json', { at: { toJSON: () => 'x' } }, 'k'))).toBe(
      '{"at":"x"}',
    );
  });
});
