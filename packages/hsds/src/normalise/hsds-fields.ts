// The HSDS 3.0 fields the normalisers fill, named exactly as the schema files name them
// (hsds-3.0/schema/*.json). Identifiers and links to parent records (`id`, `service_id`,
// `location_id`…) are left to the caller, which knows the records they belong to, except for
// taxonomy terms, whose id is derived from the code. The generated model types are checked
// against these in the model's own tests.

/** `phone.type`: RFC 6350's list, as HSDS names it. A TTY/TDD line is a `textphone`. */
export type HsdsPhoneType = 'text' | 'voice' | 'fax' | 'cell' | 'video' | 'pager' | 'textphone';

/** A row of HSDS `phone`, without its id and links. */
export interface HsdsPhoneFields {
  number: string;
  extension?: number;
  type?: HsdsPhoneType;
  description?: string;
}

/** `schedule.byday` parts, in iCal order from Monday. */
export type HsdsWeekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

/** A row of HSDS `schedule`, without its id and links. */
export interface HsdsScheduleFields {
  freq?: 'WEEKLY' | 'MONTHLY';
  /** Comma-separated iCal days, e.g. `MO,TU,WE`. */
  byday?: string;
  /** `HH:MM`, local time (the exports say nothing about time zones). */
  opens_at?: string;
  /** `HH:MM`; earlier than `opens_at` when the opening runs past midnight. */
  closes_at?: string;
  description?: string;
}

/** `address.address_type`. */
export type HsdsAddressType = 'physical' | 'postal' | 'virtual';

/** A row of HSDS `address`, without its id and links; every field HSDS requires is optional
 * here, because a field the source lacks is reported, not invented. */
export interface HsdsAddressFields {
  attention?: string;
  address_1?: string;
  address_2?: string;
  city?: string;
  region?: string;
  state_province?: string;
  postal_code?: string;
  country?: string;
  address_type?: HsdsAddressType;
}

/** A row of HSDS `taxonomy_term` with its stable id. */
export interface HsdsTaxonomyTermFields {
  id: string;
  code: string;
  name: string;
  description: string;
  taxonomy?: string;
  parent_id?: string;
}

/** A row of HSDS `language`, without its id and links. */
export interface HsdsLanguageFields {
  name: string;
  /** ISO 639-1, else ISO 639-3; absent for a name we do not know. */
  code?: string;
  note?: string;
}

/** `service.status`. */
export type HsdsServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';
