/**
 * @module cog/resample
 * How one overview pixel is made from the level above it, by GDAL's geometry: with
 * `ratio = srcSize / dstSize`, destination pixel `i` covers source `[i·ratio, (i+1)·ratio)`.
 *
 * - `average`: the area-weighted mean of the source pixels in that span (a partly covered edge
 *   pixel counts for the part covered, as GDAL's AVERAGE), leaving out nodata and NaN cells; no
 *   data cell at all gives nodata (NaN in a float raster without nodata). Integers round half up
 *   (uint8, uint16) or half away from zero (int16 through float32, int32), as GDAL rounds them; a
 *   mean that equals nodata is moved one step off it, as GDAL does, so data stays data.
 * - `nearest`: the source pixel at `floor(0.5 + i·ratio)`, as GDAL's NEAREST.
 *
 * Each level is made from the previous one (as GDAL cascades its overviews), so a writer needs
 * only a few rows of the level above.
 */
import type { SampleInfo } from './sample.js';

/** The source span of each destination index along one axis. */
export interface Spans {
  readonly first: Int32Array;
  /** One past the last source index. */
  readonly end: Int32Array;
  /** Weight of the first source index (1 unless partly covered). */
  readonly firstWeight: Float64Array;
  /** Weight of the last source index when the span has more than one. */
  readonly lastWeight: Float64Array;
  /** Sum of the weights of the span. */
  readonly total: Float64Array;
}

/** GDAL's spans for average (`GDALResampleChunk_AverageOrRMS`), epsilon included. */
export function averageSpans(src: number, dst: number): Spans {
  const ratio = src / dst;
  const spans: Spans = {
    first: new Int32Array(dst),
    end: new Int32Array(dst),
    firstWeight: new Float64Array(dst),
    lastWeight: new Float64Array(dst),
    total: new Float64Array(dst),
  };
  for (let i = 0; i < dst; i++) {
    const from = i * ratio;
    const to = (i + 1) * ratio;
    const first = Math.max(0, Math.trunc(from + 1e-8));
    let end = Math.ceil(to - 1e-8);
    if (end === first) end++;
    if (end > src) end = src;
    const firstWeight = end === first + 1 ? 1 : 1 - (from - first);
    const lastWeight = 1 - (end - to);
    let total = firstWeight;
    if (first + 1 < end) total += end - first - 2 + lastWeight;
    spans.first[i] = first;
    spans.end[i] = end;
    spans.firstWeight[i] = firstWeight;
    spans.lastWeight[i] = lastWeight;
    spans.total[i] = total;
  }
  return spans;
}

/** GDAL's nearest source index of each destination index. */
export function nearestIndices(src: number, dst: number): Int32Array {
  const ratio = src / dst;
  const out = new Int32Array(dst);
  for (let i = 0; i < dst; i++) out[i] = Math.min(src - 1, Math.trunc(0.5 + i * ratio));
  return out;
}

/** Turns a weighted total into the stored value of the type (see the module for the rounding). */
export function meanRounder(sample: SampleInfo): (total: number, weight: number) => number {
  switch (sample.type) {
    case 'uint8':
    case 'uint16':
      return (t, w) => Math.floor(t / w + 0.5);
    case 'int16':
      return (t, w) => {
        const v = Math.fround(t / w);
        return v > 0 ? Math.floor(v + 0.5) : Math.ceil(v - 0.5);
      };
    case 'int32':
      return (t, w) => {
        const v = t / w;
        return v > 0 ? Math.floor(v + 0.5) : Math.ceil(v - 0.5);
      };
    case 'float32':
      return (t, w) => Math.fround(t / w);
    case 'float64':
      return (t, w) => t / w;
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/**
 * The value a computed mean takes when it equals nodata (GDAL's
 * `GDALGetNoDataReplacementValue`): one step up, or down at the top of the type.
 */
export function nodataReplacement(sample: SampleInfo, nodata: number): number {
  if (!sample.float) return nodata === sample.max ? nodata - 1 : nodata + 1;
  // A finite mean never equals an infinite nodata; kept total for clarity.
  if (!Number.isFinite(nodata)) return nodata > 0 ? sample.max : -sample.max;
  const up = nodata !== sample.max;
  if (sample.type === 'float32') {
    f32[0] = nodata;
    if (nodata === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
    u32[0] = u32[0]! + (nodata > 0 === up ? 1 : -1);
    return f32[0]!;
  }
  f64[0] = nodata;
  if (nodata === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  u64[0] = u64[0]! + (nodata > 0 === up ? 1n : -1n);
  return f64[0]!;
}
