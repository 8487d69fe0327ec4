// The reader's bounded LZW decoder: what the writer encodes comes back, a code not in the table
// and output past the block are errors (geotiff.js' own decoder ran out of memory on the first).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lzwEncode } from '../src/cog/lzw.js';
import { lzwDecode } from '../src/read/decoders.js';

describe('bounded LZW decoding', () => {
  it('decodes what the COG writer encodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.boolean(), (bytes, runs) => {
        const data = runs ? bytes.map((b) => b & 3) : bytes;
        expect(lzwDecode(lzwEncode(data), data.length)).toEqual(data);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a code not in the table, and output past the block', () => {
    // 9-bit code 300 first: 300 = 0b100101100 → bytes 0x96 0x00.
    expect(() => lzwDecode(Uint8Array.of(0x96, 0x00, 0x00), 100)).toThrow(
      /code 300 is not in the table/,
    );
    const encoded = lzwEncode(new Uint8Array(1000).fill(7));
    expect(() => lzwDecode(encoded, 999)).toThrow(/decodes past the 999 bytes/);
  });
});
