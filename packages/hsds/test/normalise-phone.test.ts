// Phone numbers in agency fields: hand-made cases in the style of the exports, a format → parse
// round trip of random valid numbers with extensions and labels, and arbitrary text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNanp, type HsdsPhoneType, parsePhones } from '../src/normalise/index.js';

const numbers = (text: string, options = {}) =>
  parsePhones(text, options).phones.map((p) => [
    p.e164 ?? p.national,
    p.phone.extension,
    p.phone.type,
  ]);

describe('parsePhones', () => {
  it('reads several numbers with their extensions and types from one field', () => {
    const parse = parsePhones('(206) 555-0100 ext. 12; fax 206-555-0199');
    expect(parse.phones.map((p) => p.phone)).toEqual([
      { number: '+12065550100', extension: 12, type: 'voice' },
      { number: '+12065550199', type: 'fax', description: 'fax' },
    ]);
    expect(parse.phones.map((p) => p.national)).toEqual(['(206) 555-0100', '(206) 555-0199']);
    expect(parse.unparsed).toEqual([]);
  });

  it('keeps N11 service codes as they are, typed by their label', () => {
    expect(numbers('TTY: 711')).toEqual([['711', undefined, 'textphone']]);
    expect(numbers('211')).toEqual([['211', undefined, 'voice']]);
    expect(numbers('(   ) 311-')).toEqual([['311', undefined, 'voice']]);
    expect(numbers('Call 211 for help')).toEqual([['211', undefined, 'voice']]);
    expect(numbers('Suite 211')).toEqual([]);
  });

  it('turns vanity letters into digits and drops the digits repeated after them', () => {
    expect(numbers('1-800-273-TALK')).toEqual([['+18002738255', undefined, 'voice']]);
    expect(numbers('1-800-273-TALK (8255)')).toEqual([['+18002738255', undefined, 'voice']]);
    expect(numbers('202-MISSION')).toEqual([['+12026477466', undefined, 'voice']]);
    expect(numbers('(800) 4CA-NCER')).toEqual([['+18004226237', undefined, 'voice']]);
    expect(numbers('866- DC-VOTES')).toEqual([['+18663286837', undefined, 'voice']]);
  });

  it('does not read a placeholder mask or words after a number as vanity letters', () => {
    expect(parsePhones('(510) XXX-XXXX')).toEqual({ phones: [], unparsed: ['(510) XXX-XXXX'] });
    expect(numbers('(202) 555-0143 TTY')).toEqual([['+12025550143', undefined, 'textphone']]);
  });

  it('completes seven-digit numbers only with a default area code, and says so', () => {
    expect(parsePhones('555-0100 x3')).toEqual({ phones: [], unparsed: ['555-0100 x3'] });
    const parse = parsePhones('555-0100 x3', { defaultAreaCode: '206' });
    expect(parse.phones).toHaveLength(1);
    expect(parse.phones[0]).toMatchObject({ e164: '+12065550100', areaCodeAssumed: true });
    expect(parse.phones[0]!.phone.extension).toBe(3);
  });

  it('accepts the separators and extension spellings of real exports', () => {
    for (const [text, e164, ext] of [
      ['(202) 347- 8500', '+12023478500', undefined],
      ['202-722=4404', '+12027224404', undefined],
      ['(202) 606/ 3237', '+12026063237', undefined],
      ['415. 775-9956', '+14157759956', undefined],
      ['1-(800) 933-5470', '+18009335470', undefined],
      ['(202 454-6400', '+12024546400', undefined],
      ['4152823334 x116', '+14152823334', 116],
      ['(202) 797-8806 xt 1068', '+12027978806', 1068],
      ['(202) 966- 7623 ex. 3301', '+12029667623', 3301],
      ['800-526-4824 #2', '+18005264824', 2],
      ['641-715-3900 Ext. 606151#', '+16417153900', 606151],
      ['202-387-7091X500', '+12023877091', 500],
      ['(415) 615-9945, ext. 114', '+14156159945', 114],
    ] as const) {
      expect(numbers(text), text).toEqual([[e164, ext, 'voice']]);
    }
  });

  it('reports what looks like a number but is not one, and invents nothing', () => {
    for (const text of [
      '(202) 565-500',
      '(415) 861-86447',
      '(202) 727-442-6100',
      '(023) 345-6789',
      '(202) 123-4567',
      '415239300',
    ]) {
      const parse = parsePhones(text);
      expect(parse.phones, text).toEqual([]);
      expect(parse.unparsed, text).toEqual([text]);
    }
    expect(parsePhones('ext. 223')).toEqual({ phones: [], unparsed: ['ext. 223'] });
    expect(parsePhones('same as intake')).toEqual({ phones: [], unparsed: [] });
    expect(parsePhones('Requested to be taken out 02/13/12')).toEqual({ phones: [], unparsed: [] });
  });

  it('labels each number with the text around it', () => {
    const parse = parsePhones(
      'Crisis line: 877-555-0150. Teen crisis line: 877-555-0170 (counseling & referrals only). Call 877-555-0150 anytime',
    );
    expect(parse.phones.map((p) => [p.e164, p.phone.description])).toEqual([
      ['+18775550150', 'Crisis line'],
      ['+18775550170', 'Teen crisis line — counseling & referrals only'],
    ]);
    expect(numbers('301 555-0153 (Ducat); 202 555-0164 (Berman)')).toEqual([
      ['+13015550153', undefined, 'voice'],
      ['+12025550164', undefined, 'voice'],
    ]);
    expect(numbers('703-555-0111  cell is 301-555-0122')).toEqual([
      ['+17035550111', undefined, 'voice'],
      ['+13015550122', undefined, 'cell'],
    ]);
    expect(numbers('251-555-0156 (cell phone)')).toEqual([['+12515550156', undefined, 'cell']]);
  });

  it('takes the type from a label given beside the number, or from the column', () => {
    expect(parsePhones('(202) 555-0100', { label: 'TTY/TDD Number' }).phones[0]!.phone).toEqual({
      number: '+12025550100',
      type: 'textphone',
      description: 'TTY/TDD Number',
    });
    expect(numbers('202-555-0100', { defaultType: 'fax' })).toEqual([
      ['+12025550100', undefined, 'fax'],
    ]);
    expect(numbers('Text 415-555-0100')).toEqual([['+14155550100', undefined, 'text']]);
  });

  it('writes the national number when asked', () => {
    expect(parsePhones('2065550100', { numberFormat: 'national' }).phones[0]!.phone.number).toBe(
      '(206) 555-0100',
    );
  });
});

// Random valid NANP numbers: area code and exchange from 2-9, the area code not an N11 code.
const nanp = fc
  .tuple(
    fc.integer({ min: 200, max: 999 }).filter((a) => a % 100 !== 11),
    fc.integer({ min: 200, max: 999 }),
    fc.integer({ min: 0, max: 9999 }),
  )
  .map(([a, e, l]) => `${a}${e}${String(l).padStart(4, '0')}`);

const STYLES = ['national', 'dashed', 'dotted', 'international', 'e164'] as const;
const EXTENSIONS = [
  ' ext. ',
  ' ext ',
  ' x',
  ' x ',
  ' Ext: ',
  ' extension ',
  ', ext. ',
  ' #',
] as const;
const LABELS: readonly [string, HsdsPhoneType][] = [
  ['', 'voice'],
  ['Main: ', 'voice'],
  ['Fax: ', 'fax'],
  ['TTY ', 'textphone'],
  ['TDD: ', 'textphone'],
  ['Cell: ', 'cell'],
  ['Text ', 'text'],
];

describe('parsePhones, properties', () => {
  it('reads back any valid number written in any style, with its extension and label', () => {
    fc.assert(
      fc.property(
        nanp,
        fc.constantFrom(...STYLES),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 99999 }), { nil: undefined }),
        fc.constantFrom(...EXTENSIONS),
        fc.constantFrom(...LABELS),
        (digits, style, longDistance, extension, extensionMark, [label, type]) => {
          const written =
            (longDistance && style !== 'international' && style !== 'e164' ? '1-' : '') +
            formatNanp(digits, style);
          const text = `${label}${written}${extension === undefined ? '' : `${extensionMark}${extension}`}`;
          const parse = parsePhones(text);
          expect(parse.unparsed).toEqual([]);
          expect(parse.phones).toHaveLength(1);
          const [phone] = parse.phones;
          expect(phone!.e164).toBe(`+1${digits}`);
          expect(phone!.national).toBe(formatNanp(digits, 'national'));
          expect(phone!.phone.extension).toBe(extension);
          expect(phone!.phone.type).toBe(type);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads two different numbers joined as exports join them, in order', () => {
    fc.assert(
      fc.property(
        nanp,
        nanp,
        fc.constantFrom('; ', ' or ', ', ', ' / ', '\n', '  '),
        (a, b, join) => {
          fc.pre(a !== b);
          const parse = parsePhones(
            `${formatNanp(a, 'national')}${join}${formatNanp(b, 'dashed')}`,
          );
          expect(parse.phones.map((p) => p.e164)).toEqual([`+1${a}`, `+1${b}`]);
        },
      ),
    );
  });

  it('never throws, and every number it returns is valid', () => {
    const phoneish = fc.string({
      unit: fc.constantFrom(...'0123456789()-. +/=xX#extTAKLFa:;,'.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), phoneish), (text) => {
        const parse = parsePhones(text, { defaultAreaCode: '415' });
        for (const p of parse.phones) {
          if (p.e164) expect(p.e164).toMatch(/^\+1[2-9]\d{2}[2-9]\d{6}$/);
          else expect(p.national).toMatch(/^[2-9]11$/);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
