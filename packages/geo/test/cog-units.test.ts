// The COG writer's parts on their own (no GDAL): LZW against a reference decoder, the predictors
// against their inverses, the pyramid sizes, GDAL's ghost area, the PixelIsPoint tiepoint, nodata
// replacement and the spans of the average.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { georeferencingTags, pointTie } from '../src/cog/georef.js';
import { lzwEncode } from '../src/cog/lzw.js';
import { floatingPointPredictor, horizontalDifferencing } from '../src/cog/predictor.js';
import { pyramidSizes } from '../src/cog/pyramid.js';
import { averageSpans, nearestIndices, nodataReplacement } from '../src/cog/resample.js';
import { nodataText, sampleInfo } from '../src/cog/sample.js';
import { encodeIfd, ghostArea, header, ifdSize } from '../src/cog/tiff.js';
import { createArray, TYPES } from './cog-fixtures.js';

/** TIFF LZW decoding as libtiff does it (MSB-first codes, early change), for the round trips. */
function lzwDecode(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let table: number[][] = [];
  let width = 9;
  let bitPos = 0;
  const read = (): number => {
    let code = 0;
    for (let i = 0; i < width; i++) {
      const byte = bytes[(bitPos + i) >> 3] ?? 0;
      code = (code << 1) | ((byte >> (7 - ((bitPos + i) & 7))) & 1);
    }
    bitPos += width;
    return code;
  };
  const reset = () => {
    table = Array.from({ length: 258 }, (_, i) => [i]);
    width = 9;
  };
  reset();
  let previous: number[] | undefined;
  for (;;) {
    if (bitPos + width > bytes.length * 8) throw new Error('LZW: no End of Information code');
    const code = read();
    if (code === 257) break;
    if (code === 256) {
      reset();
      previous = undefined;
      continue;
    }
    let entry: number[];
    if (code < table.length) entry = table[code]!;
    else if (code === table.length && previous) entry = [...previous, previous[0]!];
    else throw new Error(`LZW: bad code ${code}`);
    out.push(...entry);
    if (previous) table.push([...previous, entry[0]!]);
    previous = entry;
    // The early change: the width grows as the table reaches 511, 1023 and 2047 entries.
    if (table.length + 1 >= 1 << width && width < 12) width++;
  }
  return Uint8Array.from(out);
}

describe('LZW', () => {
  it('round-trips what libtiff would read: empty, one byte, runs, text, noise', () => {
    const cases = [
      new Uint8Array(0),
      Uint8Array.of(7),
      new Uint8Array(100_000), // long runs: codes up to 12 bits
      new TextEncoder().encode('TOBEORNOTTOBEORTOBEORNOT#'.repeat(2000)),
      Uint8Array.from({ length: 200_000 }, (_, i) => (i * 2654435761) >>> 24), // noise: table resets
    ];
    for (const input of cases) expect(lzwDecode(lzwEncode(input))).toEqual(input);
  });

  it('round-trips arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 20_000 }),
        fc.integer({ min: 1, max: 255 }),
        (bytes, alphabet) => {
          const input = bytes.map((b) => b % alphabet);
          expect(lzwDecode(lzwEncode(input))).toEqual(input);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('predictors', () => {
  it('horizontal differencing undoes to the tile, wrapping in each integer type', () => {
    for (const type of ['uint8', 'int16', 'uint16', 'int32'] as const) {
      const info = sampleInfo(type);
      const tile = createArray(type, 16 * 4);
      for (let i = 0; i < tile.length; i++)
        tile[i] = i % 3 === 0 ? info.min : i % 3 === 1 ? info.max : i * 7;
      const copy = tile.slice();
      horizontalDifferencing(copy, 16);
      for (let r = 0; r < 4; r++) {
        for (let c = 1; c < 16; c++) copy[r * 16 + c] = copy[r * 16 + c]! + copy[r * 16 + c - 1]!;
      }
      expect(copy).toEqual(tile);
    }
  });

  it('the floating-point predictor is byte planes, most significant first, differenced per row', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.double(), { minLength: 32, maxLength: 32 }),
        (single, numbers) => {
          const tile = single ? Float32Array.from(numbers) : Float64Array.from(numbers);
          const bps = tile.BYTES_PER_ELEMENT;
          const width = 16;
          const predicted = floatingPointPredictor(tile, width);
          const bytes = new Uint8Array(tile.buffer);
          const rowBytes = width * bps;
          for (let r = 0; r < 2; r++) {
            const row = predicted.slice(r * rowBytes, (r + 1) * rowBytes);
            for (let j = 1; j < rowBytes; j++) row[j] = (row[j]! + row[j - 1]!) & 0xff;
            for (let i = 0; i < width; i++) {
              for (let b = 0; b < bps; b++) {
                expect(row[(bps - 1 - b) * width + i]).toBe(bytes[r * rowBytes + i * bps + b]);
              }
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('the pyramid (GDAL COG driver sizes)', () => {
  it('halves, rounding down, while a side is larger than a tile', () => {
    const sizes = (w: number, h: number, t: number) =>
      pyramidSizes(w, h, t, true).map((s) => [s.width, s.height]);
    expect(sizes(1201, 1201, 512)).toEqual([
      [1201, 1201],
      [600, 600],
      [300, 300],
    ]);
    expect(sizes(1, 1, 16)).toEqual([[1, 1]]);
    expect(sizes(512, 512, 512)).toEqual([[512, 512]]);
    expect(sizes(513, 1, 512)).toEqual([
      [513, 1],
      [256, 1],
    ]);
    expect(sizes(100, 37, 16)).toEqual([
      [100, 37],
      [50, 18],
      [25, 9],
      [12, 4],
    ]);
    expect(sizes(10_000, 3, 512)).toEqual([
      [10_000, 3],
      [5000, 1],
      [2500, 1],
      [1250, 1],
      [625, 1],
      [312, 1],
    ]);
    expect(pyramidSizes(1201, 1201, 512, false)).toHaveLength(1);
  });
});

describe('resampling spans (GDAL geometry)', () => {
  it('exact halving pairs the source pixels; 1201 → 600 stretches them', () => {
    const even = averageSpans(8, 4);
    expect(Array.from(even.first)).toEqual([0, 2, 4, 6]);
    expect(Array.from(even.end)).toEqual([2, 4, 6, 8]);
    expect(Array.from(even.total)).toEqual([2, 2, 2, 2]);
    const odd = averageSpans(1201, 600);
    expect([odd.first[0], odd.end[0]]).toEqual([0, 3]); // [0, 2.0017): a sliver of pixel 2
    expect(odd.lastWeight[0]).toBeCloseTo(1 / 600, 12);
    expect(odd.end[599]).toBe(1201);
    expect(Array.from(nearestIndices(10, 5))).toEqual([0, 2, 4, 6, 8]);
    expect(Array.from(nearestIndices(9, 4))).toEqual([0, 2, 5, 7]); // floor(0.5 + i · 2.25)
  });

  it('a mean that lands on nodata moves one step off it, as GDAL does', () => {
    expect(nodataReplacement(sampleInfo('uint8'), 0)).toBe(1);
    expect(nodataReplacement(sampleInfo('uint8'), 255)).toBe(254);
    expect(nodataReplacement(sampleInfo('int16'), -32768)).toBe(-32767);
    const next = new Float32Array([-9999]);
    new Uint32Array(next.buffer)[0]! -= 1; // the float32 just above -9999
    expect(nodataReplacement(sampleInfo('float32'), -9999)).toBe(next[0]);
    expect(nodataReplacement(sampleInfo('float64'), 0)).toBe(Number.MIN_VALUE);
  });
});

describe('TIFF structures', () => {
  it("GDAL's ghost area, byte for byte", () => {
    const text = new TextDecoder().decode(ghostArea());
    expect(text).toBe(
      'GDAL_STRUCTURAL_METADATA_SIZE=000140 bytes\nLAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\n' +
        'BLOCK_LEADER=SIZE_AS_UINT4\nBLOCK_TRAILER=LAST_4_BYTES_REPEATED\nKNOWN_INCOMPATIBLE_EDITION=NO\n ',
    );
    expect(Array.from(header(false, 192))).toEqual([0x49, 0x49, 42, 0, 192, 0, 0, 0]);
    expect(Array.from(header(true, 208).subarray(0, 10))).toEqual([
      0x49, 0x49, 43, 0, 8, 0, 0, 0, 208, 0,
    ]);
  });

  it('an IFD takes the bytes it says, values inline when they fit', () => {
    const tags = [
      { code: 256, type: 'short' as const, values: [1201] },
      { code: 324, type: 'long' as const, values: [1, 2, 3] },
      { code: 42113, type: 'ascii' as const, values: '-32768' },
    ];
    for (const big of [false, true]) {
      const bytes = encodeIfd(tags, big, 100, 0);
      expect(bytes.length).toBe(ifdSize(tags, big));
      expect(bytes.length % 2).toBe(0);
    }
  });

  it('nodata is written as GDAL writes it', () => {
    expect(
      [
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        -32768,
        0.1,
        -3.4028234663852886e38,
      ].map(nodataText),
    ).toEqual(['nan', 'inf', '-inf', '-32768', '0.1', '-3.4028234663852886e+38']);
  });
});

describe('georeferencing', () => {
  it("ties the cell centre for PixelIsPoint so GDAL's half-pixel shift gives the origin back", () => {
    expect(pointTie(-110.00041666666667, 1 / 1200)).toBe(-110);
    fc.assert(
      fc.property(
        fc.double({ min: -1e7, max: 1e7, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e4, noNaN: true }),
        fc.boolean(),
        (origin, size, flip) => {
          const s = flip ? -size : size;
          const tie = pointTie(origin, s);
          // GDAL reads the origin as tie − size/2: exact whenever some double allows it.
          expect(tie - s * 0.5 === origin || tie === origin + s * 0.5).toBe(true);
          expect(Math.abs(tie - (origin + s * 0.5))).toBeLessThanOrEqual(Math.abs(tie) * 4.5e-16);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes the EPSG code under the geographic or projected key', () => {
    const keys = (crs: Parameters<typeof georeferencingTags>[1]) =>
      georeferencingTags(
        { originX: 0, originY: 0, pixelWidth: 1, pixelHeight: -1 },
        crs,
        'area',
      ).find((t) => t.code === 34735)?.values;
    expect(keys({ epsg: 4326 })).toEqual([
      1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326,
    ]);
    expect(keys({ epsg: 32632 })).toEqual([
      1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32632,
    ]);
    expect(keys({ epsg: 4258, geographic: false })?.slice(-4)).toEqual([3072, 0, 1, 4258]);
    expect(keys({ epsg: 6318, wkt: 'GEOGCRS["NAD83(2011)", …]' })?.slice(-4)).toEqual([
      2048, 0, 1, 6318,
    ]);
    expect(keys(undefined)).toEqual([1, 1, 0, 1, 1025, 0, 1, 1]);
  });
});

describe('sample types', () => {
  it('covers the six types with their TIFF formats', () => {
    expect(TYPES.map((t) => [sampleInfo(t).bytes * 8, sampleInfo(t).format])).toEqual([
      [8, 1],
      [16, 2],
      [16, 1],
      [32, 2],
      [32, 3],
      [64, 3],
    ]);
  });
});
