// Website fields: hand-made cases in the style of the exports; normalising is idempotent and
// lower-cases the host of random URLs; arbitrary text never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseUrl } from '../src/normalise/index.js';

const url = (text: string) => {
  const r = normaliseUrl(text);
  return r.kind === 'url' ? r.url : r.kind;
};

describe('normaliseUrl', () => {
  it('adds a missing scheme, lower-cases scheme and host, keeps path and query', () => {
    expect(url('www.example.org')).toBe('http://www.example.org/');
    expect(url('dchealth.example.gov')).toBe('http://dchealth.example.gov/');
    expect(url('HTTP://www.Example.ORG')).toBe('http://www.example.org/');
    expect(url('WWW.Example.ORG/Programs/Index.html?ID=7#Top')).toBe(
      'http://www.example.org/Programs/Index.html?ID=7#Top',
    );
    expect(url('www.example.org')).toBe('http://www.example.org/');
    expect(normaliseUrl('example.org', { defaultScheme: 'https' })).toMatchObject({
      url: 'https://example.org/',
    });
  });

  it('repairs the scheme typos and spaces agencies type', () => {
    expect(url('hhttp://www.example.gov/dhs/site/default.asp')).toBe(
      'http://www.example.gov/dhs/site/default.asp',
    );
    expect(url('http:// www.example.gov')).toBe('http://www.example.gov/');
    expect(url('https//example.org')).toBe('https://example.org/');
    expect(url('http:/example.org')).toBe('http://example.org/');
  });

  it('drops default ports and trailing junk, keeps other ports', () => {
    expect(url('http://example.org:80/a')).toBe('http://example.org/a');
    expect(url('https://example.org:443/')).toBe('https://example.org/');
    expect(url('example.org:8080/a')).toBe('http://example.org:8080/a');
    expect(url('www.example.org.')).toBe('http://www.example.org/');
    expect(url('(www.example.org),')).toBe('http://www.example.org/');
    expect(url('<http://example.org/a>')).toBe('http://example.org/a');
    expect(url('http://en.example.org/wiki/Foo_(bar)')).toBe(
      'http://en.example.org/wiki/Foo_(bar)',
    );
  });

  it('keeps further URLs of the same field, and words of a path with a space', () => {
    expect(normaliseUrl('http://www.example.org/chapters/north http://north.example.org')).toEqual({
      kind: 'url',
      url: 'http://www.example.org/chapters/north',
      others: ['http://north.example.org/'],
    });
    expect(normaliseUrl('http://www.example.org/, www.example.net')).toMatchObject({
      others: ['http://www.example.net/'],
    });
    expect(url('www.example.org/serving neighbors')).toBe(
      'http://www.example.org/serving%20neighbors',
    );
  });

  it('tells e-mail addresses, placeholders and non-URLs apart', () => {
    expect(normaliseUrl('Info@Example.ORG')).toEqual({ kind: 'email', email: 'Info@example.org' });
    expect(normaliseUrl('mailto:info@example.org')).toEqual({
      kind: 'email',
      email: 'info@example.org',
    });
    for (const text of [
      '*NO website',
      '*no website*',
      '*working on website*',
      'no website',
      'N/A',
      'none',
    ]) {
      expect(normaliseUrl(text), text).toEqual({ kind: 'none', reason: 'placeholder' });
    }
    expect(normaliseUrl('  ')).toEqual({ kind: 'none', reason: 'empty' });
    expect(normaliseUrl('http://www.example.clickhere2')).toMatchObject({ kind: 'invalid' });
    expect(normaliseUrl('www..example.org')).toMatchObject({ kind: 'invalid' });
    expect(normaliseUrl('ftp://example.org')).toMatchObject({ kind: 'invalid' });
    expect(normaliseUrl('localhost')).toMatchObject({ kind: 'invalid' });
  });
});

const label = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?$/);
const host = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-zA-Z]{2,6}$/))
  .map(([labels, tld]) => [...labels, tld].join('.'));
const path = fc
  .array(fc.stringMatching(/^[A-Za-z0-9._~%-]{1,8}$/), { maxLength: 3 })
  .map((p) => p.join('/'));
const query = fc.option(fc.stringMatching(/^[A-Za-z0-9=&_.-]{1,12}$/), { nil: undefined });
const randomUrl = fc
  .tuple(
    fc.constantFrom('', 'http://', 'https://', 'HTTP://', 'Https://'),
    host,
    fc.constantFrom('', ':80', ':443', ':8080'),
    path,
    query,
  )
  .map(([scheme, h, port, p, q]) => ({
    text: `${scheme}${h}${port}/${p}${q ? `?${q}` : ''}`,
    host: h,
  }));

describe('normaliseUrl, properties', () => {
  it('is idempotent and lower-cases the host of any URL it accepts', () => {
    fc.assert(
      fc.property(randomUrl, ({ text, host }) => {
        const once = normaliseUrl(text);
        if (once.kind !== 'url') return;
        expect(new URL(once.url).hostname).toBe(host.toLowerCase());
        expect(normaliseUrl(once.url)).toEqual(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary text, and normalising its URL again changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const once = normaliseUrl(text);
        if (once.kind === 'url')
          expect(normaliseUrl(once.url)).toMatchObject({ kind: 'url', url: once.url });
      }),
      { numRuns: 1000 },
    );
  });
});
