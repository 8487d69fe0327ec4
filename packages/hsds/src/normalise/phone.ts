// Phone numbers in free text: one or several North American (NANP) numbers with their
// extensions, labels and types, N11 service codes (211, 311, 711…), vanity letters. Anything
// that looks like a number but is not a valid one is reported in `unparsed`, never repaired.
import type { HsdsPhoneFields, HsdsPhoneType } from './hsds-fields.js';
import { formatNanp } from './phone-format.js';
import { cleanText, trimPunctuation } from './text.js';

export interface PhoneOptions {
  /** Three digits put in front of seven-digit local numbers; without it they are reported in
   * `unparsed`. */
  defaultAreaCode?: string;
  /** The type when the text's own labels do not say (e.g. `fax` for an export's fax column);
   * `voice` by default. */
  defaultType?: HsdsPhoneType;
  /** A label given beside the number (an export's `Phone1Name`): part of each number's
   * description, and read for its type. */
  label?: string;
  /** What `phone.number` holds: `e164` (`+12065550100`, the default) or `national`
   * (`(206) 555-0100`). N11 codes are their three digits either way. */
  numberFormat?: 'e164' | 'national';
}

export interface ParsedPhone {
  /** The HSDS `phone` row. */
  phone: HsdsPhoneFields;
  /** `+1` and ten digits; absent for N11 service codes, which have none. */
  e164?: string;
  /** `(206) 555-0100`, or the N11 code. */
  national: string;
  /** The part of the text the number was read from. */
  source: string;
  /** True when `defaultAreaCode` completed a seven-digit number. */
  areaCodeAssumed?: true;
}

export interface PhoneParse {
  phones: ParsedPhone[];
  /** Fragments that look like phone numbers but are not valid ones (wrong digit count, area
   * code or exchange starting with 0 or 1, an extension with no number…), as written. */
  unparsed: string[];
}

// A run of digits and separators that may hold numbers: groups of digits or upper-case vanity
// letters (not an extension's X or EXT) joined by at most three of . - / = space and brackets.
const LETTERS = '(?!X\\s*\\d|EXT)[A-Z]';
const RUN = new RegExp(
  `\\+?\\(?\\s*\\d(?:\\d|${LETTERS}{1,7}(?![a-z])|[ .\\-/=()]{1,3}(?=\\(?\\s*\\d|${LETTERS}{2,7}(?![a-z]))|\\))*`,
  'g',
);
const EXTENSION = /^\s*[,;]?\s*(?:extension|ext|ex|xt|x|#)\s*[.:#]?\s*(\d{1,7})(?!\d)#?/i;
const ORPHAN_EXTENSION = /(?<=^|[\s,;(])(?:extension|ext\.?|xt\.?|x)\s*[.:#]?\s*\d{1,7}\b/gi;
const KEYPAD: Record<string, string> = {
  A: '2',
  B: '2',
  C: '2',
  D: '3',
  E: '3',
  F: '3',
  G: '4',
  H: '4',
  I: '4',
  J: '5',
  K: '5',
  L: '5',
  M: '6',
  N: '6',
  O: '6',
  P: '7',
  Q: '7',
  R: '7',
  S: '7',
  T: '8',
  U: '8',
  V: '8',
  W: '9',
  X: '9',
  Y: '9',
  Z: '9',
};

// Digit-group shapes that make one number, longest first. `country` means the first group is
// the country code 1; `local` means seven digits without an area code.
const SHAPES: readonly { sizes: readonly number[]; kind: 'country' | 'national' | 'local' }[] = [
  { sizes: [1, 3, 3, 4], kind: 'country' },
  { sizes: [1, 3, 7], kind: 'country' },
  { sizes: [3, 3, 4], kind: 'national' },
  { sizes: [1, 10], kind: 'country' },
  { sizes: [3, 7], kind: 'national' },
  { sizes: [6, 4], kind: 'national' },
  { sizes: [3, 4], kind: 'local' },
  { sizes: [11], kind: 'country' },
  { sizes: [10], kind: 'national' },
  { sizes: [7], kind: 'local' },
];

interface Group {
  digits: string;
  start: number;
  end: number;
  vanity: boolean;
  /** Letters that are a placeholder (XXX-XXXX), not a vanity number. */
  mask: boolean;
}

interface Span {
  start: number;
  end: number;
}

interface Found {
  start: number;
  end: number;
  national: string;
  e164?: string;
  extension?: number;
  areaCodeAssumed?: true;
  vanityDigits?: string;
}

/** Reads every phone number in `text`. Never throws. */
export function parsePhones(text: string, options: PhoneOptions = {}): PhoneParse {
  const clean = cleanText(text).replace(/\(\s*\)/g, ' ');
  const found: Found[] = [];
  const suspects: Span[] = [];
  for (const run of clean.matchAll(RUN))
    readRun(run[0], run.index, clean, options, found, suspects);
  for (const f of found) attachExtension(clean, f);
  const covered = (at: number) => found.some((f) => at >= f.start && at < f.end);
  // A number not read keeps its extension with it: "555-0100 x3".
  const suspected = suspects
    .filter((s) => !covered(s.start))
    .map((s) => ({
      start: s.start,
      end: s.end + (EXTENSION.exec(clean.slice(s.end))?.[0].length ?? 0),
    }));
  const unparsed = suspected.map((s) => clean.slice(s.start, s.end).trim());
  reportOrphanExtensions(clean, [...found, ...suspected], unparsed);
  const phones: ParsedPhone[] = [];
  const seen = new Set<string>();
  found.forEach((f, i) => {
    const key = `${f.e164 ?? f.national}#${f.extension ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    const { label, remark } = surroundings(clean, found, i);
    phones.push(toParsed(clean, f, label, remark, options));
  });
  return { phones, unparsed };
}

function readRun(
  run: string,
  runStart: number,
  text: string,
  options: PhoneOptions,
  found: Found[],
  suspects: Span[],
): void {
  const groups = digitGroups(run, runStart);
  const fromRun: Found[] = [];
  let leftover = false;
  for (let i = 0; i < groups.length; ) {
    const match = matchShape(groups, i, runStart, text, options);
    if (match) {
      fromRun.push(match.found);
      i += match.used;
      // The digits of vanity letters are often repeated: 1-800-273-TALK (8255).
      const echo = groups[i];
      if (match.found.vanityDigits?.endsWith(echo?.digits ?? '-') && echo!.digits.length >= 4) {
        match.found.end = text.indexOf(')', echo!.end) === echo!.end ? echo!.end + 1 : echo!.end;
        i++;
      }
    } else {
      // Letters that make no number are words ("555-0100 TTY"), not stray digits.
      if (!groups[i]!.vanity && groups[i]!.digits.length >= 3) leftover = true;
      i++;
    }
  }
  // A run with a number and more digits beside it ("(202) 727-442-6100") is not trusted.
  if (fromRun.length > 0 && !leftover) {
    found.push(...fromRun);
    return;
  }
  const n11 = fromRun.length === 0 ? serviceCode(groups, text, runStart) : undefined;
  if (n11) {
    found.push(n11);
    return;
  }
  const digitCount = groups.reduce((n, g) => n + g.digits.length, 0);
  const isDate = /^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(run.trim());
  if (digitCount >= 6 && !isDate) {
    const start = runStart + run.length - run.trimStart().length;
    suspects.push({ start, end: start + run.trim().length });
  }
}

function digitGroups(run: string, runStart: number): Group[] {
  const groups: Group[] = [];
  for (const m of run.matchAll(/[0-9A-Z]+/g)) {
    const start = runStart + m.index;
    groups.push({
      digits: m[0].replace(/[A-Z]/g, (c) => KEYPAD[c]!),
      start,
      end: start + m[0].length,
      vanity: /[A-Z]/.test(m[0]),
      mask: /^([A-Z])\1+$/.test(m[0]),
    });
  }
  return groups;
}

function matchShape(
  groups: readonly Group[],
  at: number,
  runStart: number,
  text: string,
  options: PhoneOptions,
): { found: Found; used: number } | undefined {
  for (const shape of [...SHAPES, ...vanityShapes(groups, at)]) {
    const part = groups.slice(at, at + shape.sizes.length);
    if (part.length !== shape.sizes.length) continue;
    if (!part.every((g, k) => g.digits.length === shape.sizes[k] && !g.mask)) continue;
    let digits = part.map((g) => g.digits).join('');
    if (shape.kind === 'country') {
      if (!digits.startsWith('1')) continue;
      digits = digits.slice(1);
    }
    let areaCodeAssumed: true | undefined;
    if (shape.kind === 'local') {
      if (!options.defaultAreaCode || !/^\d{3}$/.test(options.defaultAreaCode)) continue;
      digits = options.defaultAreaCode + digits;
      areaCodeAssumed = true;
    }
    if (!isValidNanp(digits)) continue;
    let start = part[0]!.start;
    while (start > runStart && /[(+\s]/.test(text[start - 1]!)) start--;
    const found: Found = {
      start,
      end: part.at(-1)!.end,
      national: formatNanp(digits, 'national'),
      e164: `+1${digits}`,
    };
    if (areaCodeAssumed) found.areaCodeAssumed = areaCodeAssumed;
    const vanity = part.filter((g) => g.vanity).map((g) => g.digits);
    if (vanity.length > 0) found.vanityDigits = vanity.join('');
    return { found, used: shape.sizes.length };
  }
  return undefined;
}

// Vanity letters are grouped as words, not as the number's parts (866-DC-VOTES): groups that
// hold letters and add up to ten digits after an area code (or eleven after a 1) make a number.
function vanityShapes(groups: readonly Group[], at: number): typeof SHAPES {
  const first = groups[at];
  if (!first || (first.digits.length !== 3 && first.digits !== '1')) return [];
  const sizes: number[] = [];
  let total = 0;
  let letters = false;
  for (let k = at; k < groups.length && total < 11; k++) {
    sizes.push(groups[k]!.digits.length);
    total += groups[k]!.digits.length;
    letters ||= groups[k]!.vanity;
    if (letters && total === (first.digits === '1' ? 11 : 10)) {
      return [{ sizes, kind: first.digits === '1' ? 'country' : 'national' }];
    }
  }
  return [];
}

/** NANP: area code and exchange each start with 2-9, and an area code is not an N11 code. */
export function isValidNanp(tenDigits: string): boolean {
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(tenDigits) && !/^[2-9]11/.test(tenDigits);
}

// 211, 311 … 911 count only alone or after a label that ends in ':' or says call, dial, TTY…,
// so that "Suite 211" is not a phone number.
function serviceCode(groups: readonly Group[], text: string, runStart: number): Found | undefined {
  const only = groups.length === 1 ? groups[0]! : undefined;
  if (!only || only.vanity || !/^[2-9]11$/.test(only.digits)) return undefined;
  const before =
    text
      .slice(0, runStart)
      .split(/[;,.]\s/)
      .at(-1) ?? '';
  if (!/^\s*$|:\s*$|\b(?:call|dial|tty|tdd|or|phone|line|text)\s*$/i.test(before)) return undefined;
  return { start: only.start, end: only.end, national: only.digits };
}

function attachExtension(text: string, f: Found): void {
  const ext = EXTENSION.exec(text.slice(f.end));
  if (ext) {
    f.extension = Number(ext[1]);
    f.end += ext[0].length;
  }
}

function reportOrphanExtensions(text: string, spans: readonly Span[], unparsed: string[]): void {
  for (const m of text.matchAll(ORPHAN_EXTENSION)) {
    const start = m.index + (m[0].length - m[0].trimStart().length);
    if (!spans.some((f) => start >= f.start && start < f.end)) unparsed.push(trimPunctuation(m[0]));
  }
}

// The text before a number (back to the previous number or the start) is its label, unless a
// clause boundary (; . , or a closing parenthesis) splits it: then what comes before the
// boundary is the previous number's remark.
function surroundings(
  text: string,
  found: readonly Found[],
  i: number,
): { label: string; remark: string } {
  const f = found[i]!;
  const previousEnd = i > 0 ? found[i - 1]!.end : 0;
  const between = text.slice(previousEnd, f.start);
  const label = i === 0 ? between : splitBetween(between).label;
  const next = found[i + 1];
  const after = text.slice(f.end, next ? next.start : text.length);
  const remark = next ? splitBetween(after).remark : after;
  return { label: cleanLabel(label), remark: trimPunctuation(remark) };
}

function splitBetween(between: string): { remark: string; label: string } {
  const boundary = /[;]|[.,](?=\s)|\)(?=[\s,;.])|\s{2,}/g;
  let last: RegExpExecArray | null = null;
  let first: RegExpExecArray | null = null;
  for (let m = boundary.exec(between); m; m = boundary.exec(between)) {
    first ??= m;
    last = m;
  }
  if (!first || !last)
    return /^\s*\(/.test(between) ? { remark: between, label: '' } : { remark: '', label: between };
  if (/^\s*\(/.test(between)) {
    const close = between.indexOf(')');
    if (close >= 0) return { remark: between.slice(0, close + 1), label: between.slice(close + 1) };
  }
  return { remark: between.slice(0, first.index + 1), label: between.slice(last.index + 1) };
}

function cleanLabel(text: string): string {
  return trimPunctuation(
    text
      .replace(/^\s*(?:or|and|also|&)\b/i, '')
      .replace(/\b(?:or|and|also|&|is|at|call|dial)\s*$/i, '')
      .trim(),
  );
}

function toParsed(
  text: string,
  f: Found,
  label: string,
  remark: string,
  options: PhoneOptions,
): ParsedPhone {
  const described = [options.label?.trim(), label, remark].filter((s) => s).join(' — ');
  const phone: HsdsPhoneFields = {
    number: options.numberFormat === 'national' || !f.e164 ? f.national : f.e164,
  };
  if (f.extension !== undefined) phone.extension = f.extension;
  phone.type =
    phoneType([options.label ?? '', label, remark].join(' ')) ?? options.defaultType ?? 'voice';
  if (described) phone.description = described;
  const parsed: ParsedPhone = {
    phone,
    national: f.national,
    source: text.slice(f.start, f.end).trim(),
  };
  if (f.e164) parsed.e164 = f.e164;
  if (f.areaCodeAssumed) parsed.areaCodeAssumed = true;
  return parsed;
}

/** The HSDS phone type a label names (fax, TTY/TDD, text/SMS, cell, video, pager), if any. */
export function phoneType(label: string): HsdsPhoneType | undefined {
  if (/\b(?:fax|facsimile)\b/i.test(label)) return 'fax';
  if (/\b(?:tty|tdd|ttd|tdy|teletype|textphone|teletypewriter)\b/i.test(label)) return 'textphone';
  if (/\b(?:text|texting|sms|txt)\b/i.test(label)) return 'text';
  if (/\b(?:cell|cellphone|mobile)\b/i.test(label)) return 'cell';
  if (/\b(?:video ?phone|videophone|vp)\b/i.test(label)) return 'video';
  if (/\b(?:pager|beeper)\b/i.test(label)) return 'pager';
  return undefined;
}
