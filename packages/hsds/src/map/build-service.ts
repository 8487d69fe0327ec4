// One source record (one service of it) as an HSDS service with its organization, phones,
// location, hours, languages and taxonomy terms, and where it came from.
import type { Organization, Service } from '../model/index.js';
import { normaliseEmail, normaliseStatus, normaliseUrl, stableId } from '../normalise/index.js';
import type { SourceRecord } from '../read/index.js';
import { type FieldRef, fieldValue } from './field.js';
import type { MapIssue } from './map-issue.js';
import type { MappedService } from './mapped.js';
import type { Mapper, ServiceAgeField, ServiceTextField } from './mapper.js';
import {
  attributesOf,
  languagesOf,
  locationOf,
  type PartContext,
  phonesOf,
  schedulesOf,
} from './parts.js';

export interface BuildInput {
  mapper: Mapper;
  agency: string;
  record: SourceRecord;
  /** Unique within the export. */
  recordId: string;
  issues: MapIssue[];
}

const TEXT_FIELDS: readonly ServiceTextField[] = [
  'alternate_name',
  'description',
  'interpretation_services',
  'application_process',
  'fees_description',
  'wait_time',
  'accreditations',
  'eligibility_description',
  'licenses',
  'alert',
];

const AGE_FIELDS: readonly ServiceAgeField[] = ['minimum_age', 'maximum_age'];

export function buildService(input: BuildInput): MappedService | undefined {
  const { mapper, agency, record, recordId, issues } = input;
  const report = (severity: MapIssue['severity'], message: string, field?: FieldRef) => {
    issues.push({
      file: record.file,
      line: record.line,
      ...(typeof field === 'string' ? { field } : {}),
      severity,
      message,
    });
  };
  const name = fieldValue(record, mapper.service.name);
  if (name === undefined) {
    report('error', 'no service name: record left out', mapper.service.name);
    return undefined;
  }
  const serviceId = stableId(`${agency}/service/${recordId}`);
  const organization = organizationOf(mapper, agency, record, name, report);
  const service: Service = {
    id: serviceId,
    organization_id: organization.id,
    name,
    status: 'active',
  };
  for (const field of TEXT_FIELDS) {
    const value = fieldValue(record, mapper.service[field]);
    if (value !== undefined) service[field] = value;
  }
  for (const field of AGE_FIELDS) {
    const text = fieldValue(record, mapper.service[field]);
    if (text === undefined) continue;
    if (/^\d{1,3}$/.test(text)) service[field] = Number(text);
    else {
      const what = `${field} ${JSON.stringify(text)} is not a whole number of years: left out`;
      report('warning', what, mapper.service[field]);
    }
  }
  const { status, searchable } = statusOf(mapper, record, report);
  service.status = status;
  const url = fieldValue(record, mapper.service.url);
  const email = fieldValue(record, mapper.service.email);
  if (url !== undefined) {
    const normalised = normaliseUrl(url);
    if (normalised.kind === 'url') service.url = normalised.url;
    else if (normalised.kind === 'email') service.email = normalised.email;
    else if (normalised.kind === 'invalid') {
      report(
        'warning',
        `website ${JSON.stringify(url)} left out: ${normalised.reason}`,
        mapper.service.url,
      );
    }
  }
  if (email !== undefined && service.email === undefined) {
    service.email = emailOf(email, mapper.service.email, report);
    if (service.email === undefined) delete service.email;
  }

  const ctx: PartContext = {
    mapper,
    record,
    serviceId,
    locationId: stableId(`${agency}/location/${recordId}`),
    report,
  };
  const phones = phonesOf(ctx);
  if (phones.length > 0) service.phones = phones;
  const schedules = schedulesOf(ctx);
  if (schedules.length > 0) service.schedules = schedules;
  const languages = languagesOf(ctx);
  if (languages.length > 0) service.languages = languages;
  const attributes = attributesOf(ctx);
  if (attributes.length > 0) service.attributes = attributes;
  const location = locationOf(ctx);
  if (location !== undefined) {
    location.organization_id = organization.id;
    service.service_at_locations = [
      {
        id: stableId(`${serviceId}/at/${location.id}`),
        service_id: serviceId,
        location_id: location.id,
        location,
      },
    ];
  }
  service.organization = organization;
  const hidden = mapper.hidden?.(record) === true;
  const updatedAt = isoDateOf(fieldValue(record, mapper.updatedAt), mapper.updatedAt, report);
  return {
    service,
    source: { agency, layout: mapper.layout, file: record.file, line: record.line, recordId },
    searchable: searchable && !hidden,
    ...(updatedAt === undefined ? {} : { updatedAt }),
  };
}

function organizationOf(
  mapper: Mapper,
  agency: string,
  record: SourceRecord,
  serviceName: string,
  report: (severity: MapIssue['severity'], message: string, field?: FieldRef) => void,
): Organization {
  const spec = mapper.organization;
  const name = fieldValue(record, spec.name) ?? serviceName;
  const key = fieldValue(record, spec.key) ?? name.toLowerCase();
  const organization: Organization = {
    id: stableId(`${agency}/organization/${key}`),
    name,
    description: fieldValue(record, spec.description) ?? '',
  };
  const website = fieldValue(record, spec.website);
  if (website !== undefined) {
    const normalised = normaliseUrl(website);
    if (normalised.kind === 'url') organization.website = normalised.url;
    else if (normalised.kind === 'email') organization.email = normalised.email;
    else if (normalised.kind === 'invalid' && spec.website !== mapper.service.url) {
      // Said once when the same column is the service's website too.
      report(
        'warning',
        `website ${JSON.stringify(website)} left out: ${normalised.reason}`,
        spec.website,
      );
    }
  }
  const email = fieldValue(record, spec.email);
  if (email !== undefined && organization.email === undefined) {
    const address = emailOf(email, spec.email, report);
    if (address !== undefined) organization.email = address;
  }
  return organization;
}

function statusOf(
  mapper: Mapper,
  record: SourceRecord,
  report: (severity: MapIssue['severity'], message: string, field?: FieldRef) => void,
): { status: Service['status']; searchable: boolean } {
  if (mapper.status === undefined) return { status: 'active', searchable: true };
  const text = fieldValue(record, mapper.status) ?? '';
  const normalised = normaliseStatus(text);
  if (normalised.status === undefined) {
    report(
      'warning',
      `status ${JSON.stringify(text)} not recognised: kept as inactive, not offered in search`,
      mapper.status,
    );
    return { status: 'inactive', searchable: false };
  }
  return { status: normalised.status, searchable: normalised.searchable };
}

function emailOf(
  text: string,
  field: FieldRef | undefined,
  report: (severity: MapIssue['severity'], message: string, field?: FieldRef) => void,
): string | undefined {
  const { email } = normaliseEmail(text);
  if (email === undefined) report('warning', `no e-mail address in ${JSON.stringify(text)}`, field);
  return email;
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** `updatedAt` as the mapper gave it when it is an ISO 8601 date or date-time; else reported and left out. */
function isoDateOf(
  text: string | undefined,
  field: FieldRef | undefined,
  report: (severity: MapIssue['severity'], message: string, field?: FieldRef) => void,
): string | undefined {
  if (text === undefined) return undefined;
  const match = ISO_DATE.exec(text);
  const date =
    match === null ? undefined : new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!));
  if (
    date !== undefined &&
    date.getUTCDate() === +match![3]! &&
    date.getUTCMonth() === +match![2]! - 1
  ) {
    return text;
  }
  report('warning', `last update ${JSON.stringify(text)} is not an ISO 8601 date: left out`, field);
  return undefined;
}
