// Bytes to text when nobody said which encoding: UTF-8 if they are UTF-8, else the reading that
// gives the most plausible text, and always a sentence saying what was assumed.
import { LineIndex } from './lines.js';
import { decodeSingleByte, type SingleByteEncoding } from './single-byte.js';
import type { SourcePosition } from './source.js';
import { scanUtf8 } from './utf8-scan.js';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | SingleByteEncoding;

/** Bytes that were not UTF-8 in a file that otherwise is, and what they were read as. */
export interface StrayBytes extends SourcePosition {
  readonly bytes: readonly number[];
  readonly text: string;
}

export interface DecodedText {
  readonly text: string;
  /** What the file was read as. `utf-8` also when a few stray bytes were not (`strayBytes`). */
  readonly encoding: TextEncodingName;
  /** The file began with a byte order mark (removed from `text`). */
  readonly bom: boolean;
  /** The single-byte encoding the stray bytes of a UTF-8 file were read as. */
  readonly strayEncoding?: SingleByteEncoding;
  readonly strayBytes: readonly StrayBytes[];
  /** What was assumed, in a sentence for a log or a report. */
  readonly assumed: string;
}

const encodingNames: Record<TextEncodingName, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1252': 'Windows-1252',
  macintosh: 'Mac OS Roman',
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `decodeText` of bytes; text already decoded is taken as it is. */
export function decodeInput(input: Uint8Array | string): DecodedText {
  return typeof input === 'string'
    ? { text: input, encoding: 'utf-8', bom: false, strayBytes: [], assumed: 'text given' }
    : decodeText(input);
}

export function decodeText(bytes: Uint8Array): DecodedText {
  const wide = utf16Of(bytes);
  if (wide !== undefined) {
    const text = new TextDecoder(wide.encoding).decode(bytes);
    const how = wide.bom
      ? ' with a byte order mark'
      : ' (no byte order mark: every other byte is 0)';
    return {
      text,
      encoding: wide.encoding,
      bom: wide.bom,
      strayBytes: [],
      assumed: `${encodingNames[wide.encoding]}${how}`,
    };
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  const scan = scanUtf8(body);
  const withBom = bom ? ' with a byte order mark' : '';
  if (scan.invalidRuns.length === 0) {
    return {
      text: utf8.decode(body),
      encoding: 'utf-8',
      bom,
      strayBytes: [],
      assumed: `UTF-8${withBom}`,
    };
  }
  const readings: Reading[] = [];
  if (scan.multibyteSequences > 0) {
    readings.push(mixedReading(body, scan.invalidRuns, 'windows-1252'));
    readings.push(mixedReading(body, scan.invalidRuns, 'macintosh'));
  }
  readings.push(wholeReading(body, 'windows-1252'), wholeReading(body, 'macintosh'));
  // The first of the least implausible readings: UTF-8 before single-byte, Windows-1252 first.
  const best = readings.reduce((chosen, reading) =>
    reading.implausible < chosen.implausible ? reading : chosen,
  );
  if (best.strays === undefined) {
    const [start] = scan.invalidRuns[0]!;
    // One character per byte in a single-byte reading, so the byte's offset is its character's.
    const at = new LineIndex(best.text).position(start);
    return {
      text: best.text,
      encoding: best.encoding,
      bom,
      strayBytes: [],
      assumed: `${encodingNames[best.encoding]}${withBom} (not UTF-8: byte ${hex(body[start]!)} at ${at.line}:${at.column} is the first of ${countBytes(scan.invalidRuns)} that are not)`,
    };
  }
  const lines = new LineIndex(best.text);
  const strayBytes = best.strays.map(({ offset, bytes: stray, text }) => ({
    ...lines.position(offset),
    bytes: stray,
    text,
  }));
  const runs = strayBytes.length === 1 ? 'run' : 'runs';
  return {
    text: best.text,
    encoding: 'utf-8',
    bom,
    strayEncoding: best.encoding,
    strayBytes,
    assumed: `UTF-8${withBom}, except ${strayBytes.length} ${runs} of bytes that are not, read as ${encodingNames[best.encoding]}`,
  };
}

/** The name of an encoding as people write it. */
export function encodingName(encoding: TextEncodingName): string {
  return encodingNames[encoding];
}

interface Reading {
  readonly text: string;
  readonly encoding: SingleByteEncoding;
  readonly strays?: readonly { offset: number; bytes: number[]; text: string }[];
  readonly implausible: number;
}

function wholeReading(bytes: Uint8Array, encoding: SingleByteEncoding): Reading {
  const text = decodeSingleByte(bytes, encoding);
  return { text, encoding, implausible: implausibleCharacters(text) };
}

function mixedReading(
  bytes: Uint8Array,
  invalidRuns: readonly (readonly [number, number])[],
  encoding: SingleByteEncoding,
): Reading {
  const parts: string[] = [];
  const strays: { offset: number; bytes: number[]; text: string }[] = [];
  let offset = 0;
  let at = 0;
  for (const [start, end] of invalidRuns) {
    const valid = utf8.decode(bytes.subarray(at, start));
    const stray = decodeSingleByte(bytes.subarray(start, end), encoding);
    parts.push(valid, stray);
    offset += valid.length;
    strays.push({ offset, bytes: [...bytes.subarray(start, end)], text: stray });
    offset += stray.length;
    at = end;
  }
  parts.push(utf8.decode(bytes.subarray(at)));
  const text = parts.join('');
  return { text, encoding, strays, implausible: implausibleCharacters(text) };
}

// Characters that almost never occur in directory data but do when bytes are read in the wrong
// single-byte encoding: C1 controls, private use (Apple's logo), IPA and spacing modifiers, and
// the rarer symbols of Windows-1252 and Mac OS Roman.
const implausible =
  /[\u0080-\u009F\uE000-\uF8FF\uFFFD\u0250-\u02FF\u2030\u0192\u2020\u2021\u0160\u0161\u017D\u017E\u0178\u2039\u203A\u00A4\u00A6\u00A8\u00AF\u00B8\u00AC\u221E\u2264\u2265\u2202\u2211\u220F\u03C0\u222B\u03A9\u221A\u2248\u2206\u2260\u25CA\u0131\uFB01\uFB02\u2044]/g;

function implausibleCharacters(text: string): number {
  return text.match(implausible)?.length ?? 0;
}

function countBytes(runs: readonly (readonly [number, number])[]): number {
  return runs.reduce((sum, [start, end]) => sum + end - start, 0);
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * UTF-16, as Windows tools write "Unicode" text: by its byte order mark, or, without one, by
 * the zero byte every Latin character has in its other half (in most of the first 4 KiB).
 */
function utf16Of(
  bytes: Uint8Array,
): { encoding: 'utf-16le' | 'utf-16be'; bom: boolean } | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  const pairs = Math.min(bytes.length, 4096) >> 1;
  if (pairs < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) evenZeros++;
    if (bytes[2 * i + 1] === 0) oddZeros++;
  }
  if (oddZeros > pairs * 0.6 && evenZeros < pairs * 0.05)
    return { encoding: 'utf-16le', bom: false };
  if (evenZeros > pairs * 0.6 && oddZeros < pairs * 0.05)
    return { encoding: 'utf-16be', bom: false };
  return undefined;
}
