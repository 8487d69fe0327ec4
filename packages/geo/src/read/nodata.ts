/**
 * @module read/nodata
 * GDAL's nodata tag (TIFF tag 42113, `GDAL_NODATA`): ASCII text that GDAL writes with `%.18g`
 * or as `nan` / `inf` / `-inf`.
 */
import { GeoReadError } from './error.js';

/** The number `GDAL_NODATA` holds (`undefined` for an absent or empty tag). */
export function parseGdalNodata(text: string | undefined, file: string): number | undefined {
  if (text === undefined) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the tag is NUL-terminated ASCII
  const t = text.replace(/\u0000+$/, '').trim();
  if (t === '') return undefined;
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === '-nan' || lower === '+nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  const value = Number(t);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) || !Number.isFinite(value)) {
    throw new GeoReadError(file, `GDAL_NODATA tag (42113) is not a number: ${JSON.stringify(t)}`);
  }
  return value;
}
