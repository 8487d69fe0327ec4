// iCarol's extended 211 resource export (`sf_211.csv`, 166 columns): the columns of
// `icarol-211` plus, for each phone and address, whether it is private (`Phone1IsPrivate`,
// `PhysicalAddressIsPrivate`: a confidential shelter's street), phone types and descriptions,
// eligibility flags, the wait and availability columns, and a `Tax` column naming one AIRS term
// without its code on records that have no `TaxonomyCodes`. Private values are left out.
import type { SourceRecord } from '../../read/index.js';
import { type FieldRef, firstOf, usDate } from '../field.js';
import { defineMapper, type PhoneField } from '../mapper.js';

/** The value of `column`, unless the export marks it private (`Yes`, `TRUE`) in `flag`. */
function unlessPrivate(flag: string, column: string): FieldRef {
  return (record: SourceRecord) =>
    /^(?:yes|true)$/i.test(record.fields[flag]?.trim() ?? '') ? undefined : record.fields[column];
}

/** `Main`, or `Main: Intake for Orientation, Monday-Friday` when a description says more. */
function phoneLabel(name: string, description: string): FieldRef {
  return (record) => {
    const parts = [record.fields[name], record.fields[description]]
      .map((part) => part?.trim() ?? '')
      .filter((part) => part !== '');
    return parts.length === 0 ? undefined : parts.join(': ');
  };
}

const numbered: PhoneField[] = [1, 2, 3, 4, 5].map((n) => ({
  value: unlessPrivate(`Phone${n}IsPrivate`, `Phone${n}Number`),
  label: phoneLabel(`Phone${n}Name`, `Phone${n}Description`),
}));

/** A named phone column (`PhoneTollFree`) with its `…Description` and `…IsPrivate` columns. */
function named(column: string, name: string, type?: PhoneField['type']): PhoneField {
  const description = `${column}Description`;
  return {
    value: unlessPrivate(`${column}IsPrivate`, column),
    label: (record) => {
      const text = record.fields[description]?.trim();
      return text === undefined || text === '' ? name : `${name}: ${text}`;
    },
    ...(type === undefined ? {} : { type }),
  };
}

/**
 * The organization's number: the parent agency's, or, on an agency's own row (whose
 * `ParentAgencyNum` is `0`), the row's own `ResourceAgencyNum`, which its programs and sites
 * name as their parent. Keyed on `0`, every agency would be one organization.
 */
function organizationKey(record: SourceRecord): string | undefined {
  const parent = record.fields.ParentAgencyNum?.trim();
  return parent === undefined || parent === '' || parent === '0'
    ? record.fields.ResourceAgencyNum
    : parent;
}

const physical = (column: string) => unlessPrivate('PhysicalAddressIsPrivate', column);
const mailing = (column: string) => unlessPrivate('MailingAddressIsPrivate', column);

export const icarol211Extended = defineMapper({
  layout: 'icarol-211-extended',
  description:
    "iCarol's extended 211 resource export (CSV, 166 columns with phone and address privacy flags)",
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
    'PhysicalAddressIsPrivate',
    'Phone1Number',
    'Phone1IsPrivate',
    'WebsiteAddress',
    'HoursOfOperation',
    'TaxonomyCodes',
    'Tax',
  ],
  recordId: 'ResourceAgencyNum',
  organization: { name: 'ParentAgency', key: organizationKey },
  service: {
    name: 'PublicName',
    alternate_name: 'AlternateName',
    description: 'AgencyDescription',
    url: 'WebsiteAddress',
    email: 'EmailAddressMain',
    eligibility_description: 'Eligibility',
    application_process: 'ApplicationProcess',
    fees_description: 'FeeStructureSource',
    wait_time: 'AvailabilityPeriod',
    accreditations: 'LicenseAccreditation',
    alert: 'TemporaryMessage',
  },
  status: 'AgencyStatus',
  hidden: (record) => /^y/i.test(record.fields.ExcludeFromDirectory ?? ''),
  phones: [
    ...numbered,
    named('PhoneTollFree', 'Toll free'),
    named('PhoneNumberHotline', 'Hotline'),
    named('PhoneNumberBusinessLine', 'Business line'),
    named('PhoneNumberAfterHours', 'After hours'),
    named('PhoneNumberOutOfArea', 'Out of area'),
    named('PhoneTTY', 'TTY', 'textphone'),
    named('PhoneFax', 'Fax', 'fax'),
  ],
  location: {
    description: 'PhysicalLocationDescription',
    transportation: firstOf('PublicAccessTransportation', 'BusServiceAccess'),
    latitude: physical('Latitude'),
    longitude: physical('Longitude'),
    addresses: [
      {
        type: 'physical',
        columns: {
          address_1: physical('PhysicalAddress1'),
          address_2: physical('PhysicalAddress2'),
          city: 'PhysicalCity',
          state_province: 'PhysicalStateProvince',
          postal_code: 'PhysicalPostalCode',
          country: 'PhysicalCountry',
        },
      },
      {
        type: 'postal',
        columns: {
          address_1: mailing('MailingAddress1'),
          address_2: mailing('MailingAddress2'),
          city: 'MailingCity',
          state_province: 'MailingStateProvince',
          postal_code: 'MailingPostalCode',
          country: 'MailingCountry',
          attention: 'MailingAttentionName',
        },
      },
    ],
  },
  hours: firstOf('HoursOfOperation', 'Hours'),
  languages: ['LanguagesOffered', 'LanguagesOfferedList'],
  taxonomy: [
    { codes: 'TaxonomyCodes', terms: 'TaxonomyTerm', paths: 'TaxonomyTerms' },
    // One AIRS term name without its code (`Food Pantries`): a term of its own, named as written.
    { categories: 'Tax', taxonomy: 'AIRS/211 Taxonomy (term names without codes)', separator: ';' },
  ],
  updatedAt: (record) => usDate(record.fields.UpdatedOn),
});
