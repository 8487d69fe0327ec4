// Normalisers of messy agency fields into HSDS 3.0 fields: each takes the text as exported and
// returns plain objects named as HSDS names them, with what it could not read reported beside.
export type {
  AddressField,
  AddressOptions,
  AddressParse,
  AddressProblem,
  UsAddressInput,
} from './address.js';
export { normaliseUsAddress, parseUsAddress } from './address.js';
export { type EmailNormalisation, normaliseEmail } from './email.js';
export type { HoursParse } from './hours.js';
export { parseOpeningHours } from './hours.js';
export type {
  HsdsAddressFields,
  HsdsAddressType,
  HsdsLanguageFields,
  HsdsPhoneFields,
  HsdsPhoneType,
  HsdsScheduleFields,
  HsdsServiceStatus,
  HsdsTaxonomyTermFields,
  HsdsWeekday,
} from './hsds-fields.js';
export type { LanguageParse } from './languages.js';
export { parseLanguages } from './languages.js';
export type { OpenHoursParse } from './open-hours-json.js';
export { openHoursToSchedules } from './open-hours-json.js';
export type { ParsedPhone, PhoneOptions, PhoneParse } from './phone.js';
export { isValidNanp, parsePhones, phoneType } from './phone.js';
export type { NanpStyle } from './phone-format.js';
export { formatNanp } from './phone-format.js';
export { stableId, WEIR_HSDS_NAMESPACE } from './stable-id.js';
export type { StatusNormalisation } from './status.js';
export { isSearchable, normaliseStatus } from './status.js';
export type { TaxonomyOptions, TaxonomyParse } from './taxonomy.js';
export {
  AIRS_TAXONOMY,
  isAirsCode,
  parentCode,
  parseTaxonomyCodes,
  TaxonomyTermSet,
  taxonomyTermId,
} from './taxonomy.js';
export type { UrlNormalisation, UrlOptions } from './url.js';
export { normaliseUrl } from './url.js';
export { stateCode } from './us-states.js';
