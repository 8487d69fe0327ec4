// The nested parts of a service — phones, location with addresses, hours, languages, taxonomy —
// each from its fields through the package's normalisers, with stable ids.
import type {
  Address,
  Attribute,
  Language,
  Location,
  Phone,
  Schedule,
  TaxonomyTerm,
} from '../model/index.js';
import {
  type HsdsScheduleFields,
  normaliseUsAddress,
  parseLanguages,
  parseOpeningHours,
  parsePhones,
  parseTaxonomyCodes,
  parseUsAddress,
  stableId,
} from '../normalise/index.js';
import type { SourceRecord } from '../read/index.js';
import { type FieldRef, fieldValue } from './field.js';
import type { MapIssue } from './map-issue.js';
import type { AddressSpec, Mapper, TaxonomyField } from './mapper.js';

/** Where a part's problems go, and the ids it hangs from. */
export interface PartContext {
  readonly mapper: Mapper;
  readonly record: SourceRecord;
  readonly serviceId: string;
  readonly locationId: string;
  report(severity: MapIssue['severity'], message: string, field?: FieldRef): void;
}

export function phonesOf(ctx: PartContext): Phone[] {
  const phones: Phone[] = [];
  const seen = new Set<string>();
  for (const spec of ctx.mapper.phones ?? []) {
    const text = fieldValue(ctx.record, spec.value);
    if (text === undefined) continue;
    const label = fieldValue(ctx.record, spec.label);
    const parse = parsePhones(text, {
      ...ctx.mapper.phoneOptions,
      ...(label === undefined ? {} : { label }),
      ...(spec.type === undefined ? {} : { defaultType: spec.type }),
    });
    for (const unparsed of parse.unparsed) {
      ctx.report('warning', `no phone number in ${JSON.stringify(unparsed)}`, spec.value);
    }
    for (const { phone } of parse.phones) {
      const key = `${phone.number};${phone.extension ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      phones.push({
        id: stableId(`${ctx.serviceId}/phone/${key}`),
        service_id: ctx.serviceId,
        ...phone,
      });
    }
  }
  return phones;
}

export function locationOf(ctx: PartContext): Location | undefined {
  const spec = ctx.mapper.location;
  if (spec === undefined) return undefined;
  const addresses = (spec.addresses ?? []).flatMap((field) => addressOf(ctx, field));
  const unique = addresses.filter(
    (a, i) => addresses.findIndex((b) => sameAddress(a, b)) === i || a.address_type === 'physical',
  );
  const coordinates = coordinatesOf(ctx, spec.latitude, spec.longitude);
  const name = fieldValue(ctx.record, spec.name);
  const description = fieldValue(ctx.record, spec.description);
  const transportation = fieldValue(ctx.record, spec.transportation);
  if (unique.length === 0 && coordinates === undefined) return undefined;
  const physical = unique.some((a) => a.address_type === 'physical') || coordinates !== undefined;
  return {
    id: ctx.locationId,
    location_type: physical ? 'physical' : 'postal',
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    ...(transportation === undefined ? {} : { transportation }),
    ...coordinates,
    addresses: unique.map((address) => ({ ...address, location_id: ctx.locationId })),
  };
}

function sameAddress(a: Address, b: Address): boolean {
  return (
    a.address_1 === b.address_1 &&
    (a.address_2 ?? '') === (b.address_2 ?? '') &&
    a.city === b.city &&
    a.postal_code === b.postal_code
  );
}

function addressOf(ctx: PartContext, field: AddressSpec): Address[] {
  const options = { addressType: field.type };
  let parse: ReturnType<typeof parseUsAddress>;
  let source: FieldRef;
  if ('line' in field) {
    const line = fieldValue(ctx.record, field.line);
    if (line === undefined) return [];
    parse = parseUsAddress(line, options);
    source = field.line;
  } else {
    const columns = field.columns;
    const address_1 = fieldValue(ctx.record, columns.address_1);
    if (address_1 === undefined) return [];
    const input = {
      address_1,
      ...optional('address_2', fieldValue(ctx.record, columns.address_2)),
      ...optional('city', fieldValue(ctx.record, columns.city)),
      ...optional('state_province', fieldValue(ctx.record, columns.state_province)),
      ...optional('postal_code', fieldValue(ctx.record, columns.postal_code)),
      ...optional('country', fieldValue(ctx.record, columns.country)),
    };
    parse = normaliseUsAddress(input, options);
    const attention = fieldValue(ctx.record, columns.attention);
    if (attention !== undefined && parse.address.attention === undefined) {
      parse.address.attention = attention;
    }
    source = columns.address_1;
  }
  const a = parse.address;
  if (
    a.address_1 === undefined ||
    a.city === undefined ||
    a.state_province === undefined ||
    a.postal_code === undefined ||
    a.country === undefined
  ) {
    const what = parse.problems.map((p) => `${p.kind} ${p.field}`).join(', ') || 'incomplete';
    ctx.report('warning', `${field.type} address left out of HSDS (${what})`, source);
    return [];
  }
  const id = stableId(`${ctx.locationId}/address/${field.type}/${a.address_1}`);
  return [
    {
      ...a,
      id,
      address_1: a.address_1,
      city: a.city,
      state_province: a.state_province,
      postal_code: a.postal_code,
      country: a.country,
      address_type: a.address_type ?? field.type,
    },
  ];
}

function coordinatesOf(
  ctx: PartContext,
  latitudeRef: FieldRef | undefined,
  longitudeRef: FieldRef | undefined,
): { latitude: number; longitude: number } | undefined {
  const lat = fieldValue(ctx.record, latitudeRef);
  const lon = fieldValue(ctx.record, longitudeRef);
  if (lat === undefined && lon === undefined) return undefined;
  const latitude = Number(lat);
  const longitude = Number(lon);
  const valid =
    Number.isFinite(latitude) &&
    Number.isFinite(longitude) &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180 &&
    !(latitude === 0 && longitude === 0);
  if (!valid) {
    ctx.report(
      'warning',
      `coordinates ${lat ?? '?'}, ${lon ?? '?'} are not a place: left out`,
      latitudeRef,
    );
    return undefined;
  }
  return { latitude, longitude };
}

export function schedulesOf(ctx: PartContext): Schedule[] {
  let rows: HsdsScheduleFields[] = [];
  const { hours, hoursRows } = ctx.mapper;
  if (hoursRows !== undefined) {
    const result = hoursRows(ctx.record);
    for (const problem of result.problems) ctx.report('warning', problem);
    rows = result.schedules;
  } else {
    const text = fieldValue(ctx.record, hours);
    if (text !== undefined) rows = parseOpeningHours(text).schedules;
  }
  return rows.map((row, i) => ({
    id: stableId(`${ctx.serviceId}/schedule/${i}`),
    service_id: ctx.serviceId,
    ...row,
  }));
}

export function languagesOf(ctx: PartContext): Language[] {
  const spec = ctx.mapper.languages;
  if (spec === undefined) return [];
  const refs = Array.isArray(spec) ? spec : [spec as FieldRef];
  const languages: Language[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    const text = fieldValue(ctx.record, ref);
    if (text === undefined) continue;
    for (const language of parseLanguages(text).languages) {
      const key = language.code ?? language.name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      languages.push({
        id: stableId(`${ctx.serviceId}/language/${key}`),
        service_id: ctx.serviceId,
        ...language,
      });
    }
  }
  return languages;
}

export function attributesOf(ctx: PartContext): Attribute[] {
  return termsOf(ctx).map((term) => ({
    id: stableId(`${ctx.serviceId}/attribute/${term.id}`),
    link_id: ctx.serviceId,
    link_type: 'service',
    link_entity: 'service',
    taxonomy_term_id: term.id,
    taxonomy_term: term,
  }));
}

function termsOf(ctx: PartContext): TaxonomyTerm[] {
  const spec = ctx.mapper.taxonomy;
  if (spec === undefined) return [];
  const fields: readonly TaxonomyField[] = isTaxonomyList(spec) ? spec : [spec];
  const terms = fields.flatMap((field) => termsOfField(ctx, field));
  return terms.filter((term, i) => terms.findIndex((other) => other.id === term.id) === i);
}

function isTaxonomyList(
  spec: TaxonomyField | readonly TaxonomyField[],
): spec is readonly TaxonomyField[] {
  return Array.isArray(spec);
}

function termsOfField(ctx: PartContext, spec: TaxonomyField): TaxonomyTerm[] {
  if ('categories' in spec) {
    const text = fieldValue(ctx.record, spec.categories);
    if (text === undefined) return [];
    const parts = text.split(spec.separator ?? /[;,]/);
    const names = [...new Set(parts.map((n) => n.trim()).filter((n) => n !== ''))];
    return names.map((name) => ({
      id: stableId(`${spec.taxonomy}/${name.toLowerCase()}`),
      name,
      description: '',
      taxonomy: spec.taxonomy,
    }));
  }
  const codes = fieldValue(ctx.record, spec.codes);
  if (codes === undefined) return [];
  const terms = fieldValue(ctx.record, spec.terms);
  const paths = fieldValue(ctx.record, spec.paths);
  const parse = parseTaxonomyCodes(codes, {
    ...optional('terms', terms),
    ...optional('paths', paths),
  });
  return parse.terms.map((term) => ({ ...term }));
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
