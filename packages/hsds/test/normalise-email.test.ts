// E-mail fields and the RFC 3986 form of URLs, as HSDS's `email` and `uri` formats want them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseEmail, normaliseUrl, validateRecord } from '../src/index.js';

describe('normaliseEmail', () => {
  it('takes the first valid address and keeps the others', () => {
    expect(normaliseEmail('aob@yahoo.com; joy@Yahoo.COM')).toEqual({
      email: 'aob@yahoo.com',
      others: ['joy@yahoo.com'],
    });
    expect(normaliseEmail('mailto:Info@Example.org.')).toEqual({
      email: 'Info@example.org',
      others: [],
    });
    expect(normaliseEmail('use linkedin for Joyce Braak,M.D.')).toEqual({ others: [] });
  });

  it('gives only addresses HSDS accepts, and never throws', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const { email } = normaliseEmail(text);
        if (email === undefined) return;
        const service = {
          id: '00000000-0000-4000-8000-000000000000',
          name: 'x',
          status: 'active',
          email,
        };
        expect(validateRecord('service', service).valid).toBe(true);
      }),
    );
  });
});

describe('normaliseUrl in RFC 3986 form', () => {
  it('escapes what the URL standard leaves in paths but RFC 3986 forbids', () => {
    const result = normaliseUrl('http://ddoe.dc.gov/ddoe/cwp/view,a,1209,ddoeNav,|31424|.asp');
    expect(result).toMatchObject({
      kind: 'url',
      url: 'http://ddoe.dc.gov/ddoe/cwp/view,a,1209,ddoeNav,%7C31424%7C.asp',
    });
    const url = result.kind === 'url' ? result.url : '';
    const service = {
      id: '00000000-0000-4000-8000-000000000000',
      name: 'x',
      status: 'active',
      url,
    };
    expect(validateRecord('service', service).valid).toBe(true);
    expect(normaliseUrl(url)).toMatchObject({ url });
  });
});
