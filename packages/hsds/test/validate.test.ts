import { describe, expect, it } from 'vitest';
import {
  type HsdsTable,
  hsdsSchemas,
  hsdsTables,
  invalidShare,
  isHsdsRecord,
  type Service,
  validateRecord,
  validateRecords,
} from '../src/index.js';

const serviceId = 'ac148810-d857-441c-9679-408f346de14b';
const organizationId = 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610';

function service(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: serviceId, name: 'Community Counselling', status: 'active', ...overrides };
}

function messages(table: HsdsTable, record: unknown): string[] {
  return validateRecord(table, record).errors.map((error) => error.message);
}

describe('validateRecord', () => {
  it('accepts a minimal valid service and a full one', () => {
    expect(validateRecord('service', service())).toEqual({ valid: true, errors: [] });
    const full: Service = {
      id: serviceId,
      organization_id: organizationId,
      name: 'Community Counselling',
      status: 'temporarily closed',
      url: 'https://example.org/counselling',
      email: 'help@example.org',
      minimum_age: 16,
      last_modified: '2023-03-15T10:30:45Z',
      phones: [{ id: '1554f2e2-a373-45db-a3fa-9fc48a61c15e', number: '+1 415 555 0100' }],
      organization: { id: organizationId, name: 'Example', description: 'An example.' },
      schedules: [{ id: '5d1d4b0b-1e0f-4c5e-9c3e-2f6b1a7e3c11', freq: 'WEEKLY', byday: 'MO,TU' }],
    };
    expect(validateRecord('service', full).valid).toBe(true);
  });

  it('names the record by its id and the field by its path', () => {
    const record = service({ id: 'svc-12', phones: [{ id: serviceId }] });
    expect(messages('service', record)).toEqual([
      "service 'svc-12': id is not a valid uuid (got 'svc-12')",
      "service 'svc-12': phones[0].number is required",
    ]);
  });

  it('reports every missing required field, nested ones with their path', () => {
    const record = { id: serviceId, organization: { id: organizationId } };
    expect(messages('service', record)).toEqual([
      `service '${serviceId}': name is required`,
      `service '${serviceId}': status is required`,
      `service '${serviceId}': organization.name is required`,
      `service '${serviceId}': organization.description is required`,
    ]);
  });

  it('quotes the allowed values and the value found', () => {
    expect(messages('service', service({ status: 'open' }))).toEqual([
      `service '${serviceId}': status must be one of 'active', 'inactive', 'defunct', 'temporarily closed' (got 'open')`,
    ]);
    const phone = { id: serviceId, number: '555 0100', extension: 'ten' };
    expect(messages('phone', phone)).toEqual([
      `phone '${serviceId}': extension must be a number (got 'ten')`,
    ]);
  });

  it('checks the formats the schemas declare (uri, email, date-time)', () => {
    const record = service({
      url: 'www.example.org',
      email: 'help at example.org',
      last_modified: 'yesterday',
    });
    expect(messages('service', record)).toEqual([
      `service '${serviceId}': url is not a valid uri (got 'www.example.org')`,
      `service '${serviceId}': email is not a valid email (got 'help at example.org')`,
      `service '${serviceId}': last_modified is not a valid date-time (got 'yesterday')`,
    ]);
  });

  it('names a record without an id by its index, and says when it is not an object', () => {
    expect(validateRecord('service', 'Food bank', { index: 7 }).errors[0]?.message).toBe(
      "service #7: the record must be an object (got 'Food bank')",
    );
    expect(validateRecord('taxonomy', { name: 'AIRS' }).errors.map((e) => e.message)).toEqual([
      'taxonomy #0: id is required',
      'taxonomy #0: description is required',
    ]);
  });

  it('gives the parts of each error separately', () => {
    const [error] = validateRecord('location', { id: serviceId, location_type: 'shop' }).errors;
    expect(error).toMatchObject({
      table: 'location',
      record: `'${serviceId}'`,
      index: 0,
      field: 'location_type',
      keyword: 'enum',
    });
    expect(error?.problem).toBe("must be one of 'physical', 'postal', 'virtual' (got 'shop')");
  });

  it('in the tabular form, also requires the links the schemas list as tabular_required', () => {
    expect(validateRecord('service', service()).valid).toBe(true);
    expect(
      validateRecord('service', service(), { form: 'tabular' }).errors.map((e) => e.message),
    ).toEqual([`service '${serviceId}': organization_id is required in the tabular form`]);
    const row = service({ organization_id: organizationId });
    expect(validateRecord('service', row, { form: 'tabular' }).valid).toBe(true);
  });

  it('narrows the type of a valid record', () => {
    const value: unknown = service();
    if (!isHsdsRecord('service', value)) throw new Error('expected a valid service');
    expect(value.status).toBe('active');
    expect(isHsdsRecord('service', { id: serviceId })).toBe(false);
  });

  it('compiles every table, and accepts a record holding only its required fields', () => {
    for (const table of hsdsTables) {
      const schema = hsdsSchemas[table];
      const record: Record<string, unknown> = {};
      for (const field of schema.required ?? []) {
        const property = schema.properties[field];
        record[field] =
          property?.format === 'uuid'
            ? serviceId
            : (property?.enum?.[0] ?? (property?.type === 'number' ? 1 : 'x'));
      }
      expect(validateRecord(table, record).errors, table).toEqual([]);
    }
  });
});

describe('validateRecords', () => {
  const second = 'b2c3d4e5-0000-4000-8000-000000000002';

  it('counts records, valid and invalid ones and errors per table', () => {
    const report = validateRecords({
      service: [service(), service({ id: second, status: 'open' }), { name: 'x' }],
      organization: [{ id: organizationId, name: 'Example', description: 'An example.' }],
    });
    expect(report.tables).toEqual({
      service: { records: 3, valid: 1, invalid: 2, errors: 3 },
      organization: { records: 1, valid: 1, invalid: 0, errors: 0 },
    });
    expect(report.errors.map((e) => e.message)).toEqual([
      `service '${second}': status must be one of 'active', 'inactive', 'defunct', 'temporarily closed' (got 'open')`,
      'service #2: id is required',
      'service #2: status is required',
    ]);
    expect(invalidShare(report, 'service')).toBeCloseTo(2 / 3);
    expect(invalidShare(report, 'phone')).toBe(0);
  });

  it('reports an id used twice in a table', () => {
    const report = validateRecords({ service: [service(), service({ name: 'Again' })] });
    expect(report.errors.map((e) => e.message)).toEqual([
      `service '${serviceId}': id is not unique (record #0 has it too)`,
    ]);
    expect(report.tables.service).toEqual({ records: 2, valid: 1, invalid: 1, errors: 1 });
  });

  it('lists at most maxErrors errors and counts the rest', () => {
    const records = Array.from({ length: 10 }, (_, index) => ({ name: `s${index}` }));
    const report = validateRecords({ service: records }, { maxErrors: 5 });
    expect(report.errors).toHaveLength(5);
    expect(report.errorsLeftOut).toBe(15);
    expect(report.tables.service?.errors).toBe(20);
  });

  it('refuses a table HSDS does not have, rather than skip its records', () => {
    const batch = { services: [service()] } as unknown as Parameters<typeof validateRecords>[0];
    expect(() => validateRecords(batch)).toThrow("'services' is not an HSDS 3.0 table");
    expect(() => validateRecord('services' as HsdsTable, service())).toThrow(
      "'services' is not an HSDS 3.0 table",
    );
  });

  it('names records as the caller says, e.g. by where they came from', () => {
    const report = validateRecords(
      { service: [{ id: serviceId, name: 'x' }] },
      { recordName: (_record, index) => `(211.csv row ${index + 2})` },
    );
    expect(report.errors[0]?.message).toBe('service (211.csv row 2): status is required');
  });
});
