/**
 * @module read/hgt
 * SRTM `.hgt` tiles: a square of big-endian int16 heights (1201² for 3 arc-seconds, 3601² for 1),
 * nodata -32768, WGS 84 (EPSG:4326), no header. The tile's name (`N10W110.hgt`) gives the
 * south-west corner: the centre of the tile's south-west cell (PixelIsPoint), so the tile
 * overlaps its neighbours by one row and one column. The transform is GDAL's (SRTMHGT driver),
 * to the last bit: `[lon − 0.5/(n−1), 1/(n−1), 0, lat + 1 + 0.5/(n−1), 0, −1/(n−1)]`.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { GeoRaster } from '../raster.js';
import { GeoReadError, messageOf } from './error.js';

const SIZES = [1201, 3601];
const HGT_NODATA = -32768;

/** The tile in `bytes`; `name` is its file name or path (`N10W110.hgt`, `data/S05E012.hgt`). */
export function readHgt(bytes: Uint8Array | ArrayBuffer, name: string): GeoRaster<Int16Array> {
  const view =
    bytes instanceof ArrayBuffer
      ? new DataView(bytes)
      : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { lat, lon } = southWest(name);
  const n = SIZES.find((s) => s * s * 2 === view.byteLength);
  if (n === undefined) {
    throw new GeoReadError(
      name,
      `not an SRTM .hgt tile: ${view.byteLength} bytes, expected ${SIZES.map((s) => `${s}² × 2 = ${s * s * 2}`).join(' or ')}`,
    );
  }
  const values = new Int16Array(n * n);
  for (let i = 0; i < values.length; i++) values[i] = view.getInt16(2 * i, false);
  const step = 1 / (n - 1);
  return {
    width: n,
    height: n,
    values,
    nodata: HGT_NODATA,
    cellSize: { x: step, y: step },
    transform: {
      originX: lon - 0.5 / (n - 1),
      originY: lat + 1 + 0.5 / (n - 1),
      pixelWidth: step,
      pixelHeight: -step,
    },
    crs: { epsg: 4326, geographic: true },
    rasterType: 'point',
  };
}

/** `readHgt` of the file at `path` (errors name the path). */
export async function readHgtFile(path: string): Promise<GeoRaster<Int16Array>> {
  southWest(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new GeoReadError(path, `cannot be read (${messageOf(error)})`, { cause: error });
  }
  return readHgt(bytes, path);
}

function southWest(name: string): { lat: number; lon: number } {
  const m = /^([NS])(\d{2})([EW])(\d{3})(?:\.hgt)?$/i.exec(basename(name));
  const lat = m ? Number(m[2]) * (m[1]!.toUpperCase() === 'S' ? -1 : 1) : Number.NaN;
  const lon = m ? Number(m[4]) * (m[3]!.toUpperCase() === 'W' ? -1 : 1) : Number.NaN;
  if (!m || lat < -90 || lat > 89 || lon < -180 || lon > 179) {
    throw new GeoReadError(
      name,
      'an SRTM tile is named by its south-west corner, like N10W110.hgt or S05E012.hgt',
    );
  }
  return { lat, lon };
}
