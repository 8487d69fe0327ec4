// The pieces of a US address line: ZIP codes, units (Suite 5, 2nd Floor), PO boxes, street
// suffixes, directionals and "Attn:" lines.

/** `94102`, `94102-6033`, `941026033`, `94102 6033` → `94102` or `94102-6033`; undefined when
 * the digits are not a ZIP or ZIP+4 (`9410`, `200011`, `20009-467`). */
export function usPostalCode(text: string): string | undefined {
  const m = /^(\d{5})(?:(?:\s*-+\s*|\s*)(\d{4}))?$/.exec(text.replace(/[^\d\s-]/g, '').trim());
  if (!m) return undefined;
  return m[2] ? `${m[1]}-${m[2]}` : m[1];
}

const UNIT_WORD =
  'suite|ste|apartment|apt|unit|room|rm|floor|flr|fl|building|bldg|department|dept|office|ofc|space|spc|lot|trailer|trlr|box';
const UNIT = new RegExp(
  `^(?:(?:${UNIT_WORD})\\.?\\s*(?:#\\s*|no\\.?\\s*)?[\\w-]+|#\\s*[\\w-]+|\\d+(?:st|nd|rd|th)\\s+(?:floor|fl|flr)\\.?|(?:lower|upper|ground|main|basement)\\s+(?:level|floor))$`,
  'i',
);
const TRAILING_UNIT = new RegExp(
  `\\s*,?\\s+((?:(?:${UNIT_WORD.replace('|box', '')})\\.?\\s*(?:#\\s*|no\\.?\\s*)?[\\w-]+|#\\s*[\\w-]+|\\d+(?:st|nd|rd|th)\\s+(?:floor|fl|flr)\\.?))$`,
  'i',
);

/** True when a whole segment is a unit: `Suite 201`, `Rm. 5`, `#3B`, `5th Floor`. */
export function isUnit(segment: string): boolean {
  return UNIT.test(segment.trim()) && !isPoBox(segment);
}

/** `1360 Mission Street Suite 201` → [`1360 Mission Street`, `Suite 201`]; a line without a
 * trailing unit comes back alone. A line that is only a unit is not split. */
export function splitTrailingUnit(line: string): [string, string?] {
  const m = TRAILING_UNIT.exec(line);
  if (!m || m.index === 0 || !/\d/.test(line.slice(0, m.index)) || isPoBox(line)) return [line];
  return [line.slice(0, m.index).replace(/,\s*$/, ''), m[1]!];
}

const PO_BOX_WORDS = String.raw`(?:p\.?\s*o\.?\s*b(?:ox)?\.?|post\s+office\s+box|box)\s*#?\s*(\w[\w-]*)`;
const PO_BOX = new RegExp(`^${PO_BOX_WORDS}$`, 'i');
const PO_BOX_START = new RegExp(`^${PO_BOX_WORDS}(?=\\s+\\S)`, 'i');

/** True for `PO Box 12`, `P.O. Box 12`, `Post Office Box 12`, `POB 12`, `Box 12`. */
export function isPoBox(segment: string): boolean {
  return PO_BOX.test(segment.trim());
}

/** Where a PO box at the start of a line ends ("PO Box 12 Springfield"), if one does and a
 * word follows it. */
export function poBoxEnd(line: string): number | undefined {
  const m = PO_BOX_START.exec(line);
  return m ? m[0].length : undefined;
}

/** A PO box written the USPS way: `P.O. Box 12` → `PO Box 12`. */
export function poBox(segment: string): string {
  const m = PO_BOX.exec(segment.trim());
  return m ? `PO Box ${m[1]}` : segment;
}

/** `N`, `SE`, `North`, `South-West`: a segment that is only a directional (DC's quadrants). */
export function isDirectional(segment: string): boolean {
  return /^(?:[NSEW]|NE|NW|SE|SW|N\.?[EW]\.?|S\.?[EW]\.?|north|south|east|west|(?:north|south)[\s-]?(?:east|west))\.?$/i.test(
    segment.trim(),
  );
}

/** The person or department in `Attn: Food Stamps` or `c/o Jane Roe`, if the segment is one. */
export function attention(segment: string): string | undefined {
  const m = /^(?:attn|attention|c\/o|care of)\s*[:.]?\s*(.+)$/i.exec(segment.trim());
  return m ? m[1]!.trim() : undefined;
}

const TRAILING_UNIT_INNER = `(?:(?:${UNIT_WORD.replace('|box', '')})\\.?\\s*#?\\s*[\\w-]+|#\\s*[\\w-]+|\\d+(?:st|nd|rd|th)\\s+(?:floor|fl|flr)\\.?)`;

const SUFFIXES =
  'street|st|str|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|way|wy|court|ct|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|sq|plaza|plz|alley|aly|trail|trl|loop|row|walk|center|ctr|expressway|expy|freeway|fwy|pike|point|pt|crescent|cres|mall|path|run';

/** Where the street ends in a line that runs on into the city ("123 Main St Springfield"): just
 * after its last street suffix and any directional, if a word follows; undefined otherwise. */
export function streetEnd(line: string): number | undefined {
  const re = new RegExp(
    `\\b(?:${SUFFIXES})\\b\\.?(?:\\s+(?:[NSEW]|NE|NW|SE|SW)\\b\\.?)?(?:\\s+${TRAILING_UNIT_INNER})?(?=\\s+\\S)`,
    'gi',
  );
  let end: number | undefined;
  for (const m of line.matchAll(re)) if (m.index > 0) end = m.index + m[0].length;
  return end;
}
