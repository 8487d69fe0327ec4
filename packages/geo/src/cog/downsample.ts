/**
 * @module cog/downsample
 * Makes an overview row by row as the rows of the level above arrive (see `resample` for what a
 * pixel is). It keeps only the few source rows the next destination rows still need (at most 4:
 * the ratio between levels is below 3), so a pyramid streams with a bounded number of rows.
 */
import { averageSpans, meanRounder, nearestIndices, nodataReplacement } from './resample.js';
import type { SampleInfo } from './sample.js';
import type { SampleArray } from './types.js';

export interface DownsampleSpec {
  readonly sample: SampleInfo;
  readonly srcWidth: number;
  readonly srcHeight: number;
  readonly dstWidth: number;
  readonly dstHeight: number;
  /** Nodata as the cells store it. */
  readonly nodata: number | undefined;
  readonly method: 'average' | 'nearest';
}

/** Receives one destination row (`dstWidth` samples, reused after the call) and its index. */
export type RowSink = (row: SampleArray, index: number) => void;

export class Downsampler {
  private readonly kept = new Map<number, SampleArray>();
  private readonly out: SampleArray;
  private readonly rowFirst: Int32Array;
  private readonly rowEnd: Int32Array;
  private readonly fill: (rows: SampleArray[], r: number) => void;
  private next = 0;

  constructor(
    private readonly spec: DownsampleSpec,
    private readonly sink: RowSink,
  ) {
    const { srcWidth, srcHeight, dstWidth, dstHeight, method } = spec;
    this.out = spec.sample.create(dstWidth);
    if (method === 'nearest') {
      const cols = nearestIndices(srcWidth, dstWidth);
      this.rowFirst = nearestIndices(srcHeight, dstHeight);
      this.rowEnd = this.rowFirst.map((y) => y + 1);
      this.fill = (rows) => {
        const src = rows[0]!;
        const out = this.out;
        for (let i = 0; i < dstWidth; i++) out[i] = src[cols[i]!]!;
      };
    } else {
      const ys = averageSpans(srcHeight, dstHeight);
      this.rowFirst = ys.first;
      this.rowEnd = ys.end;
      this.fill = averageFiller(spec, this.out, ys);
    }
  }

  /** Source row `y` (rows must come in order, each once); emits the rows it completes. */
  push(row: SampleArray, y: number): void {
    const { dstHeight } = this.spec;
    if (this.next < dstHeight && y >= this.rowFirst[this.next]!) this.kept.set(y, row.slice());
    while (this.next < dstHeight && this.rowEnd[this.next]! <= y + 1) {
      const r = this.next;
      const rows: SampleArray[] = [];
      for (let k = this.rowFirst[r]!; k < this.rowEnd[r]!; k++) rows.push(this.kept.get(k)!);
      this.fill(rows, r);
      this.sink(this.out, r);
      this.next++;
    }
    const keepFrom = this.next < dstHeight ? this.rowFirst[this.next]! : Number.POSITIVE_INFINITY;
    for (const k of this.kept.keys()) if (k < keepFrom) this.kept.delete(k);
  }
}

function averageFiller(
  spec: DownsampleSpec,
  out: SampleArray,
  ys: ReturnType<typeof averageSpans>,
): (rows: SampleArray[], r: number) => void {
  const { sample, srcWidth, dstWidth, nodata } = spec;
  const xs = averageSpans(srcWidth, dstWidth);
  const round = meanRounder(sample);
  const replacement = nodata === undefined ? undefined : nodataReplacement(sample, nodata);
  // Integers without nodata have no missing cells; floats always may (NaN).
  const masked = nodata !== undefined || sample.float;
  const empty = nodata ?? Number.NaN;
  const pairs = isPairs(xs);
  const put = (i: number, total: number, weight: number): void => {
    if (weight === 0) {
      out[i] = empty;
      return;
    }
    const v = round(total, weight);
    out[i] = v === nodata ? replacement! : v;
  };

  return (rows, r) => {
    const n = rows.length;
    const wFirst = ys.firstWeight[r]!;
    const wLast = ys.lastWeight[r]!;
    if (pairs && n === 2 && wFirst === 1 && wLast === 1) {
      // The common case, exactly 2 × 2 cells of weight 1: the same sums, without the weights.
      const a = rows[0]!;
      const b = rows[1]!;
      if (!masked) {
        for (let i = 0, x = 0; i < dstWidth; i++, x += 2) {
          put(i, a[x]! + a[x + 1]! + (b[x]! + b[x + 1]!), 4);
        }
        return;
      }
      const ok = (v: number): boolean => !Number.isNaN(v) && v !== nodata;
      for (let i = 0, x = 0; i < dstWidth; i++, x += 2) {
        const v0 = a[x]!;
        const v1 = a[x + 1]!;
        const v2 = b[x]!;
        const v3 = b[x + 1]!;
        const k0 = ok(v0);
        const k1 = ok(v1);
        const k2 = ok(v2);
        const k3 = ok(v3);
        const top = (k0 ? v0 : 0) + (k1 ? v1 : 0);
        const bottom = (k2 ? v2 : 0) + (k3 ? v3 : 0);
        put(i, top + bottom, +k0 + +k1 + +k2 + +k3);
      }
      return;
    }
    const columnWeight = ys.total[r]!;
    for (let i = 0; i < dstWidth; i++) {
      const x0 = xs.first[i]!;
      const x1 = xs.end[i]!;
      const wl = xs.firstWeight[i]!;
      const wr = xs.lastWeight[i]!;
      let total = 0;
      let weight = 0;
      for (let k = 0; k < n; k++) {
        const row = rows[k]!;
        const wy = k === 0 ? wFirst : k === n - 1 ? wLast : 1;
        let line = 0;
        let lineWeight = 0;
        for (let x = x0; x < x1; x++) {
          const v = row[x]!;
          if (masked && (Number.isNaN(v) || v === nodata)) continue;
          const wx = x === x0 ? wl : x === x1 - 1 ? wr : 1;
          line += wx === 1 ? v : v * wx;
          lineWeight += wx;
        }
        total += line * wy;
        weight += lineWeight * wy;
      }
      if (!masked) weight = xs.total[i]! * columnWeight;
      put(i, total, weight);
    }
  };
}

/** Whether each destination pixel covers exactly source pixels 2i and 2i + 1. */
function isPairs(xs: ReturnType<typeof averageSpans>): boolean {
  for (let i = 0; i < xs.first.length; i++) {
    if (xs.first[i] !== 2 * i || xs.end[i] !== 2 * i + 2) return false;
  }
  return true;
}
