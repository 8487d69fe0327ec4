// The subtle parts of entity resolution: names, addresses, domains, similarities, union-find,
// one pair's evidence, and records from a mapped service.
import { describe, expect, it } from 'vitest';
import type { MappedService } from '../src/map/mapped.js';
import {
  addressKey,
  compareAddresses,
  DEFAULT_WEIGHTS,
  EntityResolver,
  jaroWinkler,
  nameTokens,
  normaliseName,
  prepareRecord,
  type ResolvableRecord,
  registrableDomain,
  resolvableFromService,
  resolveAll,
  scorePair,
  tokenSetSimilarity,
  UnionFind,
} from '../src/resolve/index.js';

const source = { agency: 'a', layout: 'l', file: 'f.csv', line: 2, recordId: 'r' };
const rec = (id: string, fields: Partial<ResolvableRecord>): ResolvableRecord => ({
  id,
  source,
  name: 'x',
  ...fields,
});

describe('name normalisation', () => {
  it('folds case, accents, punctuation, & and possessives', () => {
    expect(normaliseName("St. Anthony's Dining Room")).toBe('saint anthony dining room');
    expect(normaliseName('HEARING, SPEECH & DEAF CTR')).toBe('hearing speech deaf center');
    expect(normaliseName('Centro Latino de Educación, Inc.')).toBe('centro latino de educacion');
    expect(normaliseName('Salvation Army (Bellingham)')).toBe(
      normaliseName('salvation army - bellingham'),
    );
  });
  it('drops stop words unless nothing else is left', () => {
    expect(nameTokens('The Arc of Whatcom County')).toEqual(['arc', 'whatcom', 'county']);
    expect(nameTokens('The And')).toEqual(['the', 'and']);
  });
});

describe('address keys and comparison', () => {
  it('reads number, street with USPS suffixes, unit and ZIP', () => {
    expect(
      addressKey({
        address_1: '800 Chestnut Str.',
        address_2: 'Suite 1C',
        postal_code: '98225-1234',
      }),
    ).toEqual({ number: '800', street: 'chestnut st', unit: '1c', postal: '98225' });
    expect(addressKey({ address_1: '316 E McLeod Rd,Suite 102' })).toMatchObject({
      number: '316',
      street: 'e mcleod rd',
      unit: '102',
    });
    expect(addressKey({ address_1: 'PO Box 1067' })).toMatchObject({
      number: '1067',
      street: 'po box',
    });
    expect(addressKey({ address_1: '516 High St', address_2: '2nd Floor, Room 256' }).unit).toBe(
      '2 floor 256',
    );
  });
  it('tells the same place, another suite and another street apart', () => {
    const k = (a1: string, a2?: string) =>
      addressKey({ address_1: a1, ...(a2 ? { address_2: a2 } : {}) });
    expect(compareAddresses(k('2800 Douglas Avenue'), k('2800 douglas aven'))).toBe('same');
    expect(compareAddresses(k('1256 North State Street'), k('1256 n state st'))).toBe('same');
    expect(compareAddresses(k('516 High St', 'Room 265'), k('516 High Street', 'Room 540'))).toBe(
      'other unit',
    );
    expect(compareAddresses(k('516 High St', 'Room 265'), k('516 High Street'))).toBe(
      'same street',
    );
    expect(compareAddresses(k('2616 Kwina Road'), k('2665 Kwina Road'))).toBe('different');
    expect(compareAddresses(k(''), k('2665 Kwina Road'))).toBeUndefined();
  });
  it('compares a mailing address only with mailing addresses', () => {
    const mail = addressKey({ address_1: '210 Lottie St', address_type: 'postal' });
    expect(compareAddresses(mail, addressKey({ address_1: '210 Lottie Street' }))).toBeUndefined();
  });
});

describe('registrable domains', () => {
  it('reduces a URL to the domain its owner registered', () => {
    expect(registrableDomain('https://www.btc.edu/programs?x=1')).toBe('btc.edu');
    expect(registrableDomain('bellingham.salvationarmy.org')).toBe('salvationarmy.org');
    expect(registrableDomain('HTTP://WWW.Example.co.uk/')).toBe('example.co.uk');
    expect(registrableDomain('https://www.nv.k12.wa.us')).toBe('nv.k12.wa.us');
    expect(registrableDomain('http://www.co.whatcom.wa.us/123')).toBe('co.whatcom.wa.us');
  });
  it('gives none for shared hosts, e-mail addresses, IPs and junk', () => {
    for (const u of [
      'https://www.facebook.com/foodbank',
      'sites.google.com/view/x',
      'foo.blogspot.com',
      'https://www.yelp.com/biz/x',
      'info@example.org',
      'http://10.0.0.1/',
      'n/a',
      '',
      undefined,
    ]) {
      expect(registrableDomain(u)).toBeUndefined();
    }
  });
});

describe('similarities', () => {
  it('Jaro-Winkler matches the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('', '')).toBe(0);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
  });
  it('token-set similarity forgives word order, a typo and a missing word', () => {
    expect(tokenSetSimilarity(['food', 'bank', 'ferndale'], ['ferndale', 'food', 'bank'])).toBe(1);
    expect(tokenSetSimilarity(['whatcom', 'hospice'], ['whatcom', 'hospise'])).toBe(1);
    expect(tokenSetSimilarity(['arc', 'whatcom', 'county'], ['arc', 'whatcom'])).toBeCloseTo(0.8);
    expect(tokenSetSimilarity([], ['a'])).toBe(0);
  });
});

describe('union-find', () => {
  it('joins sets and lists those of two or more, sorted', () => {
    const u = new UnionFind();
    expect(u.union('c', 'a')).toBe(true);
    expect(u.union('a', 'c')).toBe(false);
    u.union('x', 'y');
    u.union('y', 'b');
    expect(u.find('a')).toBe(u.find('c'));
    expect(u.find('z')).toBe('z');
    expect(u.groups()).toEqual([
      ['a', 'c'],
      ['b', 'x', 'y'],
    ]);
  });
});

describe('pair scores', () => {
  it('explains a match feature by feature', () => {
    const a = prepareRecord(
      rec('1', {
        name: 'Bellingham Food Bank',
        address: { address_1: '1824 Ellis Street', postal_code: '98225' },
        phones: ['+13606767315'],
        website: 'http://bellinghamfoodbank.org',
      }),
    );
    const b = prepareRecord(
      rec('2', {
        name: 'bellingham food bank',
        address: { address_1: '1824 ellis st', postal_code: '98225' },
        phones: ['+13606767315', '+13605550100'],
        website: 'https://www.bellinghamfoodbank.org/give',
      }),
    );
    const s = scorePair(a, b, DEFAULT_WEIGHTS);
    expect(s.evidence.map((e) => `${e.feature}: ${e.outcome}`)).toEqual([
      'name: exact',
      'address: same',
      'postal: same',
      'phone: shared',
      'domain: same',
    ]);
    expect(s.score).toBe(8 + 8 + 1 + 6 + 3);
  });
  it('counts a place given by one record only against the pair', () => {
    const a = prepareRecord(
      rec('1', { name: 'Lummi Nation', address: { address_1: '2665 Kwina Road' } }),
    );
    const b = prepareRecord(rec('2', { name: 'Lummi Nation' }));
    expect(scorePair(a, b, DEFAULT_WEIGHTS).evidence[1]).toEqual({
      feature: 'place',
      outcome: 'given by one only',
      weight: DEFAULT_WEIGHTS.placeOneSided,
    });
  });
});

describe('records from a mapped service', () => {
  it('gives one record per service at a location, named by the organization', () => {
    const m: MappedService = {
      source,
      searchable: true,
      service: {
        id: 's1',
        name: 'Emergency Food',
        status: 'active',
        url: 'https://www.example.org/food',
        organization: { id: 'o1', name: 'Example Food Bank', description: '' },
        phones: [
          { id: 'p1', number: '+12065550100' },
          { id: 'p2', number: '211' },
        ],
        service_at_locations: [
          {
            id: 'sal1',
            location: {
              id: 'l1',
              location_type: 'physical',
              latitude: 47.6,
              longitude: -122.3,
              addresses: [
                {
                  id: 'a0',
                  address_1: 'PO Box 1',
                  city: 'Seattle',
                  state_province: 'WA',
                  postal_code: '98101',
                  country: 'US',
                  address_type: 'postal',
                },
                {
                  id: 'a1',
                  address_1: '1 Main St',
                  city: 'Seattle',
                  state_province: 'WA',
                  postal_code: '98101',
                  country: 'US',
                  address_type: 'physical',
                },
              ],
            },
          },
          { id: 'sal2', location: { id: 'l2', location_type: 'physical' } },
        ],
      },
    };
    const records = resolvableFromService(m);
    expect(records.map((r) => r.id)).toEqual(['s1@l1', 's1@l2']);
    expect(records[0]).toEqual({
      id: 's1@l1',
      source,
      name: 'Example Food Bank',
      alternateName: 'Emergency Food',
      website: 'https://www.example.org/food',
      phones: ['+12065550100'],
      address: {
        address_1: '1 Main St',
        city: 'Seattle',
        state_province: 'WA',
        postal_code: '98101',
      },
      latitude: 47.6,
      longitude: -122.3,
    });
    expect(records[1]!.address).toBeUndefined();
  });
});

describe('clusters', () => {
  const wwu = (id: string, address_2?: string) =>
    rec(id, {
      name: 'Western Washington University',
      address: {
        address_1: '516 High St',
        postal_code: '98225',
        ...(address_2 ? { address_2 } : {}),
      },
      website: 'http://www.wwu.edu',
    });

  it('lists members with their source and the evidence of each link', () => {
    const [cluster] = resolveAll([wwu('1', 'Room 265'), wwu('2', 'room 265')]).clusters;
    expect(cluster!.members.map((m) => [m.id, m.source.file])).toEqual([
      ['1', 'f.csv'],
      ['2', 'f.csv'],
    ]);
    expect(cluster!.links[0]!.evidence.map((e) => e.feature)).toEqual([
      'name',
      'address',
      'postal',
      'domain',
    ]);
  });

  it('does not let a record without a suite chain two suites into one entity', () => {
    const { clusters, links } = resolveAll([wwu('1'), wwu('2', 'Room 265'), wwu('3', 'Room 540')]);
    expect(links.map((l) => `${l.a}-${l.b}`)).toEqual(['1-2', '1-3']);
    expect(clusters.map((c) => c.members.map((m) => m.id))).toEqual([['1', '2']]);
  });
});

describe('resolver state', () => {
  it('refuses what is not a state it wrote', () => {
    expect(() => EntityResolver.fromJSON({})).toThrow(/not a resolver state/);
    const state = new EntityResolver().toJSON();
    expect(() => EntityResolver.fromJSON({ ...state, version: 9 })).toThrow(/version 9/);
    expect(() => EntityResolver.fromJSON({ ...state, links: [[0, 1]] })).toThrow(/no such records/);
  });

  it('finds the matches afresh in a state written by code that matched differently', () => {
    const resolver = new EntityResolver();
    resolver.upsert([
      rec('1', { name: 'Lydia Place', address: { address_1: '1701 Gladstone St' } }),
      rec('2', { name: 'lydia place', address: { address_1: '1701 gladstone street' } }),
    ]);
    const state = resolver.toJSON();
    const stale = { ...state, matching: 'older', links: [] };
    expect(EntityResolver.fromJSON(stale).clusters()).toEqual(resolver.clusters());
    expect(EntityResolver.fromJSON({ ...state, links: [] }).clusters()).toEqual([]);
  });
});

describe('a name alone never links', () => {
  const bare = (id: string, agency: string, name: string): ResolvableRecord => ({
    id,
    name,
    source: { agency, layout: 'test', file: `${agency}.csv`, line: 2, recordId: id },
  });

  it('keeps two agencies’ bare records of one name apart', () => {
    expect(
      resolveAll([bare('1', 'a', 'Food Pantry'), bare('2', 'b', 'Food Pantry')]).clusters,
    ).toEqual([]);
  });

  it('links one agency’s same name listed twice with nothing else', () => {
    expect(
      resolveAll([bare('1', 'a', 'Food Pantry'), bare('2', 'a', 'Food Pantry')]).clusters,
    ).toHaveLength(1);
  });

  it('links two agencies when more than the name agrees, and never two empty names', () => {
    const withPhone = (id: string, agency: string) => ({
      ...bare(id, agency, 'Food Pantry'),
      phones: ['+12065550100'],
    });
    expect(resolveAll([withPhone('1', 'a'), withPhone('2', 'b')]).clusters).toHaveLength(1);
    const empty = (id: string, agency: string) => ({
      ...bare(id, agency, ''),
      phones: ['+12065550100'],
    });
    expect(resolveAll([empty('1', 'a'), empty('2', 'a')]).clusters).toEqual([]);
  });
});
