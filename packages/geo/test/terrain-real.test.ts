// The real DEMs (pysheds' dem.tif and Luxembourg's elev.tif: Int16, EPSG:4326, nodata −32768)
// through gdaldem and ours: slope, aspect and hillshade with -s 111120, both algorithms, edges or
// not, the integer path and (converted to Float32) the float path; the streaming form on the same
// data; and the latitude-corrected slope against gdaldem on each row's pixel size in metres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GeoRaster,
  metresPerDegreeAt,
  type SlopeOptions,
  slope,
  slopeGeographic,
  slopeStream,
  streamRows,
} from '../src/index.js';
import { geoData, geoDataTitle, noGeoData } from './_data.js';
import { compareWithGdaldem, type Derivative, difference, pooled } from './terrain-compare.js';
import { GdalScratch, gdaldemTitle, noGdaldem } from './terrain-gdal.js';

const S = 111120;
const CASES: Derivative[] = [
  { mode: 'slope', options: { scale: S } },
  { mode: 'slope', options: { scale: S, units: 'percent', computeEdges: true } },
  { mode: 'slope', options: { scale: S, algorithm: 'zevenbergen-thorne' } },
  { mode: 'aspect', options: {} },
  {
    mode: 'aspect',
    options: { algorithm: 'zevenbergen-thorne', computeEdges: true, zeroForFlat: true },
  },
  { mode: 'hillshade', options: { scale: S } },
  {
    mode: 'hillshade',
    options: { scale: S, zFactor: 3, computeEdges: true, algorithm: 'zevenbergen-thorne' },
  },
  { mode: 'hillshade', options: { scale: S, variant: 'combined' } },
  { mode: 'hillshade', options: { scale: S, variant: 'multidirectional' } },
  { mode: 'hillshade', options: { scale: S, variant: 'igor' } },
];

const FILES = ['pysheds/dem.tif', 'elev.tif'];

describe.skipIf(noGdaldem || noGeoData)(
  gdaldemTitle(geoDataTitle('terrain derivatives of the real DEMs equal gdaldem')),
  () => {
    const scratch = new GdalScratch();
    afterAll(() => scratch.dispose());
    const rasters = new Map<string, { int16: GeoRaster; float32: GeoRaster }>();
    beforeAll(() => {
      for (const file of FILES) {
        const toRaster = (type?: 'Float32') => {
          const { grid, geotransform: gt } = scratch.read(geoData(file), type);
          const transform = {
            originX: gt[0]!,
            pixelWidth: gt[1]!,
            originY: gt[3]!,
            pixelHeight: gt[5]!,
          };
          return { ...grid, transform, crs: { epsg: 4326, geographic: true } } as GeoRaster;
        };
        rasters.set(file, { int16: toRaster(), float32: toRaster('Float32') });
      }
    });

    for (const file of FILES) {
      it(`${file}: ${CASES.length} derivatives, Int16 (integer path) and Float32 (float path)`, async () => {
        const { int16, float32 } = rasters.get(file)!;
        expect(int16.values).toBeInstanceOf(Int16Array);
        const floatInput = scratch.input(float32, gtOf(float32), 'EPSG:4326');
        const runs = CASES.flatMap((d) => [
          { d, input: geoData(file), raster: int16 },
          { d, input: floatInput, raster: float32 },
        ]);
        const diffs = await pooled(runs, 4, (r) =>
          compareWithGdaldem(scratch, r.input, r.raster, r.d, file),
        );
        const off = diffs.reduce(
          (n, x, i) => n + (runs[i]!.d.mode === 'hillshade' ? x.unequal : 0),
          0,
        );
        // 0 measured here (x86-64, Intel); gdaldem's rsqrt estimate is hardware-dependent.
        expect(off).toBeLessThanOrEqual(2);
      });
    }

    it('the streaming form, 37 rows at a time, gives the same cells', () => {
      const dem = rasters.get('pysheds/dem.tif')!.int16;
      const options: SlopeOptions = { scale: S, computeEdges: true };
      const whole = slope(dem, options).values;
      const strips = [];
      for (let r = 0; r < dem.height; r += 37) {
        strips.push(
          (dem.values as Int16Array).subarray(
            r * dem.width,
            Math.min(dem.height, r + 37) * dem.width,
          ),
        );
      }
      const parts = [...streamRows(slopeStream(dem, options), strips)];
      const streamed = new Float32Array(whole.length);
      let at = 0;
      for (const p of parts) {
        streamed.set(p, at);
        at += p.length;
      }
      expect(difference(streamed, whole).unequal).toBe(0);
    });

    it('slopeGeographic: each row equals gdaldem slope on that row and its neighbours with the pixel size in metres at its latitude', async () => {
      const dem = rasters.get('elev.tif')!.int16;
      const { width, transform: t } = dem;
      const ours = slopeGeographic(dem).values;
      const rows = [1, 20, 45, 88];
      await pooled(rows, 4, async (row) => {
        const lat = t.originY + (row + 0.5) * t.pixelHeight;
        const m = metresPerDegreeAt(lat);
        const three = {
          width,
          height: 3,
          values: (dem.values as Int16Array).slice((row - 1) * width, (row + 2) * width),
          nodata: dem.nodata!,
        };
        const input = scratch.input(three, [
          0,
          t.pixelWidth * m.east,
          0,
          0,
          0,
          t.pixelHeight * m.north,
        ]);
        const theirs = (await scratch.gdaldem('slope', input)).values;
        const diff = difference(
          ours.subarray(row * width, (row + 1) * width),
          theirs.subarray(width, 2 * width),
        );
        expect(diff.unequal, diff.examples.join('\n')).toBe(0);
      });
      // And how far gdaldem's -s 111120 is from it at 49.8°N: east-west rises read too gentle.
      const plain = slope(dem, { scale: S }).values;
      let steeper = 0;
      let cells = 0;
      for (let i = 0; i < ours.length; i++) {
        if (ours[i] === -9999) continue;
        cells++;
        if (ours[i]! > plain[i]!) steeper++;
      }
      expect(steeper / cells).toBeGreaterThan(0.9);
    });
  },
);

function gtOf(r: GeoRaster): number[] {
  const t = r.transform;
  return [t.originX, t.pixelWidth, 0, t.originY, 0, t.pixelHeight];
}
