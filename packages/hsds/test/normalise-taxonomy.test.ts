// AIRS/211 taxonomy codes: code shapes, separators, target combinations, pairing with the
// export's terms (and refusing to pair when the lists do not line up), merged term sets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AIRS_TAXONOMY,
  isAirsCode,
  parentCode,
  parseTaxonomyCodes,
  TaxonomyTermSet,
  taxonomyTermId,
} from '../src/normalise/index.js';

describe('AIRS codes', () => {
  it('checks the shape of each level', () => {
    for (const code of [
      'B',
      'BD',
      'BD-1800',
      'BD-1800.2000',
      'BD-1800.2000-800',
      'RP-1400.8000-020.15',
    ]) {
      expect(isAirsCode(code), code).toBe(true);
    }
    for (const code of [
      'bd-1800',
      'BDX',
      'BD-180',
      'BD-1800.20',
      'BD-1800.2000-80',
      'BD 1800',
      'BD-1800.2000-800.1',
      '',
    ]) {
      expect(isAirsCode(code), code).toBe(false);
    }
  });

  it('walks up one level at a time', () => {
    expect(
      ['RP-1400.8000-020.15', 'RP-1400.8000-020', 'RP-1400.8000', 'RP-1400', 'RP', 'R'].map(
        parentCode,
      ),
    ).toEqual(['RP-1400.8000-020', 'RP-1400.8000', 'RP-1400', 'RP', 'R', undefined]);
  });

  it('gives each code one stable id', () => {
    expect(taxonomyTermId('BD-1800.2000')).toBe(taxonomyTermId('BD-1800.2000'));
    expect(taxonomyTermId('BD-1800.2000')).not.toBe(taxonomyTermId('BD-1800'));
    expect(taxonomyTermId('BD-1800.2000')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('parseTaxonomyCodes', () => {
  it('splits codes, pairs them with the terms and paths given in the same order', () => {
    const parse = parseTaxonomyCodes('BD-1800.2000; BD-5000.8300', {
      terms: 'Food Pantries; Soup Kitchens; ',
      paths:
        'Basic Needs - Food - Emergency Food - Food Pantries; Basic Needs - Food - Meals - Soup Kitchens',
    });
    expect(parse).toEqual({
      terms: [
        {
          id: taxonomyTermId('BD-1800.2000'),
          code: 'BD-1800.2000',
          name: 'Food Pantries',
          description: 'Basic Needs - Food - Emergency Food - Food Pantries',
          taxonomy: AIRS_TAXONOMY,
        },
        {
          id: taxonomyTermId('BD-5000.8300'),
          code: 'BD-5000.8300',
          name: 'Soup Kitchens',
          description: 'Basic Needs - Food - Meals - Soup Kitchens',
          taxonomy: AIRS_TAXONOMY,
        },
      ],
      combinations: [],
      invalid: [],
      paired: true,
    });
  });

  it('reads target combinations and names the target from the path', () => {
    const parse = parseTaxonomyCodes('LV-2400.6300-180 * YL-3300.4500', {
      terms: 'Eye Surgery;',
      paths: 'Health Care - Eye Care - Eye Surgery * Low Income',
    });
    expect(parse.terms.map((t) => [t.code, t.name])).toEqual([
      ['LV-2400.6300-180', 'Eye Surgery'],
      ['YL-3300.4500', 'Low Income'],
    ]);
    expect(parse.combinations).toEqual([
      [taxonomyTermId('LV-2400.6300-180'), taxonomyTermId('YL-3300.4500')],
    ]);
  });

  it('names codes by their code when terms cannot be paired, and reports what is not a code', () => {
    const parse = parseTaxonomyCodes('BR-0900; NL-1000.8500, not a code; P', {
      terms: 'TANF; Medicaid',
    });
    expect(parse.paired).toBe(false);
    expect(parse.terms.map((t) => [t.code, t.name, t.description])).toEqual([
      ['BR-0900', 'BR-0900', ''],
      ['NL-1000.8500', 'NL-1000.8500', ''],
      ['P', 'P', ''],
    ]);
    expect(parse.invalid).toEqual(['not a code']);
  });

  it('does not pair names and paths that disagree', () => {
    const parse = parseTaxonomyCodes('AA-1000; AA-2000', {
      terms: 'Second Term; First Term',
      paths: 'Top - First Term; Top - Second Term',
    });
    expect(parse.paired).toBe(false);
    expect(parse.terms.map((t) => t.name)).toEqual(['AA-1000', 'AA-2000']);
  });

  it('drops the last entry of a text cut at the field width, pairing the rest where they agree', () => {
    const codes = 'AA-1000; AA-2000; AA-3000';
    const terms = 'First; Second; Third; ';
    const cutPaths = `${'Top - First; Top - Second; Top - Thi'.padEnd(40, 'x')}`;
    const parse = parseTaxonomyCodes(codes, { terms, paths: cutPaths, fieldWidth: 40 });
    expect(parse.terms.map((t) => [t.name, t.description])).toEqual([
      ['First', 'Top - First'],
      ['Second', 'Top - Second'],
      ['Third', ''],
    ]);
    const cutCodes = parseTaxonomyCodes('AA-1000; AA-2000; AA-30', { fieldWidth: 23 });
    expect(cutCodes.terms.map((t) => t.code)).toEqual(['AA-1000', 'AA-2000']);
    expect(cutCodes.invalid).toEqual(['AA-30 (cut short)']);
  });

  it('never throws, and every row is a valid code with its own id', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ maxLength: 80 }),
        (codes, terms) => {
          for (const term of parseTaxonomyCodes(codes, { terms }).terms) {
            expect(isAirsCode(term.code)).toBe(true);
            expect(term.id).toBe(taxonomyTermId(term.code));
          }
        },
      ),
    );
  });
});

describe('TaxonomyTermSet', () => {
  it('merges records, links parents present in the set, and lists conflicting names', () => {
    const set = new TaxonomyTermSet();
    set.add(
      parseTaxonomyCodes('BD-1800; BD-1800.2000', { terms: 'Emergency Food; Food Pantries' }),
    );
    set.add(
      parseTaxonomyCodes('BD-1800.2000; BD-5000.8300', { terms: 'Food Banks; Soup Kitchens' }),
    );
    set.add(parseTaxonomyCodes('BD-5000.8300-100'));
    expect(set.rows().map((r) => [r.code, r.name, r.parent_id])).toEqual([
      ['BD-1800', 'Emergency Food', undefined],
      ['BD-1800.2000', 'Food Pantries', taxonomyTermId('BD-1800')],
      ['BD-5000.8300', 'Soup Kitchens', undefined],
      ['BD-5000.8300-100', 'BD-5000.8300-100', taxonomyTermId('BD-5000.8300')],
    ]);
    expect(set.conflicts()).toEqual([
      { code: 'BD-1800.2000', names: ['Food Pantries', 'Food Banks'] },
    ]);
  });
});
