/**
 * @module read/window
 * A rectangle of cells to read instead of the whole raster, and the transform of what is read.
 */
import type { GeoTransform } from '../zonal/transform.js';
import { GeoReadError } from './error.js';

/** Cells `[col, col + width) × [row, row + height)` of the raster, 0-based. */
export interface PixelWindow {
  readonly col: number;
  readonly row: number;
  readonly width: number;
  readonly height: number;
}

/** `window` checked to lie inside a `width × height` raster (the whole raster when absent). */
export function checkWindow(
  window: PixelWindow | undefined,
  width: number,
  height: number,
  file: string,
): PixelWindow {
  if (window === undefined) return { col: 0, row: 0, width, height };
  const { col, row, width: w, height: h } = window;
  const ints = [col, row, w, h].every((n) => Number.isSafeInteger(n));
  if (!ints || col < 0 || row < 0 || w <= 0 || h <= 0 || col + w > width || row + h > height) {
    throw new GeoReadError(
      file,
      `window {col: ${col}, row: ${row}, width: ${w}, height: ${h}} is not inside the ${width} × ${height} raster (integers, width and height at least 1)`,
    );
  }
  return { col, row, width: w, height: h };
}

/** The transform of the window's cells: the corner of its cell (0, 0) is the raster's (col, row). */
export function windowTransform(t: GeoTransform, w: PixelWindow): GeoTransform {
  return {
    originX: t.originX + w.col * t.pixelWidth,
    originY: t.originY + w.row * t.pixelHeight,
    pixelWidth: t.pixelWidth,
    pixelHeight: t.pixelHeight,
  };
}
