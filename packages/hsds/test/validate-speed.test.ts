// How fast a batch validates: 10,000 services as a directory's JSON API would return them.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { type Service, validateRecords } from '../src/index.js';

function uuid(n: number, kind: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

function serviceNumber(n: number): Service {
  return {
    id: uuid(n, 1),
    organization_id: uuid(n % 500, 2),
    name: `Service ${n}`,
    description: 'Counselling for adults and families; drop-in or by appointment.',
    url: `https://example.org/services/${n}`,
    email: `service${n}@example.org`,
    status: n % 7 === 0 ? 'inactive' : 'active',
    eligibility_description: 'Adults 18 and over living in the county.',
    minimum_age: 18,
    last_modified: '2024-05-01T09:00:00Z',
    phones: [
      { id: uuid(n, 3), number: '+1 415 555 0100', type: 'voice' },
      { id: uuid(n, 4), number: '+1 415 555 0101', extension: 12, type: 'fax' },
    ],
    schedules: [
      {
        id: uuid(n, 5),
        freq: 'WEEKLY',
        byday: 'MO,TU,WE,TH,FR',
        opens_at: '09:00',
        closes_at: '17:00',
      },
    ],
    languages: [{ id: uuid(n, 6), name: 'Spanish', code: 'es' }],
    service_at_locations: [
      {
        id: uuid(n, 7),
        service_id: uuid(n, 1),
        location_id: uuid(n, 8),
        location: {
          id: uuid(n, 8),
          location_type: 'physical',
          latitude: 37.77,
          longitude: -122.41,
          addresses: [
            {
              id: uuid(n, 9),
              address_1: '1 Main Street',
              city: 'San Francisco',
              state_province: 'CA',
              postal_code: '94103',
              country: 'US',
              address_type: 'physical',
            },
          ],
        },
      },
    ],
    attributes: [
      {
        id: uuid(n, 10),
        taxonomy_term: { id: uuid(n % 50, 11), name: 'Counseling', description: 'Counseling' },
      },
    ],
  };
}

describe('validation speed', () => {
  it('validates 10,000 nested services', () => {
    const services = Array.from({ length: 10_000 }, (_, n) => serviceNumber(n));
    validateRecords({ service: services.slice(0, 10) }); // compiles the schemas
    const started = performance.now();
    const report = validateRecords({ service: services });
    const seconds = (performance.now() - started) / 1000;
    expect(report.tables.service).toEqual({
      records: 10_000,
      valid: 10_000,
      invalid: 0,
      errors: 0,
    });
    const perSecond = Math.round(10_000 / seconds);
    console.log(
      `validateRecords: 10,000 services in ${(seconds * 1000).toFixed(0)} ms, ${perSecond} records/s`,
    );
    expect(perSecond).toBeGreaterThan(2_000);
  });
});
