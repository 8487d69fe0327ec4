/**
 * @module cog/sample
 * What the writer needs to know of each sample type: its array, its TIFF fields, its range, and
 * the nodata value as its cells store it.
 */
import type { SampleArray, SampleType } from './types.js';

export interface SampleInfo {
  readonly type: SampleType;
  readonly bytes: 1 | 2 | 4 | 8;
  /** TIFF SampleFormat: 1 unsigned integer, 2 signed integer, 3 IEEE float. */
  readonly format: 1 | 2 | 3;
  readonly float: boolean;
  readonly min: number;
  readonly max: number;
  /** The typed array's name (`Int16Array`), for messages. */
  readonly arrayName: string;
  create(length: number): SampleArray;
  is(values: unknown): values is SampleArray;
}

function info<A extends SampleArray>(
  type: SampleType,
  ctor: { new (n: number): A; BYTES_PER_ELEMENT: number },
  format: 1 | 2 | 3,
  min: number,
  max: number,
): SampleInfo {
  return {
    type,
    bytes: ctor.BYTES_PER_ELEMENT as 1 | 2 | 4 | 8,
    format,
    float: format === 3,
    min,
    max,
    arrayName: (ctor as unknown as { name: string }).name,
    create: (n) => new ctor(n),
    is: (values): values is A => values instanceof ctor,
  };
}

const SAMPLES: Record<SampleType, SampleInfo> = {
  uint8: info('uint8', Uint8Array, 1, 0, 255),
  int16: info('int16', Int16Array, 2, -32768, 32767),
  uint16: info('uint16', Uint16Array, 1, 0, 65535),
  int32: info('int32', Int32Array, 2, -2147483648, 2147483647),
  float32: info('float32', Float32Array, 3, -3.4028234663852886e38, 3.4028234663852886e38),
  float64: info('float64', Float64Array, 3, -Number.MAX_VALUE, Number.MAX_VALUE),
};

export const SAMPLE_TYPES = Object.keys(SAMPLES) as SampleType[];

/** The sample info of a type name; throws on anything else. */
export function sampleInfo(type: unknown): SampleInfo {
  if (typeof type === 'string' && Object.hasOwn(SAMPLES, type)) return SAMPLES[type as SampleType];
  throw new TypeError(
    `unsupported sample type ${String(type)}: the COG writer takes ${SAMPLE_TYPES.join(', ')}`,
  );
}

/** The sample type of a typed array; throws on an unsupported array (Int8Array, Uint32Array…). */
export function sampleTypeOf(values: unknown): SampleType {
  for (const s of Object.values(SAMPLES)) if (s.is(values)) return s.type;
  const name = (values as { constructor?: { name?: string } } | null)?.constructor?.name;
  throw new TypeError(
    `unsupported sample array ${name ?? typeof values}: the COG writer takes ${SAMPLE_TYPES.join(', ')} (Uint8Array, Int16Array, Uint16Array, Int32Array, Float32Array, Float64Array)`,
  );
}

/**
 * The nodata value as the cells store it (float32 rounds it), after checking it fits the type:
 * an integer type needs an integer in its range.
 */
export function checkedNodata(sample: SampleInfo, nodata: number | undefined): number | undefined {
  if (nodata === undefined) return undefined;
  if (typeof nodata !== 'number') {
    throw new TypeError(`nodata must be a number, got ${typeof nodata}`);
  }
  if (sample.float) return sample.type === 'float32' ? Math.fround(nodata) : nodata;
  if (!Number.isInteger(nodata) || nodata < sample.min || nodata > sample.max) {
    throw new RangeError(
      `nodata ${nodata} cannot be stored in ${sample.type} (integers ${sample.min} to ${sample.max})`,
    );
  }
  return nodata;
}

/**
 * The GDAL_NODATA tag's text: GDAL writes `nan`, `inf`, `-inf`, and otherwise a number that reads
 * back as the same double (`%.18g` there; the shortest round-trip form here).
 */
export function nodataText(nodata: number): string {
  if (Number.isNaN(nodata)) return 'nan';
  if (nodata === Number.POSITIVE_INFINITY) return 'inf';
  if (nodata === Number.NEGATIVE_INFINITY) return '-inf';
  return String(nodata);
}
