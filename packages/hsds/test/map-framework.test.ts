// The mapping framework on hand-made exports in layouts of no real agency: a semicolon-separated
// CSV in Windows-1252, and the hint when a mapper misses the delimiter.
import { describe, expect, it } from 'vitest';
import { defineMapper, formatMapIssue, mapExport, validateRecords } from '../src/index.js';

const spec = {
  layout: 'bayou-food',
  description: 'A made-up county food bank export (semicolons, Windows-1252)',
  format: 'csv',
  requiredColumns: ['Id', 'Nom', 'Téléphone'],
  recordId: 'Id',
  organization: { name: 'Organisme' },
  service: { name: 'Nom' },
  phones: [{ value: 'Téléphone' }],
} as const;

// "Id;Nom;Organisme;Téléphone" with é as the single byte 0xE9 (Windows-1252).
function latin1(text: string): Uint8Array {
  return Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
}
const bytes = latin1(
  'Id;Nom;Organisme;T\u00e9l\u00e9phone\r\n7;Banque alimentaire;Bayou Aide;(337) 555-0143\r\n',
);

describe('mapper CSV options', () => {
  it('reads a semicolon-separated export when the mapper names the delimiter', () => {
    const mapper = defineMapper({ ...spec, csv: { delimiter: ';' } });
    const result = mapExport(mapper, { agency: 'bayou-food', file: 'food.csv', bytes });
    expect(result.missingColumns).toEqual([]);
    expect(result.encoding).toMatch(/Windows-1252/);
    expect(result.services.map((s) => [s.service.name, s.service.phones?.[0]?.number])).toEqual([
      ['Banque alimentaire', '+13375550143'],
    ]);
    expect(
      validateRecords({ service: result.services.map((s) => s.service) }).tables.service?.invalid,
    ).toBe(0);
  });

  it('says which option reads it when the delimiter is missed', () => {
    const result = mapExport(defineMapper(spec), { agency: 'bayou-food', file: 'food.csv', bytes });
    expect(result.services).toEqual([]);
    expect(result.issues.map(formatMapIssue)[0]).toBe(
      "food.csv:1: error: the header is one column holding ';': if the export is separated by ';', give the mapper csv: { delimiter: ';' }",
    );
  });

  it('reports a last update that is not an ISO date, and a bad website once', () => {
    const mapper = defineMapper({
      ...spec,
      csv: { delimiter: ';' },
      organization: { name: 'Organisme', website: 'Téléphone' },
      service: { name: 'Nom', url: 'Téléphone' },
      updatedAt: () => 'yesterday',
    });
    const result = mapExport(mapper, { agency: 'bayou-food', file: 'food.csv', bytes });
    expect(result.services[0]?.updatedAt).toBeUndefined();
    expect(result.issues.filter((i) => i.line === 2).map((i) => i.message)).toEqual([
      'website "(337) 555-0143" left out: not a URL',
      'last update "yesterday" is not an ISO 8601 date: left out',
    ]);
  });
});
