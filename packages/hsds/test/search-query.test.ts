// Query text to FTS5: any string, quotes, `*`, `NEAR`, `-`, `:` and brackets included, makes a
// valid MATCH expression (fast-check on arbitrary strings); tokenising folds as the index does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quotePhrase, SearchIndex, tokenize } from '../src/search/index.js';

describe('tokenize', () => {
  it('folds accents and case and splits as unicode61 does', () => {
    expect(tokenize('¿Dónde hay COMIDA para niños?')).toEqual([
      'donde',
      'hay',
      'comida',
      'para',
      'ninos',
    ]);
    expect(tokenize("Women's   shelter/24-hour")).toEqual(['women', 's', 'shelter', '24', 'hour']);
    expect(tokenize('"*" - : ()')).toEqual([]);
  });
});

describe('quotePhrase', () => {
  it('quotes terms, doubling quotes', () => {
    expect(quotePhrase(['food', 'bank'])).toBe('"food bank"');
    expect(quotePhrase(['a"b'])).toBe('"a""b"');
  });
});

describe('search on arbitrary text', () => {
  const index = SearchIndex.create(':memory:');
  index.upsert([
    {
      service: {
        id: 'svc-1',
        name: 'Food NEAR the river: pantry "open" - AND OR NOT',
        status: 'active',
      },
      source: { agency: 'a', layout: 'x', file: 'x', line: 1, recordId: '1' },
      searchable: true,
    },
  ]);
  const syntax = fc.constantFrom(
    '"',
    '*',
    'NEAR',
    'NEAR(',
    '-',
    ':',
    '(',
    ')',
    '^',
    '+',
    'AND',
    'OR',
    'NOT',
    'food',
    ' ',
    '{',
    '}',
    "'",
    '\\',
    '\u0000',
  );

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.array(syntax, { maxLength: 12 }).map((a) => a.join('')),
        ),
        (text) => {
          const r = index.search({ text });
          expect(r.total).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads operators as words', () => {
    expect(index.search({ text: 'NEAR(food river)' }).total).toBe(1);
    expect(index.search({ text: 'food -pantry' }).total).toBe(1);
    expect(index.search({ text: 'name:food*' }).total).toBe(1);
  });
});
