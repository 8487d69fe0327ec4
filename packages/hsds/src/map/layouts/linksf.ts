// LinkSF's directory (`linksf.json`, a Parse export): one facility per item, with its address
// (street only, the city beside it, no state or ZIP), coordinates, a free-text phone, website,
// gender and age codes, and several `services[]`, each with its own name, category,
// description, notes and `openHours` as JSON (`"0"` = Sunday, `[[900, 1700]]`). Each service
// becomes one HSDS service; its fields are the facility's plus its own under `service.`.
import { openHoursToSchedules } from '../../normalise/index.js';
import type { JsonRecord, SourcePosition, SourceRecord } from '../../read/index.js';
import { firstOf } from '../field.js';
import { defineMapper } from '../mapper.js';

/** The facility's fields with service `index`'s under `service.` (`service.name`). */
function serviceRecord(facility: SourceRecord, index: number, item: unknown): JsonRecord {
  const prefix = `services[${index}].`;
  const fields: Record<string, string> = Object.create(null);
  const positions: Record<string, SourcePosition> = Object.create(null);
  let line = Number.POSITIVE_INFINITY;
  for (const [path, value] of Object.entries(facility.fields)) {
    const position = facility.positions[path];
    if (path.startsWith(prefix)) {
      const own = `service.${path.slice(prefix.length)}`;
      fields[own] = value;
      if (position !== undefined) {
        positions[own] = position;
        line = Math.min(line, position.line);
      }
    } else if (!path.startsWith('services[')) {
      fields[path] = value;
      if (position !== undefined) positions[path] = position;
    }
  }
  return {
    file: facility.file,
    line: Number.isFinite(line) ? line : facility.line,
    fields,
    positions,
    value: item,
  };
}

/** One record per service of the facility; the facility itself when it lists none. */
function servicesOf(record: SourceRecord): readonly SourceRecord[] {
  const value = (record as Partial<JsonRecord>).value as { services?: unknown } | undefined;
  const items = Array.isArray(value?.services) ? value.services : [];
  if (items.length === 0) return [record];
  return items.map((item, index) => serviceRecord(record, index, item));
}

/** The service's `openHours` JSON as schedule rows. */
function hoursOf(record: SourceRecord) {
  const item = (record as Partial<JsonRecord>).value as { openHours?: unknown } | undefined;
  return openHoursToSchedules(item?.openHours);
}

const GENDER: Readonly<Record<string, string>> = { F: 'women', M: 'men' };
// LinkSF's age groups as its filters name them; no ages are given, so none are invented.
const AGE: Readonly<Record<string, string>> = {
  C: 'children',
  Y: 'youth',
  A: 'adults',
  S: 'seniors',
};

/** `Serves women; seniors`, from the facility's `gender` and `age` codes. */
function eligibilityOf(record: SourceRecord): string | undefined {
  const groups: string[] = [];
  const gender = record.fields.gender?.trim().toUpperCase();
  if (gender !== undefined && gender !== '') groups.push(GENDER[gender] ?? `gender ${gender}`);
  const ages = Object.entries(record.fields)
    .filter(([path]) => /^age\[\d+\]$/.test(path))
    .map(([, code]) => code.trim().toUpperCase());
  if (ages.length > 0) groups.push(ages.map((code) => AGE[code] ?? `age group ${code}`).join(', '));
  return groups.length === 0 ? undefined : `Serves ${groups.join('; ')}`;
}

/** The service's description and notes, as one text. */
function descriptionOf(record: SourceRecord): string | undefined {
  const parts = [record.fields['service.description'], record.fields['service.notes']]
    .map((part) => part?.trim() ?? '')
    .filter((part) => part !== '');
  return parts.length === 0 ? undefined : parts.join('\n\n');
}

/** The street and city as one line (`1663 Mission St., Suite 225, San Francisco`). */
function addressLine(record: SourceRecord): string | undefined {
  const street = record.fields.address?.trim();
  if (street === undefined || street === '') return undefined;
  const city = record.fields.city?.trim();
  return city === undefined || city === '' ? street : `${street.replace(/,$/, '')}, ${city}`;
}

export const linksf = defineMapper({
  layout: 'linksf',
  description: 'LinkSF directory (JSON from Parse: facilities with their services and openHours)',
  format: 'json',
  requiredColumns: [
    'objectId',
    'name',
    'address',
    'city',
    'phone',
    'website',
    'categories',
    'location.latitude',
    'location.longitude',
    'services[].objectId',
    'services[].name',
    'services[].category',
    'services[].description',
  ],
  services: servicesOf,
  // 13 facilities are listed twice, word for word (same objectId, same services).
  identicalRepeats: 'drop',
  recordId: firstOf('service.objectId', 'objectId'),
  organization: {
    name: 'name',
    description: firstOf('description', 'notes'),
    website: 'website',
    key: 'objectId',
  },
  service: {
    name: firstOf('service.name', 'name'),
    description: descriptionOf,
    url: 'website',
    eligibility_description: eligibilityOf,
  },
  phones: [{ value: 'phone' }],
  // Every facility is in San Francisco and the export is from 2014, before the 628 overlay: a
  // seven-digit number (one, `567-1020`) is a 415 number.
  phoneOptions: { defaultAreaCode: '415' },
  location: {
    name: 'name',
    // HSDS requires a ZIP that LinkSF never gives, so the address rarely reaches HSDS; the street
    // stays readable here.
    description: (record) => {
      const cross = record.fields.cross_street?.trim();
      const parts = [addressLine(record), cross ? `cross street: ${cross}` : undefined];
      return parts.filter((part) => part !== undefined).join('; ') || undefined;
    },
    latitude: 'location.latitude',
    longitude: 'location.longitude',
    addresses: [{ type: 'physical', line: addressLine }],
  },
  hoursRows: hoursOf,
  taxonomy: {
    categories: firstOf('service.category', 'categories'),
    taxonomy: 'LinkSF categories',
  },
  updatedAt: firstOf('service.updatedAt', 'updatedAt'),
});
