// The normalisers' rows use HSDS 3.0's own field names and value sets, checked at run time
// against the schema files of the shared data (model-fields.test.ts checks the types against
// the generated model). Also the name-based ids.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  normaliseStatus,
  normaliseUsAddress,
  parseLanguages,
  parseOpeningHours,
  parsePhones,
  parseTaxonomyCodes,
  stableId,
} from '../src/normalise/index.js';
import { noSocialData, socialData, socialDataTitle } from './_data.js';

describe('stableId', () => {
  it('is RFC 9562 version 5 (the standard test vector) and stable', () => {
    expect(stableId('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
    expect(stableId('BD-1800')).toBe(stableId('BD-1800'));
    expect(() => stableId('x', 'not-a-uuid')).toThrow(/namespace/);
  });
});

describe.skipIf(noSocialData)(
  socialDataTitle('field names against the HSDS 3.0 schema files'),
  () => {
    const schema = (name: string) =>
      JSON.parse(readFileSync(socialData(`hsds-3.0/schema/${name}.json`), 'utf8')) as {
        properties: Record<string, { enum?: string[] }>;
      };
    const expectHsds = (table: string, rows: readonly object[]) => {
      const { properties } = schema(table);
      for (const row of rows) {
        for (const [key, value] of Object.entries(row)) {
          expect(Object.keys(properties), `${table}.${key}`).toContain(key);
          const allowed = properties[key]!.enum;
          if (allowed) expect(allowed, `${table}.${key}`).toContain(value);
        }
      }
    };

    it('every row the normalisers return has only fields of its HSDS table, with allowed values', () => {
      expectHsds(
        'phone',
        parsePhones('(206) 555-0100 ext. 12; fax 206-555-0199; TTY: 711').phones.map(
          (p) => p.phone,
        ),
      );
      expectHsds('schedule', parseOpeningHours('9-5 M-F (Administrative)').schedules);
      expectHsds('schedule', parseOpeningHours('By appointment').schedules);
      expectHsds('address', [
        normaliseUsAddress({
          address_1: 'PO Box 12',
          address_2: 'Attn: Intake',
          city: 'Reno',
          state_province: 'NV',
          postal_code: '89501',
        }).address,
      ]);
      expectHsds(
        'taxonomy_term',
        parseTaxonomyCodes('BD-1800.2000', { terms: 'Food Pantries' }).terms,
      );
      expectHsds('language', parseLanguages('English, Spanish (limited), Toisanese').languages);
      for (const status of ['Active', 'Inactive', 'Defunct', 'Temporarily closed']) {
        expectHsds('service', [{ status: normaliseStatus(status).status }]);
      }
    });
  },
);
