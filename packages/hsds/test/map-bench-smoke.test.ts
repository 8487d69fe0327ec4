// The hsds-map benchmark on tiny made-up exports, one per reader format (not timed): each is
// mapped, read alone and passed over naively, and the figures and the report are there.
import { describe, expect, it } from 'vitest';
import { type MapInput, mapReport, runMapBench } from '../../../bench/hsds-map.js';

const bytes = (text: string) => new TextEncoder().encode(text);

const INPUTS: MapInput[] = [
  {
    file: 'wa.csv',
    layout: 'openreferral-csv',
    agency: 'wa-211',
    bytes: bytes(
      [
        '*required* text,*required* text,http://some.domain.com,text,text,text,two character state (all caps),99999 or 99999-9999,us,physical,text,,,0',
        'north food bank,groceries once a week,http://www.northfood.org,12 oak ave,suite 3,bellingham,wa,98225,us,physical,whatcom,,,0',
        'harbor shelter,overnight beds,,400 pine st,,seattle,wa,98101,us,physical,king,,,0',
      ].join('\n'),
    ),
  },
  {
    file: 'linksf.json',
    layout: 'linksf',
    agency: 'linksf',
    bytes: bytes(
      JSON.stringify([
        {
          objectId: 'f1',
          name: 'Harbor House',
          address: '519 Ellis St.',
          city: 'San Francisco',
          phone: '415-555-0100',
          website: 'http://www.harbor.org/',
          location: { __type: 'GeoPoint', latitude: 37.78, longitude: -122.41 },
          services: [
            {
              objectId: 's1',
              name: 'Overnight shelter',
              category: 'housing',
              description: 'Beds and showers.',
              openHours: { '1': [[900, 1700]] },
            },
          ],
        },
      ]),
    ),
  },
  {
    file: 'apd.txt',
    layout: 'apd-directory',
    agency: 'sf-apd',
    bytes: bytes(
      [
        'Harbor House   Overnight Shelter',
        'Beds and showers for men leaving custody. www.harbor.org',
        '',
        'To Get Connected',
        'Phone: (415) 555-0100',
        'Location: 519 Ellis St., San Francisco, CA  94109',
        'Things To Know',
        'Languages Spoken: English, Spanish',
        'Direct Services: Emergency Shelter; Showers.',
        '',
      ].join('\n'),
    ),
  },
];

describe('hsds-map benchmark smoke test', () => {
  it('maps, reads and passes over one tiny export of each format', () => {
    const timings = runMapBench(INPUTS, 1);
    expect(timings.map((t) => [t.layout, t.records > 0, t.services > 0])).toEqual([
      ['openreferral-csv', true, true],
      ['linksf', true, true],
      ['apd-directory', true, true],
    ]);
    for (const t of timings) {
      for (const x of [t.mapSeconds, t.readerSeconds, t.naiveSeconds, t.xReader, t.xNaive]) {
        expect(Number.isFinite(x)).toBe(true);
      }
    }
    const report = mapReport(timings, 1);
    expect(report).toContain('x reader');
    expect(report).toContain('all 3');
  });
});
