// The words of an opening-hours text: days, times, "24 hours", "closed", range and list
// separators, clause breaks, and everything else as words the parser did not understand.

/** Day numbers: 0 = Monday … 6 = Sunday (iCal's week order). */
export type DayNumber = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface ClockTime {
  hour: number;
  minute: number;
  /** `am`/`pm` as written; absent when the text has none ("9-5"). */
  meridiem?: 'am' | 'pm';
  /** Written with a leading zero or past 12 ("09:00", "13:30"): a 24-hour clock. */
  twentyFour: boolean;
  /** "noon" or "midnight". */
  named?: 'noon' | 'midnight';
}

export type HoursToken =
  | { kind: 'days'; days: DayNumber[] }
  | { kind: 'time'; time: ClockTime }
  | { kind: 'allDay' }
  | { kind: 'closed' }
  | { kind: 'range' }
  | { kind: 'list' }
  | { kind: 'clause' }
  | { kind: 'date' }
  | { kind: 'word'; text: string };

const DAY_WORDS: Record<string, DayNumber> = {};
const DAY_SPELLINGS: readonly (readonly string[])[] = [
  ['monday', 'mondays', 'mon', 'mo'],
  ['tuesday', 'tuesdays', 'tues', 'tue', 'tu', 'tuseday', 'tueday'],
  ['wednesday', 'wednesdays', 'wed', 'weds', 'wednes', 'wendsday', 'wednsday'],
  ['thursday', 'thursdays', 'thurs', 'thur', 'thu', 'th', 'thurday', 'thrusday', 'thursay'],
  ['friday', 'fridays', 'fri', 'fr'],
  ['saturday', 'saturdays', 'sat', 'sa', 'saurday'],
  ['sunday', 'sundays', 'sun', 'su'],
];
DAY_SPELLINGS.forEach((words, day) => {
  for (const w of words) DAY_WORDS[w] = day as DayNumber;
});
// Single capitals that are days only in compact forms such as "M-F" or "M, W, F".
const DAY_LETTERS: Record<string, DayNumber> = { M: 0, W: 2, F: 4 };

const ALL_DAYS: DayNumber[] = [0, 1, 2, 3, 4, 5, 6];

// Tried in order at each position; the first that matches wins.
const LEXICON: readonly [RegExp, (m: RegExpExecArray) => HoursToken | null][] = [
  [/\s+|[():"'[\]*]+/y, () => null],
  [
    /(?:open\s+)?(?:24\s*(?:-|\s)?\s*(?:hours?|hrs?)\.?(?:\s*(?:a|per|\/)\s*day)?(?:\s*[,/]?\s*(?:7|seven)\s*days?(?:\s*(?:a|per|\/)\s*week)?)?|24\s*\/\s*7|24\s*-\s*7(?!\d)|around\s+the\s+clock)(?:\s*,?\s*(?:daily|every\s*day))?/iy,
    () => ({ kind: 'allDay' }),
  ],
  [
    /(?:7|seven)\s+days(?:\s+(?:a|per)\s+week)?|daily|every\s*day|all\s+week/iy,
    () => ({ kind: 'days', days: ALL_DAYS }),
  ],
  [/week\s*days?|weekdays/iy, () => ({ kind: 'days', days: [0, 1, 2, 3, 4] })],
  [/week\s*ends?/iy, () => ({ kind: 'days', days: [5, 6] })],
  [/(?:12\s*)?(?:noon|midday)/iy, () => named('noon')],
  [/(?:12\s*)?midnight/iy, () => named('midnight')],
  // "815 am", "400 pm": the colon left out.
  [/(\d{1,2})(\d{2})\s*(a\.?\s?m\b\.?|p\.?\s?m\b\.?)/iy, (m) => clock(m[1]!, m[2], m[3])],
  [/\d{3,}/y, (m) => ({ kind: 'word', text: m[0] })],
  // "Third Thursday of the month": monthly, which weekly rows would misstate.
  [
    /(?:first|second|third|fourth|fifth|last|lst|\d(?:st|nd|rd|th))\b|monthly|months?\b/iy,
    () => ({ kind: 'date' }),
  ],
  [
    /(\d{1,2})(?:\s?:\s?(\d{2})|\.(\d{2}))?(?:\s*(a\.\s?m\.|p\.\s?m\.|a\.?\s?m\b|p\.?\s?m\b|a(?![a-z])|p(?![a-z])))?/iy,
    (m) => clock(m[1]!, m[2] ?? m[3], m[4]),
  ],
  [/-+|–|—|\b(?:to|through|thru|till?|until)\b/iy, () => ({ kind: 'range' })],
  [/[,&+/]|\band\b/iy, () => ({ kind: 'list' })],
  [/[;|]|\.(?=\s|$)/y, () => ({ kind: 'clause' })],
  [/closed?\b/iy, () => ({ kind: 'closed' })],
  [
    /(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may(?=\s*\d)|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/iy,
    () => ({ kind: 'date' }),
  ],
  [/([A-Za-z]+)\.?/y, (m) => dayWord(m[1]!)],
  [/./y, (m) => ({ kind: 'word', text: m[0] })],
];

// Filler words that say nothing the rows do not: "Open from 9 to 5", "Office hours:".
const FILLER = new Set([
  'from',
  'open',
  'opens',
  'hours',
  'hour',
  'hrs',
  'hr',
  'office',
  'business',
  'regular',
  'on',
  'at',
  'every',
  'each',
  'the',
  'of',
  'a',
  'day',
  'days',
  'week',
  'weekly',
  'are',
  'is',
  'between',
]);

/** The tokens of an opening-hours text. Never throws. */
export function tokenizeHours(text: string): HoursToken[] {
  // "6PMSaturday" as exported by one 211: split a meridiem from the day glued to it.
  const source = text.replace(/(\d\s*[AaPp]\.?[Mm]\.?)(?=[A-Z])/g, '$1 ');
  const tokens: HoursToken[] = [];
  let at = 0;
  while (at < source.length) {
    for (const [re, make] of LEXICON) {
      re.lastIndex = at;
      const m = re.exec(source);
      if (!m || m[0].length === 0) continue;
      at += m[0].length;
      const token = make(m);
      if (token) tokens.push(token);
      break;
    }
  }
  return tokens;
}

function dayWord(word: string): HoursToken | null {
  const day = DAY_WORDS[word.toLowerCase()] ?? DAY_LETTERS[word];
  if (day !== undefined) return { kind: 'days', days: [day] };
  if (FILLER.has(word.toLowerCase())) return null;
  return { kind: 'word', text: word };
}

function clock(
  hourText: string,
  minuteText: string | undefined,
  meridiemText: string | undefined,
): HoursToken {
  const hour = Number(hourText);
  const minute = minuteText ? Number(minuteText) : 0;
  const time: ClockTime = {
    hour,
    minute,
    twentyFour: hour > 12 || (hourText.length === 2 && hourText.startsWith('0')),
  };
  if (meridiemText) time.meridiem = /^a/i.test(meridiemText) ? 'am' : 'pm';
  return { kind: 'time', time };
}

function named(name: 'noon' | 'midnight'): HoursToken {
  return {
    kind: 'time',
    time: {
      hour: 12,
      minute: 0,
      meridiem: name === 'noon' ? 'pm' : 'am',
      twentyFour: false,
      named: name,
    },
  };
}
