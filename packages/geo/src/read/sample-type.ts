/**
 * @module read/sample-type
 * The pixel types a `Grid` can hold, from a TIFF's SampleFormat and BitsPerSample.
 */

import type { SampleType } from '../raster.js';
import { GeoReadError } from './error.js';

export type { SampleType };

export const SAMPLE_TYPES: Readonly<
  Record<
    SampleType,
    | Uint8ArrayConstructor
    | Int16ArrayConstructor
    | Uint16ArrayConstructor
    | Int32ArrayConstructor
    | Float32ArrayConstructor
    | Float64ArrayConstructor
  >
> = {
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

const FORMAT_NAMES: Record<number, string> = {
  1: 'unsigned integer',
  2: 'signed integer',
  3: 'float',
  4: 'untyped',
  5: 'complex integer',
  6: 'complex float',
};

/** The sample type of SampleFormat `format` with `bits` bits, or a `GeoReadError`. */
export function sampleType(format: number, bits: number, file: string): SampleType {
  const key = `${format}:${bits}`;
  const type = (
    {
      '1:8': 'uint8',
      '2:16': 'int16',
      '1:16': 'uint16',
      '2:32': 'int32',
      '3:32': 'float32',
      '3:64': 'float64',
    } as Record<string, SampleType>
  )[key];
  if (type === undefined) {
    const name = FORMAT_NAMES[format] ?? `SampleFormat ${format}`;
    throw new GeoReadError(
      file,
      `unsupported sample format: ${bits}-bit ${name} (supported: ${Object.keys(SAMPLE_TYPES).join(', ')})`,
    );
  }
  return type;
}
