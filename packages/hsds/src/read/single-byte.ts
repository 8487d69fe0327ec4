// The two single-byte encodings old agency exports come in. The tables are written out because
// Node 20's TextDecoder('windows-1252') decodes 0x80–0x9F as Latin-1's C1 controls, not as
// Windows-1252's punctuation, and 'macintosh' exists only in builds with full ICU.

export type SingleByteEncoding = 'windows-1252' | 'macintosh';

// Bytes 0x80–0x9F. The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
// decode to the C1 control of the same number, as the WHATWG Encoding Standard has it.
const windows1252High =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

// Bytes 0x80–0xFF of Mac OS Roman (0xF0 is Apple's logo, in the private use area).
const macintoshHigh =
  '\u00C4\u00C5\u00C7\u00C9\u00D1\u00D6\u00DC\u00E1\u00E0\u00E2\u00E4\u00E3\u00E5\u00E7\u00E9\u00E8' +
  '\u00EA\u00EB\u00ED\u00EC\u00EE\u00EF\u00F1\u00F3\u00F2\u00F4\u00F6\u00F5\u00FA\u00F9\u00FB\u00FC' +
  '\u2020\u00B0\u00A2\u00A3\u00A7\u2022\u00B6\u00DF\u00AE\u00A9\u2122\u00B4\u00A8\u2260\u00C6\u00D8' +
  '\u221E\u00B1\u2264\u2265\u00A5\u00B5\u2202\u2211\u220F\u03C0\u222B\u00AA\u00BA\u03A9\u00E6\u00F8' +
  '\u00BF\u00A1\u00AC\u221A\u0192\u2248\u2206\u00AB\u00BB\u2026\u00A0\u00C0\u00C3\u00D5\u0152\u0153' +
  '\u2013\u2014\u201C\u201D\u2018\u2019\u00F7\u25CA\u00FF\u0178\u2044\u20AC\u2039\u203A\uFB01\uFB02' +
  '\u2021\u00B7\u201A\u201E\u2030\u00C2\u00CA\u00C1\u00CB\u00C8\u00CD\u00CE\u00CF\u00CC\u00D3\u00D4' +
  '\uF8FF\u00D2\u00DA\u00DB\u00D9\u0131\u02C6\u02DC\u00AF\u02D8\u02D9\u02DA\u00B8\u02DD\u02DB\u02C7';

function table(high: string, from: number): Uint16Array {
  const units = Uint16Array.from({ length: 256 }, (_, byte) => byte);
  for (const [i, char] of [...high].entries()) units[from + i] = char.charCodeAt(0);
  return units;
}

// Every character of both tables is one UTF-16 code unit.
const decodeTables: Record<SingleByteEncoding, Uint16Array> = {
  'windows-1252': table(windows1252High, 0x80),
  macintosh: table(macintoshHigh, 0x80),
};

/** Decodes bytes in a single-byte encoding; every byte has a character. */
export function decodeSingleByte(bytes: Uint8Array, encoding: SingleByteEncoding): string {
  const units = decodeTables[encoding];
  const parts: string[] = [];
  const chunk = new Uint16Array(8192);
  for (let start = 0; start < bytes.length; start += chunk.length) {
    const end = Math.min(start + chunk.length, bytes.length);
    for (let i = start; i < end; i++) chunk[i - start] = units[bytes[i]!]!;
    parts.push(String.fromCharCode(...chunk.subarray(0, end - start)));
  }
  return parts.join('');
}

// What a UTF-8 byte became when UTF-8 was read as Windows-1252, or as Latin-1 (where
// 0x80–0x9F are C1 controls): both map back to the byte.
const garbledByteOf = new Map<string, number>();
for (let byte = 0; byte < 256; byte++) garbledByteOf.set(String.fromCharCode(byte), byte);
for (const [i, char] of [...windows1252High].entries()) garbledByteOf.set(char, 0x80 + i);

/** The byte a character stands for when text was read as Windows-1252 or Latin-1, if any. */
export function windows1252Byte(char: string): number | undefined {
  return garbledByteOf.get(char);
}

/** The character a byte is in Mac OS Roman. */
export function macintoshChar(byte: number): string {
  return String.fromCharCode(decodeTables.macintosh[byte]!);
}
