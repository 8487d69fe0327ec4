/**
 * How the page shows HSDS fields: phones, addresses, opening hours, descriptions that carry
 * their source's markup. Everything here returns text; the page escapes it.
 */
import type { Address, Phone, Schedule, Service } from '@weir/hsds';

/** `+12027670450` → `(202) 767-0450`; other numbers as given. */
export function formatPhone(number: string): string {
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number);
  return us === null ? number : `(${us[1]}) ${us[2]}-${us[3]}`;
}

export function phoneLabel(phone: Phone): string {
  const parts = [phone.type === 'voice' ? undefined : phone.type, phone.description].filter(
    (p): p is string => p !== undefined && p.trim() !== '',
  );
  return parts.join(', ');
}

export function oneLineAddress(a: Address): string {
  const cityLine = [a.city, [a.state_province, a.postal_code].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return [a.address_1, a.address_2, cityLine].filter(Boolean).join(', ');
}

/** The service's physical addresses (else any), one line each, without repeats. */
export function addressesOf(service: Service): string[] {
  const all = (service.service_at_locations ?? []).flatMap((sal) => sal.location?.addresses ?? []);
  const physical = all.filter((a) => a.address_type !== 'postal');
  const lines = (physical.length > 0 ? physical : all).map(oneLineAddress).filter(Boolean);
  return [...new Set(lines)];
}

const DAYS: Record<string, string> = {
  MO: 'Mon',
  TU: 'Tue',
  WE: 'Wed',
  TH: 'Thu',
  FR: 'Fri',
  SA: 'Sat',
  SU: 'Sun',
};
const ORDER = Object.keys(DAYS);

/** `MO,TU,WE,TH,FR` → `Mon–Fri`; `MO,WE` → `Mon, Wed`. */
export function formatDays(byday: string): string {
  const days = byday
    .split(',')
    .map((d) => d.trim().toUpperCase().slice(-2))
    .filter((d) => d in DAYS)
    .sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const runs: string[][] = [];
  for (const day of days) {
    const last = runs.at(-1);
    if (last !== undefined && ORDER.indexOf(day) === ORDER.indexOf(last.at(-1)!) + 1)
      last.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) =>
      run.length >= 3
        ? `${DAYS[run[0]!]}–${DAYS[run.at(-1)!]}`
        : run.map((d) => DAYS[d]).join(', '),
    )
    .join(', ');
}

/** `07:30` → `7:30 am`. */
export function formatTime(time: string): string {
  const match = /^(\d{1,2}):(\d{2})/.exec(time);
  if (match === null) return time;
  const hour = Number(match[1]);
  const suffix = hour >= 12 ? 'pm' : 'am';
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  return `${twelve}:${match[2]} ${suffix}`;
}

/** One line per schedule: days and hours, or the schedule's own words. */
export function hoursOf(service: Service): string[] {
  const schedules: Schedule[] = [
    ...(service.schedules ?? []),
    ...(service.service_at_locations ?? []).flatMap((sal) => sal.schedules ?? []),
  ];
  const lines = schedules.map((s) => {
    const days = s.byday ? formatDays(s.byday) : '';
    const hours =
      s.opens_at && s.closes_at ? `${formatTime(s.opens_at)} – ${formatTime(s.closes_at)}` : '';
    const when = [days, hours].filter(Boolean).join(' ');
    return when !== '' ? when : (s.description ?? s.notes ?? '').trim();
  });
  return [...new Set(lines.filter(Boolean))];
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};

/**
 * A description as plain text: exports carry markup (`<br />`, `<b>`): line breaks are kept,
 * other tags dropped, a few entities decoded. The page escapes the result.
 */
export function plainText(text: string | undefined): string {
  if (text === undefined) return '';
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name: string) => ENTITIES[name]!)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function truncate(text: string, length: number): string {
  if (text.length <= length) return text;
  const cut = text.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return `${(space > length * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** `2011-12-03` or a date-time → `3 Dec 2011`. */
export function formatDate(value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const at = typeof value === 'number' ? new Date(value) : new Date(value);
  if (Number.isNaN(at.getTime())) return typeof value === 'string' ? value : undefined;
  return at.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export function formatMiles(km: number): string {
  const miles = km / 1.609344;
  return miles < 10 ? `${miles.toFixed(1)} mi` : `${Math.round(miles)} mi`;
}
