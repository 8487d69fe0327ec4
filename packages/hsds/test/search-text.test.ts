// The query side's pieces: edit distance, plural stems, spelling corrections against a
// vocabulary, synonyms, and the query plan.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editDistance,
  lightStem,
  planQuery,
  SynonymTable,
  Vocabulary,
} from '../src/search/index.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('food', 'foood')).toBe(1);
    expect(editDistance('counseling', 'counceling')).toBe(1);
    expect(editDistance('shelter', 'shleter')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('stops early beyond the bound', () => {
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  it('is a symmetric distance', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, a)).toBe(0);
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe('lightStem', () => {
  it('takes English plurals to the singular', () => {
    expect(
      [
        'pantries',
        'shelters',
        'classes',
        'boxes',
        'services',
        'lawyers',
        'bus',
        'crisis',
        'food',
      ].map(lightStem),
    ).toEqual(['pantry', 'shelter', 'class', 'box', 'service', 'lawyer', 'bus', 'crisis', 'food']);
  });
});

describe('Vocabulary', () => {
  const vocabulary = new Vocabulary(
    [
      ['food', 120],
      ['fool', 2],
      ['shelter', 80],
      ['shelters', 20],
      ['counseling', 60],
      ['counselling', 3],
      ['legal', 30],
    ],
    ['vivienda'],
  );

  it('prefers fewer edits, then more records', () => {
    expect(vocabulary.corrections('foood')).toEqual([{ term: 'food', distance: 1, records: 120 }]);
    expect(vocabulary.corrections('fooq', 2).map((c) => c.term)).toEqual(['food', 'fool']);
    expect(vocabulary.corrections('counceling')[0]!.term).toBe('counseling');
    expect(vocabulary.corrections('vivenda')[0]!.term).toBe('vivienda');
  });

  it('does not correct short words or numbers', () => {
    expect(vocabulary.corrections('fod')).toEqual([]);
    expect(vocabulary.corrections('20001')).toEqual([]);
  });

  it('knows the plural and singular forms it holds', () => {
    expect(vocabulary.forms('shelter')).toEqual(['shelters']);
    expect(vocabulary.forms('shelters')).toEqual(['shelter']);
    expect(vocabulary.forms('legal')).toEqual([]);
  });
});

describe('planQuery', () => {
  const vocabulary = new Vocabulary([
    ['food', 120],
    ['pantry', 30],
    ['bank', 10],
    ['housing', 40],
    ['shelter', 80],
  ]);
  const synonyms = new SynonymTable();
  const options = { spelling: 'missing' as const, synonyms: true, forms: true };

  it('drops stop words, corrects, and expands synonyms', () => {
    const plan = planQuery('I need a foood bank near me', vocabulary, synonyms, options);
    expect(plan.corrections).toEqual([{ from: 'foood', to: 'food' }]);
    expect(plan.concepts).toHaveLength(1);
    expect(plan.concepts[0]!.phrases.map((p) => p.join(' '))).toContain('pantry');
  });

  it('translates Spanish without correcting it', () => {
    const plan = planQuery('albergue', vocabulary, synonyms, options);
    expect(plan.corrections).toEqual([]);
    expect(plan.concepts[0]!.phrases.map((p) => p.join(' '))).toEqual([
      'albergue',
      'shelter',
      'housing',
    ]);
  });

  it('keeps stop words when the query has nothing else', () => {
    expect(planQuery('where', vocabulary, synonyms, options).concepts[0]!.words).toEqual(['where']);
  });
});

describe('SynonymTable', () => {
  it('matches the longest key phrase', () => {
    const table = new SynonymTable(
      [
        ['food bank', 'pantry'],
        ['food', 'meals'],
      ],
      [],
    );
    expect(table.match(['food', 'bank', 'x'], 0)?.length).toBe(2);
    expect(table.match(['food', 'x'], 0)?.phrases).toEqual([['meals']]);
    expect(table.match(['x'], 0)).toBeUndefined();
  });
});
