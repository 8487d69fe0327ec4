import { describe, expect, it } from 'vitest';
import { readJson, SourceError, whereIs } from '../src/index.js';

function syntaxError(text: string): string {
  try {
    readJson(text, { file: 'bad.json' });
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
  throw new Error('expected a syntax error');
}

describe('readJson', () => {
  const text = `[
  {
    "name": "La Casa",
    "age": null,
    "location": { "latitude": 37.7712479, "longitude": -122.41940090000003 },
    "services": [{ "category": "housing", "open": true }],
    "hours": {}
  },
  { "name": "Glide" }
]`;

  it('makes a record of each item of a top-level array, its scalars flattened by path', () => {
    const document = readJson(text, { file: 'linksf.json' });
    expect(document.records.map((record) => record.line)).toEqual([2, 9]);
    expect(document.records[0]?.fields).toEqual({
      name: 'La Casa',
      'location.latitude': '37.7712479',
      'location.longitude': '-122.41940090000003',
      'services[0].category': 'housing',
      'services[0].open': 'true',
    });
    expect(document.records[0]?.value).toEqual(JSON.parse(text)[0]);
    expect(document.value).toEqual(JSON.parse(text));
  });

  it('knows the line and column of every value', () => {
    const [first, second] = readJson(text, { file: 'linksf.json' }).records;
    expect(first?.positions['location.longitude']).toEqual({ line: 5, column: 56 });
    expect(whereIs(first!, 'services[0].category')).toBe('linksf.json:6:32');
    expect(whereIs(second!, 'name')).toBe('linksf.json:9:13');
  });

  it('makes one record of a top-level object, and reads bytes with a BOM', () => {
    const bytes = new TextEncoder().encode('\uFEFF{"a": {"b": [1, "x"]}}');
    const document = readJson(bytes);
    expect(document.decoding.bom).toBe(true);
    expect(document.records).toEqual([
      {
        file: 'input',
        line: 1,
        fields: { 'a.b[0]': '1', 'a.b[1]': 'x' },
        positions: { 'a.b[0]': { line: 1, column: 14 }, 'a.b[1]': { line: 1, column: 17 } },
        value: { a: { b: [1, 'x'] } },
      },
    ]);
  });

  it('reports a key repeated in one object (JSON.parse would keep the last without a word)', () => {
    const document = readJson('{"id": 1,\n "id": 2}', { file: 'twice.json' });
    expect(document.value).toEqual({ id: 2 });
    expect(document.issues).toEqual([
      {
        file: 'twice.json',
        line: 2,
        column: 2,
        severity: 'warning',
        message: 'key "id" repeated in one object; the last one is kept',
      },
    ]);
  });

  it('decodes escapes as JSON.parse does', () => {
    const source = String.raw`["a\"b\\c\/d\n\t\u00e9\ud834\udd1e"]`;
    expect(readJson(source).value).toEqual(JSON.parse(source));
  });

  it('says where a syntax error is, by line and column', () => {
    expect(syntaxError('[\n  {"a": 1,}\n]')).toBe(
      'bad.json:2:11: expected a property name in double quotes',
    );
    expect(syntaxError('{"a": 1\n "b": 2}')).toBe(
      `bad.json:2:2: expected ',' or '}' after the value of "a"`,
    );
    expect(syntaxError('[1, 2\n')).toBe("bad.json:2:1: expected ',' or ']' after item 1");
    expect(syntaxError('{"a": "no end}')).toBe('bad.json:1:7: a string is never closed');
    expect(syntaxError('{"a": tru}')).toBe("bad.json:1:7: expected 'true'");
    expect(syntaxError('{"a": 01}')).toBe(
      `bad.json:1:8: expected ',' or '}' after the value of "a"`,
    );
    expect(syntaxError('[] []')).toBe('bad.json:1:4: unexpected text after the JSON value');
    expect(syntaxError('"tab\there"')).toBe(
      'bad.json:1:5: a control character inside a string must be escaped',
    );
    expect(syntaxError('')).toBe('bad.json:1:1: the text ends where a value should be');
  });
});

describe('readJson on hostile input', () => {
  it('refuses nesting deeper than 512 levels with the file, line and column', () => {
    const deep = `[\n${'['.repeat(5000)}${']'.repeat(5000)}\n]`;
    expect(syntaxError(deep)).toBe('bad.json:2:512: nesting deeper than 512 levels');
    const objects = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    expect(syntaxError(objects)).toBe('bad.json:1:2561: nesting deeper than 512 levels');
  });

  it('reads 512 levels of nesting', () => {
    const text = `${'['.repeat(511)}{"a": 1}${']'.repeat(511)}`;
    const path = `${'[0]'.repeat(510)}.a`;
    expect(readJson(text).records[0]?.fields).toEqual({ [path]: '1' });
  });

  it('reads a 10-million-character key and string without overflowing the stack', () => {
    const key = 'k'.repeat(10_000_000);
    const document = readJson(`[{"${key}": "${'\\n'.repeat(1_000_000)}v"}]`, { file: 'big.json' });
    const value = document.records[0]?.value as Record<string, string>;
    expect(Object.keys(value)[0]?.length).toBe(10_000_000);
    expect(value[key]?.length).toBe(1_000_001);
  });
});
