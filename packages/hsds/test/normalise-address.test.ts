// US addresses: one-line addresses and export columns in the style of the agencies' data; random
// valid addresses written several ways read back to the same fields; arbitrary text never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HsdsAddressFields,
  normaliseUsAddress,
  parseUsAddress,
  stateCode,
} from '../src/normalise/index.js';

describe('parseUsAddress', () => {
  it('splits street, unit, city, state and ZIP, keeping bracketed directions aside', () => {
    expect(
      parseUsAddress(
        '1360 Mission Street Suite 201, San Francisco, CA  94103 (between 9th and 10th)',
      ),
    ).toEqual({
      address: {
        address_1: '1360 Mission Street',
        address_2: 'Suite 201',
        city: 'San Francisco',
        state_province: 'CA',
        postal_code: '94103',
        country: 'US',
        address_type: 'physical',
      },
      problems: [],
      notes: ['between 9th and 10th'],
    });
    expect(parseUsAddress('12 Oak Ave\nSpringfield, MA 01103-1234').address).toMatchObject({
      address_1: '12 Oak Ave',
      city: 'Springfield',
      state_province: 'MA',
      postal_code: '01103-1234',
    });
    expect(parseUsAddress('123 Main St Springfield IL 62701').address).toMatchObject({
      address_1: '123 Main St',
      city: 'Springfield',
      state_province: 'IL',
    });
  });

  it('keeps DC quadrants with the street and reads dotted or spelt-out states', () => {
    expect(parseUsAddress('1200 First Street, NE, Washington, DC 20002').address).toMatchObject({
      address_1: '1200 First Street, NE',
      city: 'Washington',
      state_province: 'DC',
    });
    expect(parseUsAddress('P.O. Box 6987, Washington, D.C. 20005').address).toMatchObject({
      address_1: 'PO Box 6987',
      state_province: 'DC',
      address_type: 'postal',
    });
    expect(
      parseUsAddress('500 Pine St, Attn: Intake, Reno, Nevada 89501, USA').address,
    ).toMatchObject({
      attention: 'Intake',
      city: 'Reno',
      state_province: 'NV',
      country: 'US',
    });
  });

  it('reports a missing or malformed ZIP and never makes one up', () => {
    const noZip = parseUsAddress('474 Valencia Street, Suite 295');
    expect(noZip.address).toEqual({
      address_1: '474 Valencia Street',
      address_2: 'Suite 295',
      country: 'US',
      address_type: 'physical',
    });
    expect(noZip.problems).toEqual([
      { kind: 'missing', field: 'city' },
      { kind: 'missing', field: 'state_province' },
      { kind: 'missing', field: 'postal_code' },
    ]);
    const badZip = parseUsAddress('123 Main St, Springfield, CA 9410');
    expect(badZip.address.postal_code).toBeUndefined();
    expect(badZip.problems).toEqual([{ kind: 'invalid', field: 'postal_code', value: '9410' }]);
  });

  it('does not take a street suffix or a city for a state', () => {
    expect(parseUsAddress('123 Main Ct').address.state_province).toBeUndefined();
    const dc = parseUsAddress('123 Main St, Washington 20001');
    expect(dc.address).toMatchObject({ city: 'Washington', postal_code: '20001' });
    expect(dc.problems).toEqual([{ kind: 'missing', field: 'state_province' }]);
    expect(parseUsAddress('995 Market St, 5th Floor, SF 94103').address).toMatchObject({
      address_2: '5th Floor',
      city: 'SF',
    });
    expect(parseUsAddress('123 Main St, Anytown, ZZ 12345').problems).toEqual([
      { kind: 'invalid', field: 'state_province', value: 'ZZ' },
    ]);
  });
});

describe('normaliseUsAddress', () => {
  it('normalises export columns: state names, ZIP+4 without a dash, country, units, Attn', () => {
    expect(
      normaliseUsAddress({
        address_1: '25 Van Ness Ave Suite 345',
        city: 'San Francisco',
        state_province: 'California',
        postal_code: '941026033',
        country: 'United States',
      }),
    ).toEqual({
      address: {
        address_1: '25 Van Ness Ave',
        address_2: 'Suite 345',
        city: 'San Francisco',
        state_province: 'CA',
        postal_code: '94102-6033',
        country: 'US',
        address_type: 'physical',
      },
      problems: [],
      notes: [],
    });
    expect(
      normaliseUsAddress({
        address_1: '1210 I St SE',
        address_2: 'ATTN: CalFresh',
        city: 'Washington',
        state_province: 'dc',
        postal_code: '20002 4725',
      }).address,
    ).toMatchObject({ attention: 'CalFresh', state_province: 'DC', postal_code: '20002-4725' });
  });

  it('marks PO boxes postal and reports unreadable fields', () => {
    const box = normaliseUsAddress({
      address_1: 'po box 2205',
      city: 'bellingham',
      state_province: 'wa',
      postal_code: '98227',
      country: 'us',
    });
    expect(box.address).toMatchObject({
      address_1: 'PO Box 2205',
      address_type: 'postal',
      state_province: 'WA',
    });
    const bad = normaliseUsAddress({
      address_1: '1 Main St',
      city: 'Springfield',
      state_province: '-1',
      postal_code: '200011',
      country: 'Canada',
    });
    expect(bad.address).toEqual({
      address_1: '1 Main St',
      city: 'Springfield',
      address_type: 'physical',
    });
    expect(bad.problems).toEqual([
      { kind: 'invalid', field: 'state_province', value: '-1' },
      { kind: 'invalid', field: 'postal_code', value: '200011' },
      { kind: 'invalid', field: 'country', value: 'Canada' },
    ]);
    expect(
      normaliseUsAddress({ address_1: '1 Main St' }, { addressType: 'postal' }).address
        .address_type,
    ).toBe('postal');
  });

  it('splits a whole address given as the first line', () => {
    expect(
      normaliseUsAddress({ address_1: '10 Main St, Springfield, IL 62701' }).address,
    ).toMatchObject({
      address_1: '10 Main St',
      city: 'Springfield',
      state_province: 'IL',
      postal_code: '62701',
    });
  });
});

describe('stateCode', () => {
  it('knows codes, names and the usual abbreviations', () => {
    expect(
      [
        'wa',
        'Washington',
        'Wash.',
        'D.C.',
        'District of Columbia',
        'Calif',
        'N.Y.',
        'Puerto Rico',
      ].map(stateCode),
    ).toEqual(['WA', 'WA', 'WA', 'DC', 'DC', 'CA', 'NY', 'PR']);
    expect(stateCode('ZZ')).toBeUndefined();
  });
});

const STREETS = [
  'Main',
  'Oak',
  'Mission',
  'Valencia',
  'Cedar Hill',
  'Martin Luther King Jr',
  '5th',
  '23rd',
];
const SUFFIXES = ['St', 'Street', 'Ave', 'Avenue', 'Blvd', 'Rd', 'Way', 'Ln', 'Dr'];
const UNITS = ['Suite 200', 'Ste 4', 'Apt 4B', 'Rm 12', '#5', '3rd Floor', 'Unit 7', 'Room 101'];
const CITIES = [
  'Springfield',
  'San Francisco',
  'Bellingham',
  'Silver Spring',
  'Des Moines',
  'Takoma',
  'El Cerrito',
];
const STATES: readonly [string, string][] = [
  ['CA', 'California'],
  ['WA', 'Washington'],
  ['DC', 'District of Columbia'],
  ['NY', 'New York'],
  ['MD', 'Maryland'],
  ['IL', 'Illinois'],
  ['OR', 'Oregon'],
  ['IN', 'Indiana'],
];

const address = fc.record({
  street: fc.oneof(
    fc
      .tuple(
        fc.integer({ min: 1, max: 99999 }),
        fc.constantFrom(...STREETS),
        fc.constantFrom(...SUFFIXES),
      )
      .map(([n, s, x]) => `${n} ${s} ${x}`),
    fc.integer({ min: 1, max: 999999 }).map((n) => `PO Box ${n}`),
  ),
  unit: fc.option(fc.constantFrom(...UNITS), { nil: undefined }),
  city: fc.constantFrom(...CITIES),
  state: fc.constantFrom(...STATES),
  zip: fc
    .tuple(
      fc.integer({ min: 0, max: 99999 }),
      fc.option(fc.integer({ min: 0, max: 9999 }), { nil: undefined }),
    )
    .map(
      ([z, p]) =>
        String(z).padStart(5, '0') + (p === undefined ? '' : `-${String(p).padStart(4, '0')}`),
    ),
  style: fc.constantFrom('commas', 'unit-inline', 'state-name', 'two-lines', 'no-commas'),
});

describe('parseUsAddress, properties', () => {
  it('reads back random valid addresses written in several ways', () => {
    fc.assert(
      fc.property(address, ({ street, unit, city, state: [code, name], zip, style }) => {
        const box = street.startsWith('PO Box');
        const withUnit = box ? undefined : unit;
        const u = withUnit ? `, ${withUnit}` : '';
        const text = {
          commas: `${street}${u}, ${city}, ${code} ${zip}`,
          'unit-inline': `${street}${withUnit ? ` ${withUnit}` : ''}, ${city}, ${code} ${zip}`,
          'state-name': `${street}${u}, ${city}, ${name} ${zip}`,
          'two-lines': `${street}${u}\n${city}, ${code} ${zip}`,
          'no-commas': `${street}${withUnit ? ` ${withUnit}` : ''} ${city} ${code} ${zip}`,
        }[style];
        const expected: HsdsAddressFields = {
          address_1: street,
          ...(withUnit ? { address_2: withUnit } : {}),
          city,
          state_province: code,
          postal_code: zip,
          country: 'US',
          address_type: box ? 'postal' : 'physical',
        };
        const parse = parseUsAddress(text);
        expect(parse.address, text).toEqual(expected);
        expect(parse.problems, text).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary text, and reports every required field it leaves out', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const { address, problems } = parseUsAddress(text);
        for (const field of ['address_1', 'city', 'state_province', 'postal_code'] as const) {
          if (!address[field]) expect(problems.some((p) => p.field === field)).toBe(true);
        }
        normaliseUsAddress({
          address_1: text,
          city: text,
          state_province: text,
          postal_code: text,
          country: text,
        });
      }),
      { numRuns: 500 },
    );
  });
});
