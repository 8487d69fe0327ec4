// Text in a .dbf that is not UTF-8 reads as Windows-1252 as the Encoding Standard defines it:
// Node 20 (small ICU) would turn 0x80-0x9F into control characters and lose € ’ “ ”.
import { describe, expect, it } from 'vitest';
import { readDbf } from '../src/vector/dbf.js';

/** A .dbf of one character field NAME (20 wide) holding `bytes`. */
function dbfOf(bytes: readonly number[]): Uint8Array {
  const width = 20;
  const headerLength = 32 + 32 + 1;
  const out = new Uint8Array(headerLength + 1 + width + 1);
  const view = new DataView(out.buffer);
  out[0] = 3;
  view.setUint32(4, 1, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, 1 + width, true);
  out.set(new TextEncoder().encode('NAME'), 32);
  out[32 + 11] = 'C'.charCodeAt(0);
  out[32 + 16] = width;
  out[64] = 0x0d;
  out[headerLength] = 0x20;
  out.fill(0x20, headerLength + 1, headerLength + 1 + width);
  out.set(bytes, headerLength + 1);
  out[out.length - 1] = 0x1a;
  return out;
}

describe('.dbf text encodings', () => {
  it('reads Windows-1252 smart quotes, the euro sign and accents when the text is not UTF-8', () => {
    const bytes = [0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x80, 0x35, 0x92, 0x73];
    expect(readDbf(dbfOf(bytes), 'w.dbf').records[0]).toEqual({ NAME: '“Café” €5’s' });
  });

  it('honours a .cpg naming 1252 or latin1, and reads UTF-8 as UTF-8', () => {
    expect(readDbf(dbfOf([0x93, 0x41, 0x94]), 'w.dbf', '1252').records[0]).toEqual({ NAME: '“A”' });
    const utf8 = [...new TextEncoder().encode('Café')];
    expect(readDbf(dbfOf(utf8), 'u.dbf').records[0]).toEqual({ NAME: 'Café' });
  });
});
