// Languages in free text: lists in the exports' separators, abbreviations, brackets that name
// the variety, qualifiers kept as notes, unknown names kept without a code, sentences as notes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLanguages } from '../src/normalise/index.js';

const read = (text: string) =>
  parseLanguages(text).languages.map(
    (l) => `${l.name}${l.code ? `:${l.code}` : ''}${l.note ? ` (${l.note})` : ''}`,
  );

describe('parseLanguages', () => {
  it('reads lists with ISO 639 codes', () => {
    expect(parseLanguages('English, Spanish; Cantonese')).toEqual({
      languages: [
        { name: 'English', code: 'en' },
        { name: 'Spanish', code: 'es' },
        { name: 'Cantonese', code: 'yue' },
      ],
      notes: [],
    });
    expect(read('Eng/Span')).toEqual(['English:en', 'Spanish:es']);
    expect(read('ASL')).toEqual(['American Sign Language:ase']);
    expect(read('English & Vietnamese and Tagalog')).toEqual([
      'English:en',
      'Vietnamese:vi',
      'Tagalog:tl',
    ]);
    expect(read('Chinese Russian Spanish')).toEqual(['Chinese:zh', 'Russian:ru', 'Spanish:es']);
  });

  it('takes the bracketed variety over the language it specifies', () => {
    expect(read('Chinese (Cantonese, Mandarin)')).toEqual(['Cantonese:yue', 'Mandarin:cmn']);
    expect(read('Chinese (Cantonese, Mandarin)SpanishTagalog')).toEqual([
      'Cantonese:yue',
      'Mandarin:cmn',
      'Spanish:es',
      'Tagalog:tl',
    ]);
    expect(read('Khmer (Cambodian)')).toEqual(['Khmer:km']);
  });

  it('keeps qualifiers as the note of their language', () => {
    expect(read('Spanish (limited), some French')).toEqual([
      'Spanish:es (limited)',
      'French:fr (some)',
    ]);
    expect(read('Spanish, Vietnamese (depends on available volunteers)')).toEqual([
      'Spanish:es',
      'Vietnamese:vi (depends on available volunteers)',
    ]);
    expect(read('English only')).toEqual(['English:en (only)']);
  });

  it('knows the misspellings of the exports', () => {
    expect(read('Portugese, Taglog, Hindu, Tigrigna, Itallian')).toEqual([
      'Portuguese:pt',
      'Tagalog:tl',
      'Hindi:hi',
      'Tigrinya:ti',
      'Italian:it',
    ]);
  });

  it('keeps unknown names without a code, and sentences as notes', () => {
    expect(parseLanguages('Arabic, Toisanese, Creole')).toEqual({
      languages: [{ name: 'Arabic', code: 'ar' }, { name: 'Toisanese' }, { name: 'Creole' }],
      notes: [],
    });
    expect(parseLanguages('Over 150 languages through translation services.')).toEqual({
      languages: [],
      notes: ['Over 150 languages through translation services'],
    });
    expect(parseLanguages('TDD, interpreters available upon request')).toEqual({
      languages: [],
      notes: ['TDD', 'interpreters available upon request'],
    });
    for (const text of ['N/A', 'None', 'NA'])
      expect(parseLanguages(text), text).toEqual({ languages: [], notes: [text] });
    expect(parseLanguages('')).toEqual({ languages: [], notes: [] });
  });

  it('never throws, and never returns a language twice', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const { languages } = parseLanguages(text);
        const keys = languages.map((l) => l.code ?? l.name.toLowerCase());
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });
});
