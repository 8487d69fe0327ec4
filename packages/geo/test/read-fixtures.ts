// Small GeoTIFFs made at test time by GDAL from raw ENVI files of known values, and GDAL's own
// reading of a file (its pixels through gdal_translate -of ENVI), for the reader tests.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SampleType } from '../src/index.js';
import { gdal } from './_gdal.js';

export const TYPES: readonly SampleType[] = [
  'uint8',
  'int16',
  'uint16',
  'int32',
  'float32',
  'float64',
];

export const GDAL_TYPE: Record<SampleType, string> = {
  uint8: 'Byte',
  int16: 'Int16',
  uint16: 'UInt16',
  int32: 'Int32',
  float32: 'Float32',
  float64: 'Float64',
};

const ENVI_TYPE: Record<SampleType, number> = {
  uint8: 1,
  int16: 2,
  int32: 3,
  float32: 4,
  float64: 5,
  uint16: 12,
};

type Values = Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array | Float64Array;
const ARRAY = {
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** A fresh temporary folder and a function that removes it. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'weir-geo-read-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `n` values of `type` that exercise it: its extremes, zero, negatives where signed, fractions,
 * NaN and huge or tiny magnitudes in floats, the rest a deterministic pseudo-random spread.
 */
export function sampleValues(type: SampleType, n: number, seed = 1): Values {
  const values = new ARRAY[type](n);
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const [lo, hi] = {
    uint8: [0, 255],
    int16: [-32768, 32767],
    uint16: [0, 65535],
    int32: [-(2 ** 31), 2 ** 31 - 1],
    float32: [-1e6, 1e6],
    float64: [-1e12, 1e12],
  }[type];
  const float = type === 'float32' || type === 'float64';
  for (let i = 0; i < n; i++) {
    // Smooth runs make predictors and compression work as on real data; noise keeps them honest.
    const smooth = lo! + ((hi! - lo!) * (Math.sin(i / 7) + 1)) / 2;
    const v = i % 5 === 0 ? lo! + (hi! - lo!) * next() : smooth;
    values[i] = float ? v / 3 : Math.round(v);
  }
  const special = float
    ? [Number.NaN, -0, 1e-30, type === 'float32' ? -3.4028234663852886e38 : 1e300, 0.1]
    : [lo!, hi!, 0];
  special.forEach((v, k) => {
    if (k * 11 < n) values[k * 11] = v;
  });
  return values;
}

/** Writes `bands` as a raw ENVI file (`name.bin` + `name.hdr`, band-sequential); its path. */
export function writeEnvi(
  dir: string,
  name: string,
  type: SampleType,
  width: number,
  height: number,
  bands: readonly Values[],
): string {
  const path = join(dir, `${name}.bin`);
  writeFileSync(
    path,
    Buffer.concat(bands.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength))),
  );
  writeFileSync(
    join(dir, `${name}.hdr`),
    [
      'ENVI',
      `samples = ${width}`,
      `lines = ${height}`,
      `bands = ${bands.length}`,
      'header offset = 0',
      'file type = ENVI Standard',
      `data type = ${ENVI_TYPE[type]}`,
      'interleave = bsq',
      'byte order = 0',
      '',
    ].join('\n'),
  );
  return path;
}

/** `gdal_translate -q ARGS src dst`; `dst`. */
export function translate(src: string, dst: string, args: readonly string[]): string {
  gdal('gdal_translate', ['-q', ...args, src, dst]);
  return dst;
}

/** The bytes GDAL reads from one band (1-based) of `path`, or a window of it, in this machine's order. */
export function gdalPixels(
  path: string,
  options: {
    band?: number;
    window?: { col: number; row: number; width: number; height: number };
  } = {},
): Buffer {
  const { dir, remove } = tempDir();
  try {
    const out = join(dir, 'ref.bin');
    const w = options.window;
    translate(path, out, [
      '-of',
      'ENVI',
      '-b',
      String(options.band ?? 1),
      ...(w ? ['-srcwin', String(w.col), String(w.row), String(w.width), String(w.height)] : []),
    ]);
    return readFileSync(out);
  } finally {
    remove();
  }
}

/** The bytes of a typed array, for comparing pixels bit for bit (NaN included). */
export function bytesOf(values: ArrayBufferView): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}
