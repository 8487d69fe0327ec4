// Status columns: the exports' values and the usual others into HSDS service.status; inactive
// records stay, marked not searchable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSearchable, normaliseStatus } from '../src/normalise/index.js';

describe('normaliseStatus', () => {
  it('reads the values of the exports', () => {
    expect(normaliseStatus('Active')).toEqual({
      status: 'active',
      searchable: true,
      text: 'Active',
    });
    expect(normaliseStatus('Inactive')).toEqual({
      status: 'inactive',
      searchable: false,
      text: 'Inactive',
    });
    expect(normaliseStatus('Active, but do not refer')).toEqual({
      status: 'active',
      searchable: false,
      text: 'Active, but do not refer',
    });
    expect(normaliseStatus('')).toEqual({ searchable: false, problem: 'missing', text: '' });
  });

  it('tells temporarily closed, closed and defunct apart', () => {
    const status = (text: string) => normaliseStatus(text).status;
    expect(
      [
        'Temporarily Closed',
        'temp. closed',
        'Closed until further notice',
        'On hold',
        'Suspended',
      ].map(status),
    ).toEqual(Array(5).fill('temporarily closed'));
    expect(
      ['Defunct', 'Out of business', 'No longer operating', 'Permanently closed'].map(status),
    ).toEqual(Array(4).fill('defunct'));
    expect(['Closed', 'INACTIVE', 'Not active', 'N', 'false'].map(status)).toEqual(
      Array(5).fill('inactive'),
    );
    expect(['ACTIVE', 'Open', 'Y', 'true'].map(status)).toEqual(Array(4).fill('active'));
  });

  it('reports what it does not know instead of guessing', () => {
    expect(normaliseStatus('pending review')).toEqual({
      searchable: false,
      problem: 'unrecognised',
      text: 'pending review',
    });
  });

  it('makes only active records searchable', () => {
    expect(isSearchable('active')).toBe(true);
    for (const s of ['inactive', 'defunct', 'temporarily closed', undefined] as const)
      expect(isSearchable(s)).toBe(false);
  });

  it('never throws, and a searchable record is active', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const r = normaliseStatus(text);
        if (r.searchable) expect(r.status).toBe('active');
        expect(r.status === undefined).toBe(r.problem !== undefined);
      }),
    );
  });
});
