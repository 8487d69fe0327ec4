// Addresses as compared: the street number, the street's name with its suffix and directions
// in one spelling (USPS abbreviations), the unit, and the 5-digit ZIP code.
import type { ResolvableAddress } from './record.js';
import { words } from './text.js';

/** An address reduced to what tells two places apart. */
export interface AddressKey {
  /** `1824`, `12a`, or the box number of a PO box. */
  number?: string;
  /** `ellis st`, `n state st`, `po box` — the street without its number or unit. */
  street?: string;
  /** `1c`, `265`, `2 floor`: the suite, room, apartment or floor, without its label. */
  unit?: string;
  /** The first five digits of the ZIP code. */
  postal?: string;
  city?: string;
  /** A mailing address: compared only with other mailing addresses. */
  postalOnly?: boolean;
}

const SUFFIX: Readonly<Record<string, string>> = {
  street: 'st',
  str: 'st',
  strt: 'st',
  avenue: 'ave',
  aven: 'ave',
  av: 'ave',
  avn: 'ave',
  road: 'rd',
  boulevard: 'blvd',
  blv: 'blvd',
  drive: 'dr',
  drv: 'dr',
  lane: 'ln',
  place: 'pl',
  court: 'ct',
  highway: 'hwy',
  parkway: 'pkwy',
  pky: 'pkwy',
  terrace: 'ter',
  circle: 'cir',
  square: 'sq',
  suite: 'ste',
  plaza: 'plz',
  expressway: 'expy',
  freeway: 'fwy',
  trail: 'trl',
  center: 'ctr',
  centre: 'ctr',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  mount: 'mt',
  saint: 'st',
  first: '1st',
  second: '2nd',
  third: '3rd',
  fourth: '4th',
  fifth: '5th',
};

const UNIT_LABELS = new Set([
  'suite',
  'ste',
  'apt',
  'apartment',
  'unit',
  'room',
  'rm',
  'floor',
  'fl',
  'flr',
  'bldg',
  'building',
  'space',
  'spc',
  'office',
  'ofc',
]);
const FLOOR_WORDS = new Set(['floor', 'fl', 'flr']);
const ORDINAL = /^(\d+)(?:st|nd|rd|th)$/;

function spell(w: string): string {
  return SUFFIX[w] ?? w;
}

/** The unit's identifying words: labels dropped, `2nd floor` as `2 floor`. */
function unitOf(tokens: readonly string[]): string | undefined {
  const out: string[] = [];
  for (const t of tokens) {
    if (FLOOR_WORDS.has(t)) out.push('floor');
    else if (UNIT_LABELS.has(t)) continue;
    else out.push(ORDINAL.exec(t)?.[1] ?? t);
  }
  return out.length ? out.join(' ') : undefined;
}

/** Splits a street line into number, street and unit; `#`, `suite 3`, `room 2` start a unit. */
function streetParts(line: string): Pick<AddressKey, 'number' | 'street' | 'unit'> {
  const tokens = words(line.replace(/#/g, ' suite '));
  if (tokens.length === 0) return {};
  if (
    (tokens[0] === 'po' || tokens[0] === 'p') &&
    tokens.includes('box') &&
    /^\d+$/.test(tokens.at(-1) ?? '')
  ) {
    return { number: tokens.at(-1)!, street: 'po box' };
  }
  let number: string | undefined;
  let rest = tokens;
  if (/^\d+[a-z]?$/.test(tokens[0]!) && tokens.length > 1) {
    number = tokens[0]!;
    rest = tokens.slice(1);
  }
  const unitAt = rest.findIndex((t, i) => i > 0 && UNIT_LABELS.has(t));
  const street = (unitAt >= 0 ? rest.slice(0, unitAt) : rest).map(spell);
  const unit = unitAt >= 0 ? unitOf(rest.slice(unitAt)) : undefined;
  return {
    ...(number ? { number } : {}),
    ...(street.length ? { street: street.join(' ') } : {}),
    ...(unit ? { unit } : {}),
  };
}

/** The comparable key of an address (empty when it names no street, unit, ZIP or city). */
export function addressKey(address: ResolvableAddress | undefined): AddressKey {
  if (!address) return {};
  const parts = streetParts(address.address_1 ?? '');
  const extra = address.address_2 ? unitOf(words(address.address_2)) : undefined;
  const unit = [parts.unit, extra].filter(Boolean).join(' ') || undefined;
  const postal = /^\d{5}/.exec((address.postal_code ?? '').trim())?.[0];
  const city = words(address.city ?? '')
    .map(spell)
    .join(' ');
  return {
    ...(parts.number ? { number: parts.number } : {}),
    ...(parts.street ? { street: parts.street } : {}),
    ...(unit ? { unit } : {}),
    ...(postal ? { postal } : {}),
    ...(city ? { city } : {}),
    ...(address.address_type === 'postal' ? { postalOnly: true } : {}),
  };
}
