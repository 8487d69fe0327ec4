/**
 * @module cog/lzw
 * TIFF's LZW compression (TIFF 6.0 section 13), as libtiff writes it: codes packed most
 * significant bit first, a Clear code first, 9 to 12 bits with the "early change" (the width grows
 * one code before the table needs it, as every TIFF reader expects), a Clear when the table
 * reaches 4094 entries, and an End of Information code last.
 */

const CLEAR = 256;
const EOI = 257;
const FIRST = 258;
/** libtiff's CODE_MAX - 1: the table is reset when the next free code reaches it. */
const FULL = 4094;

// The string table, keyed by (prefix code << 8 | next byte); 0 means absent (codes start at 258).
// Shared between calls (encoding is synchronous) and reset through the list of keys set.
const table = new Uint16Array(4096 << 8);
const used = new Int32Array(4096);

/** The LZW encoding of `input`. */
export function lzwEncode(input: Uint8Array): Uint8Array {
  const n = input.length;
  // Each code stands for at least one byte and is at most 12 bits; plus Clear codes and EOI.
  const out = new Uint8Array(Math.ceil((n * 12) / 8) + Math.ceil(n / 1900) * 2 + 8);
  let pos = 0;
  let bits = 0; // pending bits in `acc`, fewer than 8 between codes
  let acc = 0;
  let width = 9;
  let limit = 511;
  let next = FIRST;
  let nused = 0;

  const put = (code: number): void => {
    acc = ((acc << width) | code) & 0xfffff;
    bits += width;
    while (bits >= 8) {
      bits -= 8;
      out[pos++] = (acc >>> bits) & 0xff;
    }
  };
  const clearTable = (): void => {
    for (let i = 0; i < nused; i++) table[used[i]!] = 0;
    nused = 0;
  };
  const reset = (): void => {
    clearTable();
    next = FIRST;
    width = 9;
    limit = 511;
  };
  // After a code is written, the table gains an entry; the width follows, or the table resets.
  const grow = (): void => {
    next++;
    if (next === FULL) {
      put(CLEAR);
      reset();
    } else if (next > limit) {
      width++;
      limit = (1 << width) - 1;
    }
  };

  put(CLEAR);
  if (n > 0) {
    let prefix = input[0]!;
    for (let i = 1; i < n; i++) {
      const c = input[i]!;
      const key = (prefix << 8) | c;
      const code = table[key]!;
      if (code !== 0) {
        prefix = code;
        continue;
      }
      put(prefix);
      table[key] = next;
      used[nused++] = key;
      grow();
      prefix = c;
    }
    put(prefix);
    grow();
  }
  put(EOI);
  if (bits > 0) out[pos++] = (acc << (8 - bits)) & 0xff;
  clearTable();
  return out.subarray(0, pos);
}
