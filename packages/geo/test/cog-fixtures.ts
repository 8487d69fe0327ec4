// Inputs for the COG writer's tests: synthetic rasters of every sample type, and the same raster
// as raw samples behind a VRT, so GDAL can read the source independently of our writer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeoRaster } from '../src/raster.js';
import { gdalFacts, gdalPixels } from './_gdal.js';

export type TestType = 'uint8' | 'int16' | 'uint16' | 'int32' | 'float32' | 'float64';
export type TestArray =
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Float32Array
  | Float64Array;

export const TYPES: readonly TestType[] = [
  'uint8',
  'int16',
  'uint16',
  'int32',
  'float32',
  'float64',
];

export function createArray(type: TestType, n: number): TestArray {
  switch (type) {
    case 'uint8':
      return new Uint8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'uint16':
      return new Uint16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
  }
}

/** A deterministic pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPAN: Record<TestType, [number, number]> = {
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  float32: [-1e6, 1e6],
  float64: [-1e9, 1e9],
};

/**
 * A terrain-like surface (smooth waves plus noise) over the type's whole range, with the type's
 * extremes and, when `nodata` is given, about 5% nodata cells in blobs (NaN for NaN).
 */
export function synthetic(
  type: TestType,
  width: number,
  height: number,
  seed: number,
  nodata?: number,
): TestArray {
  const rand = random(seed);
  const values = createArray(type, width * height);
  const [lo, hi] = SPAN[type];
  const float = type.startsWith('float');
  const fx = 0.05 + rand() * 0.2;
  const fy = 0.05 + rand() * 0.2;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      const wave = (Math.sin(c * fx) * Math.cos(r * fy) + 1) / 2; // 0..1
      const noise = rand() * 0.1;
      let v = lo + (hi - lo) * Math.min(1, wave * 0.9 + noise);
      if (!float) v = Math.round(v);
      values[r * width + c] = v;
    }
  }
  values[0] = lo;
  if (values.length > 1) values[values.length - 1] = hi;
  if (nodata !== undefined) {
    for (let blob = 0; blob < Math.max(1, (width * height) / 400); blob++) {
      const c0 = Math.floor(rand() * width);
      const r0 = Math.floor(rand() * height);
      for (let r = r0; r < Math.min(height, r0 + 4); r++) {
        for (let c = c0; c < Math.min(width, c0 + 5); c++) values[r * width + c] = nodata;
      }
    }
  }
  return values;
}

export function geoRaster(
  values: TestArray,
  width: number,
  height: number,
  extra: Partial<GeoRaster> = {},
): GeoRaster {
  return {
    width,
    height,
    values,
    transform: { originX: 600000, originY: 5200000, pixelWidth: 30, pixelHeight: -30 },
    crs: { epsg: 32632 },
    ...extra,
  };
}

const GDAL_TYPE: Record<TestType, string> = {
  uint8: 'Byte',
  int16: 'Int16',
  uint16: 'UInt16',
  int32: 'Int32',
  float32: 'Float32',
  float64: 'Float64',
};

/**
 * The raster as raw samples behind a VRT that GDAL reads (pixels and nodata; no georeferencing).
 * A VRT rather than an ENVI header, which GDAL does not recognise on a one-pixel file.
 */
export function writeRawSource(
  dir: string,
  name: string,
  type: TestType,
  raster: { width: number; height: number; values: TestArray; nodata?: number },
): string {
  const { values, width, height, nodata } = raster;
  writeFileSync(
    join(dir, `${name}.raw`),
    new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  );
  const size = values.BYTES_PER_ELEMENT;
  const nodataXml =
    nodata === undefined
      ? ''
      : `<NoDataValue>${Number.isNaN(nodata) ? 'nan' : nodata}</NoDataValue>`;
  const path = join(dir, `${name}.vrt`);
  writeFileSync(
    path,
    `<VRTDataset rasterXSize="${width}" rasterYSize="${height}">
  <VRTRasterBand dataType="${GDAL_TYPE[type]}" band="1" subClass="VRTRawRasterBand">
    ${nodataXml}
    <SourceFilename relativetoVRT="1">${name}.raw</SourceFilename>
    <ImageOffset>0</ImageOffset>
    <PixelOffset>${size}</PixelOffset>
    <LineOffset>${size * width}</LineOffset>
    <ByteOrder>LSB</ByteOrder>
  </VRTRasterBand>
</VRTDataset>
`,
  );
  return path;
}

/** The bytes of a typed array (so NaN payloads and -0 compare exactly). */
export function bytesOf(values: TestArray): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Index of the first differing sample, or -1. */
export function firstDifference(a: TestArray, b: TestArray): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = bytesOf(a);
  const y = bytesOf(b);
  const size = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / size);
  return -1;
}

/** A file as GDAL reads it (pixels, georeferencing, nodata, EPSG, raster type), as a GeoRaster. */
export function rasterFromGdal(path: string, dir: string): GeoRaster & { values: TestArray } {
  const facts = gdalFacts(path);
  const pixels = gdalPixels(path, dir);
  const gt = facts.geoTransform!;
  return {
    width: pixels.width,
    height: pixels.height,
    values: pixels.values,
    nodata:
      facts.nodata === null
        ? undefined
        : facts.nodata === 'nan'
          ? Number.NaN
          : Number(facts.nodata),
    transform: { originX: gt[0]!, pixelWidth: gt[1]!, originY: gt[3]!, pixelHeight: gt[5]! },
    crs: facts.epsg === null ? undefined : { epsg: facts.epsg, geographic: facts.geographic },
    rasterType: facts.areaOrPoint === 'Point' ? 'point' : 'area',
  };
}
