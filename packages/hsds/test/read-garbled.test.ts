import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSingleByte, repairGarbledText, type SingleByteEncoding } from '../src/index.js';

const allBytes = Uint8Array.from({ length: 256 }, (_, byte) => byte);
const tables: Record<SingleByteEncoding, string> = {
  'windows-1252': decodeSingleByte(allBytes, 'windows-1252'),
  macintosh: decodeSingleByte(allBytes, 'macintosh'),
};

/** UTF-8 read as Windows-1252: `é` → `Ã©`. */
const garble = (text: string): string =>
  decodeSingleByte(new TextEncoder().encode(text), 'windows-1252');

/** UTF-8 read as Latin-1, 0x80–0x9F as C1 controls: `’` → `â\u0080\u0099`. */
const garbleLatin1 = (text: string): string =>
  String.fromCharCode(...new TextEncoder().encode(text));

/** Garbled, saved as Mac OS Roman, read as Windows-1252: `é` → `Ì©`; undefined when lossy. */
function garbleThroughMac(text: string): string | undefined {
  const bytes = [...garble(text)].map((char) => tables.macintosh.indexOf(char));
  if (bytes.includes(-1)) return undefined;
  return decodeSingleByte(Uint8Array.from(bytes), 'windows-1252');
}

const repaired = (text: string): string => repairGarbledText(text).text;

describe('repairGarbledText', () => {
  it('repairs UTF-8 read as Windows-1252 or as Latin-1', () => {
    expect(repairGarbledText('JosÃ© PÃ©rez')).toEqual({
      text: 'José Pérez',
      repairs: 2,
      doubts: [],
    });
    expect(repaired('itâ€™s â€œquotedâ€\u009D â€“ Ã‰cole')).toBe('it’s “quoted” – École');
    expect(repaired('it\u00E2\u0080\u0099s')).toBe('it’s');
    expect(repaired('Ã\u0081frica, Ã\u008Dtaca')).toBe('África, Ítaca');
    expect(repaired('ðŸ˜€ ÐŸÑ€Ð¸Ð²ÐµÑ‚')).toBe('😀 Привет');
  });

  it('repairs text garbled twice, and text garbled through Mac OS Roman', () => {
    expect(repairGarbledText('ÃƒÂ©tÃƒÂ©')).toEqual({ text: 'été', repairs: 6, doubts: [] });
    expect(repaired('JosÌ© QuiÌ±onez')).toBe('José Quiñonez');
    expect(repaired('School Site Mentoring ‰ÛÒ MLK')).toBe('School Site Mentoring – MLK');
    // sf_211.csv's form: the Mac OS Roman round made twice.
    expect(repaired('Ana PÌÎå©rez, Rene QuiÌÎå±onez')).toBe('Ana Pérez, Rene Quiñonez');
  });

  it('flags what looks garbled but cannot be repaired, and leaves it exactly as it was', () => {
    expect(repairGarbledText('Ricardo CalderÌÎ_n')).toEqual({
      text: 'Ricardo CalderÌÎ_n',
      repairs: 0,
      doubts: ["'ÌÎ_' left as it is: it is a garbled letter whose second byte was replaced by '_'"],
    });
    expect(repairGarbledText('he said â€œhiâ€')).toEqual({
      text: 'he said “hiâ€',
      repairs: 1,
      doubts: [
        "'â€' left as it is: it is garbled punctuation (’ “ ” – —…) whose last byte was lost",
      ],
    });
    expect(repairGarbledText('NÃ? de serie').doubts).toEqual([
      "'Ã?' left as it is: it is a garbled letter whose second byte was replaced by '?'",
    ]);
    expect(repairGarbledText('Ñº 5').doubts).toEqual([
      "'Ñº' left as it is: 'Ñº' would be a lone 'Ѻ'",
    ]);
    expect(repairGarbledText('Â… end').doubts).toEqual([
      "'Â…' left as it is: it would leave control characters (U+0085)",
    ]);
  });

  it('leaves clean text alone', () => {
    const clean = [
      'São Paulo, Ñandú, Zürich – “Grüezi”, naïve café, Ålesund, Ærøskøbing',
      'COSÌ FAN TUTTE; jusqu’à demain; 100 €\u00A0par mois; Œuvre; ½ price; 25°C',
      'Ελληνικά, Русский, 中文, العربية, 😀',
      'Señor Muñoz-Pérez (O’Brien) — “José’s” café…',
    ];
    for (const text of clean)
      expect(repairGarbledText(text)).toEqual({ text, repairs: 0, doubts: [] });
  });
});

// Text as a directory holds it: ASCII, Latin letters with their accents, typographic
// punctuation, symbols and emoji.
const directoryCharacter = fc.oneof(
  fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:_?-()"\''),
  fc.integer({ min: 0xa0, max: 0x17f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('’', '‘', '“', '”', '–', '—', '…', '•', '€', '™', '😀', '𝄞'),
);
const directoryText = fc.string({ unit: directoryCharacter, maxLength: 40 });

/**
 * True when no character that can begin a garbled sequence is followed by one that can go on,
 * or by the '_' or '?' that stands for a lost byte after `Â`, `Ã`, `å` or `Ì`.
 */
function hasNoGarbledShape(text: string): boolean {
  const chars = [...text];
  return chars.every((char, k) => {
    const next = chars[k + 1];
    if (next === undefined) return true;
    const lead = tables['windows-1252'].indexOf(char);
    const follow = tables['windows-1252'].indexOf(next);
    const asWindows = lead >= 0xc2 && lead <= 0xf4 && follow >= 0x80 && follow <= 0xbf;
    const macLead = 'åÌ‰'.includes(char);
    const lostByte = 'ÂÃ'.includes(char) && (next === '_' || next === '?');
    return !asWindows && !macLead && !lostByte;
  });
}

describe('garbled-text properties', () => {
  it('repairing garbled clean text gives the text back (Windows-1252 and Latin-1 garbling)', () => {
    fc.assert(
      fc.property(directoryText, (text) => {
        fc.pre(hasNoGarbledShape(text));
        expect(repairGarbledText(garble(text))).toMatchObject({ text, doubts: [] });
        expect(repaired(garbleLatin1(text))).toBe(text);
        expect(repaired(garble(garble(text)))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('repairing text garbled through Mac OS Roman gives it back where no byte was lost', () => {
    const latin = fc.string({
      unit: fc.oneof(
        fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ABCXYZ.,'),
        fc.constantFrom(...'áéíóúñüÁÉÍÓÚÑÜàèìòùâêîôûçÇäöÄÖß©®°'),
        fc.constantFrom('–', '—', '’', '“', '”', '…', '€'),
      ),
      maxLength: 30,
    });
    fc.assert(
      fc.property(latin, (text) => {
        const garbled = garbleThroughMac(text);
        fc.pre(garbled !== undefined && hasNoGarbledShape(text));
        expect(repaired(garbled!)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('never changes text with no garbled shape in it, whatever its characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        fc.pre(hasNoGarbledShape(text));
        expect(repairGarbledText(text)).toMatchObject({ text, repairs: 0 });
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent: repairing a repaired text changes nothing', () => {
    const mixed = fc.oneof(
      directoryText,
      directoryText.map(garble),
      directoryText.map(garbleLatin1),
      fc.string({ unit: 'grapheme' }),
    );
    fc.assert(
      fc.property(fc.array(mixed, { maxLength: 4 }), (parts) => {
        const once = repaired(parts.join(''));
        expect(repaired(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});
