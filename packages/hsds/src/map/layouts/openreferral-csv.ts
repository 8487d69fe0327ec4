// An Open Referral-style CSV without a header row (`wa211_dedup_training_set.csv`): one
// organization at one address per row — name, description, url, address_1, address_2, city,
// state, postal code, country, address type (`physical` or `mailing`) and county — as the
// silobuster-dedupe project lays out its training sets. A row that documents each column's
// format (`*required* text, …`) is not a record. The training set's last three columns (which
// record a row duplicates, how, and whether it is one) are labels for testing entity
// resolution: read, named, never mapped.
import type { SourceRecord } from '../../read/index.js';
import type { FieldRef } from '../field.js';
import { defineMapper } from '../mapper.js';

export const OPENREFERRAL_CSV_COLUMNS = [
  'name',
  'description',
  'url',
  'address_1',
  'address_2',
  'city',
  'state_province',
  'postal_code',
  'country',
  'address_type',
  'county',
  // The labels: a duplicate's own uuid, the kind of change that made it, 1 for a duplicate.
  'duplicate_id',
  'perturbation',
  'is_duplicate',
] as const;

/** The address columns, when the row's `address_type` is `kind` (`mailing` is HSDS `postal`). */
function when(kind: 'physical' | 'postal', column: string): FieldRef {
  return (record: SourceRecord) => {
    const type = record.fields.address_type?.trim().toLowerCase() ?? '';
    const postal = type === 'mailing' || type === 'postal';
    return postal === (kind === 'postal') ? record.fields[column] : undefined;
  };
}

function addressColumns(kind: 'physical' | 'postal') {
  return {
    address_1: when(kind, 'address_1'),
    address_2: when(kind, 'address_2'),
    city: when(kind, 'city'),
    state_province: when(kind, 'state_province'),
    postal_code: when(kind, 'postal_code'),
    country: when(kind, 'country'),
  };
}

export const openReferralCsv = defineMapper({
  layout: 'openreferral-csv',
  description: 'Open Referral-style organization and address CSV without a header row',
  format: 'csv',
  csv: { header: OPENREFERRAL_CSV_COLUMNS },
  requiredColumns: [
    'name',
    'description',
    'url',
    'address_1',
    'city',
    'state_province',
    'postal_code',
    'address_type',
  ],
  skip: (record) => {
    if (/^\*required\*/i.test(record.fields.name?.trim() ?? ''))
      return 'the row documenting the formats';
    // `missing org` rows carry no other value: a placeholder, not an organization.
    if (/^missing org$/i.test(record.fields.name?.trim() ?? '')) return 'a placeholder row';
    return undefined;
  },
  organization: { name: 'name', description: 'description', website: 'url' },
  service: { name: 'name', description: 'description', url: 'url' },
  location: {
    addresses: [
      { type: 'physical', columns: addressColumns('physical') },
      { type: 'postal', columns: addressColumns('postal') },
    ],
  },
});
