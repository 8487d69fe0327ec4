import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSingleByte, decodeText, type SingleByteEncoding } from '../src/index.js';

const utf8 = (text: string): number[] => [...new TextEncoder().encode(text)];

/** Text to bytes in a single-byte encoding (every character must have a byte). */
function encodeSingleByte(text: string, encoding: SingleByteEncoding): Uint8Array {
  const all = decodeSingleByte(
    Uint8Array.from({ length: 256 }, (_, byte) => byte),
    encoding,
  );
  return Uint8Array.from([...text].map((char) => all.indexOf(char)));
}

describe('decodeText', () => {
  it('reads UTF-8 as UTF-8', () => {
    expect(decodeText(Uint8Array.from(utf8('Niño “quoted” 𝄞')))).toEqual({
      text: 'Niño “quoted” 𝄞',
      encoding: 'utf-8',
      bom: false,
      strayBytes: [],
      assumed: 'UTF-8',
    });
  });

  it('removes a byte order mark and says it was there', () => {
    const decoded = decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('id,\uFEFFx')]));
    expect(decoded.text).toBe('id,\uFEFFx');
    expect(decoded).toMatchObject({ bom: true, assumed: 'UTF-8 with a byte order mark' });
  });

  it('reads bytes that are not UTF-8 as Windows-1252, punctuation of 0x80–0x9F included', () => {
    const bytes = encodeSingleByte('Niño said “hola” – it’s €5', 'windows-1252');
    const decoded = decodeText(bytes);
    expect(decoded.text).toBe('Niño said “hola” – it’s €5');
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.assumed).toBe(
      'Windows-1252 (not UTF-8: byte 0xF1 at 1:3 is the first of 6 that are not)',
    );
  });

  it('reads Mac OS Roman when Windows-1252 would give unlikely characters', () => {
    const bytes = encodeSingleByte('Café Niño – Résumé', 'macintosh');
    const decoded = decodeText(bytes);
    expect(decoded).toMatchObject({ text: 'Café Niño – Résumé', encoding: 'macintosh' });
  });

  it('keeps a UTF-8 file UTF-8 when a few stray bytes are not, and says where they are', () => {
    const bytes = Uint8Array.from([...utf8('Café\nit'), 0x92, ...utf8('s “ok”')]);
    const decoded = decodeText(bytes);
    expect(decoded.text).toBe('Café\nit’s “ok”');
    expect(decoded).toMatchObject({
      encoding: 'utf-8',
      strayEncoding: 'windows-1252',
      strayBytes: [{ line: 2, column: 3, bytes: [0x92], text: '’' }],
      assumed: 'UTF-8, except 1 run of bytes that are not, read as Windows-1252',
    });
  });

  it('reads stray bytes as Mac OS Roman where that makes sense of them (as in dcyf_cms.csv)', () => {
    // An en dash, read as Windows-1252 (â€“) and saved as Mac OS Roman, beside real UTF-8.
    const bytes = Uint8Array.from([...utf8('Señor '), 0x89, 0xdb, 0xd2, ...utf8(' Log Cabin')]);
    const decoded = decodeText(bytes);
    expect(decoded.text).toBe('Señor â€“ Log Cabin');
    expect(decoded.strayEncoding).toBe('macintosh');
  });

  it('property: UTF-8 text decodes to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const decoded = decodeText(new TextEncoder().encode(text));
        expect(decoded.text).toBe(text);
        expect(decoded.encoding).toBe('utf-8');
      }),
    );
  });

  // Letters of Latin-1 and the punctuation Windows-1252 adds, as Western text has them.
  const westernCharacter = fc.oneof(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-()"\''),
    fc
      .integer({ min: 0xc0, max: 0xff })
      .filter((code) => code !== 0xd7 && code !== 0xf7)
      .map((code) => String.fromCharCode(code)),
    fc.constantFrom('’', '‘', '“', '”', '–', '—', '…', '•', '€', '™', '\u00A0', '©', '°', '½'),
  );

  it('property: Western text saved as Windows-1252 (Latin-1) is detected and read back', () => {
    fc.assert(
      fc.property(fc.string({ unit: westernCharacter, minLength: 1, maxLength: 60 }), (text) => {
        const bytes = encodeSingleByte(text, 'windows-1252');
        const valid = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
        // Bytes that happen to form UTF-8 sequences (`Ã` then `©`) read as UTF-8, rightly.
        fc.pre(!/[\u0080-\uFFFF]/.test(valid.replaceAll('\uFFFD', '')));
        const decoded = decodeText(bytes);
        expect(decoded.text).toBe(text);
        expect(decoded.encoding).toBe(/[^\p{ASCII}]/u.test(text) ? 'windows-1252' : 'utf-8');
      }),
      { numRuns: 500 },
    );
  });
});

describe('single-byte tables', () => {
  it('decode Windows-1252 as the WHATWG Encoding Standard does (unlike Node 20’s TextDecoder)', () => {
    const high = decodeSingleByte(
      Uint8Array.from([0x80, 0x81, 0x92, 0x9d, 0x9f, 0xa0, 0xe9]),
      'windows-1252',
    );
    expect(high).toBe('€\u0081’\u009DŸ\u00A0é');
  });

  it('decode Mac OS Roman as ICU does', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, byte) => byte);
    let icu: string;
    try {
      icu = new TextDecoder('macintosh').decode(bytes);
    } catch {
      return; // a Node built without full ICU has no Mac OS Roman to compare with
    }
    expect(decodeSingleByte(bytes, 'macintosh')).toBe(icu);
  });
});

describe('UTF-16, as Windows tools write "Unicode" text', () => {
  const text = 'name,phone\r\nCentro de Salud Familiar,(206) 555-0100\r\nJosé Martí Clinic,\r\n';
  const le = (t: string) => Uint8Array.from(Buffer.from(t, 'utf16le'));
  const be = (t: string) => le(t).map((_, i, a) => a[i ^ 1]!);

  it('is read by its byte order mark, little- or big-endian', () => {
    const little = decodeText(Uint8Array.from([0xff, 0xfe, ...le(text)]));
    expect([little.text, little.encoding, little.bom]).toEqual([text, 'utf-16le', true]);
    expect(little.assumed).toBe('UTF-16 (little-endian) with a byte order mark');
    const big = decodeText(Uint8Array.from([0xfe, 0xff, ...be(text)]));
    expect([big.text, big.encoding]).toEqual([text, 'utf-16be']);
  });

  it('is read without a byte order mark by its zero bytes', () => {
    const decoded = decodeText(le(text));
    expect([decoded.text, decoded.encoding, decoded.bom]).toEqual([text, 'utf-16le', false]);
    expect(decodeText(be(text)).text).toBe(text);
  });

  it('gives back any text written with a byte order mark', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (t) => {
        expect(decodeText(Uint8Array.from([0xff, 0xfe, ...le(t)])).text).toBe(t);
      }),
    );
  });

  it('leaves ASCII and UTF-8 alone', () => {
    expect(decodeText(new TextEncoder().encode(text)).encoding).toBe('utf-8');
  });
});
