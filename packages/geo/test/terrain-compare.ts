// Shared by the terrain suites: our derivatives beside gdaldem's, option for option, and the cell
// comparisons (float32 equality for slope and aspect; hillshade bytes within 1, counted).
import { expect } from 'vitest';
import {
  type AspectOptions,
  aspect,
  type GeoRaster,
  type Grid,
  type HillshadeOptions,
  hillshade,
  type SlopeOptions,
  slope,
} from '../src/index.js';
import type { GdalScratch } from './terrain-gdal.js';

export type Derivative =
  | { readonly mode: 'slope'; readonly options: SlopeOptions }
  | { readonly mode: 'aspect'; readonly options: AspectOptions }
  | { readonly mode: 'hillshade'; readonly options: HillshadeOptions };

/** gdaldem's arguments for a derivative's options. */
export function gdaldemArgs(d: Derivative): string[] {
  const o = d.options;
  const args: string[] = [];
  if (o.algorithm === 'zevenbergen-thorne') args.push('-alg', 'ZevenbergenThorne');
  if (o.computeEdges) args.push('-compute_edges');
  if (d.mode === 'slope') {
    if (d.options.units === 'percent') args.push('-p');
    if (d.options.scale !== undefined) args.push('-s', String(d.options.scale));
  } else if (d.mode === 'aspect') {
    if (d.options.trigonometric) args.push('-trigonometric');
    if (d.options.zeroForFlat) args.push('-zero_for_flat');
  } else {
    const h = d.options;
    if (h.azimuth !== undefined) args.push('-az', String(h.azimuth));
    if (h.altitude !== undefined) args.push('-alt', String(h.altitude));
    if (h.zFactor !== undefined) args.push('-z', String(h.zFactor));
    if (h.scale !== undefined) args.push('-s', String(h.scale));
    if (h.variant && h.variant !== 'standard') args.push(`-${h.variant}`);
  }
  return args;
}

/** Our derivative of `grid`. */
export function ours(grid: Grid | GeoRaster, d: Derivative): Grid<Float32Array> | Grid<Uint8Array> {
  if (d.mode === 'slope') return slope(grid, d.options);
  if (d.mode === 'aspect') return aspect(grid, d.options);
  return hillshade(grid, d.options);
}

/** Runs `task` over `items`, `limit` at a time, results in order. */
export async function pooled<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How far our cells are from gdaldem's. */
export interface Difference {
  readonly cells: number;
  /** Cells not equal (float32 equality; NaN equals NaN). */
  readonly unequal: number;
  /** Largest absolute difference (hillshade bytes), 0 when all equal. */
  readonly largest: number;
  /** The first few unequal cells, for the failure message. */
  readonly examples: string[];
}

export function difference(a: ArrayLike<number>, b: ArrayLike<number>): Difference {
  expect(a.length).toBe(b.length);
  let unequal = 0;
  let largest = 0;
  const examples: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i]) || a[i] === b[i]) continue;
    unequal++;
    largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
    if (examples.length < 5) examples.push(`cell ${i}: ours ${a[i]}, gdaldem ${b[i]}`);
  }
  return {
    cells: a.length,
    unequal,
    largest: Number.isNaN(largest) ? Infinity : largest,
    examples,
  };
}

/**
 * Runs gdaldem and ours on `grid` (gdaldem reads `input`, the same cells) and checks them: the
 * same declared nodata, and equal cells — hillshade bytes within 1 (see terrain/hillshade), with
 * the count of those returned.
 */
export async function compareWithGdaldem(
  scratch: GdalScratch,
  input: string,
  grid: Grid | GeoRaster,
  d: Derivative,
  context = '',
): Promise<Difference> {
  const args = gdaldemArgs(d);
  const theirs = await scratch.gdaldem(d.mode, input, args);
  const mine = ours(grid, d);
  const what = `${d.mode} ${args.join(' ')} ${context}`;
  expect(mine.nodata, what).toBe(theirs.nodata);
  const diff = difference(mine.values, theirs.values);
  if (d.mode === 'hillshade') {
    expect(diff.largest, `${what}\n${diff.examples.join('\n')}`).toBeLessThanOrEqual(1);
  } else {
    expect(diff.unequal, `${what}\n${diff.examples.join('\n')}`).toBe(0);
  }
  return diff;
}
