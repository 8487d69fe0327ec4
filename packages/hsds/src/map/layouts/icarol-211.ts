// iCarol/ReferNET 211 exports (`211.csv`): one row per agency, program or site, with
// numbered phone columns, physical and mailing addresses, AIRS taxonomy codes and terms.
import type { SourceRecord } from '../../read/index.js';
import { constant, usDate } from '../field.js';
import { defineMapper } from '../mapper.js';

const numbered = [1, 2, 3, 4].map((n) => ({ value: `Phone${n}Number`, label: `Phone${n}Name` }));

export const icarol211 = defineMapper({
  layout: 'icarol-211',
  description: 'iCarol/ReferNET 211 resource export (CSV, one row per agency, program or site)',
  format: 'csv',
  requiredColumns: [
    'ResourceAgencyNum',
    'PublicName',
    'ParentAgency',
    'AgencyStatus',
    'AgencyDescription',
    'PhysicalAddress1',
    'PhysicalCity',
    'PhysicalStateProvince',
    'PhysicalPostalCode',
    'Phone1Number',
    'WebsiteAddress',
    'HoursOfOperation',
    'TaxonomyCodes',
  ],
  recordId: 'ResourceAgencyNum',
  // An agency's own row names no parent (`ParentAgencyNum` empty or 0): it is its own
  // organization, which its programs and sites name as their parent.
  organization: {
    name: (record) => (isAgencyRow(record) ? record.fields.PublicName : record.fields.ParentAgency),
    key: (record) =>
      isAgencyRow(record) ? record.fields.ResourceAgencyNum : record.fields.ParentAgencyNum,
  },
  service: {
    name: 'PublicName',
    alternate_name: 'AlternateName',
    description: 'AgencyDescription',
    url: 'WebsiteAddress',
    email: 'EmailAddressMain',
    eligibility_description: 'Eligibility',
    application_process: 'ApplicationProcess',
    fees_description: 'FeeStructureSource',
    accreditations: 'LicenseAccreditation',
    alert: 'TemporaryMessage',
  },
  status: 'AgencyStatus',
  hidden: (record) => /^y/i.test(record.fields.ExcludeFromDirectory ?? ''),
  phones: [
    ...numbered,
    { value: 'Phone5Number', label: 'Phone5Description' },
    { value: 'PhoneTollFree', label: constant('Toll free') },
    { value: 'PhoneNumberHotline', label: constant('Hotline') },
    { value: 'PhoneNumberBusinessLine', label: constant('Business line') },
    { value: 'PhoneNumberAfterHours', label: constant('After hours') },
    { value: 'PhoneNumberOutOfArea', label: constant('Out of area') },
    { value: 'PhoneTTY', type: 'textphone' },
    { value: 'PhoneFax', type: 'fax' },
  ],
  location: {
    description: 'PhysicalLocationDescription',
    transportation: 'PublicAccessTransportation',
    latitude: 'Latitude',
    longitude: 'Longitude',
    addresses: [
      {
        type: 'physical',
        columns: {
          address_1: 'PhysicalAddress1',
          address_2: 'PhysicalAddress2',
          city: 'PhysicalCity',
          state_province: 'PhysicalStateProvince',
          postal_code: 'PhysicalPostalCode',
          country: 'PhysicalCountry',
        },
      },
      {
        type: 'postal',
        columns: {
          address_1: 'MailingAddress1',
          address_2: 'MailingAddress2',
          city: 'MailingCity',
          state_province: 'MailingStateProvince',
          postal_code: 'MailingPostalCode',
          country: 'MailingCountry',
          attention: 'MailingAttentionName',
        },
      },
    ],
  },
  hours: 'HoursOfOperation',
  languages: 'LanguagesOffered',
  taxonomy: { codes: 'TaxonomyCodes', terms: 'TaxonomyTerm', paths: 'TaxonomyTerms' },
  updatedAt: (record) => usDate(record.fields.UpdatedOn),
});

function isAgencyRow(record: SourceRecord): boolean {
  const parent = record.fields.ParentAgencyNum?.trim() ?? '';
  return parent === '' || parent === '0';
}
