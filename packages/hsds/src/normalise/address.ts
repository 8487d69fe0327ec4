// US addresses into HSDS `address` fields: from one free-text line ("1360 Mission Street Suite
// 201, San Francisco, CA 94102 (between 9th and 10th)") or from an export's separate columns.
// A field the source does not give is reported in `problems`, never filled in.
import {
  attention,
  isDirectional,
  isPoBox,
  isUnit,
  poBox,
  poBoxEnd,
  splitTrailingUnit,
  streetEnd,
  usPostalCode,
} from './address-parts.js';
import type { HsdsAddressFields, HsdsAddressType } from './hsds-fields.js';
import { cleanText } from './text.js';
import { STATE_NAMES, stateCode } from './us-states.js';

export type AddressField = 'address_1' | 'city' | 'state_province' | 'postal_code' | 'country';

export type AddressProblem =
  | { kind: 'missing'; field: Exclude<AddressField, 'country'> }
  | { kind: 'invalid'; field: AddressField; value: string };

export interface AddressParse {
  /** HSDS `address` fields; `country` is `US`, `address_type` `postal` for a PO box. */
  address: HsdsAddressFields;
  /** Required fields that are missing or unreadable; those fields are left out. */
  problems: AddressProblem[];
  /** Text set aside from a one-line address: bracketed directions such as "(go to Freedom
   * Hall)". */
  notes: string[];
}

export interface AddressOptions {
  /** `physical` (the default) or `postal` (an export's mailing columns); a PO box is `postal`
   * either way. */
  addressType?: Exclude<HsdsAddressType, 'virtual'>;
}

/** An export's address columns, as written. */
export interface UsAddressInput {
  address_1?: string;
  address_2?: string;
  city?: string;
  state_province?: string;
  postal_code?: string;
  country?: string;
}

const COUNTRY_US = /^(?:u\.?\s?s\.?(?:\s?a\.?)?|united\s+states(?:\s+of\s+america)?|america)$/i;

/** Splits a one-line US address into HSDS fields. Never throws. */
export function parseUsAddress(text: string, options: AddressOptions = {}): AddressParse {
  const notes: string[] = [];
  const problems: AddressProblem[] = [];
  let rest = cleanText(
    text
      .replace(/\(([^()]*)\)/g, (_, note: string) => {
        if (note.trim()) notes.push(note.trim());
        return ' ';
      })
      .replace(/\s*[\r\n]+\s*/g, ', '),
  ).replace(/[\s,;]+$|(?<=\d)\.$/g, '');
  const countryAtEnd = /,\s*([A-Za-z .]+)$/.exec(rest);
  if (countryAtEnd && COUNTRY_US.test(countryAtEnd[1]!.trim())) {
    rest = rest.slice(0, countryAtEnd.index);
  }
  let postal: string | undefined;
  const zip = /(?:^|[\s,])(\d{5}(?:\s*-\s*\d{4})?|\d{9})$/.exec(rest);
  if (zip) {
    postal = usPostalCode(zip[1]!);
    rest = rest.slice(0, zip.index).replace(/[\s,]+$/, '');
  }
  let state = stateAtEnd(rest, postal !== undefined);
  if (!state && !postal) {
    // A malformed ZIP after a state ("CA 9410") is reported, not kept.
    const bad = /[\s,]+(\d[\d\s-]*)$/.exec(rest);
    const before = bad ? stateAtEnd(rest.slice(0, bad.index), true) : undefined;
    if (bad && before) {
      problems.push({ kind: 'invalid', field: 'postal_code', value: bad[1]!.trim() });
      rest = rest.slice(0, bad.index);
      state = before;
    }
  }
  if (state) rest = rest.slice(0, state.at).replace(/[\s,]+$/, '');
  else if (postal) {
    // Two capitals after a city stand where a state does ("Anytown, ZZ 12345"); after a unit
    // they are the city ("5th Floor, SF 94103").
    const notState = /,\s*([A-Z]{2})$/.exec(rest);
    const cityBefore = notState?.input
      .slice(0, notState.index)
      .split(',')
      .map((s) => s.trim());
    if (notState && cityBefore && cityBefore.length >= 2 && !isUnit(cityBefore.at(-1)!)) {
      problems.push({ kind: 'invalid', field: 'state_province', value: notState[1]! });
      rest = rest.slice(0, notState.index).replace(/[\s,]+$/, '');
    }
  }
  const address = splitStreetAndCity(rest, state !== undefined || postal !== undefined);
  address.state_province = state?.code;
  address.postal_code = postal;
  address.country = 'US';
  return finish(address, problems, notes, options);
}

/** Normalises an export's separate address columns: spacing, units moved to `address_2`,
 * `Attn:` lines to `attention`, PO boxes, state names to codes, ZIP+4, country `US`. When only
 * the first line is given and it holds the whole address, it is split as `parseUsAddress` does.
 * Never throws. */
export function normaliseUsAddress(
  input: UsAddressInput,
  options: AddressOptions = {},
): AddressParse {
  const line1 = cleanText(input.address_1 ?? '');
  const line2 = cleanText(input.address_2 ?? '');
  const city = cleanText(input.city ?? '');
  const state = cleanText(input.state_province ?? '');
  const postal = cleanText(input.postal_code ?? '');
  const country = cleanText(input.country ?? '');
  if (!city && !state && !postal && line1.includes(',')) {
    const parsed = parseUsAddress([line1, line2].filter((l) => l).join(', '), options);
    if (country && !COUNTRY_US.test(country)) {
      parsed.problems.push({ kind: 'invalid', field: 'country', value: country });
      delete parsed.address.country;
    }
    return parsed;
  }
  const problems: AddressProblem[] = [];
  const address: HsdsAddressFields = {};
  const lines = [line1, line2].filter((l) => l);
  for (const line of lines) {
    const who = attention(line);
    if (who) address.attention = who;
    else if (!address.address_1) [address.address_1, address.address_2] = splitTrailingUnit(line);
    else address.address_2 = [address.address_2, line].filter((l) => l).join(', ');
  }
  if (city) address.city = city;
  if (state) {
    const code = stateCode(state);
    if (code) address.state_province = code;
    else problems.push({ kind: 'invalid', field: 'state_province', value: state });
  }
  if (postal) {
    const zip = usPostalCode(postal);
    if (zip) address.postal_code = zip;
    else problems.push({ kind: 'invalid', field: 'postal_code', value: postal });
  }
  if (!country || COUNTRY_US.test(country)) address.country = 'US';
  else problems.push({ kind: 'invalid', field: 'country', value: country });
  return finish(address, problems, [], options);
}

interface StateAt {
  code: string;
  at: number;
}

// A state at the end of the line: a name or abbreviation after a comma or a space. Without a
// ZIP after it, only a comma-separated last segment counts, after at least street and city, so
// that "123 Main Ct" is not Connecticut; a full name after a comma needs street and city before
// it too, so that "123 Main St, Washington 20001" keeps Washington as its city.
function stateAtEnd(line: string, zipFollows: boolean): StateAt | undefined {
  const lower = line.toLowerCase().replace(/\.$/, '');
  for (const name of STATE_NAMES) {
    if (!lower.endsWith(name)) continue;
    const at = lower.length - name.length;
    const before = line.slice(0, at);
    if (at === 0 || !/[\s,]$/.test(before)) continue;
    const afterComma = /,\s*$/.test(before);
    const segmentsBefore = before.split(',').filter((s) => s.trim()).length;
    const isCode = name.length === 2;
    if (!zipFollows && !(afterComma && segmentsBefore >= 2)) continue;
    if (zipFollows && !isCode && afterComma && segmentsBefore < 2) continue;
    const code = stateCode(line.slice(at));
    if (code) return { code, at };
  }
  return matchDottedState(line, zipFollows);
}

// "D.C." and "N.Y." are keyed without their dots; look for them as written.
function matchDottedState(line: string, zipFollows: boolean): StateAt | undefined {
  const m = /[\s,]((?:[A-Za-z]\.\s?){2,3}|[A-Za-z]\.\s?[A-Za-z]{1,4}\.?)$/.exec(line);
  if (!m || !(zipFollows || /,\s*$/.test(line.slice(0, m.index + 1)))) return undefined;
  const code = stateCode(m[1]!);
  return code ? { code, at: m.index + 1 } : undefined;
}

// What is left before the state: street, units and city, comma-separated or not.
function splitStreetAndCity(rest: string, cityExpected: boolean): HsdsAddressFields {
  const segments = joinDirectionals(
    rest
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s),
  );
  const address: HsdsAddressFields = {};
  const who = segments.findIndex((s) => attention(s) !== undefined);
  if (who >= 0) address.attention = attention(segments.splice(who, 1)[0]!);
  if (segments.length === 0) return address;
  let city: string | undefined;
  if (segments.length >= 2) {
    const last = segments.at(-1)!;
    if (!isUnit(last) && !isPoBox(last) && !/^\d/.test(last)) city = segments.pop();
  } else if (cityExpected) {
    const line = segments[0]!;
    const end = poBoxEnd(line) ?? streetEnd(line);
    if (end !== undefined) {
      city = line.slice(end).trim();
      segments[0] = line.slice(0, end).trim();
    }
  }
  const [street, unit] = splitTrailingUnit(segments[0]!);
  address.address_1 = street;
  const second = [unit, ...segments.slice(1)].filter((s) => s);
  if (second.length > 0) address.address_2 = second.join(', ');
  if (city) address.city = city;
  return address;
}

function joinDirectionals(segments: string[]): string[] {
  const out: string[] = [];
  for (const s of segments) {
    if (out.length > 0 && isDirectional(s)) out[out.length - 1] += `, ${s}`;
    else out.push(s);
  }
  return out;
}

function finish(
  address: HsdsAddressFields,
  problems: AddressProblem[],
  notes: string[],
  options: AddressOptions,
): AddressParse {
  for (const key of Object.keys(address) as (keyof HsdsAddressFields)[]) {
    if (address[key] === undefined || address[key] === '') delete address[key];
  }
  const boxLine = [address.address_1, address.address_2].find((l) => l && isPoBox(l));
  if (boxLine) {
    if (address.address_1 && isPoBox(address.address_1))
      address.address_1 = poBox(address.address_1);
    if (address.address_2 && isPoBox(address.address_2))
      address.address_2 = poBox(address.address_2);
  }
  address.address_type = boxLine ? 'postal' : (options.addressType ?? 'physical');
  const reported = new Set(problems.map((p) => p.field));
  for (const field of ['address_1', 'city', 'state_province', 'postal_code'] as const) {
    if (!address[field] && !reported.has(field)) problems.push({ kind: 'missing', field });
  }
  return { address, problems, notes };
}
