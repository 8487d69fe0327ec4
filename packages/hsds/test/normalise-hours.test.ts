// Opening hours: hand-made texts in the style of the exports and the LinkSF JSON structure;
// random weekly schedules written in several text styles read back to the same openings;
// arbitrary text never throws and is never guessed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HsdsScheduleFields,
  openHoursToSchedules,
  parseOpeningHours,
} from '../src/normalise/index.js';

const rows = (text: string) =>
  parseOpeningHours(text).schedules.map((s) => `${s.byday} ${s.opens_at}-${s.closes_at}`);

describe('parseOpeningHours', () => {
  it('reads the common forms into weekly rows', () => {
    expect(parseOpeningHours('9:00 am - 5:00 pm, Monday - Friday')).toEqual({
      schedules: [
        { freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '09:00', closes_at: '17:00' },
      ],
      understood: 'full',
      inferredMeridiem: false,
    });
    expect(rows('Mon, Wed 1pm-4pm; Sat 10-12')).toEqual(['MO,WE 13:00-16:00', 'SA 10:00-12:00']);
    expect(rows('Monday-Friday, 9AM-6PMSaturday, 9AM-4PM')).toEqual([
      'MO,TU,WE,TH,FR 09:00-18:00',
      'SA 09:00-16:00',
    ]);
    expect(rows('Monday: 9 am to 7 pm Tuesday through Friday: 9 am to 5 pm')).toEqual([
      'MO 09:00-19:00',
      'TU,WE,TH,FR 09:00-17:00',
    ]);
    expect(rows('Mon. - Fri. 9 a.m. - 5 p.m.')).toEqual(['MO,TU,WE,TH,FR 09:00-17:00']);
    expect(rows('2:00 pm - 8:00 pm, Sunday - Friday')).toEqual(['MO,TU,WE,TH,FR,SU 14:00-20:00']);
    expect(rows('Monday-Friday, noon-10pm')).toEqual(['MO,TU,WE,TH,FR 12:00-22:00']);
    expect(rows('Tuesday through Sunday, 12:00pm-3:00am')).toEqual([
      'TU,WE,TH,FR,SA,SU 12:00-03:00',
    ]);
    expect(rows('Mon-Fri 5pm-midnight')).toEqual(['MO,TU,WE,TH,FR 17:00-23:59']);
    expect(rows('Monday - Friday; 8:30am-5pm')).toEqual(['MO,TU,WE,TH,FR 08:30-17:00']);
    expect(rows('8:00 am - 4:00 pm; Monday- Friday')).toEqual(['MO,TU,WE,TH,FR 08:00-16:00']);
    expect(rows('815 am - 4:45 pm, Monday - Friday')).toEqual(['MO,TU,WE,TH,FR 08:15-16:45']);
  });

  it('reads several hours a day, lists of days and closed days', () => {
    expect(rows('Monday-Friday, 9-12, 1-5')).toEqual([
      'MO,TU,WE,TH,FR 09:00-12:00',
      'MO,TU,WE,TH,FR 13:00-17:00',
    ]);
    expect(
      rows('Monday: 9 a.m.- 12 noon; 1 p.m.- 5 p.m  Tuesday: 9 a.m.- 12 noon; 1 p.m.- 5 p.m'),
    ).toEqual(['MO,TU 09:00-12:00', 'MO,TU 13:00-17:00']);
    expect(rows('Monday/Wednesday/Friday 9:00am-8:00pm; Tuesday/Thursday 7:00am-6:00pm')).toEqual([
      'MO,WE,FR 09:00-20:00',
      'TU,TH 07:00-18:00',
    ]);
    expect(rows('Mon - Fri 3:30pm - 9:00pm; Sat 10:00am - 4:00pm (Closed Sun)')).toEqual([
      'MO,TU,WE,TH,FR 15:30-21:00',
      'SA 10:00-16:00',
    ]);
    expect(
      rows(
        'Sunday: Closed; Monday & Wednesday: 1:00- 9:00 p.m.; Tuesday, Thursday, Friday, & Saturday: 9:30 a.m. -5:30 p.m.',
      ),
    ).toEqual(['MO,WE 13:00-21:00', 'TU,TH,FR,SA 09:30-17:30']);
  });

  it('reads 24 hours as every day, all day', () => {
    for (const text of [
      '24 hours',
      'Open 24 Hours',
      '24/7',
      '24 hours/7 days',
      '24 hours daily',
      'Monday-Sunday, 24 hours daily',
    ]) {
      expect(rows(text), text).toEqual(['MO,TU,WE,TH,FR,SA,SU 00:00-23:59']);
    }
    expect(rows('Mon 24/7; Tue 24/7')).toEqual(['MO,TU 00:00-23:59']);
  });

  it('infers am/pm for business hours written without it, and says so', () => {
    const sf = parseOpeningHours('Monday-Friday, 9-5');
    expect(sf.schedules.map((s) => [s.byday, s.opens_at, s.closes_at])).toEqual([
      ['MO,TU,WE,TH,FR', '09:00', '17:00'],
    ]);
    expect(sf.inferredMeridiem).toBe(true);
    expect(rows('M-F 8:30-4:30')).toEqual(['MO,TU,WE,TH,FR 08:30-16:30']);
    expect(rows('Monday-Friday, 6-3')).toEqual(['MO,TU,WE,TH,FR 06:00-15:00']);
    expect(rows('Monday-Friday, 1:50-6')).toEqual(['MO,TU,WE,TH,FR 13:50-18:00']);
    expect(rows('Mon 3-9pm')).toEqual(['MO 15:00-21:00']);
    expect(rows('Mon 9:45-11 am')).toEqual(['MO 09:45-11:00']);
    expect(rows('Monday-Friday, 9-9')).toEqual(['MO,TU,WE,TH,FR 09:00-21:00']);
    // Morning or evening? Not guessed.
    expect(parseOpeningHours('Teens only, Monday-Friday, 6-8').understood).toBe('none');
  });

  it('keeps what it cannot read as the description, never guessing', () => {
    for (const text of [
      'By appointment',
      'Hours vary',
      'Please call for this information',
      'Mon; Tue; Wed; Thu; Fri; Sat; Sun;',
      '8:30am-5:00pm, Business Hours',
      'Saturday, September 25, 2010 11am-3pm',
      'Second Saturday of each month, 10:30 am-12 pm',
      'Monday - Friday: 7:00am to 12:00pm and 2:00pm to 7:00pm (Thurs until 5pm)',
      'Monday-Friday 8:30am-11:45am, 1:30pm-4:15pm; closed Wednesday afternoon',
      'Mon 7:00; Tue 7:00',
    ]) {
      expect(parseOpeningHours(text), text).toEqual({
        schedules: [{ description: text }],
        understood: 'none',
        inferredMeridiem: false,
      });
    }
    expect(parseOpeningHours('   ')).toEqual({
      schedules: [],
      understood: 'none',
      inferredMeridiem: false,
    });
  });

  it('keeps the whole text as the description of rows read from a text with other words', () => {
    const text = '8:30 am - 5:00 pm, Monday - Friday (Administrative)';
    expect(parseOpeningHours(text)).toEqual({
      schedules: [
        {
          freq: 'WEEKLY',
          byday: 'MO,TU,WE,TH,FR',
          opens_at: '08:30',
          closes_at: '17:00',
          description: text,
        },
      ],
      understood: 'partial',
      inferredMeridiem: false,
    });
  });
});

describe('openHoursToSchedules', () => {
  it('reads LinkSF openHours (0 = Sunday, HHMM pairs) into the same rows', () => {
    expect(
      openHoursToSchedules({
        '1': [
          [700, 1200],
          [1400, 1900],
        ],
        '2': [
          [700, 1200],
          [1400, 1900],
        ],
        '6': [[700, 1200]],
        '0': [[1330, 2400]],
      }),
    ).toEqual({
      schedules: [
        { freq: 'WEEKLY', byday: 'MO,TU,SA', opens_at: '07:00', closes_at: '12:00' },
        { freq: 'WEEKLY', byday: 'MO,TU', opens_at: '14:00', closes_at: '19:00' },
        { freq: 'WEEKLY', byday: 'SU', opens_at: '13:30', closes_at: '23:59' },
      ],
      problems: [],
    });
  });

  it('reports entries that are not days with HHMM pairs', () => {
    expect(
      openHoursToSchedules({
        '7': [[900, 1700]],
        '1': [[900, 1775]],
        '2': 'closed',
        '3': [[900, 1700]],
      }),
    ).toEqual({
      schedules: [{ freq: 'WEEKLY', byday: 'WE', opens_at: '09:00', closes_at: '17:00' }],
      problems: ['1: [900,1775]', '2: "closed"', '7: [[900,1700]]'],
    });
    expect(openHoursToSchedules({})).toEqual({ schedules: [], problems: [] });
    expect(openHoursToSchedules(null)).toEqual({ schedules: [], problems: [] });
    expect(openHoursToSchedules([1, 2]).problems).toHaveLength(1);
  });
});

// A week as openings (day 0 = Monday, minutes after midnight), closing never at midnight
// itself, which rows write as 23:59.
interface Block {
  days: number[];
  ranges: [number, number][];
}

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const DAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function week(range: fc.Arbitrary<[number, number]>): fc.Arbitrary<Block[]> {
  return fc
    .tuple(
      fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }),
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
    )
    .chain(([days, cuts]) => {
      const groups: number[][] = [];
      let at = 0;
      for (const cut of cuts) {
        if (at >= days.length) break;
        groups.push(days.slice(at, at + cut).sort((a, b) => a - b));
        at += cut;
      }
      if (at < days.length) groups[groups.length - 1]!.push(...days.slice(at));
      return fc.tuple(
        ...groups.map((g) =>
          fc
            .array(range, { minLength: 1, maxLength: 2 })
            .map((ranges) => ({ days: [...new Set(g)].sort((a, b) => a - b), ranges })),
        ),
      );
    });
}

const quarter = (min: number, max: number) =>
  fc.integer({ min: min / 15, max: max / 15 }).map((q) => q * 15);
const anyRange = fc
  .tuple(quarter(0, 1425), quarter(15, 1425))
  .map(([o, d]): [number, number] => [o, (o + d) % 1440])
  .filter(([o, c]) => c !== 0 && c !== o);
// Hours an export writes without am/pm and that read back the same: opening 9:00 to 17:45,
// closing within eight hours.
const businessRange = fc
  .tuple(quarter(540, 1065), quarter(60, 480))
  .map(([o, d]): [number, number] => [o, (o + d) % 1440])
  .filter(([, c]) => c !== 0);

function openings(blocks: readonly Block[]): string[] {
  const all = blocks.flatMap((b) =>
    b.days.flatMap((d) => b.ranges.map(([o, c]) => `${d} ${o} ${c}`)),
  );
  return [...new Set(all)].sort();
}

function parsedOpenings(schedules: readonly HsdsScheduleFields[]): string[] {
  const index = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return [
    ...new Set(
      schedules.flatMap((s) =>
        s
          .byday!.split(',')
          .map((d) => `${index.indexOf(d)} ${minutes(s.opens_at!)} ${minutes(s.closes_at!)}`),
      ),
    ),
  ].sort();
}

function daysText(days: readonly number[], names: readonly string[], rangeSep: string): string {
  const runs: number[][] = [];
  for (const d of days) {
    const last = runs.at(-1);
    if (last && last.at(-1) === d - 1) last.push(d);
    else runs.push([d]);
  }
  return runs
    .map((r) =>
      r.length >= 3
        ? `${names[r[0]!]}${rangeSep}${names[r.at(-1)!]}`
        : r.map((d) => names[d]).join(', '),
    )
    .join(', ');
}

const h12 = (m: number) => ({ h: Math.floor(m / 60) % 12 || 12, mm: m % 60, pm: m >= 720 });
const STYLES: Record<string, (b: Block) => string> = {
  // 211: "9:00 am - 5:00 pm, Monday - Friday"
  timesFirst: (b) =>
    `${b.ranges.map(([o, c]) => `${t12(o, ' ')} - ${t12(c, ' ')}`).join(' and ')}, ${daysText(b.days, DAY_NAMES, ' - ')}`,
  // "Mon-Fri 9am-5pm, 1:30pm-5pm"
  compact: (b) =>
    `${daysText(b.days, DAY_SHORT, '-')} ${b.ranges.map(([o, c]) => `${t12(o, '', true)}-${t12(c, '', true)}`).join(', ')}`,
  // "Monday: 9:00 AM to 5:00 PM"
  daysColon: (b) =>
    `${daysText(b.days, DAY_NAMES, ' through ')}: ${b.ranges.map(([o, c]) => `${t12(o, ' ').toUpperCase()} to ${t12(c, ' ').toUpperCase()}`).join(', ')}`,
  // "Mon, Wed 09:00-17:30"
  clock24: (b) =>
    `${daysText(b.days, DAY_SHORT, ' - ')} ${b.ranges.map(([o, c]) => `${t24(o)}-${t24(c)}`).join(' & ')}`,
};

function t12(m: number, space: string, short = false): string {
  const { h, mm, pm } = h12(m);
  return `${h}${short && mm === 0 ? '' : `:${String(mm).padStart(2, '0')}`}${space}${pm ? 'pm' : 'am'}`;
}
function t24(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
function unmarked(m: number): string {
  const { h, mm } = h12(m);
  return mm === 0 ? `${h}` : `${h}:${String(mm).padStart(2, '0')}`;
}

describe('parseOpeningHours, properties', () => {
  it('reads back random weekly schedules written in several styles', () => {
    fc.assert(
      fc.property(
        week(anyRange),
        fc.constantFrom(...Object.keys(STYLES)),
        fc.constantFrom('; ', ';\n'),
        (blocks, style, join) => {
          // A 24-hour text whose every time lies between 10:00 and 12:59 reads as a 12-hour one.
          const times = blocks.flatMap((b) => b.ranges.flat());
          fc.pre(style !== 'clock24' || times.some((m) => m < 600 || m >= 780));
          const text = blocks.map(STYLES[style]!).join(join);
          const parse = parseOpeningHours(text);
          expect(parse.understood, text).toBe('full');
          expect(parsedOpenings(parse.schedules), text).toEqual(openings(blocks));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads back business hours written without am/pm as one 211 exports them', () => {
    fc.assert(
      fc.property(week(businessRange), (blocks) => {
        const text = blocks
          .map(
            (b) =>
              `${daysText(b.days, DAY_NAMES, '-')}, ${b.ranges.map(([o, c]) => `${unmarked(o)}-${unmarked(c)}`).join(', ')}`,
          )
          .join('; ');
        const parse = parseOpeningHours(text);
        expect(parse.understood, text).toBe('full');
        expect(parse.inferredMeridiem, text).toBe(true);
        expect(parsedOpenings(parse.schedules), text).toEqual(openings(blocks));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads back the same week from LinkSF JSON', () => {
    fc.assert(
      fc.property(week(anyRange), (blocks) => {
        const json: Record<string, [number, number][]> = {};
        for (const b of blocks) {
          for (const d of b.days) {
            const key = String((d + 1) % 7);
            json[key] = [
              ...(json[key] ?? []),
              ...b.ranges.map(([o, c]): [number, number] => [
                Math.floor(o / 60) * 100 + (o % 60),
                Math.floor(c / 60) * 100 + (c % 60),
              ]),
            ];
          }
        }
        const parse = openHoursToSchedules(json);
        expect(parse.problems).toEqual([]);
        expect(parsedOpenings(parse.schedules)).toEqual(openings(blocks));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, and rows it reads always have days and HH:MM times', () => {
    const hoursish = fc.string({
      unit: fc.constantFrom(...'0123456789:-–,; apmAPMonTueWdhFriSatSun24/7closed '.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), hoursish), (text) => {
        const parse = parseOpeningHours(text);
        if (parse.understood === 'none') return;
        for (const row of parse.schedules) {
          expect(row.byday).toMatch(/^(?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*$/);
          expect(row.opens_at).toMatch(/^(?:[01]\d|2[0-3]):[0-5]\d$/);
          expect(row.closes_at).toMatch(/^(?:[01]\d|2[0-3]):[0-5]\d$/);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
