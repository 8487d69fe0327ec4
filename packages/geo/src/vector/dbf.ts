/**
 * @module vector/dbf
 * A shapefile's `.dbf` attribute table (dBASE III): one record per shape, in the same order.
 * Character fields are right-trimmed text; numeric fields (N, F) numbers (null when blank or
 * `*`-filled); logical fields booleans (null for `?`); dates `YYYY-MM-DD` text (null when blank or 00000000). Text is decoded as
 * the `.cpg` says; without one, as UTF-8 when the file's bytes are valid UTF-8, else Windows-1252
 * (the encoding most old files without a `.cpg` are in).
 */
import { TextDecoder } from 'node:util';
import { GeoReadError } from '../read/error.js';

export interface DbfTable {
  readonly fields: readonly string[];
  /** Per record: its attributes, or `null` for a record marked deleted. */
  readonly records: ReadonlyArray<Record<string, unknown> | null>;
}

interface Field {
  readonly name: string;
  readonly type: string;
  readonly offset: number;
  readonly length: number;
}

/** The table in `bytes`; `cpg` is the `.cpg` file's text, when there is one. */
export function readDbf(bytes: Uint8Array, file: string, cpg?: string): DbfTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 32) throw new GeoReadError(file, 'not a .dbf: shorter than its header');
  const count = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  const decoder = textDecoder(bytes.subarray(headerLength), cpg, file);
  const fields: Field[] = [];
  let offset = 1; // the deletion flag
  for (let at = 32; at + 32 <= headerLength && bytes[at] !== 0x0d; at += 32) {
    const raw = bytes.subarray(at, at + 11);
    const name = decoder.decode(raw.subarray(0, raw.indexOf(0) < 0 ? 11 : raw.indexOf(0)));
    const length = bytes[at + 16]!;
    fields.push({ name, type: String.fromCharCode(bytes[at + 11]!), offset, length });
    offset += length;
  }
  if (offset > recordLength || headerLength + count * recordLength > bytes.byteLength) {
    throw new GeoReadError(
      file,
      `truncated or corrupt .dbf: ${count} records of ${recordLength} bytes after a ${headerLength}-byte header do not fit in ${bytes.byteLength} bytes`,
    );
  }
  const records = [];
  for (let r = 0; r < count; r++) {
    const start = headerLength + r * recordLength;
    if (bytes[start] === 0x2a) {
      records.push(null);
      continue;
    }
    const record: Record<string, unknown> = {};
    for (const f of fields) {
      const cell = bytes.subarray(start + f.offset, start + f.offset + f.length);
      record[f.name] = value(f.type, decoder.decode(cell));
    }
    records.push(record);
  }
  return { fields: fields.map((f) => f.name), records };
}

function value(type: string, text: string): unknown {
  switch (type) {
    case 'N':
    case 'F': {
      const t = text.trim();
      if (t === '' || /^\*+$/.test(t)) return null;
      const n = Number(t);
      return Number.isNaN(n) ? null : n;
    }
    case 'L': {
      const t = text.trim();
      if (/^[TtYy]$/.test(t)) return true;
      if (/^[FfNn]$/.test(t)) return false;
      return null;
    }
    case 'D': {
      const t = text.trim();
      // GDAL writes a null date as 00000000.
      return /^\d{8}$/.test(t) && t !== '00000000'
        ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6)}`
        : null;
    }
    default:
      return text.replace(/[\s\0]+$/, '');
  }
}

function textDecoder(records: Uint8Array, cpg: string | undefined, file: string): Decoder {
  const label = cpg?.trim();
  if (label) {
    const name = /^\d+$/.test(label) ? `windows-${label}` : label;
    if (/^(windows-1252|cp1252|ansi_1252|latin1|iso-8859-1)$/i.test(name)) return WINDOWS_1252;
    try {
      return new TextDecoder(name);
    } catch {
      throw new GeoReadError(file, `its .cpg names an unknown encoding: ${JSON.stringify(label)}`);
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(records);
    return new TextDecoder('utf-8');
  } catch {
    return WINDOWS_1252;
  }
}

interface Decoder {
  decode(bytes: Uint8Array): string;
}

/**
 * Windows-1252 as the WHATWG Encoding Standard has it (as latin1 and cp1252 labels mean in
 * .cpg files): Node 20 built with small ICU decodes 0x80-0x9F as C1 controls, losing €, ’, “ ”.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const WINDOWS_1252: Decoder = {
  decode(bytes) {
    let text = '';
    for (const byte of bytes) {
      text += byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
    }
    return text;
  },
};
