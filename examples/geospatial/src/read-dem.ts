/** Reads a DEM file of either format the inputs hold: GeoTIFF, or an SRTM `.hgt` tile. */
import { type GeoRaster, readGeoTiffFile, readHgtFile } from '@weir/geo';

export async function readDem(path: string): Promise<GeoRaster> {
  return path.toLowerCase().endsWith('.hgt') ? readHgtFile(path) : readGeoTiffFile(path);
}
