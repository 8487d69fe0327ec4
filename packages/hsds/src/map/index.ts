// Mappers from agency export layouts to HSDS 3.0, and what they produce.
export { constant, type FieldRef, fieldValue, firstOf, usDate } from './field.js';
export {
  apdDirectory,
  dcyfPrograms,
  icarol211,
  icarol211Extended,
  layouts,
  linksf,
  openReferralCsv,
} from './layouts/index.js';
export {
  type ExportInput,
  type MappedExport,
  mapExport,
  uniqueOrganizations,
} from './map-export.js';
export { formatMapIssue, type MapIssue } from './map-issue.js';
export type { MappedService, SourceRef } from './mapped.js';
export {
  type AddressSpec,
  defineMapper,
  type HoursRows,
  type Mapper,
  type MapperSpec,
  type PhoneField,
  type ServiceAgeField,
  type ServiceTextField,
  type TaxonomyField,
} from './mapper.js';
export { columnOf, type ExportTable, readExport } from './read-export.js';
