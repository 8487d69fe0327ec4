// Where a byte sequence stops being UTF-8: the runs of bytes that are not part of a well-formed
// sequence (Unicode's definition: no overlongs, no surrogates, nothing past U+10FFFF).

export interface Utf8Scan {
  /** [start, end) byte ranges that are not UTF-8, in order, adjacent bad bytes merged. */
  readonly invalidRuns: readonly (readonly [number, number])[];
  /** Well-formed sequences of two to four bytes (evidence that the text is UTF-8). */
  readonly multibyteSequences: number;
}

export function scanUtf8(bytes: Uint8Array, from = 0): Utf8Scan {
  const invalidRuns: [number, number][] = [];
  let multibyteSequences = 0;
  let i = from;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      if (length > 1) multibyteSequences++;
      i += length;
      continue;
    }
    const last = invalidRuns.at(-1);
    if (last !== undefined && last[1] === i) last[1] = i + 1;
    else invalidRuns.push([i, i + 1]);
    i++;
  }
  return { invalidRuns, multibyteSequences };
}

/** The length of the well-formed sequence starting at `i`, or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]!;
  if (lead < 0x80) return 1;
  let length: number;
  let secondLow = 0x80;
  let secondHigh = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) secondLow = 0xa0;
    if (lead === 0xed) secondHigh = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) secondLow = 0x90;
    if (lead === 0xf4) secondHigh = 0x8f;
  } else return 0;
  if (i + length > bytes.length) return 0;
  const second = bytes[i + 1]!;
  if (second < secondLow || second > secondHigh) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k]!;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}
