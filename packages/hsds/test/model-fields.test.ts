// The normalisers' output types (src/normalise/hsds-fields.ts) against the generated model: the
// same names, the same value types, so a normalised field always fits its HSDS record. These
// are type checks: `tsc --noEmit` fails when the two drift apart.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  Address,
  HsdsAddressFields,
  HsdsAddressType,
  HsdsLanguageFields,
  HsdsPhoneFields,
  HsdsPhoneType,
  HsdsScheduleFields,
  HsdsServiceStatus,
  HsdsTaxonomyTermFields,
  HsdsWeekday,
  Language,
  Phone,
  Schedule,
  Service,
  TaxonomyTerm,
} from '../src/index.js';

describe("the normalisers' HSDS fields", () => {
  it('use the enumerations of the schemas', () => {
    expectTypeOf<HsdsServiceStatus>().toEqualTypeOf<Service['status']>();
    expectTypeOf<HsdsAddressType>().toEqualTypeOf<Address['address_type']>();
    expectTypeOf<HsdsWeekday>().toEqualTypeOf<NonNullable<Schedule['wkst']>>();
    expectTypeOf<HsdsPhoneType>().toExtend<NonNullable<Phone['type']>>();
  });

  it('are fields of the records they belong to, with their types', () => {
    expectTypeOf<HsdsPhoneFields & Pick<Phone, 'id'>>().toExtend<Phone>();
    expectTypeOf<HsdsLanguageFields & Pick<Language, 'id'>>().toExtend<Language>();
    expectTypeOf<HsdsScheduleFields & Pick<Schedule, 'id'>>().toExtend<Schedule>();
    expectTypeOf<HsdsTaxonomyTermFields>().toExtend<TaxonomyTerm>();
    // Address fields a source lacks stay absent (and are reported), so all are optional here.
    expectTypeOf<HsdsAddressFields>().toExtend<Partial<Address>>();
    expectTypeOf<Exclude<keyof HsdsAddressFields, keyof Address>>().toBeNever();
  });
});
